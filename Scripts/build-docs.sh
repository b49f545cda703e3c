#!/usr/bin/env bash
# Builds the library's DocC documentation with the toolchain's own `docc` (no package plugin):
# symbol graphs from `swift package dump-symbol-graph`, then `docc convert`. Output: .docc-build/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(swift package dump-symbol-graph --minimum-access-level public 2>&1 | tail -n 1)
dir=${out#Files written to }
graphs=$(mktemp -d)
trap 'rm -rf "$graphs"' EXIT
cp "$dir"/PolicyLang*.symbols.json "$graphs"/
docc convert Sources/PolicyLang/PolicyLang.docc \
  --fallback-display-name PolicyLang --fallback-bundle-identifier dev.policylang.PolicyLang \
  --additional-symbol-graph-dir "$graphs" --output-path .docc-build "$@"
