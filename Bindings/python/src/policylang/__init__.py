"""PolicyLang for Python: load a policy, evaluate chat events, get the verdicts `policyc eval` gives
(or, event by event, those `policyc monitor` gives: `Session`).

    import policylang

    policy = policylang.Policy.load("Policies/pinduoduo.policy")
    for verdict in policy.evaluate(open("events.jsonl", "rb").read(), as_of="2026-12-01T00:00:00+08:00"):
        print(verdict["rule"], verdict["clause"], verdict["conversation"])

The package calls libpolicylang (the C API) through ctypes. It looks for the library at the path
in the POLICYLANG_LIBRARY environment variable, else beside this package, else on the system
loader's path. docs/python.md has the details.
"""

from ._native import LibraryNotFoundError
from .errors import Diagnostic, EventError, InvalidArgumentError, Label, PolicyError, PolicyLangError, StateError
from .policy import Evaluation, Event, Events, Policy, Stats, StrPath, Verdict, evaluate, evaluate_files
from .session import Session

__version__ = "0.1.0"

__all__ = [
    "Diagnostic",
    "Evaluation",
    "Event",
    "EventError",
    "Events",
    "InvalidArgumentError",
    "Label",
    "LibraryNotFoundError",
    "Policy",
    "PolicyError",
    "PolicyLangError",
    "Session",
    "Stats",
    "StateError",
    "StrPath",
    "Verdict",
    "evaluate",
    "evaluate_files",
]
