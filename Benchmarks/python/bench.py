#!/usr/bin/env python3
"""The Python package's costs on policy-bench's corpus, medians of several runs.

    POLICYLANG_LIBRARY=.build/release/libpolicylang.so \\
      python3 Benchmarks/python/bench.py POLICYC POLICY EVENTS.jsonl [RUNS] [MESSAGES]

(Benchmarks/bindings-bench.sh runs it.) Each row gives wall time and CPU time (this process's, or
the child's for policyc): on a shared machine the CPU time is the steadier of the two. Rows:
- one message per call: `Policy.check_message` on the corpus's first MESSAGES events (default
  200,000), given as dicts and as JSON text;
- one batch: `Policy.evaluate_files(path, grouped=True, jobs=1)` and `Policy.evaluate(bytes, ...)`
  of the whole file, verdicts parsed into dicts, against `POLICYC eval --grouped --jobs 1` on the
  same file (a process writing to /dev/null), alternated within each run so all three see the
  same minutes of the machine.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time

import policylang

AS_OF = "2026-12-31T00:00:00+08:00"


def timed(body):
    """(wall seconds, CPU seconds of this process) of one call of body."""
    wall, cpu = time.perf_counter(), time.process_time()
    body()
    return time.perf_counter() - wall, time.process_time() - cpu


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 64
    policyc, policy_path, events_path = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 200_000
    policy = policylang.Policy.load(policy_path)
    with open(events_path, "rb") as f:
        events = sum(1 for line in f if line.strip())
    print(f"python {sys.version.split()[0]}, {events} events, {count} for the one-message rows, "
          f"medians of {runs} runs\n")
    print("| Python row | median wall s | median CPU s | per message (CPU) or events/s (wall; CPU) | verdicts |")
    print("|---|---|---|---|---|")

    # The batches first, in a process that holds nothing else yet (a heap of a million Python
    # objects, as the one-message rows build, slows what runs after it).
    in_memory, by_path, process = [], [], []
    verdicts = 0
    for _ in range(runs):
        def from_bytes() -> None:
            nonlocal verdicts
            with open(events_path, "rb") as f:
                verdicts = len(policy.evaluate(f.read(), as_of=AS_OF, grouped=True, jobs=1))

        def from_file() -> None:
            nonlocal verdicts
            verdicts = len(policy.evaluate_files(events_path, as_of=AS_OF, grouped=True, jobs=1))
        by_path.append(timed(from_file))
        in_memory.append(timed(from_bytes))
        with open(os.devnull, "wb") as sink:
            wall, cpu = time.perf_counter(), child_cpu()
            subprocess.run(
                [policyc, "eval", "--policy", policy_path, "--as-of", AS_OF, "--grouped", "--jobs", "1",
                 events_path],
                stdout=sink, check=False,
            )
            process.append((time.perf_counter() - wall, child_cpu() - cpu))
    rows = [
        ("one batch by path: evaluate_files(grouped, jobs=1), verdicts as dicts", by_path, verdicts),
        ("one batch in memory: read the file, evaluate(bytes, grouped, jobs=1), verdicts as dicts",
         in_memory, verdicts),
        ("policyc eval --grouped --jobs 1 (a process)", process, ""),
    ]
    medians = []
    for name, times, found in rows:
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        medians.append((wall, cpu))
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {events / wall:,.0f}; {events / cpu:,.0f} events/s | {found} |")
    for name, (wall, cpu) in (("by path", medians[0]), ("in memory", medians[1])):
        print(f"|   package {name} / policyc (wall; CPU) | {wall / medians[2][0]:.2f}x | "
              f"{cpu / medians[2][1]:.2f}x | | |")

    texts = []
    with open(events_path, "rb") as f:
        for line in f:
            if len(texts) == count:
                break
            if line.strip():
                texts.append(line.rstrip(b"\n").decode("utf-8"))
    dicts = [json.loads(text) for text in texts]
    for name, items in (("dicts", dicts), ("JSON text", texts)):
        found_counts = []
        times = [timed(lambda: found_counts.append(sum(len(policy.check_message(item)) for item in items)))
                 for _ in range(runs)]
        wall = statistics.median(t[0] for t in times)
        cpu = statistics.median(t[1] for t in times)
        print(f"| one message per call, {name} (check_message) | {wall:.3f} | {cpu:.3f} | "
              f"{cpu / len(items) * 1e6:.2f} us, {len(items) / cpu:,.0f} messages/s | {found_counts[-1]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
