"""Sessions: events judged one at a time, each verdict given out the moment it is certain, with a
state saved and continued later (`policyc monitor`, through the C API's plc_session_*)."""

from __future__ import annotations

import ctypes
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Sequence, Union

from . import _native
from .errors import EventError, PolicyLangError, StateError
from .policy import Event, Policy, StrPath, Verdict, _c_string, _event_line, _handles, _path, _raise_for, _verdicts

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _taken_text(address: Optional[int], length: int) -> bytes:
    """The bytes the library handed out, copied, then freed with plc_string_free."""
    if not address:
        return b""
    try:
        return ctypes.string_at(address, length)
    finally:
        _native.library().plc_string_free(ctypes.c_void_p(address))


class Session:
    """A live evaluation over one or more policies, as `policyc monitor` runs one.

    Push events in time order with `push`; each call returns the verdicts that became certain: the
    event's own content verdicts, and obligations missed or rate periods complete before it (a
    push first moves the clock to the event's `at`). Move the clock without an event with
    `advance` (a host's timer: `next_deadline` says when). `save_state` or `state_bytes` keep what
    the session knows; a new `Session(..., state_path=...)` or `Session(..., state=...)` continues
    from it, and the verdicts of the sessions taken together are those of one run over all their
    events.

    A session is used by one thread at a time (calls on one session must not overlap); sessions
    are independent of each other. It keeps its policies alive; do not `close()` a policy while a
    session over it is open. Free the session with `close()` or a `with` block (the garbage
    collector does it too); its state is not saved on close.
    """

    __slots__ = ("_handle", "_policies", "__weakref__")

    def __init__(
        self,
        policies: Union[Policy, Sequence[Policy]],
        *,
        state_path: Optional[StrPath] = None,
        state: Optional[bytes] = None,
    ) -> None:
        """Opens a session over `policies` (an event's `platform` picks one when there are several).

        `state_path` continues the state file saved there (a path that does not exist yet starts
        from nothing, as `policyc monitor --state`); `state` continues a state given as bytes
        (`state_bytes()`); give at most one. Raises `StateError` when the state is damaged, not a
        state, made with other policies (status 65) or unreadable (66).
        """
        self._handle: Optional[ctypes.c_void_p] = None
        listed = [policies] if isinstance(policies, Policy) else list(policies)
        if state_path is not None and state is not None:
            raise ValueError("give state_path or state, not both")
        handles = _handles(listed)
        library = _native.library()
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        if state is not None:
            data = bytes(state)
            status = library.plc_session_open_state(
                handles, len(listed), data, len(data), ctypes.byref(handle), ctypes.byref(error)
            )
        else:
            path = _path(state_path) if state_path is not None else None
            status = library.plc_session_open(handles, len(listed), path, ctypes.byref(handle), ctypes.byref(error))
        if status != _native.OK:
            _raise_for(error, "state")
        self._handle = handle
        self._policies = listed

    @property
    def warnings(self) -> List[str]:
        """What the state's policies changed since it was made (what `policyc monitor` warns of),
        one sentence each; empty when nothing changed."""
        data = ctypes.c_void_p()
        length = ctypes.c_size_t()
        if _native.library().plc_session_warnings(self._live(), ctypes.byref(data), ctypes.byref(length)) != 0:
            raise PolicyLangError(_native.INVALID_ARGUMENT, "plc_session_warnings failed")
        if not data.value or not length.value:
            return []
        return ctypes.string_at(data.value, length.value).decode("utf-8").splitlines()

    def push(self, event: Event) -> List[Verdict]:
        """Takes the next event (a dict of its fields, or its JSON text on one line; a line read from
        a file, with its line end, is fine).

        Returns the verdicts that became certain, as dicts equal to the JSON `policyc monitor`
        writes. Raises `EventError` when the event is refused, with its reason code and the error
        line `<events>:LINE: error: WHY` (LINE counts the events pushed); the session goes on. A
        valid event the policies refuse still moved the clock: what fell due then is in the
        error's `verdicts`.
        """
        if isinstance(event, str) and event.endswith("\n"):
            event = event[:-1]
        elif isinstance(event, bytes) and event.endswith(b"\n"):
            event = event[:-1]
        line = _event_line(event, 0)
        verdicts = ctypes.c_void_p()
        length = ctypes.c_size_t()
        error = ctypes.c_void_p()
        status = _native.library().plc_session_push(
            self._live(), line, len(line), ctypes.byref(verdicts), ctypes.byref(length), ctypes.byref(error)
        )
        found = _verdicts(_taken_text(verdicts.value, length.value))
        if status != _native.OK:
            try:
                _raise_for(error)
            except EventError as refused:
                refused.verdicts = found
                raise
        return found

    def advance(self, instant: Union[str, datetime]) -> List[Verdict]:
        """Moves the clock to `instant` (RFC 3339 text, or an aware datetime): returns the verdicts
        of obligations due before it that no event answered and of rate periods complete before
        it. The clock never goes back: an earlier instant gives nothing."""
        library = _native.library()
        verdicts = ctypes.c_void_p()
        length = ctypes.c_size_t()
        error = ctypes.c_void_p()
        if isinstance(instant, datetime):
            if instant.tzinfo is None or instant.utcoffset() is None:
                raise ValueError("instant must be an aware datetime (with a time zone), not a naive one")
            since = instant - _EPOCH
            seconds = since.days * 86400 + since.seconds
            status = library.plc_session_advance_unix(
                self._live(),
                seconds,
                since.microseconds * 1000,
                ctypes.byref(verdicts),
                ctypes.byref(length),
                ctypes.byref(error),
            )
        else:
            status = library.plc_session_advance(
                self._live(),
                _c_string(instant, "instant"),
                ctypes.byref(verdicts),
                ctypes.byref(length),
                ctypes.byref(error),
            )
        if status != _native.OK:
            _raise_for(error)
        return _verdicts(_taken_text(verdicts.value, length.value))

    def next_deadline(self) -> Optional[datetime]:
        """When the clock must next move for a verdict to leave (the earliest open deadline or
        rate period end), in UTC, or None when nothing is open: when a host's timer should fire.
        A verdict leaves once the clock is past this instant."""
        has = ctypes.c_int()
        seconds = ctypes.c_int64()
        nanoseconds = ctypes.c_uint32()
        status = _native.library().plc_session_next_deadline(
            self._live(), ctypes.byref(has), ctypes.byref(seconds), ctypes.byref(nanoseconds)
        )
        if status != _native.OK:
            raise PolicyLangError(status, "plc_session_next_deadline failed")
        if not has.value:
            return None
        return _EPOCH + timedelta(seconds=seconds.value, microseconds=nanoseconds.value // 1000)

    def save_state(self, path: StrPath) -> None:
        """Saves the state to `path` atomically (a temporary file beside it, synced, renamed over
        it). Raises `StateError` (status 70) when it cannot be written; the old file is kept."""
        error = ctypes.c_void_p()
        if _native.library().plc_session_save(self._live(), _path(path), ctypes.byref(error)) != _native.OK:
            _raise_for(error, "state")

    def state_bytes(self) -> bytes:
        """The state as bytes: what `save_state` writes, and what `Session(..., state=...)` reads."""
        data = ctypes.c_void_p()
        length = ctypes.c_size_t()
        error = ctypes.c_void_p()
        status = _native.library().plc_session_state(
            self._live(), ctypes.byref(data), ctypes.byref(length), ctypes.byref(error)
        )
        if status != _native.OK:
            _raise_for(error, "state")
        return _taken_text(data.value, length.value)

    def close(self) -> None:
        """Frees the session now (its state is not saved); using it afterwards raises
        `PolicyLangError`."""
        handle, self._handle = self._handle, None
        if handle is not None and handle.value is not None:
            _native.library().plc_session_free(handle)

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass

    def __repr__(self) -> str:
        return "<policylang.Session>" if self._handle is not None else "<policylang.Session closed>"

    def _live(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise PolicyLangError(_native.INVALID_ARGUMENT, "the session was closed")
        return self._handle
