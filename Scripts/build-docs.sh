#!/usr/bin/env bash
# Builds the library's DocC documentation with the toolchain's own `docc` (no package plugin). The
# library is several modules re-exported by `PolicyLang`, so its symbol graph is extracted with the
# layers allowed in (`-experimental-allowed-reexported-modules`): one module of documentation, the
# one users import. Output: .docc-build/.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --target PolicyLang >/dev/null
modules=$(swift build --show-bin-path)/Modules
triple=$(swift -print-target-info | python3 -c 'import json,sys; print(json.load(sys.stdin)["target"]["triple"])')
layers=$(swift package dump-package | python3 -c 'import json, sys
print(",".join(t["name"] for t in json.load(sys.stdin)["targets"]
               if (t.get("path") or "").startswith("Sources/PolicyLang/") and t["name"] != "PolicyLang"))')
graphs=$(mktemp -d)
trap 'rm -rf "$graphs"' EXIT
swift-symbolgraph-extract -module-name PolicyLang -I "$modules" -target "$triple" -output-dir "$graphs" \
  -minimum-access-level public -experimental-allowed-reexported-modules="$layers"
docc convert Sources/PolicyLang/API/PolicyLang.docc \
  --fallback-display-name PolicyLang --fallback-bundle-identifier dev.policylang.PolicyLang \
  --additional-symbol-graph-dir "$graphs" --output-path .docc-build "$@"
