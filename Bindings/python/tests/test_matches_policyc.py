"""The package's verdicts, error lines, accounting and status against a live `policyc eval`: on
every example transcript, and on every case of policyc's own golden eval tests but the ones that
read standard input."""

from __future__ import annotations

import json
import unittest
from typing import Any, Dict, List, Tuple

import policylang
from support import ALIEXPRESS, PINDUODUO, ROOT, TRANSCRIPTS, in_root, policyc

# The policies each transcript is meant for (Examples/transcripts/README.md).
TRANSCRIPT_POLICIES = {
    "quickstart.jsonl": ["Policies/pinduoduo.policy"],
    "pinduoduo.jsonl": ["Policies/pinduoduo.policy", "Policies/aliexpress.policy"],
    "aliexpress.jsonl": ["Policies/pinduoduo.policy", "Policies/aliexpress.policy"],
    "pinduoduo-busy-day.jsonl": ["Policies/pinduoduo.policy"],
}

# policyc options and the package's keyword arguments for them (as of the README's time when
# they give none).
RUNS: List[Tuple[List[str], Dict[str, Any]]] = [
    ([], {}),  # one job per core, as policyc's default
    (["--grouped", "--jobs", "1"], {"grouped": True, "jobs": 1}),
    (["--pending", "--as-of", "2026-11-25T12:00:00+08:00"], {"pending": True, "as_of": "2026-11-25T12:00:00+08:00"}),
]
AS_OF = "2026-12-31T00:00:00+08:00"


class Comparison(unittest.TestCase):
    def assert_same(self, got: policylang.Evaluation, status: int, out: bytes, err: bytes) -> None:
        """Everything `policyc eval --stats` wrote, byte for byte, and the verdicts as dicts."""
        self.assertEqual(got.status, status)
        self.assertEqual(got.jsonl, out)
        self.assertEqual("".join(line + "\n" for line in got.errors) + got.stats.text, err.decode("utf-8"))
        self.assertEqual(list(got), [json.loads(line) for line in out.splitlines()])
        self.assertEqual(got.stats.verdicts_written, len(got))
        self.assertEqual(
            got.stats.lines_read,
            got.stats.blank_lines_skipped + got.stats.events_evaluated + got.stats.error_lines,
        )
        self.assertEqual(sum(got.stats.rejected.values()), got.stats.error_lines)


class TranscriptTests(Comparison):
    def test_every_transcript_has_its_policies(self) -> None:
        self.assertEqual(sorted(p.name for p in TRANSCRIPTS.glob("*.jsonl")), sorted(TRANSCRIPT_POLICIES))

    def test_transcripts_give_what_policyc_gives(self) -> None:
        loaded = {str(PINDUODUO.relative_to(ROOT)): policylang.Policy.load(PINDUODUO),
                  str(ALIEXPRESS.relative_to(ROOT)): policylang.Policy.load(ALIEXPRESS)}
        for name, policy_paths in sorted(TRANSCRIPT_POLICIES.items()):
            relative = f"Examples/transcripts/{name}"
            events = (ROOT / relative).read_bytes()
            policies = [loaded[path] for path in policy_paths]
            for extra, options in RUNS:
                with self.subTest(transcript=name, options=extra):
                    kwargs: Dict[str, Any] = {"as_of": AS_OF, "source_name": relative}
                    kwargs.update(options)
                    arguments = ["eval", "--stats"]
                    for path in policy_paths:
                        arguments += ["--policy", path]
                    if "--as-of" not in extra:
                        arguments += ["--as-of", AS_OF]
                    status, out, err = policyc(arguments + extra + [relative])
                    got = policylang.evaluate(policies, events, **kwargs)
                    self.assert_same(got, status, out, err)
                    del kwargs["source_name"]
                    with in_root():
                        by_path = policylang.evaluate_files(policies, relative, **kwargs)
                    self.assert_same(by_path, status, out, err)
                    if len(policies) == 1:
                        self.assertEqual(got, policies[0].evaluate(events, **kwargs))

    def test_events_as_dicts_and_strings_give_the_same_verdicts(self) -> None:
        policy = policylang.Policy.load(PINDUODUO)
        text = (TRANSCRIPTS / "pinduoduo-busy-day.jsonl").read_text(encoding="utf-8")
        as_of = AS_OF
        whole = policy.evaluate(text, as_of=as_of)
        self.assertGreater(len(whole), 30)
        as_dicts = policy.evaluate([json.loads(line) for line in text.splitlines()], as_of=as_of)
        as_strings = policy.evaluate(text.splitlines(), as_of=as_of)
        self.assertEqual(whole, as_dicts)
        self.assertEqual(whole.jsonl, as_strings.jsonl)


