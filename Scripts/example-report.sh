#!/usr/bin/env bash
# Writes the report of the example transcripts: each Examples/transcripts/*.jsonl evaluated with
# its policy (Examples/transcripts/README.md), the verdicts concatenated, and `policyc report`
# over them with both policies and every transcript as events.
#
#   Scripts/example-report.sh OUTDIR [POLICYC]     (POLICYC defaults to .build/debug/policyc)
#
# Leaves OUTDIR/verdicts.jsonl and OUTDIR/report.html. `Scripts/check-report.py` opens the page
# in headless Chromium; with `--screenshot docs/report.png` it renews the README's picture.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: Scripts/example-report.sh OUTDIR [POLICYC]}
policyc=${2:-.build/debug/policyc}
as_of=2026-12-31T00:00:00+08:00
mkdir -p "$out"
: >"$out/verdicts.jsonl"
events=()
for transcript in Examples/transcripts/*.jsonl; do
  case "$(basename "$transcript")" in
    aliexpress*) policy=aliexpress ;;
    *) policy=pinduoduo ;;
  esac
  "$policyc" eval --policy "Policies/$policy.policy" --as-of "$as_of" "$transcript" >>"$out/verdicts.jsonl"
  events+=(--events "$transcript")
done
"$policyc" report "$out/verdicts.jsonl" --policy Policies/pinduoduo.policy --policy Policies/aliexpress.policy \
  "${events[@]}" --lang "${REPORT_LANG:-en}" -o "$out/report.html"
echo "example-report: $(wc -l <"$out/verdicts.jsonl") verdicts, $out/report.html"
