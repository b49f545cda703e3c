"""What goes wrong, and what the exceptions carry: diagnostics, reasons, statuses."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Any, Dict, List, Tuple

import policylang
from support import MINI_POLICY, PINDUODUO, WECHAT


class PolicyErrorTests(unittest.TestCase):
    def test_a_wrong_name_gives_a_diagnostic_with_its_place_and_hint(self) -> None:
        text = MINI_POLICY + 'terms insult += ["idiot"]\n'
        with self.assertRaises(policylang.PolicyError) as caught:
            policylang.Policy.from_source(text, name="inline.policy")
        error = caught.exception
        self.assertEqual(error.status, 65)
        self.assertIn("error[E0304]", str(error))
        self.assertIn("--> inline.policy:17:7", error.message)
        [diagnostic] = error.diagnostics
        self.assertEqual(
            (diagnostic.code, diagnostic.severity, diagnostic.file, diagnostic.line, diagnostic.column),
            ("E0304", "error", "inline.policy", 17, 7),
        )
        self.assertEqual(diagnostic.help, "did you mean `insults`?")
        self.assertIn("insult", diagnostic.message)

    def test_a_file_with_errors_names_itself(self) -> None:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "broken.policy"
            path.write_text(MINI_POLICY.replace("Asia/Shanghai", "Mars/Base"), encoding="utf-8")
            with self.assertRaises(policylang.PolicyError) as caught:
                policylang.Policy.load(path)
        self.assertEqual(caught.exception.status, 65)
        self.assertTrue(all(d.file == str(path) for d in caught.exception.diagnostics))
        self.assertEqual(caught.exception.diagnostics[0].line, 3)

    def test_a_missing_policy_is_status_66(self) -> None:
        with self.assertRaises(policylang.PolicyError) as caught:
            policylang.Policy.load("no/such.policy")
        self.assertEqual(caught.exception.status, 66)
        [diagnostic] = caught.exception.diagnostics
        self.assertEqual((diagnostic.code, diagnostic.file, diagnostic.line), ("E0001", None, None))

    def test_invalid_and_missing_programs(self) -> None:
        with self.assertRaises(policylang.PolicyError) as caught:
            policylang.Policy.from_program(PINDUODUO)  # a policy's text is not a program
        self.assertEqual((caught.exception.status, caught.exception.diagnostics), (65, []))
        self.assertIn("pinduoduo.policy", caught.exception.message)
        with self.assertRaises(policylang.PolicyError) as caught:
            policylang.Policy.from_program("no-such.plp")
        self.assertEqual(caught.exception.status, 66)
        self.assertEqual(caught.exception.message, "no-such.plp: no such file")

    def test_a_nul_in_a_c_string_is_refused_not_cut_short(self) -> None:
        for call in (
            lambda: policylang.Policy.load("Policies/pinduoduo.policy\0.txt"),
            lambda: policylang.Policy.from_program(b"x\0.plp"),
            lambda: policylang.Policy.from_source(MINI_POLICY, name="a\0b"),
            lambda: policylang.Policy.load(PINDUODUO).evaluate([WECHAT], as_of="2026-12-31T00:00:00Z\0junk"),
        ):
            with self.assertRaises(ValueError):
                call()

    def test_invalid_utf8_in_policy_text_is_a_diagnostic(self) -> None:
        with self.assertRaises(policylang.PolicyError) as caught:
            policylang.Policy.from_source('policy p "\udcff" {\n}\n')
        self.assertEqual(caught.exception.status, 65)
        self.assertIn("UTF-8", caught.exception.message)


class EventErrorTests(unittest.TestCase):
    policy: policylang.Policy

    @classmethod
    def setUpClass(cls) -> None:
        cls.policy = policylang.Policy.load(PINDUODUO)

    def test_each_bad_event_has_its_reason(self) -> None:
        table: List[Tuple[Any, str, str]] = [
            ("{", "invalid_json", "invalid JSON"),
            ("", "invalid_json", "the line is empty"),
            ("[]", "invalid_json", "expected an object"),
            ({"conversation": "c", "from": "seller"}, "missing_at", "missing `at`"),
            (dict(WECHAT, at="2026-02-30T10:00:00+08:00"), "bad_time", "impossible date"),
            (dict(WECHAT, at="2016-12-31T23:59:60Z"), "leap_second", "leap second"),
            (dict(WECHAT, **{"from": "robot"}), "bad_from", "unknown `from` `robot`"),
            (dict(WECHAT, event="order_shipped"), "from_and_event", "both `from` and `event`"),
            (dict(WECHAT, text="\udc80"), "invalid_utf8", "invalid UTF-8"),
            (dict(WECHAT, auto="yes"), "wrong_type", "must be true or false"),
            (dict(WECHAT, attachments=[{"url": "x"}]), "bad_attachment", "no `type`"),
            (b'{"conversation":"c","conversation":"d"}', "duplicate_key", "duplicate key"),
            ('{"conversation":"c","at":"2026-11-20T10:00:00Z","from":"seller","text":"\\ud83d"}',
             "lone_surrogate", "lone surrogate"),
        ]
        for event, reason, why in table:
            with self.subTest(event=event):
                with self.assertRaises(policylang.EventError) as caught:
                    self.policy.check_message(event)
                self.assertEqual((caught.exception.status, caught.exception.reason), (2, reason))
                self.assertIn(why, caught.exception.message)
                self.assertIsInstance(caught.exception, ValueError)

    def test_bad_options_are_invalid_arguments(self) -> None:
        with self.assertRaises(policylang.InvalidArgumentError) as caught:
            self.policy.evaluate([WECHAT], as_of="yesterday")
        self.assertEqual(caught.exception.status, 64)
        self.assertIn("`options->as_of` `yesterday` is not an RFC 3339 time", caught.exception.message)
        with self.assertRaises(policylang.InvalidArgumentError):
            self.policy.evaluate([WECHAT], jobs=5000)
        bads: List[Dict[str, Any]] = [{"jobs": 0}, {"max_line": 0}, {"memory_limit": -1}]
        for bad in bads:
            with self.subTest(option=bad), self.assertRaises(ValueError):
                self.policy.evaluate([WECHAT], **bad)


class LibraryTests(unittest.TestCase):
    def test_a_library_that_is_not_there_is_a_clear_error(self) -> None:
        code = (
            "import policylang\n"
            "try:\n"
            "    policylang.Policy.load('x.policy')\n"
            "except policylang.LibraryNotFoundError as error:\n"
            "    print(error)\n"
        )
        env = dict(os.environ, POLICYLANG_LIBRARY="/no/such/libpolicylang.so")
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("cannot load libpolicylang", run.stdout)
        self.assertIn("/no/such/libpolicylang.so", run.stdout)
        self.assertIn("POLICYLANG_LIBRARY", run.stdout)


if __name__ == "__main__":
    unittest.main()
