#!/usr/bin/env python3
"""Print the tested example of a documentation page, so CI compiles or runs exactly what it shows.

    python3 Scripts/doc-example.py docs/c-api.md c              > example.c
    python3 Scripts/doc-example.py docs/python.md python        > example.py
    python3 Scripts/doc-example.py docs/python.md text output   > expected.txt
    python3 Scripts/doc-example.py docs/c-api.md c --name session    > session.c

The example is the fenced code block of the given language that directly follows the line
`<!-- tested example -->` (blank lines between them are allowed); with `output`, the block after
`<!-- tested output -->`, which CI compares with what the example prints. A page must have exactly
one of each it is asked for; otherwise this exits 1 saying why, so a renamed or duplicated block
cannot go untested. With `--name NAME`, the markers are `<!-- tested example: NAME -->` and
`<!-- tested output: NAME -->` instead: a page may have one example of each name.
"""

import sys


def example(text: str, language: str, marker: str = "<!-- tested example -->") -> str:
    lines = text.split("\n")
    found = []
    for i, line in enumerate(lines):
        if line.strip() != marker:
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j >= len(lines) or lines[j].strip() != "```" + language:
            raise ValueError(f"line {i + 1}: {marker} is not followed by a ```{language} block")
        end = j + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        if end >= len(lines):
            raise ValueError(f"line {j + 1}: the ```{language} block is never closed")
        found.append("\n".join(lines[j + 1 : end]) + "\n")
    if len(found) != 1:
        raise ValueError(f"expected one {marker} block, found {len(found)}")
    return found[0]


def main() -> int:
    arguments = sys.argv[1:]
    name = None
    if len(arguments) >= 2 and arguments[-2] == "--name":
        name = arguments[-1]
        arguments = arguments[:-2]
    if len(arguments) not in (2, 3) or arguments[2:] not in ([], ["output"]):
        print("usage: doc-example.py PAGE.md LANGUAGE [output] [--name NAME]", file=sys.stderr)
        return 64
    path, language = arguments[0], arguments[1]
    kind = "output" if arguments[2:] == ["output"] else "example"
    marker = f"<!-- tested {kind}: {name} -->" if name else f"<!-- tested {kind} -->"
    try:
        with open(path, encoding="utf-8") as f:
            sys.stdout.write(example(f.read(), language, marker))
    except (OSError, ValueError) as error:
        print(f"{path}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
