#!/usr/bin/env bash
# Measures Examples/spark/policy_eval.py against a plain `policyc eval` on policy-bench's 1M-event
# corpus (docs/benchmarks.md, "Spark"): wall seconds and CPU seconds (user + system of every
# process, the JVM, Python workers and policyc included), medians of RUNS runs, the commands taking
# turns within each run so they see the same minutes of a shared machine. Checks once that the job's
# verdicts are the plain run's.
#
#   Scripts/spark-bench.sh [RUNS]     (default 3; after Scripts/spark-check.sh has set up pyspark)
#
# Needs `swift build -c release --static-swift-stdlib --product policyc` and `--product policy-bench`.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
work=.build/spark-bench
venv=.build/spark-venv
policyc=.build/release/policyc
as_of=2026-12-31T00:00:00+08:00
export PYSPARK_PYTHON="$venv/bin/python"

mkdir -p "$work"
if [ ! -f "$work/interleaved.jsonl" ]; then
  .build/release/policy-bench --events 1000000 --runs 1 --only decode --keep "$work" >/dev/null
fi
"$policyc" build Policies/pinduoduo.policy -o "$work/pinduoduo.plp"

spark() { # spark CORES EVENTS: the job in local mode, default JVM settings
  "$venv/bin/spark-submit" --master "local[$1]" --conf spark.log.level=WARN --conf spark.ui.enabled=false \
    --conf spark.ui.showConsoleProgress=false Examples/spark/policy_eval.py --policyc "$policyc" \
    --program "$work/pinduoduo.plp" --as-of "$as_of" --events "$2" --out "$work/out-$1-$(basename "$2")" >/dev/null 2>"$work/spark.log"
}
plain() { # plain ARGS...: policyc eval, verdicts to a file
  "$policyc" eval --program "$work/pinduoduo.plp" --as-of "$as_of" "$@" >"$work/plain.verdicts"
}
names=("policyc eval --jobs 1 (interleaved)" "policyc eval --jobs 2 (interleaved)"
  "policyc eval --grouped --jobs 1 (grouped)" "Spark job, local[1] (interleaved)" "Spark job, local[2] (interleaved)"
  "Spark job, local[2], 14 events (fixed cost)")
commands=("plain --jobs 1 $work/interleaved.jsonl" "plain --jobs 2 $work/interleaved.jsonl"
  "plain --grouped --jobs 1 $work/grouped.jsonl" "spark 1 $work/interleaved.jsonl" "spark 2 $work/interleaved.jsonl"
  "spark 2 Examples/transcripts/quickstart.jsonl")
TIMEFORMAT="%R %U %S" # bash's `time`: wall, then user and system of every process it waited for
for run in $(seq "$runs"); do
  for i in "${!commands[@]}"; do
    { time ${commands[$i]}; } 2>"$work/time"
    echo "$i $(cat "$work/time")" >>"$work/times.$$"
  done
  echo "spark-bench: run $run of $runs done" >&2
done

LC_ALL=C sort "$work/plain.verdicts" >"$work/plain.sorted"
cat "$work"/out-2-interleaved.jsonl/verdicts/part-* | LC_ALL=C sort | cmp -s - "$work/plain.sorted" ||
  { echo "spark-bench: the job's verdicts differ from policyc eval's" >&2; exit 1; }

events=$(wc -l <"$work/interleaved.jsonl")
echo "| command ($events events) | median wall s | events/s | median CPU s | events per CPU-second |"
echo "|---|---|---|---|---|"
for i in "${!commands[@]}"; do
  awk -v i="$i" -v name="${names[$i]}" -v events="$events" '$1 == i { wall[++n] = $2; cpu[n] = $3 + $4 }
    function median(a, n,   k, j, t) { for (k = 1; k <= n; k++) for (j = k + 1; j <= n; j++)
      if (a[j] < a[k]) { t = a[k]; a[k] = a[j]; a[j] = t }; return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    END { w = median(wall, n); c = median(cpu, n)
      printf "| %s | %.2f | %.0f | %.2f | %.0f |\n", name, w, events / w, c, events / c }' "$work/times.$$"
done
rm -f "$work/times.$$"
