"""Policies and their evaluation: the package's API over the C functions of libpolicylang."""

from __future__ import annotations

import ctypes
import json
import json.encoder
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _native
from .errors import EventError, InvalidArgumentError, PolicyError, PolicyLangError, StateError

#: A verdict: the JSON object `policyc eval` writes, as a dict.
Verdict = Dict[str, Any]
#: One event: a dict of the event fields (`conversation`, `at`, `from`, `text`, ...), or its JSON text
#: on one line.
Event = Union[Mapping[str, Any], str, bytes]
#: Events: JSON Lines text (str or bytes, one event per line), or an iterable of events.
Events = Union[str, bytes, Iterable[Event]]
#: A file's path.
StrPath = Union[str, bytes, "os.PathLike[str]"]


def _raise_for(error: ctypes.c_void_p, kind: str = "") -> None:
    """Raises the exception for a failed call's plc_error, then frees it."""
    library = _native.library()
    try:
        status = library.plc_error_status(error)
        message = (library.plc_error_message(error) or b"").decode("utf-8", "replace")
        if kind == "policy" and status in (
            _native.INVALID_POLICY,
            _native.MISSING_FILE,
            _native.INTERNAL_ERROR,
        ):
            document = library.plc_error_diagnostics(error)
            diagnostics = PolicyError.parse_diagnostics(
                document.decode("utf-8") if document is not None else None
            )
            raise PolicyError(status, message, diagnostics)
        if kind == "state" and status != _native.INVALID_ARGUMENT:
            raise StateError(status, message)
        reason = library.plc_error_reason(error)
        if reason is not None:
            raise EventError(status, message, reason.decode("utf-8"))
        if status == _native.INVALID_ARGUMENT:
            raise InvalidArgumentError(status, message)
        raise PolicyLangError(status, message)
    finally:
        library.plc_error_free(error)


def _c_string(text: str, what: str, errors: str = "surrogatepass") -> bytes:
    """UTF-8 for a NUL-terminated C string; a NUL inside would silently cut it short."""
    encoded = text.encode("utf-8", errors)
    if b"\0" in encoded:
        raise ValueError(f"{what} contains a NUL character")
    return encoded


def _path(path: StrPath) -> bytes:
    name = os.fspath(path)
    if isinstance(name, bytes):
        if b"\0" in name:
            raise ValueError("the path contains a NUL character")
        return name
    return _c_string(name, "the path", "surrogateescape")


