#!/usr/bin/env bash
# The C API's and the Python package's costs against the Swift API and policyc (release builds):
#
#   Benchmarks/bindings-bench.sh [EVENTS] [RUNS]       (defaults: 1000000 events, 5 runs)
#   Benchmarks/bindings-bench.sh --instructions [EVENTS]   (callgrind; default 50000 events)
#
# policy-bench writes its corpus (grouped.jsonl) and prints the Swift API's row for one message;
# capi_bench (Benchmarks/CAPI/capi_bench.c) prints the C API's rows (a session's on the corpus in
# time order, time-ordered.jsonl); Benchmarks/python/bench.py the Python package's, against
# `policyc eval --grouped --jobs 1`. With --instructions, the C and Swift one-message rows are
# counted in instructions under callgrind instead: each program runs with 1 and with 2 passes, and
# the difference is one pass, free of the shared machine's noise.
# docs/benchmarks.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

instructions=false
if [ "${1:-}" = "--instructions" ]; then
  instructions=true
  shift
fi
events="${1:-$($instructions && echo 50000 || echo 1000000)}"
runs="${2:-5}"
policy=Policies/pinduoduo.policy
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT

swift build -c release --product policylang
swift build -c release --product policyc
swift build -c release --product policy-bench

"${CC:-cc}" -std=c99 -O2 -Wall -Wextra -I Sources/PolicyLang/CAPI/include Benchmarks/CAPI/capi_bench.c \
  -L .build/release -lpolicylang -Wl,-rpath,"$PWD/.build/release" -o "$corpus/capi_bench"

# The instructions of one run of a command under callgrind.
instructions_of() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

if $instructions; then
  .build/release/policy-bench --events "$events" --runs 1 --only none --keep "$corpus" >/dev/null
  lines=$(grep -c . "$corpus/grouped.jsonl")
  swift1=$(instructions_of .build/release/policy-bench --events "$events" --runs 1 --only message)
  swift2=$(instructions_of .build/release/policy-bench --events "$events" --runs 2 --only message)
  c1=$(instructions_of "$corpus/capi_bench" "$policy" "$corpus/grouped.jsonl" 1 message)
  c2=$(instructions_of "$corpus/capi_bench" "$policy" "$corpus/grouped.jsonl" 2 message)
  echo "instructions per message, one pass over $lines events:"
  echo "  Swift API (decode + evaluate(message:) + verdict JSON): $(((swift2 - swift1) / lines))"
  echo "  C API (plc_policy_check_message):                       $(((c2 - c1) / lines))"
  echo "  C / Swift: $(awk "BEGIN { printf \"%.3f\", ($c2 - $c1) / ($swift2 - $swift1) }")x"
  exit 0
fi

echo "== Swift API (policy-bench --only message)"
.build/release/policy-bench --events "$events" --runs "$runs" --only message --keep "$corpus"
echo
echo "== C API"
"$corpus/capi_bench" "$policy" "$corpus/grouped.jsonl" "$runs"
# A session takes a live feed: the same events in time order, as policyc monitor would read them.
"$corpus/capi_bench" "$policy" "$corpus/time-ordered.jsonl" "$runs" session | tail -n 1
echo
echo "== Swift API again (the machine is shared: the two rows are compared run against run)"
.build/release/policy-bench --events "$events" --runs "$runs" --only message --keep "$corpus" | grep -A1 "one message"
echo
echo "== Python package"
POLICYLANG_LIBRARY="$PWD/.build/release/libpolicylang.so" PYTHONPATH="$PWD/Bindings/python/src" \
  python3 Benchmarks/python/bench.py .build/release/policyc "$policy" "$corpus/grouped.jsonl" "$runs"
