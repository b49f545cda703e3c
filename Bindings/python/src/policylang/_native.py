"""The C API of libpolicylang, loaded with ctypes: where the library is found and each function's
signature, exactly as policylang.h declares it. Nothing here is public; `policy.py` wraps it."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
from pathlib import Path
from typing import List, Optional

# The ABI version (PLC_ABI_VERSION) this package was written against: the library must have it
# or a later one (versions only add). Version 2 added the sessions (plc_session_*).
ABI_VERSION = 2

# Status codes: the exit statuses of `policyc` (policylang.h).
OK = 0
VIOLATION = 1
INPUT_ERROR = 2
INVALID_ARGUMENT = 64
INVALID_POLICY = 65
MISSING_FILE = 66
INTERNAL_ERROR = 70

# plc_eval_options flags.
EVAL_PENDING = 0x1
EVAL_STRICT = 0x2
EVAL_GROUPED = 0x4
EVAL_FAIL_ON_VIOLATION = 0x8

if sys.platform == "darwin":
    LIBRARY_FILE = "libpolicylang.dylib"
elif sys.platform == "win32":
    LIBRARY_FILE = "policylang.dll"
else:
    LIBRARY_FILE = "libpolicylang.so"


class LibraryNotFoundError(OSError):
    """libpolicylang could not be loaded; the message says where it was looked for."""


class EvalOptions(ctypes.Structure):
    """plc_eval_options."""

    _fields_ = [
        ("size", ctypes.c_size_t),
        ("as_of", ctypes.c_char_p),
        ("source_name", ctypes.c_char_p),
        ("flags", ctypes.c_uint32),
        ("jobs", ctypes.c_uint32),
        ("max_line", ctypes.c_uint64),
        ("memory_limit", ctypes.c_uint64),
    ]


class Stats(ctypes.Structure):
    """plc_stats."""

    _fields_ = [
        ("size", ctypes.c_size_t),
        ("lines_read", ctypes.c_uint64),
        ("blank_lines_skipped", ctypes.c_uint64),
        ("events_evaluated", ctypes.c_uint64),
        ("error_lines", ctypes.c_uint64),
        ("verdicts_written", ctypes.c_uint64),
    ]


_Handle = ctypes.c_void_p
_HandleOut = ctypes.POINTER(ctypes.c_void_p)
_TextOut = ctypes.POINTER(ctypes.c_char_p)
_SizeOut = ctypes.POINTER(ctypes.c_size_t)

# name: (result type, argument types), as in policylang.h.
_SIGNATURES = {
    "plc_abi_version": (ctypes.c_uint32, []),
    "plc_error_status": (ctypes.c_int, [_Handle]),
    "plc_error_message": (ctypes.c_char_p, [_Handle]),
    "plc_error_diagnostics": (ctypes.c_char_p, [_Handle]),
    "plc_error_reason": (ctypes.c_char_p, [_Handle]),
    "plc_error_free": (None, [_Handle]),
    "plc_policy_load": (ctypes.c_int, [ctypes.c_char_p, _HandleOut, _HandleOut]),
    "plc_policy_from_source": (
        ctypes.c_int,
        [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, _HandleOut, _HandleOut],
    ),
    "plc_policy_load_program": (ctypes.c_int, [ctypes.c_char_p, _HandleOut, _HandleOut]),
    "plc_policy_name": (ctypes.c_int, [_Handle, _TextOut]),
    "plc_policy_free": (None, [_Handle]),
    # `char **verdicts` is read as a void pointer: it must be handed back to plc_string_free as is.
    "plc_policy_check_message": (
        ctypes.c_int,
        [_Handle, ctypes.c_char_p, ctypes.c_size_t, _HandleOut, _SizeOut, _HandleOut],
    ),
    "plc_string_free": (None, [ctypes.c_void_p]),
    "plc_evaluate": (
        ctypes.c_int,
        [
            ctypes.POINTER(_Handle),
            ctypes.c_size_t,
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.POINTER(EvalOptions),
            _HandleOut,
            _HandleOut,
        ],
    ),
    "plc_evaluate_files": (
        ctypes.c_int,
        [
            ctypes.POINTER(_Handle),
            ctypes.c_size_t,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_size_t,
            ctypes.POINTER(EvalOptions),
            _HandleOut,
            _HandleOut,
        ],
    ),
    "plc_batch_verdicts": (ctypes.c_int, [_Handle, _HandleOut, _SizeOut]),
    "plc_batch_errors": (ctypes.c_int, [_Handle, _HandleOut, _SizeOut]),
    "plc_batch_stats": (ctypes.c_int, [_Handle, ctypes.POINTER(Stats)]),
    "plc_batch_stats_text": (ctypes.c_int, [_Handle, _HandleOut, _SizeOut]),
    "plc_batch_free": (None, [_Handle]),
    "plc_session_open": (
        ctypes.c_int,
        [ctypes.POINTER(_Handle), ctypes.c_size_t, ctypes.c_char_p, _HandleOut, _HandleOut],
    ),
    "plc_session_open_state": (
        ctypes.c_int,
        [ctypes.POINTER(_Handle), ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t, _HandleOut, _HandleOut],
    ),
    "plc_session_warnings": (ctypes.c_int, [_Handle, _HandleOut, _SizeOut]),
    # Verdicts and state are read as void pointers: they go back to plc_string_free as they are.
    "plc_session_push": (
        ctypes.c_int,
        [_Handle, ctypes.c_char_p, ctypes.c_size_t, _HandleOut, _SizeOut, _HandleOut],
    ),
    "plc_session_advance": (ctypes.c_int, [_Handle, ctypes.c_char_p, _HandleOut, _SizeOut, _HandleOut]),
    "plc_session_advance_unix": (
        ctypes.c_int,
        [_Handle, ctypes.c_int64, ctypes.c_uint32, _HandleOut, _SizeOut, _HandleOut],
    ),
    "plc_session_next_deadline": (
        ctypes.c_int,
        [_Handle, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_uint32)],
    ),
    "plc_session_save": (ctypes.c_int, [_Handle, ctypes.c_char_p, _HandleOut]),
    "plc_session_state": (ctypes.c_int, [_Handle, _HandleOut, _SizeOut, _HandleOut]),
    "plc_session_free": (None, [_Handle]),
}


def _candidates() -> List[str]:
    """Where to look, in order: POLICYLANG_LIBRARY alone when set; else beside this file, then
    the system loader's search (LD_LIBRARY_PATH, the cache, ...)."""
    explicit = os.environ.get("POLICYLANG_LIBRARY")
    if explicit:
        return [explicit]
    places = []
    beside = Path(__file__).resolve().parent / LIBRARY_FILE
    if beside.exists():
        places.append(str(beside))
    places.append(LIBRARY_FILE)
    found = ctypes.util.find_library("policylang")
    if found and found != LIBRARY_FILE:
        places.append(found)
    return places