def _unserializable(value: object) -> object:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _event_encoder() -> Callable[[Any], str]:
    """Events to JSON text: UTF-8 as is (no \\u escapes), no spaces, no circularity check.

    Made once: `json.dumps` with any non-default option builds a new encoder on every call, and
    `JSONEncoder.encode` builds CPython's C encoder on every call. CPython's C encoder is built
    here once and called directly; elsewhere (PyPy) `JSONEncoder.encode` does the same work.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    quote = getattr(json.encoder, "c_encode_basestring", None)
    if make is None or quote is None:
        return encoder.encode
    chunks = make(None, _unserializable, quote, None, ":", ",", False, False, True)
    return lambda event: "".join(chunks(event, 0))


_encode_event = _event_encoder()


def _event_line(event: Event, index: int) -> bytes:
    """One event as one line of UTF-8 JSON."""
    if isinstance(event, bytes):
        line = event
    elif isinstance(event, str):
        line = event.encode("utf-8", "surrogatepass")
    else:
        # A lone surrogate stays as it is, so the library rejects the event as invalid UTF-8.
        line = _encode_event(event).encode("utf-8", "surrogatepass")
    if b"\n" in line:
        raise ValueError(f"event {index} spans several lines: each event must be one line of JSON")
    return line


def _jsonl(events: Events) -> bytes:
    """JSON Lines text: as given when it already is text, else one line per event."""
    if isinstance(events, bytes):
        return events
    if isinstance(events, str):
        return events.encode("utf-8", "surrogatepass")
    lines = [_event_line(event, index) for index, event in enumerate(events)]
    return b"\n".join(lines) + b"\n" if lines else b""


def _as_of(value: Union[None, str, datetime]) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("as_of must be an aware datetime (with a time zone), not a naive one")
        return value.isoformat().encode("ascii")
    return _c_string(value, "as_of")


def _verdicts(text: bytes) -> List[Verdict]:
    """The verdicts of JSON Lines text, each line ending with a line feed. Parsed as one array
    (the lines joined by commas): a fraction of the cost of one `json.loads` per line. A verdict
    line never holds a raw line feed (JSON escapes it), so the joins are exactly the line ends."""
    if not text:
        return []
    verdicts: List[Verdict] = json.loads(b"[" + text[:-1].replace(b"\n", b",") + b"]")
    return verdicts


class _OutParameters(threading.local):
    """The out parameters of plc_policy_check_message, made once per thread: making three ctypes
    objects and their references on every call costs about as much as encoding the event. Each
    thread has its own, and a call reads them before the thread can make the next.

    `check` is the function without `argtypes`: its caller passes every argument already as the
    C type the header declares (a `c_void_p`, `bytes` for the `const char *`, a `c_size_t`, three
    references), so ctypes passes them as they are instead of converting each through
    `from_param` (a tenth to a fifth of the call, measured)."""

    def __init__(self) -> None:
        library = _native.library()
        self.check = library["plc_policy_check_message"]  # a new function object: no argtypes
        self.check.restype = ctypes.c_int
        self.free = library.plc_string_free
        self.verdicts = ctypes.c_void_p()
        self.length = ctypes.c_size_t()
        self.error = ctypes.c_void_p()
        self.verdicts_ref = ctypes.byref(self.verdicts)
        self.length_ref = ctypes.byref(self.length)
        self.error_ref = ctypes.byref(self.error)


class _PerThread:
    """The calling thread's `_OutParameters`, made on first use (after the library is loaded)."""

    def __init__(self) -> None:
        self._local: Optional[_OutParameters] = None

    def get(self) -> _OutParameters:
        if self._local is None:
            self._local = _OutParameters()
        return self._local


_out = _PerThread()


