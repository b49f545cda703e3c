#!/usr/bin/env bash
# What one long text line costs `policyc eval` (issue 16): peak RSS and wall time of one event
# whose text is about SIZE bytes of Chinese, in three shapes:
#
#   one     the filler with one banned term (`去淘宝`, platform_diversion) near its end
#   many    the banned term after every filler (every 99 bytes: about SIZE/99 matches)
#   none    the filler alone (no rule holds)
#   ascii   English filler with the one term near its end (one scalar a byte: the costs per
#           character weigh three times as much against the line's size)
#
#   Benchmarks/long-line.sh [SIZE] [RUNS] [POLICYC]
#
# Defaults: SIZE 16000000 bytes (under the default --max-line of 16 MiB), 3 runs, the release
# build (.build/release/policyc, built unless POLICYC is given). Prints, per shape, the median
# (and every run's) peak RSS from `/usr/bin/time -f %M` and wall time, the RSS as a multiple of
# the line's size, and the verdicts' count and digest (so two builds can be compared: the digest
# must not change). With LONG_LINE_KEEP=DIR, each shape's verdicts are kept in DIR/SHAPE.out
# for a byte comparison between builds. docs/benchmarks.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

size="${1:-16000000}"
runs="${2:-3}"
policyc="${3:-}"
policy=Policies/pinduoduo.policy
if [ -z "$policyc" ]; then
  swift build -c release --product policyc >&2
  policyc=.build/release/policyc
fi
if [ ! -x /usr/bin/time ]; then
  echo "long-line.sh: needs GNU time (/usr/bin/time; apt-get install time)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One JSONL event per shape: a seller's message in a conversation of its own.
python3 - "$size" "$work" <<'EOF'
import json, sys
size, out = int(sys.argv[1]), sys.argv[2]
term = "去淘宝"
def text(shape):
    # Shop talk that no list, detector or pattern of pinduoduo.policy matches.
    filler = ("the colour is light blue and the size runs large, please pick one smaller "
              if shape == "ascii" else "这件衣服的颜色是浅蓝色尺码偏大一点建议您选小一号面料是纯棉的")
    unit = filler + (term if shape == "many" else "")
    n = max(1, size // len(unit.encode()))
    body = unit * n
    if shape in ("one", "ascii"):
        body = filler * (n - 1) + term + filler
    return body
for shape in ("one", "many", "none", "ascii"):
    event = {"conversation": "long-" + shape, "platform": "pinduoduo", "shop": "s-1",
             "at": "2026-11-25T10:00:00+08:00", "from": "seller", "agent": "kefu-1",
             "text": text(shape)}
    with open(f"{out}/{shape}.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps(event, ensure_ascii=False) + "\n")
EOF

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-5s %10s %12s %8s %10s %9s %s\n' shape "line MB" "peak RSS MB" "x line" "wall s" verdicts "digest (runs: RSS MB / s)"
for shape in one many none ascii; do
  file="$work/$shape.jsonl"
  bytes=$(stat -c %s "$file")
  rss=()
  wall=()
  for _ in $(seq "$runs"); do
    # Exit 1 means verdicts: that is expected for `one` and `many`.
    /usr/bin/time -f '%M %e' -o "$work/time" "$policyc" eval --policy "$policy" "$file" \
      >"$work/out" 2>"$work/err" || [ $? -eq 1 ]
    read -r kb seconds <"$work/time"
    rss+=("$((kb / 1024))")
    wall+=("$seconds")
  done
  verdicts=$(wc -l <"$work/out")
  digest=$(sha256sum <"$work/out" | cut -c1-12)
  rss_median=$(printf '%s\n' "${rss[@]}" | median)
  wall_median=$(printf '%s\n' "${wall[@]}" | median)
  ratio=$(awk -v r="$rss_median" -v b="$bytes" 'BEGIN { printf "%.1f", r * 1048576 / b }')
  runs_text=""
  for i in "${!rss[@]}"; do runs_text+=" ${rss[$i]}/${wall[$i]}"; done
  printf '%-5s %10.1f %12s %8s %10s %9s %s\n' "$shape" "$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')" \
    "$rss_median" "$ratio" "$wall_median" "$verdicts" "$digest ($runs_text )"
  if [ -n "${LONG_LINE_KEEP:-}" ]; then
    mkdir -p "$LONG_LINE_KEEP"
    cp "$work/out" "$LONG_LINE_KEEP/$shape.out"
  fi
  if [ -s "$work/err" ]; then sed 's/^/  stderr: /' "$work/err" | head -3; fi
done
