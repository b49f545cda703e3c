"""The package's API: loading, one message, batches given in each accepted form, threads."""

from __future__ import annotations

import json
import tempfile
import unittest
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import List

import policylang
from support import MINI_POLICY, PINDUODUO, ROOT, TRANSCRIPTS, WECHAT, policyc


class LoadingTests(unittest.TestCase):
    def test_load_from_source_and_from_program_give_the_same_policy(self) -> None:
        loaded = policylang.Policy.load(PINDUODUO)
        self.assertEqual(loaded.name, "pinduoduo")
        self.assertEqual(repr(loaded), "<policylang.Policy 'pinduoduo'>")
        with tempfile.TemporaryDirectory() as directory:
            program = Path(directory) / "pinduoduo.plp"
            status, _, err = policyc(["build", "Policies/pinduoduo.policy", "-o", str(program)])
            self.assertEqual(status, 0, err)
            from_program = policylang.Policy.from_program(program)
        self.assertEqual(from_program.name, "pinduoduo")
        self.assertEqual(loaded.check_message(WECHAT), from_program.check_message(WECHAT))
        mini = policylang.Policy.from_source(MINI_POLICY)
        self.assertEqual(mini.name, "mini")

    def test_a_closed_policy_refuses_to_work(self) -> None:
        with policylang.Policy.from_source(MINI_POLICY) as policy:
            self.assertEqual(policy.check_message(WECHAT), [])
        self.assertEqual(repr(policy), "<policylang.Policy closed>")
        with self.assertRaises(policylang.PolicyLangError):
            policy.check_message(WECHAT)
        policy.close()  # twice is harmless


class MessageTests(unittest.TestCase):
    policy: policylang.Policy

    @classmethod
    def setUpClass(cls) -> None:
        cls.policy = policylang.Policy.load(PINDUODUO)

    def test_a_violation_gives_the_verdict_policyc_writes(self) -> None:
        verdicts = self.policy.check_message(WECHAT)
        self.assertEqual(
            verdicts,
            [{
                "conversation": "c-1", "shop": "s-1", "agent": "kefu-3", "policy": "pinduoduo",
                "rule": "third_party_info", "clause": "PDD-2.1", "severity": "major",
                "at": "2026-11-20T10:07:00+08:00", "event": 0,
                "evidence": [
                    {
                        "kind": "proximity",
                        "list": "contact_apps",
                        "term": "微信",
                        "start": 2,
                        "end": 12,
                        "match": "薇信 abc_123",
                    }
                ],
            }],
        )
        # Offsets count Unicode scalars of the original text, as Python's indexes do.
        evidence = verdicts[0]["evidence"][0]
        self.assertEqual(WECHAT["text"][evidence["start"]:evidence["end"]], evidence["match"])

    def test_the_events_own_id_comes_back_as_event_id(self) -> None:
        with_id = dict(WECHAT, id="msg-42")
        [verdict] = self.policy.check_message(with_id)
        self.assertEqual(verdict["event_id"], "msg-42")
        self.assertEqual(list(verdict)[8:11], ["event", "event_id", "evidence"])
        batch = self.policy.evaluate([with_id], as_of="2026-12-01T00:00:00+08:00")
        self.assertEqual([v.get("event_id") for v in batch], ["msg-42"])
        self.assertNotIn("event_id", self.policy.check_message(WECHAT)[0])

    def test_a_dict_its_json_text_and_its_bytes_are_the_same_event(self) -> None:
        text = json.dumps(WECHAT, ensure_ascii=False)
        expected = self.policy.check_message(WECHAT)
        self.assertEqual(self.policy.check_message(text), expected)
        self.assertEqual(self.policy.check_message(text.encode("utf-8")), expected)
        self.assertEqual(self.policy.check_message(json.dumps(WECHAT)), expected)  # \\u escapes

    def test_a_clean_message_and_a_non_message_event_give_nothing(self) -> None:
        clean = dict(WECHAT, text="亲，有货的")
        self.assertEqual(self.policy.check_message(clean), [])
        shipped = {"conversation": "c-1", "at": "2026-11-20T10:07:00+08:00", "event": "order_shipped"}
        self.assertEqual(self.policy.check_message(shipped), [])

    def test_one_policy_serves_many_threads(self) -> None:
        expected = self.policy.check_message(WECHAT)
        events = (TRANSCRIPTS / "pinduoduo.jsonl").read_bytes()
        batch = self.policy.evaluate(events, as_of="2026-12-31T00:00:00+08:00", jobs=1)

        def work(_: int) -> bool:
            same = all(self.policy.check_message(WECHAT) == expected for _ in range(50))
            again = self.policy.evaluate(events, as_of="2026-12-31T00:00:00+08:00", jobs=1)
            return same and again.jsonl == batch.jsonl

        with ThreadPoolExecutor(max_workers=4) as pool:
            self.assertEqual(list(pool.map(work, range(8))), [True] * 8)


