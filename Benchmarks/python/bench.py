#!/usr/bin/env python3
"""The Python package's costs on policy-bench's corpus, medians of several runs.

    POLICYLANG_LIBRARY=.build/release/libpolicylang.so \\
      python3 Benchmarks/python/bench.py POLICYC POLICY EVENTS.jsonl [RUNS] [MESSAGES]

(Benchmarks/bindings-bench.sh runs it.) Rows:
- one message per call: `Policy.check_message` on the corpus's first MESSAGES events (default
  200,000), given as dicts and as JSON text;
- one batch: `Policy.evaluate(bytes, grouped=True, jobs=1)` of the whole file, verdicts parsed into
  dicts, against `POLICYC eval --grouped --jobs 1` on the same file (a process writing to
  /dev/null), the two alternated within each run so both see the same minutes of the machine.
"""

import json
import os
import statistics
import subprocess
import sys
import time

import policylang

AS_OF = "2026-12-31T00:00:00+08:00"


def timed(body):
    start = time.perf_counter()
    body()
    return time.perf_counter() - start


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 64
    policyc, policy_path, events_path = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 200_000
    policy = policylang.Policy.load(policy_path)
    with open(events_path, "rb") as f:
        data = f.read()
    lines = [line for line in data.split(b"\n") if line]
    texts = [line.decode("utf-8") for line in lines[:count]]
    dicts = [json.loads(text) for text in texts]

    print(f"python {sys.version.split()[0]}, {len(lines)} events, {count} for the one-message rows, "
          f"medians of {runs} runs\n")
    print("| Python row | median s | per message or events/s | verdicts |")
    print("|---|---|---|---|")
    for name, items in (("dicts", dicts), ("JSON text", texts)):
        found = []
        seconds = statistics.median(
            timed(lambda: found.append(sum(len(policy.check_message(item)) for item in items)))
            for _ in range(runs)
        )
        print(f"| one message per call, {name} (check_message) | {seconds:.3f} | "
              f"{seconds / len(items) * 1e6:.2f} us, {len(items) / seconds:,.0f} messages/s | {found[-1]} |")

    package, process = [], []
    verdicts = 0
    for _ in range(runs):
        start = time.perf_counter()
        with open(events_path, "rb") as f:
            result = policy.evaluate(f.read(), as_of=AS_OF, grouped=True, jobs=1)
        package.append(time.perf_counter() - start)
        verdicts = len(result)
        with open(os.devnull, "wb") as sink:
            start = time.perf_counter()
            subprocess.run(
                [policyc, "eval", "--policy", policy_path, "--as-of", AS_OF, "--grouped", "--jobs", "1",
                 events_path],
                stdout=sink, check=False,
            )
            process.append(time.perf_counter() - start)
    mine, theirs = statistics.median(package), statistics.median(process)
    print(f"| one batch: read the file, evaluate(grouped, jobs=1), verdicts as dicts | {mine:.3f} | "
          f"{len(lines) / mine:,.0f} events/s | {verdicts} |")
    print(f"| policyc eval --grouped --jobs 1 (process) | {theirs:.3f} | {len(lines) / theirs:,.0f} events/s | |")
    print(f"|   package time / policyc time | {mine / theirs:.2f}x | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