def byte_count(text: str) -> int:
    """`policyc`'s byte counts: digits with an optional K, M or G."""
    scale = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:].upper(), 1)
    digits = text[:-1] if scale > 1 else text
    if not digits.isdigit():
        raise ValueError(f"not a byte count: {text}")
    return int(digits) * scale


class GoldenEvalCaseTests(Comparison):
    CASES = ROOT / "Tests" / "policycTests" / "testdata" / "eval"
    loaded: Dict[Tuple[str, str], policylang.Policy] = {}

    def load(self, kind: str, path: str) -> policylang.Policy:
        """Each policy or program once: most cases share the shipped policies."""
        if (kind, path) not in self.loaded:
            load = policylang.Policy.load if kind == "--policy" else policylang.Policy.from_program
            self.loaded[(kind, path)] = load(ROOT / path)
        return self.loaded[(kind, path)]

    def test_golden_cases_give_what_policyc_gives(self) -> None:
        compared = 0
        for case in sorted(self.CASES.iterdir()):
            arguments = [line.replace("$CASE", str(case.relative_to(ROOT)))
                         for line in (case / "args").read_text(encoding="utf-8").splitlines()]
            with self.subTest(case=case.name):
                if self.compare(arguments):
                    compared += 1
        self.assertGreaterEqual(compared, 23)  # every case but the two that read standard input

    def compare(self, arguments: List[str]) -> bool:
        """Compares one case, by path and (one file) in memory; False when it reads standard input."""
        policies: List[Any] = []
        kwargs: Dict[str, Any] = {}
        files: List[str] = []
        flags = {"--pending": "pending", "--strict": "strict", "--grouped": "grouped",
                 "--fail-on-violation": "fail_on_violation"}
        i = 0
        while i < len(arguments):
            a = arguments[i]
            value = arguments[i + 1] if i + 1 < len(arguments) else ""
            if a in ("--policy", "--program"):
                policies.append((a, value))
                i += 1
            elif a == "--as-of":
                kwargs["as_of"] = value
                i += 1
            elif a in ("--jobs", "--max-line", "--memory-limit"):
                kwargs[a[2:].replace("-", "_")] = value
                i += 1
            elif a in flags:
                kwargs[flags[a]] = True
            elif a != "--stats":
                files.append(a)
            i += 1
        if not files or "-" in files:
            return False
        status, out, err = policyc(["eval", "--stats", *arguments])
        try:
            for name in ("jobs", "max_line", "memory_limit"):
                if name in kwargs:
                    kwargs[name] = byte_count(kwargs[name])
            loaded = [self.load(kind, path) for kind, path in policies]
            with in_root():
                by_path = policylang.evaluate_files(loaded, files, **kwargs)
        except policylang.PolicyLangError as error:  # the policy, the program or an input file
            self.assertEqual(error.status, status)
            return True
        except ValueError:  # a bad option: policyc's usage error
            self.assertEqual(status, 64)
            return True
        self.assert_same(by_path, status, out, err)
        if len(files) == 1:
            in_memory = policylang.evaluate(loaded, (ROOT / files[0]).read_bytes(), source_name=files[0], **kwargs)
            self.assert_same(in_memory, status, out, err)
        return True

if __name__ == "__main__":
    unittest.main()