def _load() -> ctypes.CDLL:
    failures = []
    for place in _candidates():
        try:
            library = ctypes.CDLL(place)
        except OSError as error:
            failures.append(f"  {place}: {error}")
            continue
        # The version first: an older library lacks some of the functions below.
        library.plc_abi_version.restype = ctypes.c_uint32
        library.plc_abi_version.argtypes = []
        version = library.plc_abi_version()
        if version < ABI_VERSION:
            raise LibraryNotFoundError(
                f"{place} has ABI version {version}; this package needs {ABI_VERSION} or later"
            )
        for name, (result, arguments) in _SIGNATURES.items():
            function = getattr(library, name)
            function.restype = result
            function.argtypes = arguments
        return library
    raise LibraryNotFoundError(
        "cannot load libpolicylang. Build it with `swift build -c release --product policylang` and "
        "set POLICYLANG_LIBRARY to .build/release/" + LIBRARY_FILE + " (or put it beside the "
        "policylang package, or on the loader's path). Tried:\n" + "\n".join(failures)
    )


_library: Optional[ctypes.CDLL] = None
_lock = threading.Lock()


def library() -> ctypes.CDLL:
    """The loaded library, loaded on first use (importing the package needs no library)."""
    global _library
    if _library is None:
        with _lock:
            if _library is None:
                _library = _load()
    return _library
