#!/usr/bin/env bash
# Runs Examples/spark/policy_eval.py in local mode (2 cores) with both shipped policies on the
# example transcripts and a generated 200k-event corpus with bad lines mixed in, then compares it
# with one `policyc eval` over the same files: the verdicts must be identical as a multiset, the
# error lines identical (in the single run's order once sorted by file and line). Installs Java
# and pyspark when they are missing.
#
#   Scripts/spark-check.sh [POLICYC]     (default .build/release/policyc; CI runs it)
set -euo pipefail
cd "$(dirname "$0")/.."

policyc=${1:-.build/release/policyc}
work=.build/spark-check
venv=.build/spark-venv # kept between runs: pip's cache makes a new one quick too
as_of=2026-12-01T00:00:00+08:00

if ! command -v java >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if [ ! -x "$venv/bin/spark-submit" ]; then
  python3 -m venv "$venv" && "$venv/bin/pip" install -q pyspark==4.0.1
fi

rm -rf "$work" && mkdir -p "$work"
python3 Scripts/spark-corpus.py --events 200000 --out "$work/corpus"
programs=()
for policy in pinduoduo aliexpress; do
  "$policyc" build "Policies/$policy.policy" -o "$work/$policy.plp"
  programs+=(--program "$work/$policy.plp")
done

# The job reads files in the byte order of their names: give policyc the same order.
mapfile -t files < <(printf '%s\n' Examples/transcripts/*.jsonl "$work"/corpus/*.jsonl | LC_ALL=C sort)
status=0
"$policyc" eval "${programs[@]}" --as-of "$as_of" "${files[@]}" \
  >"$work/expected.verdicts" 2>"$work/expected.errors" || status=$?
if [ "$status" != 2 ] || [ ! -s "$work/expected.verdicts" ]; then
  echo "spark-check: policyc eval exited $status (expected 2: error lines) or wrote no verdict" >&2
  exit 1
fi

# Small splits, so every file is read as several blocks (line numbers across blocks are checked);
# a JVM tuned for a short run (C1 compiler only, serial GC: half the CPU of the defaults here).
PYSPARK_PYTHON="$venv/bin/python" "$venv/bin/spark-submit" --master 'local[2]' \
  --driver-java-options "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" --conf spark.log.level=WARN \
  --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false --conf spark.sql.files.maxPartitionBytes=2m \
  Examples/spark/policy_eval.py --policyc "$policyc" "${programs[@]}" --as-of "$as_of" \
  --events Examples/transcripts/*.jsonl "$work/corpus" --out "$work/out"

LC_ALL=C sort "$work/expected.verdicts" >"$work/expected.sorted"
# policyc reports lines refused by their conversation (conflicting shop or buyer) after the others,
# once the conversation's order is known: compare error lines by place, as the job writes them.
LC_ALL=C sort -s -t: -k1,1 -k2,2n "$work/expected.errors" >"$work/expected.errors.sorted"
mv "$work/expected.errors.sorted" "$work/expected.errors"
cat "$work"/out/verdicts/part-* | LC_ALL=C sort >"$work/actual.sorted"
cat "$work"/out/errors/part-* | LC_ALL=C sort -s -t: -k1,1 -k2,2n >"$work/actual.errors"
failed=0
for pair in "expected.sorted actual.sorted verdicts" "expected.errors actual.errors error lines"; do
  set -- $pair
  if cmp -s "$work/$1" "$work/$2"; then
    echo "spark-check: ${*:3} identical ($(wc -l <"$work/$1") lines)"
  else
    echo "spark-check: ${*:3} differ:" >&2
    diff "$work/$1" "$work/$2" | head -20 >&2
    failed=1
  fi
done
exit $failed
