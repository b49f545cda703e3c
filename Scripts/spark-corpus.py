#!/usr/bin/env python3
"""Writes a deterministic, time-ordered corpus of chat events with bad lines mixed in, split into
four files the way a day's logs are: the input of the Spark check (Scripts/spark-check.sh).

    python3 Scripts/spark-corpus.py --events 200000 --out DIR    # DIR/events-1.jsonl ... -4.jsonl

What it holds, so every rule of the exactness claim is exercised: shops of very different sizes
(rates and escalation per shop), conversations whose shop is only on their first line, some with no
shop at all, conversations spanning files, times in several offsets with nanosecond fractions and
equal instants written differently, conflicting shops and buyers, and every kind of bad line
(invalid JSON and UTF-8, missing or wrong fields, blank lines, a byte order mark, CRLF line ends, a
last line without a newline).
"""

import argparse
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

START = datetime(2026, 11, 20, 0, 0, tzinfo=timezone(timedelta(hours=8)))
OFFSETS = [8] * 12 + [0, 9, -5]
BUYER = ["在吗?这个有货吗", "请问什么时候发货", "可以便宜一点吗", "快递到哪里了", "這個有現貨嗎", "M码还有吗", "有优惠券吗😊"]
SELLER = ["亲,有货的哦", "亲,今天下午四点前下单当天发货", "帮您查了,包裹在运输中", "親,有現貨的", "不客气,有问题随时找我"]
AUTO = ["您好,欢迎光临本店,客服稍后回复您", "欢迎光临~"]
BAD_SELLER = ["加我薇信 abc_123 给你便宜", "直接转账到 6222 0202 0000 1234 562 就行", "打 １３８ ００１３ ８０００ 找我",
              "去 https://item.taobao.com/item.htm?id=1 买更便宜", "发邮件到 kf@qq.com", "你是不是傻逼", "好评返现5元"]


def rfc3339(at, nanos, rng):
    """`at` plus `nanos` in one of several offsets, the fraction as short as exact."""
    local = at.astimezone(timezone(timedelta(hours=rng.choice(OFFSETS))))
    fraction = f".{nanos:09d}".rstrip("0") if nanos else ""
    offset = local.strftime("%z")
    zone = "Z" if offset == "+0000" else f"{offset[:3]}:{offset[3:]}"
    return local.strftime("%Y-%m-%dT%H:%M:%S") + fraction + zone


def conversation(number, rng):
    """One conversation's events as (instant, nanoseconds, fields), in time order."""
    shop = None if rng.random() < 0.08 else f"s-{min(int(rng.expovariate(1 / 40)), 399)}"
    ident = f"会话-{number}" if number % 97 == 0 else f"c-{number}"
    buyer = f"b-{rng.randrange(20000)}"
    at = START + timedelta(seconds=rng.randrange(2 * 86400))
    events = []
    for i in range(rng.randrange(4, 15)):
        at += timedelta(seconds=rng.choice([0, 1, 20, 60, 300]) + int(rng.expovariate(1 / 600)))
        nanos = rng.choice([0] * 30 + [500_000_000, rng.randrange(10**9)])
        fields = {"conversation": ident, "at": at, "nanos": nanos}
        if i == 0:
            fields.update({"shop": shop, "buyer": buyer} if shop else {"buyer": buyer})
        elif shop and rng.random() < 0.05:
            fields["shop"] = shop if rng.random() < 0.98 else f"s-{rng.randrange(400)}"  # some conflict
        if rng.random() < 0.001:
            fields["buyer"] = f"b-{rng.randrange(20000)}"
        if rng.random() < 0.03:
            fields["event"] = rng.choice(["order_placed", "order_shipped", "refund_requested"])
        elif i % 2 == 0:
            fields.update({"from": "buyer", "text": "不要再发了" if rng.random() < 0.003 else rng.choice(BUYER)})
        else:
            roll = rng.random()
            fields.update({"from": "seller", "agent": f"kefu-{rng.randrange(6)}"})
            if roll < 0.015:
                fields["text"] = rng.choice(BAD_SELLER)
            elif roll < 0.02:
                fields["attachments"] = [{"type": "image", "qr": True}]
            elif roll < 0.09:
                fields.update({"auto": True, "text": rng.choice(AUTO)})
                del fields["agent"]
            else:
                fields["text"] = rng.choice(SELLER)
        events.append(fields)
    return events


def line(fields, rng):
    """One event as a JSON line; a few with non-ASCII escaped (`\\u4f1a` is the same id as `会`)."""
    fields = dict(fields)
    fields["at"] = rfc3339(fields.pop("at"), fields.pop("nanos"), rng)
    return json.dumps(fields, ensure_ascii=rng.random() < 0.02, separators=(",", ":"))


BAD_LINES = [
    lambda good: good[: len(good) // 2],
    lambda good: good.replace('"conversation"', '"conv"', 1),
    lambda good: good.replace('"at":"2026-11-2', '"at":"2026-11-2 ', 1),
    lambda good: good.replace('"at":"2026-11-2', '"at":"2026-02-3', 1),
    lambda good: good.replace('"from":"buyer"', '"from":"robot"', 1),
    lambda good: good[:-1] + ',"event":"order_placed"}',
    lambda good: good[:-1] + ',"text":"twice"}',
    lambda good: '{"conversation":12,"at":"2026-11-20T10:00:00Z","from":"buyer"}',
    lambda good: "[1,2,3]",
    lambda good: "not json at all",
    lambda good: "",
    lambda good: " \t ",
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--events", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=22)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    rng = random.Random(args.seed)

    events, number = [], 0
    while len(events) < args.events:
        events += conversation(number, rng)
        number += 1
    events = sorted(events[: args.events], key=lambda e: (e["at"], e["nanos"]))  # stable: ties keep order

    lines = []
    for fields in events:
        good = line(fields, rng)
        lines.append(good.encode())
        if rng.random() < 0.005:
            lines.append(rng.choice(BAD_LINES)(good).encode())
        elif rng.random() < 0.0005:
            lines.append(good.encode().replace("亲".encode(), b"\xff\xfe", 1))  # invalid UTF-8

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    quarter = len(lines) // 4 + 1
    for k in range(4):
        part = lines[k * quarter : (k + 1) * quarter]
        end = b"\r\n" if k == 1 else b"\n"
        body = end.join(part) + (b"" if k == 3 else end)
        (out / f"events-{k + 1}.jsonl").write_bytes((b"\xef\xbb\xbf" if k == 0 else b"") + body)
    print(f"spark-corpus: {len(events)} events, {len(lines) - len(events)} bad lines mixed in, under {out}")


if __name__ == "__main__":
    main()
