"""The exceptions of the package and the diagnostics a policy error carries."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


class PolicyLangError(Exception):
    """A call into libpolicylang failed.

    `status` is the exit status `policyc` gives for the same failure (65 invalid policy or
    program, 66 missing file, 70 internal error, ...); `message` says what went wrong.
    """

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Label:
    """A secondary place a diagnostic points at, with what it says there."""

    message: str
    file: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None


@dataclass(frozen=True)
class Diagnostic:
    """One diagnostic of `policyc check --format json`.

    Lines and columns count from 1, columns in Unicode scalars; `file`, `line` and `column` are
    None for a diagnostic about no place in particular (a policy file that cannot be read).
    """

    code: str
    severity: str
    message: str
    file: Optional[str] = None
    line: Optional[int] = None
    column: Optional[int] = None
    end_line: Optional[int] = None
    end_column: Optional[int] = None
    help: Optional[str] = None
    notes: List[str] = field(default_factory=list)
    labels: List[Label] = field(default_factory=list)

    @staticmethod
    def from_json(item: Dict[str, Any]) -> "Diagnostic":
        """A diagnostic from one element of the document's `diagnostics` array."""
        return Diagnostic(
            code=item["code"],
            severity=item["severity"],
            message=item["message"],
            file=item.get("file"),
            line=item.get("line"),
            column=item.get("column"),
            end_line=item.get("end_line"),
            end_column=item.get("end_column"),
            help=item.get("help"),
            notes=list(item.get("notes", [])),
            labels=[
                Label(
                    message=label["message"],
                    file=label.get("file"),
                    line=label.get("line"),
                    column=label.get("column"),
                )
                for label in item.get("labels", [])
            ],
        )


class PolicyError(PolicyLangError):
    """A policy or compiled program could not be loaded.

    `diagnostics` lists the policy's problems (empty for a compiled program, whose `message`
    says what is wrong with the file); `message` renders them as `policyc check` prints them.
    """

    def __init__(self, status: int, message: str, diagnostics: List[Diagnostic]) -> None:
        super().__init__(status, message)
        self.diagnostics = diagnostics

    @staticmethod
    def parse_diagnostics(document: Optional[str]) -> List[Diagnostic]:
        """The diagnostics of a `policyc check --format json` document (none for None)."""
        if document is None:
            return []
        return [Diagnostic.from_json(item) for item in json.loads(document)["diagnostics"]]


class EventError(PolicyLangError, ValueError):
    """An event is not valid: `reason` is the code `policyc eval --stats` counts (for example
    `invalid_json`, `missing_at`, `bad_time`) and `message` the WHY of its error line (for
    `Session.push`, the whole error line `<events>:LINE: error: WHY`).

    `verdicts` is empty except from `Session.push`: a valid event the policies refuse (for example
    `unknown_platform`) still moved the session's clock, and the verdicts that fell due then are
    here, given out once like any other."""

    def __init__(self, status: int, message: str, reason: str) -> None:
        super().__init__(status, message)
        self.reason = reason
        self.verdicts: List[Dict[str, Any]] = []


class StateError(PolicyLangError):
    """A session's state cannot be used or kept: `status` is 65 when it is damaged, not a state,
    or was made with other policies, 66 when the file cannot be read, 70 when it cannot be
    written (the old file is kept)."""


class InvalidArgumentError(PolicyLangError, ValueError):
    """An argument was refused (a bad `as_of` time, `jobs` out of range, ...)."""