class Policy:
    """A checked and compiled policy, ready to evaluate events.

    Load one with `Policy.load`, `Policy.from_source` or `Policy.from_program`. A policy is
    immutable: any number of threads may evaluate with it at once (the library releases the GIL
    while it works). Its memory is freed when it is garbage-collected, or at once by `close()`
    or a `with` block; do not close it while another thread is still using it.
    """

    __slots__ = ("_handle", "__weakref__")

    def __init__(self, handle: ctypes.c_void_p) -> None:
        """Wraps a handle from the library; use the `load`/`from_*` constructors instead."""
        self._handle: Optional[ctypes.c_void_p] = handle

    @classmethod
    def load(cls, path: StrPath) -> "Policy":
        """Reads, checks and compiles the `.policy` file at `path` and everything it imports.

        Raises `PolicyError` with the diagnostics (status 65) when the policy has errors, and
        with status 66 when the file or an import cannot be read.
        """
        return cls._loaded(_native.library().plc_policy_load, _path(path))

    @classmethod
    def from_source(cls, text: str, name: str = "policy.policy") -> "Policy":
        """Checks and compiles a policy given as text; `name` is the file name diagnostics show.

        Imports cannot be resolved from text (they are reported missing). Raises `PolicyError`.
        """
        source = text.encode("utf-8", "surrogatepass")
        library = _native.library()
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        status = library.plc_policy_from_source(
            source, len(source), _c_string(name, "the name"), ctypes.byref(handle),
            ctypes.byref(error),
        )
        if status != _native.OK:
            _raise_for(error, "policy")
        return cls(handle)

    @classmethod
    def from_program(cls, path: StrPath) -> "Policy":
        """Loads a compiled program saved by `policyc build -o FILE`.

        A missing file raises `PolicyError` with status 66; a truncated, corrupted or newer file
        status 65 (every length, index and reference in it is validated).
        """
        return cls._loaded(_native.library().plc_policy_load_program, _path(path))

    @classmethod
    def _loaded(cls, load: Any, path: bytes) -> "Policy":
        handle = ctypes.c_void_p()
        error = ctypes.c_void_p()
        if load(path, ctypes.byref(handle), ctypes.byref(error)) != _native.OK:
            _raise_for(error, "policy")
        return cls(handle)

    @property
    def name(self) -> str:
        """The policy's name: what verdicts carry in `policy` and events name in `platform`."""
        name = ctypes.c_char_p()
        if _native.library().plc_policy_name(self._live(), ctypes.byref(name)) != _native.OK:
            raise PolicyLangError(_native.INVALID_ARGUMENT, "plc_policy_name failed")
        return (name.value or b"").decode("utf-8")

    def check_message(self, event: Event) -> List[Verdict]:
        """The content verdicts of one message judged on its own (no timeline, no rates).

        `event` is a dict of the event fields or its JSON text. Returns the verdicts as dicts equal
        to the JSON `policyc eval` writes (an empty list for a clean message or a non-message
        event). Raises `EventError` when the event is not valid, with the reason `policyc eval`
        would report for its line.
        """
        line = _event_line(event, 0)
        handle = self._live()
        out = _out.get()
        status = out.check(
            handle, line, ctypes.c_size_t(len(line)), out.verdicts_ref, out.length_ref, out.error_ref
        )
        if status != _native.OK:
            _raise_for(ctypes.c_void_p(out.error.value))
        address = out.verdicts.value
        if not address:
            return []
        try:
            text = ctypes.string_at(address, out.length.value)
        finally:
            out.free(ctypes.c_void_p(address))
        return _verdicts(text)

    def evaluate(
        self,
        events: Events,
        *,
        as_of: Union[None, str, datetime] = None,
        pending: bool = False,
        strict: bool = False,
        grouped: bool = False,
        fail_on_violation: bool = False,
        jobs: Optional[int] = None,
        source_name: str = "<events>",
        max_line: Optional[int] = None,
        memory_limit: Optional[int] = None,
    ) -> "Evaluation":
        """Every verdict of a run of events, as `policyc eval` gives them; see `evaluate`."""
        return evaluate(
            [self],
            events,
            as_of=as_of,
            pending=pending,
            strict=strict,
            grouped=grouped,
            fail_on_violation=fail_on_violation,
            jobs=jobs,
            source_name=source_name,
            max_line=max_line,
            memory_limit=memory_limit,
        )

    def evaluate_files(
        self,
        paths: Union[StrPath, Sequence[StrPath]],
        *,
        as_of: Union[None, str, datetime] = None,
        pending: bool = False,
        strict: bool = False,
        grouped: bool = False,
        fail_on_violation: bool = False,
        jobs: Optional[int] = None,
        max_line: Optional[int] = None,
        memory_limit: Optional[int] = None,
    ) -> "Evaluation":
        """Every verdict of event files, as `policyc eval FILE...`; see `evaluate_files`."""
        return evaluate_files(
            [self],
            paths,
            as_of=as_of,
            pending=pending,
            strict=strict,
            grouped=grouped,
            fail_on_violation=fail_on_violation,
            jobs=jobs,
            max_line=max_line,
            memory_limit=memory_limit,
        )

    def close(self) -> None:
        """Frees the policy now; using it afterwards raises `PolicyLangError`."""
        handle, self._handle = self._handle, None
        if handle is not None and handle.value is not None:
            _native.library().plc_policy_free(handle)

    def __enter__(self) -> "Policy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass

    def __repr__(self) -> str:
        return f"<policylang.Policy {self.name!r}>" if self._handle is not None else "<policylang.Policy closed>"

    def _live(self) -> ctypes.c_void_p:
        if self._handle is None:
            raise PolicyLangError(_native.INVALID_ARGUMENT, "the policy was closed")
        return self._handle


