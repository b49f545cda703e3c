#!/usr/bin/env bash
# Installs the package into a fresh virtual environment and runs its unittest suite against the
# library and policyc of one build, then the examples of docs/python.md (a batch, a session).
#
#   Bindings/python/run-tests.sh [debug|release]     (from anywhere; default debug)
#
# The install is offline when the base Python has setuptools and wheel, else pip fetches them.
set -euo pipefail
cd "$(dirname "$0")/../.."

configuration="${1:-debug}"
build="$PWD/.build/$configuration"
venv="$PWD/.build/python-venv"
scratch="$(mktemp -d)"
# setuptools builds in the source tree: leave nothing of it behind.
trap 'rm -rf "$scratch" Bindings/python/build Bindings/python/src/policylang.egg-info' EXIT

swift build -c "$configuration" --product policylang
swift build -c "$configuration" --product policyc

rm -rf "$venv"
if python3 -c "import setuptools, wheel" 2>/dev/null; then
  # Offline: the base Python's setuptools and wheel build the package.
  python3 -m venv --system-site-packages "$venv"
  "$venv/bin/pip" install --quiet --no-build-isolation ./Bindings/python
else
  # pip fetches setuptools to build it (the package itself depends on nothing).
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet ./Bindings/python
fi

export POLICYLANG_LIBRARY="$build/libpolicylang.so"
export POLICYC="$build/policyc"
(cd Bindings/python/tests && "$venv/bin/python" -m unittest)

python3 Scripts/doc-example.py docs/python.md python >"$scratch/example.py"
python3 Scripts/doc-example.py docs/python.md text output >"$scratch/expected.out"
"$venv/bin/python" "$scratch/example.py" Policies/pinduoduo.policy Examples/transcripts/quickstart.jsonl \
  >"$scratch/example.out"
diff -u "$scratch/expected.out" "$scratch/example.out"
echo "docs/python.md: the example prints what the page shows"

python3 Scripts/doc-example.py docs/python.md python --name session >"$scratch/session.py"
python3 Scripts/doc-example.py docs/python.md text output --name session >"$scratch/session-expected.out"
"$venv/bin/python" "$scratch/session.py" Policies/pinduoduo.policy Examples/transcripts/quickstart.jsonl \
  "$scratch/quickstart.state" 2026-11-21T00:00:00+08:00 >"$scratch/session.out"
diff -u "$scratch/session-expected.out" "$scratch/session.out"
echo "docs/python.md: the session example prints what the page shows"
