#!/usr/bin/env bash
# Checks `policyc lsp` with a real client: headless Neovim (0.7 or later) opens a copy of a
# shipped policy with a misspelt list name and a misaligned line, waits for the diagnostic,
# checks its line and code, fixes it, formats the buffer and compares it with `policyc fmt`.
# Usage: Scripts/nvim-lsp-test.sh [POLICYC]   (default: .build/debug/policyc)
set -euo pipefail
cd "$(dirname "$0")/.."
policyc="$(realpath "${1:-.build/debug/policyc}")"
command -v nvim >/dev/null || { echo "nvim-lsp-test: nvim is not installed" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -R Policies "$work/"
policy="$work/Policies/pinduoduo.policy"
# The mistake: `contact_app` for `contact_apps` (E0301); a line out of the canonical layout.
sed -i 's/contains any contact_apps near/contains any contact_app near/' "$policy"
sed -i 's/^const reply_limit = 60m/const   reply_limit=60m/' "$policy"
line="$(grep -n 'contains any contact_app near' "$policy" | head -1 | cut -d: -f1)"
[ -n "$line" ] || { echo "nvim-lsp-test: the shipped policy no longer holds the line to break" >&2; exit 1; }
# What formatting must give once the name is fixed.
sed 's/contains any contact_app near/contains any contact_apps near/' "$policy" >"$work/fixed.policy"
cp "$work/fixed.policy" "$work/Policies/fixed.policy"
"$policyc" fmt "$work/Policies/fixed.policy" >"$work/formatted.policy"

POLICYC="$policyc" POLICY_FILE="$policy" EXPECTED_LINE="$line" EXPECTED_CODE=E0301 \
  WRONG_NAME=contact_app RIGHT_NAME=contact_apps FORMATTED_FILE="$work/formatted.policy" \
  timeout 120 nvim --headless --clean -u NONE -i NONE -n -c "luafile Editors/nvim/ci-test.lua"