@dataclass(frozen=True)
class Stats:
    """The accounting of a run: lines_read = blank_lines_skipped + events_evaluated + error_lines."""

    lines_read: int
    blank_lines_skipped: int
    events_evaluated: int
    error_lines: int
    verdicts_written: int
    #: Error lines by reason code (`invalid_json`, `missing_at`, ...).
    rejected: Dict[str, int] = field(default_factory=dict)
    #: The accounting exactly as `policyc eval --stats` writes it.
    text: str = ""


class Evaluation(List[Verdict]):
    """The verdicts of a run (a list of dicts, in `policyc eval`'s order), with what else it gave.

    - `errors`: the error lines, `NAME:LINE: error: WHY` each (without the line end); NAME is
      the `source_name` given, LINE counts lines (or events, for a list of events) from 1.
    - `stats`: the accounting (`Stats`).
    - `status`: the exit status `policyc eval` would give: 0, 1 (`fail_on_violation` and a
      violation), or 2 (some lines were errors; the rest was evaluated).
    - `jsonl`: the verdicts as the exact bytes `policyc eval` writes on standard output.
    """

    errors: List[str]
    stats: Stats
    status: int
    jsonl: bytes


def _borrowed_text(function: Any, batch: ctypes.c_void_p) -> bytes:
    data = ctypes.c_void_p()
    length = ctypes.c_size_t()
    function(batch, ctypes.byref(data), ctypes.byref(length))
    return ctypes.string_at(data.value, length.value) if data.value and length.value else b""


def _options(
    as_of: Union[None, str, datetime],
    pending: bool,
    strict: bool,
    grouped: bool,
    fail_on_violation: bool,
    jobs: Optional[int],
    source_name: str,
    max_line: Optional[int],
    memory_limit: Optional[int],
) -> _native.EvalOptions:
    """plc_eval_options from the keyword options (the library checks what it alone can)."""
    for name, value in (("jobs", jobs), ("max_line", max_line), ("memory_limit", memory_limit)):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be at least 1, not {value}")
    options = _native.EvalOptions()
    options.size = ctypes.sizeof(_native.EvalOptions)
    options.as_of = _as_of(as_of)
    options.source_name = _c_string(source_name, "source_name")
    options.flags = (
        (_native.EVAL_PENDING if pending else 0)
        | (_native.EVAL_STRICT if strict else 0)
        | (_native.EVAL_GROUPED if grouped else 0)
        | (_native.EVAL_FAIL_ON_VIOLATION if fail_on_violation else 0)
    )
    options.jobs = jobs or 0
    options.max_line = max_line or 0
    options.memory_limit = memory_limit or 0
    return options


def _handles(policies: Sequence[Policy]) -> "ctypes.Array[ctypes.c_void_p]":
    if not policies:
        raise ValueError("give at least one policy")
    return (ctypes.c_void_p * len(policies))(*[policy._live() for policy in policies])


def _evaluation(status: int, batch: ctypes.c_void_p, error: ctypes.c_void_p) -> Evaluation:
    """The result of plc_evaluate or plc_evaluate_files; frees the batch and the error."""
    library = _native.library()
    if not batch.value:
        _raise_for(error)
    try:
        if error.value:  # a file could not be read (66) or a temporary file failed (70)
            _raise_for(error)
        jsonl = _borrowed_text(library.plc_batch_verdicts, batch)
        errors = _borrowed_text(library.plc_batch_errors, batch).decode("utf-8", "replace")
        stats_text = _borrowed_text(library.plc_batch_stats_text, batch).decode("utf-8")
        counts = _native.Stats()
        counts.size = ctypes.sizeof(_native.Stats)
        library.plc_batch_stats(batch, ctypes.byref(counts))
    finally:
        library.plc_batch_free(batch)

    result = Evaluation(_verdicts(jsonl))
    result.jsonl = jsonl
    result.errors = errors.split("\n")[:-1]
    result.status = status
    result.stats = Stats(
        lines_read=counts.lines_read,
        blank_lines_skipped=counts.blank_lines_skipped,
        events_evaluated=counts.events_evaluated,
        error_lines=counts.error_lines,
        verdicts_written=counts.verdicts_written,
        rejected={
            reason.strip(): int(count)
            for reason, count in (
                line.split(": ") for line in stats_text.split("\n") if line.startswith("  ")
            )
        },
        text=stats_text,
    )
    return result


