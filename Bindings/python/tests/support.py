"""Paths and the `policyc` runner the tests share.

The tests run against the installed `policylang` package and the library POLICYLANG_LIBRARY
names; `policyc` (POLICYC, default .build/debug/policyc) is what their output is compared with.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path
from typing import Iterator, List, Tuple

ROOT = Path(__file__).resolve().parents[3]
POLICYC = os.environ.get("POLICYC", str(ROOT / ".build" / "debug" / "policyc"))
TRANSCRIPTS = ROOT / "Examples" / "transcripts"
PINDUODUO = ROOT / "Policies" / "pinduoduo.policy"
ALIEXPRESS = ROOT / "Policies" / "aliexpress.policy"


def policyc(arguments: List[str]) -> Tuple[int, bytes, bytes]:
    """Runs `policyc ARGUMENTS` from the repository root: (exit status, stdout, stderr)."""
    run = subprocess.run([POLICYC, *arguments], cwd=ROOT, capture_output=True, check=False)
    return run.returncode, run.stdout, run.stderr


@contextlib.contextmanager
def in_root() -> Iterator[None]:
    """Runs the block from the repository root, so relative paths name files as policyc sees them."""
    previous = os.getcwd()
    os.chdir(ROOT)
    try:
        yield
    finally:
        os.chdir(previous)


MINI_POLICY = """policy mini "Mini" {
  source "mini.txt" dated 2026-01-01
  zone   Asia/Shanghai
}

clause M-1 "No insults" content

severity major "Major" sanction "points"

terms insults = ["stupid" | "笨蛋"]

rule no_insults "No insults" {
  clause   M-1
  severity major
  when message from seller and contains any insults
}
"""

WECHAT = {
    "conversation": "c-1",
    "shop": "s-1",
    "at": "2026-11-20T10:07:00+08:00",
    "from": "seller",
    "agent": "kefu-3",
    "text": "加我薇信 abc_123",
}