class BatchTests(unittest.TestCase):
    policy: policylang.Policy

    @classmethod
    def setUpClass(cls) -> None:
        cls.policy = policylang.Policy.load(PINDUODUO)

    def test_an_aware_datetime_is_the_same_as_its_rfc3339_text(self) -> None:
        events = (TRANSCRIPTS / "quickstart.jsonl").read_bytes()
        china = timezone(timedelta(hours=8))
        by_text = self.policy.evaluate(events, as_of="2026-11-20T10:30:00+08:00", pending=True)
        by_time = self.policy.evaluate(events, as_of=datetime(2026, 11, 20, 2, 30, tzinfo=timezone.utc), pending=True)
        self.assertEqual(by_text, by_time)
        self.assertTrue(any(v.get("status") == "pending" for v in by_text))
        with self.assertRaises(ValueError):
            self.policy.evaluate(events, as_of=datetime(2026, 11, 20, 10, 30))
        self.assertEqual(by_text, self.policy.evaluate(events, as_of=datetime(2026, 11, 20, 10, 30, tzinfo=china), pending=True))

    def test_bad_lines_are_reported_by_event_number_and_the_rest_judged(self) -> None:
        events: List[policylang.Event] = [
            WECHAT, "{", dict(WECHAT, at="2026-02-30T10:00:00+08:00"), dict(WECHAT, conversation="c-2")
        ]
        got = self.policy.evaluate(events, as_of="2026-12-31T00:00:00+08:00", source_name="chat")
        self.assertEqual(got.status, 2)
        self.assertEqual([v["conversation"] for v in got], ["c-1", "c-2"])
        self.assertEqual(got.errors[0], "chat:2: error: invalid JSON: unexpected end of line, expected a string key")
        self.assertTrue(got.errors[1].startswith("chat:3: error: bad `at` `2026-02-30T10:00:00+08:00`: impossible date"))
        self.assertEqual(got.stats.rejected, {"invalid_json": 1, "bad_time": 1})
        self.assertEqual((got.stats.lines_read, got.stats.events_evaluated, got.stats.error_lines), (4, 2, 2))

    def test_strict_stops_at_the_first_bad_line(self) -> None:
        got = self.policy.evaluate([WECHAT, "{", WECHAT], strict=True, as_of="2026-12-31T00:00:00+08:00")
        self.assertEqual((list(got), got.status, len(got.errors)), ([], 2, 1))

    def test_fail_on_violation_gives_status_1(self) -> None:
        got = self.policy.evaluate([WECHAT], fail_on_violation=True, as_of="2026-12-31T00:00:00+08:00")
        self.assertEqual(got.status, 1)
        self.assertEqual(self.policy.evaluate([], fail_on_violation=True).status, 0)

    def test_an_event_over_several_lines_is_refused_before_the_call(self) -> None:
        with self.assertRaises(ValueError):
            self.policy.evaluate([json.dumps(WECHAT, indent=2)])

    def test_several_policies_route_by_platform(self) -> None:
        aliexpress = policylang.Policy.load(ROOT / "Policies" / "aliexpress.policy")
        events = [dict(WECHAT, platform="pinduoduo"), dict(WECHAT, conversation="c-2", platform="taobao")]
        got = policylang.evaluate([self.policy, aliexpress], events, as_of="2026-12-31T00:00:00+08:00")
        self.assertEqual([(v["conversation"], v["policy"]) for v in got], [("c-1", "pinduoduo")])
        self.assertEqual(got.stats.rejected, {"unknown_platform": 1})
        with self.assertRaises(ValueError):
            policylang.evaluate([], events)


if __name__ == "__main__":
    unittest.main()
