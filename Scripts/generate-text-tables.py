#!/usr/bin/env python3
"""Generate the text-normalization tables of PolicyLang.

Reads the Unicode Character Database (Debian package `unicode-data`, /usr/share/unicode) and
OpenCC's Traditional-to-Simplified character dictionary (Debian packages `libopencc-data` and
`opencc`, whose `opencc_dict` dumps the binary dictionary as text), and writes
Sources/PolicyLang/Text/Generated/GeneratedTextTables.swift.

Usage:
  Scripts/generate-text-tables.py          write the Swift file
  Scripts/generate-text-tables.py --check  regenerate in memory, compare byte for byte, exit 1
                                            on a difference

Output format (decoded once at first use by Text/Normalization/TextTables.swift):
- class runs: `len.class` pairs separated by `;` covering U+0000..U+10FFFF, `len` in hex;
- mapping tables: entries `delta:v1,v2,...` separated by `;`, `delta` the key minus the
  previous key (hex), values absolute (hex).
Packed text keeps the Swift build fast: a string literal, not array or dictionary literals.
"""

import os
import re
import subprocess
import sys
import tempfile

UCD = os.environ.get("UCD_DIR", "/usr/share/unicode")
OPENCC = os.environ.get("OPENCC_DIR", "/usr/share/opencc")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "Sources/PolicyLang/Text/Generated/GeneratedTextTables.swift")

# Scalar classes; the Swift decoder (ScalarClass) uses the same numbers.
UNASSIGNED, OTHER, INVISIBLE, SEPARATOR, IDEOGRAPHIC, LETTER, DIGIT, MARK = range(8)

# Punctuation that structures URLs, e-mail addresses and account tokens: never a separator.
# Full-width and ideographic forms are listed too for texts normalized without `nfkc`.
PROTECTED = set(map(ord, ".@/:_-#?&%")) | {
  0xFF0E, 0xFF20, 0xFF0F, 0xFF1A, 0xFF3F, 0xFF0D, 0xFF03, 0xFF1F, 0xFF06, 0xFF05,
  0x3002, 0xFF61,
}
IDEOGRAPHIC_SCRIPTS = {"Han", "Hiragana", "Katakana", "Bopomofo"}
HANGUL_S_BASE, HANGUL_S_COUNT = 0xAC00, 11172


def read_lines(name):
  with open(os.path.join(UCD, name), encoding="utf-8") as f:
    for line in f:
      line = line.split("#", 1)[0].strip()
      if line:
        yield [field.strip() for field in line.split(";")]


def code_range(text):
  if ".." in text:
    lo, hi = text.split("..")
    return range(int(lo, 16), int(hi, 16) + 1)
  return range(int(text, 16), int(text, 16) + 1)


def header_version(name):
  with open(os.path.join(UCD, name), encoding="utf-8") as f:
    match = re.search(r"-(\d+\.\d+\.\d+)\.txt", f.readline())
  return match.group(1) if match else "unknown"


def package_version(package):
  try:
    out = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()
  except (OSError, subprocess.CalledProcessError):
    return "unknown"


def load_unicode_data():
  records = {}
  first = None
  with open(os.path.join(UCD, "UnicodeData.txt"), encoding="utf-8") as f:
    for line in f:
      fields = line.rstrip("\n").split(";")
      cp = int(fields[0], 16)
      name = fields[1]
      if name.endswith(", First>"):
        first = cp
        continue
      if name.endswith(", Last>") and first is not None:
        for c in range(first, cp + 1):
          records[c] = (name, fields[2], int(fields[3]), "", fields[8])
        first = None
        continue
      records[cp] = (name, fields[2], int(fields[3]), fields[5], fields[8])
  return records


