#!/usr/bin/env bash
# Builds the library's DocC documentation with the toolchain's own `docc` (no package plugin):
# symbol graphs from the compiler, then `docc convert`. Output: .docc-build/.
set -euo pipefail
cd "$(dirname "$0")/.."
graphs=.build/symbol-graphs
rm -rf "$graphs" && mkdir -p "$graphs"
swift build --target PolicyLang -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir \
  -Xswiftc "$graphs" >/dev/null
docc convert Sources/PolicyLang/PolicyLang.docc \
  --fallback-display-name PolicyLang --fallback-bundle-identifier dev.policylang.PolicyLang \
  --additional-symbol-graph-dir "$graphs" --output-path .docc-build "$@"
