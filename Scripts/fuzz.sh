#!/usr/bin/env bash
# Builds the one libFuzzer binary and runs fuzz targets.
#   Scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default: 60 seconds, every target)
# Seeds come from the repository (policies, examples, golden inputs); findings are written to
# fuzz-out/<target>/ and make the script exit 1. Turn each one into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=($(sed -n 's/^  case \([a-z]*\)$/\1/p' Fuzz/FuzzTargets.swift))
fi

# A build folder of its own: every module is compiled with the sanitizers' instrumentation.
mkdir -p .build/fuzz
echo "building policylang-fuzz"
swift build --scratch-path .build-fuzz --product policylang-fuzz --sanitize fuzzer --sanitize address \
  -Xswiftc -DFUZZING >.build/fuzz/build.log 2>&1 || { tail -n 40 .build/fuzz/build.log; exit 1; }
bin=.build-fuzz/debug/policylang-fuzz

seed_dir() {
  local target=$1 dir=.build/fuzz/seeds-$1
  rm -rf "$dir" && mkdir -p "$dir"
  case $target in
    events) split -l 1 -a 4 <(cat Examples/transcripts/*.jsonl) "$dir/line-" ;;
    normalize) split -l 1 -a 4 <(sed -n 's/.*"text":"\([^"]*\)".*/\1/p' Examples/transcripts/*.jsonl) "$dir/text-" ;;
    lsp)
      printf '%s' '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///fuzz.policy","version":2},"contentChanges":[{"range":{"start":{"line":8,"character":27},"end":{"line":8,"character":29}},"text":"apps 😀"}]}}' >"$dir/change"
      printf '%s' '{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///fuzz.policy"},"position":{"line":4,"character":7}}}' >"$dir/hover"
      printf 'Content-Length: 2\r\n\r\n{}Content-Length: 5\r\n\r\n[1,2]' >"$dir/frames" ;;
    program)
      swift build --product policyc >/dev/null
      for p in Policies/*.policy Policies/examples/*.policy; do
        .build/debug/policyc build "$p" -o "$dir/$(basename "$p" .policy).plp" >/dev/null
      done ;;
    *) cp Policies/*.policy Policies/common/*.policy Policies/examples/*.policy "$dir/" 2>/dev/null || true
       find Tests -name '*.policy' -exec cp {} "$dir/" \; ;;
  esac
  if [ "$target" = check ]; then
    # Ways out of the target's root (see FuzzCheck in Fuzz/FuzzTargets.swift), each a seed.
    local head=$'policy p {\n  zone UTC\n}\nclause C-1 "x" content\nseverity minor sanction "w"\n'
    local rule=$'rule r "r" {\n  clause C-1\n  severity minor\n  when message contains any x\n}\n'
    local n=0
    for path in ../secret.txt out-link.txt out-dir/secret.txt abs-link.txt climb.txt in-link.txt \
        sub/up.txt words.txt /etc/passwd; do
      n=$((n + 1))
      printf '%simport "%s"\n' "$head" "$path" >"$dir/escape-import-$n.policy"
      printf '%sterms x = file "%s"\n%s' "$head" "$path" "$rule" >"$dir/escape-list-$n.policy"
    done
  fi
  echo "$dir"
}

status=0
for target in "${targets[@]}"; do
  corpus=.build/fuzz/corpus-$target
  out=fuzz-out/$target
  mkdir -p "$corpus" "$out"
  seeds=$(seed_dir "$target")
  echo "== fuzz $target for ${seconds}s"
  dict=()
  if [ -f "Fuzz/$target.dict" ]; then dict=(-dict="Fuzz/$target.dict"); fi
  if ! POLICYLANG_FUZZ_TARGET=$target "$bin" "$corpus" "$seeds" "${dict[@]}" -max_total_time="$seconds" \
      -max_len=65536 -timeout=30 -rss_limit_mb=4096 -artifact_prefix="$out/" -print_final_stats=1 \
      >".build/fuzz/$target.log" 2>&1; then
    echo "fuzz $target: FINDING (see $out/ and .build/fuzz/$target.log)"
    tail -n 40 ".build/fuzz/$target.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" ".build/fuzz/$target.log" | tail -n 2
  fi
done
exit $status