def evaluate(
    policies: Sequence[Policy],
    events: Events,
    *,
    as_of: Union[None, str, datetime] = None,
    pending: bool = False,
    strict: bool = False,
    grouped: bool = False,
    fail_on_violation: bool = False,
    jobs: Optional[int] = None,
    source_name: str = "<events>",
    max_line: Optional[int] = None,
    memory_limit: Optional[int] = None,
) -> Evaluation:
    """Judges events against one or more policies, exactly as `policyc eval` does.

    `events` is JSON Lines text (str or bytes, read as a file is) or an iterable of events, each
    a dict or one line of JSON text. With several policies an event's `platform` names the
    policy that judges it. The keyword options are those of `policyc eval`: `as_of` (an RFC 3339
    string or an aware datetime; None for now), `pending`, `strict`, `grouped`,
    `fail_on_violation`, `jobs` (None for one per core), `max_line`, `memory_limit`;
    `source_name` is the NAME of the `NAME:LINE: error: WHY` lines.

    Bad lines do not raise: they are in `errors` and `stats` and make `status` 2. Raises
    `InvalidArgumentError` for a bad option and `PolicyLangError` for an internal error.
    """
    handles = _handles(policies)
    options = _options(
        as_of, pending, strict, grouped, fail_on_violation, jobs, source_name, max_line, memory_limit
    )
    text = _jsonl(events)
    batch = ctypes.c_void_p()
    error = ctypes.c_void_p()
    status = _native.library().plc_evaluate(
        handles, len(handles), text, len(text), ctypes.byref(options), ctypes.byref(batch),
        ctypes.byref(error),
    )
    return _evaluation(status, batch, error)


def evaluate_files(
    policies: Sequence[Policy],
    paths: Union[StrPath, Sequence[StrPath]],
    *,
    as_of: Union[None, str, datetime] = None,
    pending: bool = False,
    strict: bool = False,
    grouped: bool = False,
    fail_on_violation: bool = False,
    jobs: Optional[int] = None,
    max_line: Optional[int] = None,
    memory_limit: Optional[int] = None,
) -> Evaluation:
    """Judges event files (one path or several, read in order) as `policyc eval FILE...` does.

    The files are read in chunks, never whole, as `policyc` reads them: the way to judge large
    files. Error lines are named by their file. Options and result as `evaluate`; a file that
    cannot be read raises `PolicyLangError` with status 66 (the other files were read, but the
    run is incomplete).
    """
    handles = _handles(policies)
    options = _options(
        as_of, pending, strict, grouped, fail_on_violation, jobs, "<events>", max_line, memory_limit
    )
    names = [paths] if isinstance(paths, (str, bytes, os.PathLike)) else list(paths)
    if not names:
        raise ValueError("give at least one file")
    encoded = [_path(name) for name in names]
    array = (ctypes.c_char_p * len(encoded))(*encoded)
    batch = ctypes.c_void_p()
    error = ctypes.c_void_p()
    status = _native.library().plc_evaluate_files(
        handles, len(handles), array, len(encoded), ctypes.byref(options), ctypes.byref(batch),
        ctypes.byref(error),
    )
    return _evaluation(status, batch, error)
