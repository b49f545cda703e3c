#!/usr/bin/env python3
"""The pipeline a user would write instead of policyc, to compare against it on one core.

Reads JSON Lines events (the shape policyc eval reads) with orjson, scans every seller message
with one Hyperscan database of the contact and insult patterns (the same classes of content the
shipped Pinduoduo policy looks for, written as regular expressions), tracks per conversation when
the buyer started waiting, and writes one JSON line per finding: content matches at once, and a
late reply when the seller answers more than an hour after the buyer (08:00-24:00, +08:00) or 24
hours at night. It is not policyc: no normalization of disguised text, no clause numbers, no
escalation or rates. It is the cheap baseline the online evaluator must beat.

    pip install orjson hyperscan
    Scripts/python-baseline.py EVENTS.jsonl > findings.jsonl   # prints events/s on stderr
"""

import sys
import time
from datetime import datetime, timedelta, timezone

import hyperscan
import orjson

PATTERNS = [
    (r"(微信|薇信|V信|vx|wx|扣扣|QQ)\s*[:：]?\s*[A-Za-z0-9_-]{5,}", "third_party_info"),
    (r"1[3-9]\d{9}", "third_party_info"),
    (r"\d{4}\s?\d{4}\s?\d{4}\s?\d{4}(\s?\d{1,3})?", "third_party_info"),
    (r"https?://[^\s]+", "external_link"),
    (r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", "third_party_info"),
    (r"(傻逼|滚|垃圾)", "abuse"),
]
CHINA = timezone(timedelta(hours=8))


def build_database():
    db = hyperscan.Database()
    expressions = [p.encode() for p, _ in PATTERNS]
    db.compile(
        expressions=expressions,
        ids=list(range(len(expressions))),
        elements=len(expressions),
        flags=[hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SOM_LEFTMOST] * len(expressions),
    )
    return db


def reply_limit(waiting_since):
    local = waiting_since.astimezone(CHINA)
    return timedelta(hours=1) if local.hour >= 8 else timedelta(hours=24)


def main(paths):
    db = build_database()
    out = sys.stdout.buffer
    waiting = {}
    events = 0
    start = time.perf_counter()
    cpu = time.process_time()
    for path in paths:
        with open(path, "rb") as f:
            for line in f:
                try:
                    event = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                events += 1
                conversation = event.get("conversation")
                at = datetime.fromisoformat(event["at"])
                sender = event.get("from")
                if sender == "buyer":
                    waiting.setdefault(conversation, at)
                    continue
                if sender != "seller":
                    continue
                since = waiting.pop(conversation, None) if not event.get("auto") else None
                if since is not None and at - since > reply_limit(since):
                    out.write(orjson.dumps({"conversation": conversation, "rule": "reply_time", "at": event["at"]}))
                    out.write(b"\n")
                text = event.get("text", "").encode()
                found = []

                def on_match(pattern, begin, end, flags, context):
                    found.append((PATTERNS[pattern][1], begin, end))

                db.scan(text, match_event_handler=on_match)
                for rule, begin, end in found[:1]:
                    out.write(orjson.dumps({"conversation": conversation, "rule": rule, "start": begin, "end": end}))
                    out.write(b"\n")
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(
        f"python-baseline: {events} events in {seconds:.2f} s wall, {cpu:.2f} s CPU: "
        f"{events / seconds:,.0f} events/s, {events / cpu:,.0f} per CPU-second",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