def build():
  data = load_unicode_data()
  ccc = {cp: r[2] for cp, r in data.items() if r[2] != 0}
  canonical, compat = {}, {}
  for cp, r in data.items():
    if not r[3]:
      continue
    parts = r[3].split()
    if parts[0].startswith("<"):
      compat[cp] = [int(p, 16) for p in parts[1:]]
    else:
      canonical[cp] = [int(p, 16) for p in parts]

  def nfkd(cp, memo={}):
    if cp in memo:
      return memo[cp]
    step = canonical.get(cp) or compat.get(cp)
    result = [cp] if step is None else [x for p in step for x in nfkd(p)]
    memo[cp] = result
    return result

  def reorder(seq):
    out = list(seq)
    i = 0
    while i < len(out):  # stable sort of each run of non-starters by combining class
      if ccc.get(out[i], 0) == 0:
        i += 1
        continue
      j = i
      while j < len(out) and ccc.get(out[j], 0) != 0:
        j += 1
      out[i:j] = sorted(out[i:j], key=lambda c: ccc.get(c, 0))
      i = j
    return out

  folding = {}
  for fields in read_lines("CaseFolding.txt"):
    if fields[1] in ("C", "F"):
      folding[int(fields[0], 16)] = [int(p, 16) for p in fields[2].split()]

  exclusions = set()
  for fields in read_lines("DerivedNormalizationProps.txt"):
    if fields[1] == "Full_Composition_Exclusion":
      exclusions.update(code_range(fields[0]))
  compose = {}
  for cp, parts in canonical.items():
    if len(parts) == 2 and cp not in exclusions:
      compose[(parts[0] << 21) | parts[1]] = [cp]

  def hangul(cp):
    return HANGUL_S_BASE <= cp < HANGUL_S_BASE + HANGUL_S_COUNT

  decomp_k = {}
  for cp in data:
    if hangul(cp):
      continue  # Hangul syllables stay composed; composition handles jamo algorithmically
    d = reorder(nfkd(cp))
    if d != [cp]:
      decomp_k[cp] = d

  def fold_fix(cp):
    seq = reorder(nfkd(cp))
    for _ in range(10):
      nxt = reorder([x for c in seq for f in folding.get(c, [c]) for x in nfkd(f)])
      if nxt == seq:
        break
      seq = nxt
    return seq

  decomp_kf = {}
  for cp in sorted(set(folding) | set(decomp_k)):
    if hangul(cp):
      continue
    d = fold_fix(cp)
    if d != decomp_k.get(cp, [cp]):
      decomp_kf[cp] = d

  digits = {}
  for cp, (name, gc, _, _, numeric) in data.items():
    if cp < 0x80 or not re.fullmatch(r"\d+", numeric or "x"):
      continue
    value = int(numeric)
    if gc == "Nd":
      digits[cp] = [ord(ch) for ch in str(value)]
    elif gc == "No" and value <= 50 and re.search(r"\b(DIGIT|NUMBER)\b", name) and re.search(
        r"CIRCLED|PARENTHESIZED|FULL STOP|COMMA", name):
      digits[cp] = [ord(ch) for ch in str(value)]

  scripts = {}
  for fields in read_lines("Scripts.txt"):
    for cp in code_range(fields[0]):
      scripts[cp] = fields[1]
  ignorable, white = set(), set()
  for fields in read_lines("DerivedCoreProperties.txt"):
    if fields[1] == "Default_Ignorable_Code_Point":
      ignorable.update(code_range(fields[0]))
  for fields in read_lines("PropList.txt"):
    if fields[1] == "White_Space":
      white.update(code_range(fields[0]))

  classes = bytearray(0x110000)
  for cp, r in data.items():
    gc = r[1]
    if cp in PROTECTED:
      cls = OTHER
    elif cp in ignorable:
      cls = INVISIBLE
    elif cp in white or gc[0] == "P" or gc in ("So", "Sk", "Me", "Cc"):
      cls = SEPARATOR
    elif gc[0] == "L" or gc == "Nl":
      cls = IDEOGRAPHIC if scripts.get(cp) in IDEOGRAPHIC_SCRIPTS else LETTER
    elif gc == "Nd":
      cls = DIGIT
    elif gc in ("Mn", "Mc"):
      cls = MARK
    else:
      cls = OTHER
    classes[cp] = cls
  for cp in ignorable:
    classes[cp] = INVISIBLE
  for cp in white:
    classes[cp] = SEPARATOR

  traditional = {}
  with tempfile.TemporaryDirectory() as tmp:
    dumped = os.path.join(tmp, "TSCharacters.txt")
    subprocess.run(["opencc_dict", "-i", os.path.join(OPENCC, "TSCharacters.ocd2"), "-o", dumped,
                    "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
    with open(dumped, encoding="utf-8") as f:
      for line in f:
        key, _, values = line.rstrip("\n").partition("\t")
        target = values.split(" ")[0] if values else ""
        if len(key) == 1 and len(target) == 1 and key != target:
          traditional[ord(key)] = [ord(target)]

  return {
    "classes": classes, "ccc": {cp: [v] for cp, v in ccc.items()}, "decompK": decomp_k,
    "decompKF": decomp_kf, "fold": folding, "compose": compose, "digits": digits,
    "simplified": traditional,
  }


def pack_runs(classes):
  out, start = [], 0
  for cp in range(1, 0x110001):
    if cp == 0x110000 or classes[cp] != classes[start]:
      out.append("%x.%d" % (cp - start, classes[start]))
      start = cp
  return ";".join(out)


def pack_map(table):
  out, previous = [], 0
  for key in sorted(table):
    out.append("%x:%s" % (key - previous, ",".join("%x" % v for v in table[key])))
    previous = key
  return ";".join(out)


def literal(name, text, doc):
  width = 100
  lines = [text[i:i + width] for i in range(0, len(text), width)] or [""]
  body = "\n".join("    " + line for line in lines)
  return '  /// %s\n  static let %s = """\n%s\n    """\n' % (doc, name, body)


def render():
  t = build()
  unicode_version = header_version("DerivedCoreProperties.txt")
  opencc_version = package_version("libopencc-data")
  parts = [
    "// Generated by Scripts/generate-text-tables.py; do not edit. Regenerate with the script.\n",
    "// Unicode Character Database %s (Debian unicode-data %s);\n" % (
      unicode_version, package_version("unicode-data")),
    "// OpenCC TSCharacters (Debian libopencc-data %s).\n" % opencc_version,
    "// swift-format-ignore-file\n\n",
    "/// Packed normalization tables, decoded once by `TextTables`.\n",
    "enum GeneratedTextTables {\n",
    "  /// The Unicode version the tables were built from.\n",
    '  static let unicodeVersion = "%s"\n' % unicode_version,
    "  /// The OpenCC data version of the Traditional-to-Simplified table.\n",
    '  static let openCCVersion = "%s"\n' % opencc_version,
    literal("classRuns", pack_runs(t["classes"]), "Scalar classes as runs `length.class`."),
    literal("canonicalCombiningClass", pack_map(t["ccc"]), "Non-zero canonical combining classes."),
    literal("compatibilityDecomposition", pack_map(t["decompK"]),
            "Full compatibility decomposition, canonically ordered (NFKD per scalar)."),
    literal("foldedDecomposition", pack_map(t["decompKF"]),
            "NFKD + full case folding to a fixpoint, where it differs from NFKD."),
    literal("caseFolding", pack_map(t["fold"]), "Full case folding (CaseFolding.txt C + F)."),
    literal("compositions", pack_map(t["compose"]),
            "Primary composites: key `first << 21 | second`."),
    literal("digitVariants", pack_map(t["digits"]), "Digit variants to ASCII digits."),
    literal("traditionalToSimplified", pack_map(t["simplified"]),
            "OpenCC's first Simplified candidate of each Traditional character."),
    "}\n",
  ]
  return "".join(parts)


def main():
  text = render()
  if "--check" in sys.argv[1:]:
    try:
      with open(OUTPUT, encoding="utf-8") as f:
        current = f.read()
    except OSError:
      current = None
    if current != text:
      print("generate-text-tables: %s is out of date" % OUTPUT, file=sys.stderr)
      return 1
    print("generate-text-tables: up to date")
    return 0
  os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
  with open(OUTPUT, "w", encoding="utf-8") as f:
    f.write(text)
  return 0


if __name__ == "__main__":
  sys.exit(main())
