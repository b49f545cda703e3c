#!/usr/bin/env bash
# Builds the C API's shared library and runs Tests/CAPI/capi_test.c against it under
# AddressSanitizer, then compiles and runs the examples of docs/c-api.md (a batch, a session) the
# same way.
#
#   Tests/CAPI/run.sh [debug|release]     (from anywhere; default debug)
#
# CC picks the compiler (default: cc). Nothing of ASan is turned off: the Swift runtime's own
# caches stay reachable, so LeakSanitizer reports only what a caller (or the library) leaks.
set -euo pipefail
cd "$(dirname "$0")/../.."

configuration="${1:-debug}"
cc="${CC:-cc}"
build=".build/$configuration"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

swift build -c "$configuration" --product policylang
swift build -c "$configuration" --product policyc

flags=(-std=c99 -Wall -Wextra -pedantic -Werror -g -fsanitize=address -fno-omit-frame-pointer
  -I Sources/PolicyLang/CAPI/include)
link=(-L "$build" -lpolicylang -Wl,-rpath,"$PWD/$build" -pthread)

# Every function the header declares is called by the test.
for function in $(grep -E '^[a-z]' Sources/PolicyLang/CAPI/include/policylang.h | grep -oE 'plc_[a-z_]+\(' |
  tr -d '('); do
  grep -q "$function(" Tests/CAPI/capi_test.c || { echo "capi_test.c never calls $function" >&2; exit 1; }
done

"$cc" "${flags[@]}" Tests/CAPI/capi_test.c "${link[@]}" -o "$scratch/capi_test"
"$scratch/capi_test" "$build/policyc" "$scratch"

python3 Scripts/doc-example.py docs/c-api.md c >"$scratch/example.c"
python3 Scripts/doc-example.py docs/c-api.md text output >"$scratch/expected.out"
"$cc" "${flags[@]}" "$scratch/example.c" "${link[@]}" -o "$scratch/example"
"$scratch/example" Policies/pinduoduo.policy Examples/transcripts/quickstart.jsonl >"$scratch/example.out"
diff -u "$scratch/expected.out" "$scratch/example.out"
echo "docs/c-api.md: the example prints what the page shows"

python3 Scripts/doc-example.py docs/c-api.md c --name session >"$scratch/session.c"
python3 Scripts/doc-example.py docs/c-api.md text output --name session >"$scratch/session-expected.out"
"$cc" "${flags[@]}" "$scratch/session.c" "${link[@]}" -o "$scratch/session"
"$scratch/session" Policies/pinduoduo.policy Examples/transcripts/quickstart.jsonl "$scratch/quickstart.state" \
  2026-11-21T00:00:00+08:00 >"$scratch/session.out"
diff -u "$scratch/session-expected.out" "$scratch/session.out"
echo "docs/c-api.md: the session example prints what the page shows"
