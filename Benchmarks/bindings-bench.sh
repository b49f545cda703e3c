#!/usr/bin/env bash
# The C API's and the Python package's costs against the Swift API and policyc (release builds):
#
#   Benchmarks/bindings-bench.sh [EVENTS] [RUNS]     (defaults: 1000000 events, 5 runs)
#
# policy-bench writes its corpus (grouped.jsonl) and prints the Swift API's row for one message;
# capi_bench (Benchmarks/CAPI/capi_bench.c) prints the C API's rows; Benchmarks/python/bench.py
# the Python package's, against `policyc eval --grouped --jobs 1`. docs/benchmarks.md records them.
set -euo pipefail
cd "$(dirname "$0")/.."

events="${1:-1000000}"
runs="${2:-5}"
policy=Policies/pinduoduo.policy
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT

swift build -c release --product policylang
swift build -c release --product policyc
swift build -c release --product policy-bench

"${CC:-cc}" -std=c99 -O2 -Wall -Wextra -I Sources/PolicyLang/CAPI/include Benchmarks/CAPI/capi_bench.c \
  -L .build/release -lpolicylang -Wl,-rpath,"$PWD/.build/release" -o "$corpus/capi_bench"

echo "== Swift API (policy-bench --only message)"
.build/release/policy-bench --events "$events" --runs "$runs" --only message --keep "$corpus"
echo
echo "== C API"
"$corpus/capi_bench" "$policy" "$corpus/grouped.jsonl" "$runs"
echo
echo "== Swift API again (the machine is shared: the two rows are compared run against run)"
.build/release/policy-bench --events "$events" --runs "$runs" --only message --keep "$corpus" | grep -A1 "one message"
echo
echo "== Python package"
POLICYLANG_LIBRARY="$PWD/.build/release/libpolicylang.so" PYTHONPATH="$PWD/Bindings/python/src" \
  python3 Benchmarks/python/bench.py .build/release/policyc "$policy" "$corpus/grouped.jsonl" "$runs"
