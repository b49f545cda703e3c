#!/usr/bin/env python3
"""Measures `policyc report` on the benchmark corpus: medians of several runs.

    Scripts/bench-report.py [--events N] [--runs N] [--keep DIR]

Builds the release `policyc` and `policy-bench`, has policy-bench write its deterministic corpus
(N events, default 1,350,000: about 120,000 verdicts with both shipped policies), evaluates it
once, then alternates, run by run: `policyc eval --grouped --jobs 1` over the corpus with the
Pinduoduo policy (the reference docs/benchmarks.md records for a quiet machine, so a reader can
scale the figures of a busy one), `policyc report` of the verdicts alone, and with the events.
Prints the median wall and CPU (user + system) seconds of each, the page's size, and, when
Chromium is installed, how long the page takes to be ready in it (Scripts/check-report.py).
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AS_OF = "2026-12-31T00:00:00+08:00"


def run(command, stdout=subprocess.DEVNULL):
    """Runs `command`; returns (wall seconds, CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(command, check=True, stdout=stdout, cwd=ROOT)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_350_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", default=os.path.join(ROOT, ".build", "bench-report"))
    args = parser.parse_args()
    os.makedirs(args.keep, exist_ok=True)
    policyc = os.path.join(ROOT, ".build", "release", "policyc")
    for product in ["policyc", "policy-bench"]:
        subprocess.run(["swift", "build", "-c", "release", "--product", product], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    corpus = os.path.join(args.keep, "grouped.jsonl")
    if not os.path.exists(corpus):
        subprocess.run([os.path.join(ROOT, ".build", "release", "policy-bench"), "--events", str(args.events),
                        "--runs", "1", "--keep", args.keep, "--only", "fixed"], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    verdicts = os.path.join(args.keep, "verdicts.jsonl")
    policies = ["--policy", "Policies/pinduoduo.policy", "--policy", "Policies/aliexpress.policy"]
    with open(verdicts, "w") as out:
        subprocess.run([policyc, "eval"] + policies + ["--as-of", AS_OF, "--grouped", corpus], check=True,
                       stdout=out, cwd=ROOT)
    with open(verdicts) as f:
        lines = sum(1 for _ in f)
    page = os.path.join(args.keep, "report.html")
    page_events = os.path.join(args.keep, "report-events.html")
    commands = {
        "eval --grouped --jobs 1 (reference)": [policyc, "eval", "--policy", "Policies/pinduoduo.policy", "--as-of",
                                                AS_OF, "--grouped", "--jobs", "1", corpus],
        "report, verdicts only": [policyc, "report", verdicts] + policies + ["-o", page],
        "report, with --events": [policyc, "report", verdicts] + policies + ["--events", corpus, "-o", page_events],
    }
    times = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(run(command))
    print("policyc report: %d verdicts, %d events, medians of %d runs (load average %.1f)"
          % (lines, args.events, args.runs, os.getloadavg()[0]))
    print("| run | wall s | CPU s |")
    print("|---|---|---|")
    for name, samples in times.items():
        print("| %s | %.2f | %.2f |" % (name, statistics.median(w for w, _ in samples),
                                        statistics.median(c for _, c in samples)))
    for path in [page, page_events]:
        print("%s: %.1f MB" % (os.path.basename(path), os.path.getsize(path) / 1e6))
    if shutil.which("chromium") or os.environ.get("CHROMIUM"):
        subprocess.run([sys.executable, os.path.join(ROOT, "Scripts", "check-report.py"), page_events, verdicts],
                       cwd=ROOT)


if __name__ == "__main__":
    main()
