"""Sessions against a live `policyc monitor`: the busy day pushed in two sessions, the state carried
between them by a file or by bytes, gives the monitor's verdicts on the whole feed; the clock,
refused events and unusable states."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import unittest
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List

import policylang
from support import MINI_POLICY, PINDUODUO, POLICYC, ROOT, TRANSCRIPTS, WECHAT

BUSY_DAY = TRANSCRIPTS / "pinduoduo-busy-day.jsonl"


def busy_day_feed() -> List[str]:
    """The busy day's lines in time order, as a live feed has them (one offset throughout, so the
    text sorts as the time; equal times keep their order)."""
    lines = [line for line in BUSY_DAY.read_text(encoding="utf-8").splitlines() if line.strip()]
    return sorted(lines, key=lambda line: json.loads(line)["at"])


def monitor(feed: List[str]) -> List[Dict[str, Any]]:
    """What one `policyc monitor` writes for the whole feed on its standard input."""
    run = subprocess.run(
        [POLICYC, "monitor", "--policy", str(PINDUODUO)],
        cwd=ROOT,
        input="".join(line + "\n" for line in feed).encode(),
        capture_output=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr.decode()
    return [json.loads(line) for line in run.stdout.decode().splitlines()]


def event(conversation: str, at: str, sender: str, text: str, **fields: Any) -> Dict[str, Any]:
    return {"conversation": conversation, "at": at, "from": sender, "text": text, **fields}


class SessionMatchesMonitor(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.policy = policylang.Policy.load(PINDUODUO)
        cls.feed = busy_day_feed()
        cls.expected = monitor(cls.feed)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.policy.close()

    def test_the_feed_has_verdicts_that_wait_for_the_clock(self) -> None:
        self.assertGreater(len(self.expected), 20)
        self.assertTrue(any(v["rule"] == "reply_within_hour" for v in self.expected))

    def test_one_session_gives_the_monitors_verdicts(self) -> None:
        with policylang.Session(self.policy) as session:
            got = [v for line in self.feed for v in session.push(line)]
        self.assertEqual(got, self.expected)

    def test_two_sessions_with_the_state_saved_to_a_file_between_them(self) -> None:
        for cut in (1, len(self.feed) // 2, len(self.feed) - 1):
            with self.subTest(cut=cut), tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "busy.state")
                with policylang.Session(self.policy, state_path=path) as first:
                    got = [v for line in self.feed[:cut] for v in first.push(line)]
                    first.save_state(path)
                with policylang.Session(self.policy, state_path=path) as second:
                    self.assertEqual(second.warnings, [])
                    got += [v for line in self.feed[cut:] for v in second.push(json.loads(line))]
                self.assertEqual(got, self.expected)

    def test_two_sessions_with_the_state_as_bytes_between_them(self) -> None:
        cut = len(self.feed) // 3
        with policylang.Session([self.policy]) as first:
            got = [v for line in self.feed[:cut] for v in first.push(line.encode())]
            state = first.state_bytes()
        with policylang.Session(self.policy, state=state) as second:
            got += [v for line in self.feed[cut:] for v in second.push(line)]
        self.assertEqual(got, self.expected)


class SessionClock(unittest.TestCase):
    def setUp(self) -> None:
        self.policy = policylang.Policy.load(PINDUODUO)

    def tearDown(self) -> None:
        self.policy.close()

    def test_a_missed_reply_leaves_when_the_clock_passes_its_deadline(self) -> None:
        with policylang.Session(self.policy) as session:
            self.assertIsNone(session.next_deadline())
            self.assertEqual(session.push(event("t-1", "2026-11-20T10:00:00+08:00", "buyer", "在吗")), [])
            deadline = session.next_deadline()
            self.assertEqual(deadline, datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc))
            self.assertEqual(session.advance("2026-11-20T11:00:00+08:00"), [])  # due means passed
            missed = session.advance(deadline + timedelta(seconds=1))
            self.assertEqual([v["rule"] for v in missed], ["reply_within_hour"])
            self.assertIsNone(missed[0]["answered_at"])
            self.assertEqual(session.advance("2026-11-19T00:00:00Z"), [])  # never back

    def test_text_and_datetime_instants_agree(self) -> None:
        with policylang.Session(self.policy) as first:
            first.push(event("t-1", "2026-11-20T10:00:00+08:00", "buyer", "在吗"))
            state = first.state_bytes()
            by_text = first.advance("2026-11-21T00:00:01+08:00")
        with policylang.Session(self.policy, state=state) as second:
            by_datetime = second.advance(datetime(2026, 11, 21, 0, 0, 1, tzinfo=timezone(timedelta(hours=8))))
            self.assertIsNone(second.next_deadline())
        self.assertTrue(by_text)
        self.assertEqual(by_text, by_datetime)

    def test_bad_instants(self) -> None:
        with policylang.Session(self.policy) as session:
            with self.assertRaises(policylang.InvalidArgumentError) as caught:
                session.advance("tomorrow")
            self.assertIn("`instant` `tomorrow`: not an RFC 3339 time", caught.exception.message)
            with self.assertRaises(ValueError):
                session.advance(datetime(2026, 11, 21))


class SessionRefusals(unittest.TestCase):
    def setUp(self) -> None:
        self.policy = policylang.Policy.load(PINDUODUO)
        self.mini = policylang.Policy.from_source(MINI_POLICY)

    def tearDown(self) -> None:
        self.policy.close()
        self.mini.close()

    def test_a_refused_line_names_its_line_and_reason_and_the_session_goes_on(self) -> None:
        with policylang.Session([self.policy, self.mini]) as session:
            session.push(event("b-1", "2026-11-20T10:00:00+08:00", "buyer", "hi"))
            self.assertEqual(session.push(""), [])  # a blank line counts as a line
            with self.assertRaises(policylang.EventError) as caught:
                session.push("{not json")
            self.assertEqual(caught.exception.reason, "invalid_json")
            self.assertTrue(caught.exception.message.startswith("<events>:3: error: "))
            self.assertEqual(caught.exception.verdicts, [])
            with self.assertRaises(policylang.EventError) as caught:
                session.push({"conversation": "x", "from": "buyer", "text": "a"})
            self.assertEqual(caught.exception.reason, "missing_at")
            # A valid event of no policy given still moved the clock past b-1's deadline.
            with self.assertRaises(policylang.EventError) as caught:
                session.push(event("b-2", "2026-11-20T12:00:00+08:00", "buyer", "hi", platform="taobao"))
            self.assertEqual(caught.exception.reason, "unknown_platform")
            self.assertTrue(caught.exception.message.startswith("<events>:5: error: `platform`"))
            self.assertEqual(
                [(v["conversation"], v["rule"]) for v in caught.exception.verdicts], [("b-1", "reply_within_hour")]
            )
            found = session.push(dict(WECHAT, at="2026-11-20T12:00:01+08:00"))
            self.assertIn("third_party_info", [v["rule"] for v in found])
            state = session.state_bytes()
        with policylang.Session([self.policy, self.mini], state=state) as later:
            with self.assertRaises(policylang.EventError) as caught:
                later.push(event("b-1", "2026-11-20T09:00:00+08:00", "seller", "ok"))
            self.assertEqual(caught.exception.reason, "late")
            self.assertTrue(caught.exception.message.startswith("<events>:1: error: event at "))


class SessionStates(unittest.TestCase):
    def setUp(self) -> None:
        self.policy = policylang.Policy.load(PINDUODUO)
        with policylang.Session(self.policy) as session:
            session.push(event("s-1", "2026-11-20T10:00:00+08:00", "buyer", "hi"))
            self.state = session.state_bytes()

    def tearDown(self) -> None:
        self.policy.close()

    def test_damaged_states_are_errors(self) -> None:
        for position in range(0, len(self.state), 7):
            damaged = bytearray(self.state)
            damaged[position] ^= 0x20
            with self.subTest(position=position), self.assertRaises(policylang.StateError) as caught:
                policylang.Session(self.policy, state=bytes(damaged))
            self.assertEqual(caught.exception.status, 65)
            self.assertIn("state <state> is not usable", caught.exception.message)
        with self.assertRaises(policylang.StateError):
            policylang.Session(self.policy, state=self.state[:-1])

    def test_a_state_of_other_policies_is_an_error(self) -> None:
        with policylang.Policy.from_source(MINI_POLICY) as mini, self.assertRaises(policylang.StateError) as caught:
            policylang.Session(mini, state=self.state)
        self.assertIn("was made with policies pinduoduo", caught.exception.message)

    def test_files(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            missing = os.path.join(folder, "new.state")
            with policylang.Session(self.policy, state_path=missing) as session:  # the first run
                self.assertIsNone(session.next_deadline())
            with self.assertRaises(policylang.StateError) as caught:
                policylang.Session(self.policy, state_path=folder)
            self.assertEqual(caught.exception.status, 66)
            with policylang.Session(self.policy, state=self.state) as session:
                with self.assertRaises(policylang.StateError) as caught:
                    session.save_state(os.path.join(folder, "no-such-folder", "x.state"))
                self.assertEqual(caught.exception.status, 70)
                session.save_state(missing)
            with open(missing, "rb") as file:
                self.assertEqual(file.read(), self.state)

    def test_closed_sessions_and_bad_arguments(self) -> None:
        session = policylang.Session(self.policy)
        session.close()
        session.close()
        with self.assertRaises(policylang.PolicyLangError):
            session.push(WECHAT)
        with self.assertRaises(ValueError):
            policylang.Session(self.policy, state_path="x", state=b"")
        with self.assertRaises(ValueError):
            policylang.Session([])


if __name__ == "__main__":
    unittest.main()
