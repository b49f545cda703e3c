/*
 * policylang.h - the C API of PolicyLang (libpolicylang.so), ABI version 2.
 *
 * Load a policy (a .policy file, policy text, or a program saved by `policyc build`), then judge
 * one message, a batch of JSON Lines events, or a stream of events one at a time (a session). Events and verdicts are the JSON of the evaluation
 * contract that `policyc eval` reads and writes (docs/c-api.md lists the fields); a batch gives
 * back exactly the bytes `policyc eval` writes for the same input and options.
 *
 * Conventions (every function follows them):
 *
 * - Handles are opaque: plc_policy (a loaded policy), plc_batch (the result of a batch),
 *   plc_session (a live evaluation), plc_error (why a call failed). Nothing of the implementation crosses this boundary.
 * - A function that can fail returns a plc_status: PLC_OK, or the exit status `policyc` uses
 *   for the same failure. Its last parameter, `plc_error **error`, may be NULL; when it is not,
 *   `*error` is set to NULL on success and to a new plc_error on failure (read it with
 *   plc_error_message, free it with plc_error_free). Accessors that can only fail on a NULL
 *   argument (plc_policy_name, plc_batch_*) return PLC_INVALID_ARGUMENT without an error object.
 *   Why an out parameter and not a thread-local "last error": a goroutine (Go) or green thread
 *   may run its next call on another OS thread, where a thread-local error would be someone
 *   else's; an error object also owns its diagnostics until the caller frees it.
 * - On failure every output pointer the caller gave is set to NULL (and lengths to 0); the one
 *   exception is a batch that could not read a file or a temporary file (see plc_evaluate).
 * - Text goes in as UTF-8 bytes with a length (NUL bytes and all); paths and names as
 *   NUL-terminated UTF-8. Invalid UTF-8 in a path or name is PLC_INVALID_ARGUMENT; in policy
 *   text or an event it is a diagnostic or an error line, as with files.
 * - Every buffer handed out has exactly one free function, named where it is handed out:
 *   plc_policy_free, plc_batch_free, plc_session_free, plc_error_free, plc_string_free. Pointers
 *   borrowed from a handle (`const char *` outputs) live until that handle is freed. Every text
 *   handed out is NUL-terminated; its length excludes the NUL.
 * - Bad input never aborts the process: NULL pointers, lengths out of range, malformed policies,
 *   programs and events are status returns. (Passing a pointer that is not what it claims to
 *   be, or a freed handle, is undefined behaviour, as everywhere in C.)
 * - Threads: a plc_policy is immutable once loaded; any number of threads may use one at once.
 *   A plc_batch or plc_error is read-only; any thread may read it. Freeing a handle must not
 *   race with another call using it. Each function below states its own rule. The library
 *   keeps a little state per calling thread (freed when the thread exits) and, like the Swift
 *   runtime it needs, must not be unloaded (dlclose) while the process runs.
 *
 *
 * ABI version 2 added the plc_session_* functions (incremental evaluation, as `policyc monitor`);
 * every function of version 1 is unchanged.
 */
#ifndef POLICYLANG_H
#define POLICYLANG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Versions and status codes
 */

/*
 * The ABI version this header describes. Versions only add: a library whose plc_abi_version()
 * is N has every function, constant and struct field of versions 1 to N, unchanged, so a program
 * built against this header works with any library reporting PLC_ABI_VERSION or more.
 */
#define PLC_ABI_VERSION 2u

/* The library's ABI version. Thread safety: any thread, any time. */
uint32_t plc_abi_version(void);

/* What a call returns: the exit statuses of `policyc` (docs/c-api.md). */
typedef int plc_status;

/* Success. */
#define PLC_OK 0
/* A batch with PLC_EVAL_FAIL_ON_VIOLATION found a violation (not pending). */
#define PLC_VIOLATION 1
/* Bad input lines: the event (or some lines of a batch) could not be read; the rest was judged.
   For a session: the pushed event was refused. */
#define PLC_INPUT_ERROR 2
/* Misuse of the API: a NULL pointer, a length out of range, a bad option or option value. */
#define PLC_INVALID_ARGUMENT 64
/* The policy or compiled program is invalid (diagnostics in the error); a session's state is not
   usable (damaged, not a state, made with other policies). */
#define PLC_INVALID_POLICY 65
/* A policy, imported file or program file is missing or unreadable. */
#define PLC_MISSING_FILE 66
/* An internal error (a failed temporary file, or a bug: please report it). */
#define PLC_INTERNAL_ERROR 70

/* ---------------------------------------------------------------------------------------------
 * Errors
 */

/* Why a call failed. Created by the library, freed by plc_error_free. */
typedef struct plc_error plc_error;

/*
 * The status of the failed call; PLC_INVALID_ARGUMENT when `error` is NULL.
 * Thread safety: any thread; an error is never modified after it is handed out.
 */
plc_status plc_error_status(const plc_error *error);

/*
 * What went wrong, in English, for a person: for a policy, its diagnostics rendered as
 * `policyc check` prints them (several lines); for an event, the WHY of `FILE:LINE: error: WHY`.
 * Never NULL ("" when `error` is NULL); lives until plc_error_free. Thread safety: as above.
 */
const char *plc_error_message(const plc_error *error);

/*
 * For a policy that failed to load (PLC_INVALID_POLICY or PLC_MISSING_FILE from plc_policy_load
 * or plc_policy_from_source): its diagnostics as the JSON document `policyc check --format json`
 * writes, {"version":1,"diagnostics":[{"code","severity","message","file","line","column",
 * "end_line","end_column","labels","notes","help"}],"errors":N,"warnings":M}. NULL otherwise.
 * Lives until plc_error_free. Thread safety: as above.
 */
const char *plc_error_diagnostics(const plc_error *error);

/*
 * For a rejected event (PLC_INPUT_ERROR from plc_policy_check_message): the reason code that
 * `policyc eval --stats` counts, e.g. "invalid_json", "missing_at", "bad_time". NULL otherwise.
 * Lives until plc_error_free. Thread safety: as above.
 */
const char *plc_error_reason(const plc_error *error);

/* Frees an error; NULL is ignored. Thread safety: not while another thread reads the error. */
void plc_error_free(plc_error *error);

/* ---------------------------------------------------------------------------------------------
 * Policies
 */

/* A checked and compiled policy, ready to evaluate. Immutable; shareable between threads. */
typedef struct plc_policy plc_policy;

/*
 * Reads, checks and compiles the policy at `path` (NUL-terminated UTF-8, relative to the current
 * directory) and everything it imports. Warnings do not prevent loading. On success `*policy` is a
 * new policy for plc_policy_free.
 * Returns PLC_OK, PLC_INVALID_POLICY (errors: see plc_error_diagnostics), PLC_MISSING_FILE (the
 * policy or an import is missing or unreadable), PLC_INVALID_ARGUMENT or PLC_INTERNAL_ERROR.
 * Thread safety: any thread; several loads may run at once.
 */
plc_status plc_policy_load(const char *path, plc_policy **policy, plc_error **error);

/*
 * Checks and compiles a policy given as `length` bytes of UTF-8 text (`text` may be NULL when
 * `length` is 0). `name` (NUL-terminated, NULL for "policy.policy") is the file name diagnostics
 * show; imports cannot be resolved and are reported missing. Returns and threads as
 * plc_policy_load (PLC_INVALID_POLICY for an unresolved import).
 */
plc_status plc_policy_from_source(const char *text, size_t length, const char *name,
                                  plc_policy **policy, plc_error **error);

/*
 * Loads a compiled program saved by `policyc build -o FILE`. Every length, index and reference
 * is validated, so a truncated, corrupted or newer file is an error, never a crash.
 * Returns PLC_OK, PLC_MISSING_FILE (missing or unreadable), PLC_INVALID_POLICY (not a valid
 * program) or PLC_INVALID_ARGUMENT. Thread safety: any thread; several loads may run at once.
 */
plc_status plc_policy_load_program(const char *path, plc_policy **policy, plc_error **error);

/*
 * The policy's name (what verdicts carry in "policy" and events name in "platform"), borrowed:
 * it lives until plc_policy_free. Returns PLC_OK or PLC_INVALID_ARGUMENT.
 * Thread safety: any thread, concurrently with any other use of the policy except freeing it.
 */
plc_status plc_policy_name(const plc_policy *policy, const char **name);

/*
 * Frees a policy; NULL is ignored. Thread safety: only once every other call using the policy
 * has returned (a batch does not keep its policies: it may outlive them).
 */
void plc_policy_free(plc_policy *policy);

/* ---------------------------------------------------------------------------------------------
 * One message
 */

/*
 * The content verdicts of one message on its own (no timeline, no rates): `event` is one event
 * line of JSON (`length` bytes, no line end needed). On PLC_OK, `*verdicts` holds the verdicts as
 * JSON Lines (each line ends with "\n"), `*verdicts_length` their length, or NULL and 0 when
 * there is none (a clean message, or a non-message event). Free `*verdicts` with
 * plc_string_free.
 * Returns PLC_OK, PLC_INPUT_ERROR (the line is not a valid event: plc_error_message says why as
 * `policyc eval` would, plc_error_reason gives its code) or PLC_INVALID_ARGUMENT.
 * Thread safety: any thread; any number of threads may judge messages with one policy at once.
 */
plc_status plc_policy_check_message(const plc_policy *policy, const char *event, size_t length,
                                    char **verdicts, size_t *verdicts_length, plc_error **error);

/*
 * Frees a text handed out by plc_policy_check_message or a plc_session_* call (verdicts, state);
 * NULL is ignored. Any thread.
 */
void plc_string_free(char *string);

/* ---------------------------------------------------------------------------------------------
 * Batches
 */

/* Options of plc_evaluate: the options of `policyc eval`. */
#define PLC_EVAL_PENDING 0x1u           /* --pending: obligations not yet due, as pending */
#define PLC_EVAL_STRICT 0x2u            /* --strict: stop at the first error line, no verdicts */
#define PLC_EVAL_GROUPED 0x4u           /* --grouped: each conversation's lines are contiguous */
#define PLC_EVAL_FAIL_ON_VIOLATION 0x8u /* --fail-on-violation: PLC_VIOLATION when one is found */

typedef struct plc_eval_options {
  /* sizeof(plc_eval_options), as PLC_EVAL_OPTIONS_INIT sets it: later versions append fields. */
  size_t size;
  /* --as-of: RFC 3339 time, NUL-terminated; NULL for now. */
  const char *as_of;
  /* The name error lines start with (`NAME:LINE: error: WHY`); NULL for "<events>". */
  const char *source_name;
  /* PLC_EVAL_* flags, or-ed. */
  uint32_t flags;
  /* --jobs: worker threads, 1 to 1024; 0 for one per core (as policyc eval). */
  uint32_t jobs;
  /* --max-line: the longest line in bytes; 0 for 16 MiB. */
  uint64_t max_line;
  /* --memory-limit: bytes of buffered ungrouped events before spilling; 0 for 1 GiB. */
  uint64_t memory_limit;
} plc_eval_options;

/* Default options (as of now, "<events>", no flags, one job per core, default limits). */
#define PLC_EVAL_OPTIONS_INIT {sizeof(plc_eval_options), NULL, NULL, 0u, 0u, 0u, 0u}

/* The result of a batch: verdicts, error lines and the accounting. */
typedef struct plc_batch plc_batch;

/*
 * Judges `length` bytes of JSON Lines events (`events` may be NULL when `length` is 0) against
 * `count` policies, as `policyc eval --policy ... [options]` does with that input in one file:
 * an event's "platform" picks the policy when there are several, bad lines are reported and
 * skipped, and verdicts come in policyc eval's deterministic order. `options` may be NULL (defaults).
 * On PLC_OK, PLC_VIOLATION or PLC_INPUT_ERROR, `*batch` is a new batch (free it with
 * plc_batch_free) and the status is the exit status `policyc eval` would give.
 * Other returns: PLC_INVALID_ARGUMENT (a NULL pointer, no policy, an unknown flag, a bad as_of,
 * jobs over 1024), PLC_INTERNAL_ERROR (a temporary file failed: `*batch` is still set and holds
 * what was written, which is incomplete, and `*error` says why).
 * Thread safety: any thread; several batches may run at once, with the same policies too. The
 * call may use up to `jobs` threads of its own and returns when they are done.
 */
plc_status plc_evaluate(const plc_policy *const *policies, size_t count, const char *events,
                        size_t length, const plc_eval_options *options, plc_batch **batch,
                        plc_error **error);

/*
 * Judges the event files at `paths` (`path_count` NUL-terminated UTF-8 paths, read in order),
 * exactly as `policyc eval --policy ... [options] FILE...` does: the same as plc_evaluate, but
 * the files are read in chunks as policyc reads them (the input is never all in memory) and
 * error lines are named by their file (`options->source_name` is not used). A file that cannot be
 * read is reported in the batch's errors as `policyc eval: PATH: WHY` and the others are still
 * read; the call then returns PLC_MISSING_FILE with `*batch` set (its verdicts are those of the
 * files read) and `*error` saying which. Other returns and threads as plc_evaluate ("-" is a file
 * named "-", not standard input).
 */
plc_status plc_evaluate_files(const plc_policy *const *policies, size_t count,
                              const char *const *paths, size_t path_count,
                              const plc_eval_options *options, plc_batch **batch, plc_error **error);

/*
 * The verdicts, as the JSON Lines `policyc eval` writes on standard output (each line ends with
 * "\n"; empty when there is none). Borrowed: lives until plc_batch_free.
 * Returns PLC_OK or PLC_INVALID_ARGUMENT. Thread safety: any thread.
 */
plc_status plc_batch_verdicts(const plc_batch *batch, const char **data, size_t *length);

/*
 * What `policyc eval` writes on standard error before its accounting: `NAME:LINE: error: WHY`
 * per error line and, for plc_evaluate_files, `policyc eval: PATH: WHY` per unreadable file, each
 * ending with "\n" (empty when every line was read). Borrowed and threads as above.
 */
plc_status plc_batch_errors(const plc_batch *batch, const char **data, size_t *length);

/* The accounting of a batch: lines_read = blank_lines_skipped + events_evaluated + error_lines. */
typedef struct plc_stats {
  /* sizeof(plc_stats), set by the caller: later versions append fields. */
  size_t size;
  uint64_t lines_read;
  uint64_t blank_lines_skipped;
  uint64_t events_evaluated;
  uint64_t error_lines;
  uint64_t verdicts_written;
} plc_stats;

/*
 * Fills `*stats` (its `size` set by the caller to sizeof(plc_stats)).
 * Returns PLC_OK or PLC_INVALID_ARGUMENT (NULL, or `size` smaller than this version's struct).
 * Thread safety: any thread.
 */
plc_status plc_batch_stats(const plc_batch *batch, plc_stats *stats);

/*
 * The accounting as the text `policyc eval --stats` writes on standard error after the error
 * lines (one `name: count` per line, error lines by reason code). Borrowed and threads as
 * plc_batch_verdicts.
 */
plc_status plc_batch_stats_text(const plc_batch *batch, const char **data, size_t *length);

/* Frees a batch and everything borrowed from it; NULL is ignored. Not while it is being read. */
void plc_batch_free(plc_batch *batch);

/* ---------------------------------------------------------------------------------------------
 * Sessions (ABI version 2): events one at a time, each verdict the moment it is certain
 */

/*
 * A live evaluation over one or more policies, as `policyc monitor` runs one: events are pushed
 * one at a time, a clock stands for `--as-of`, and every verdict is handed out once, as soon as no
 * later event can change it (a content verdict with its event, a missed obligation when the clock
 * passes its deadline, a rate period when the clock passes the instant it is complete). Its state
 * can be saved at any moment and a later session (or `policyc eval --state`, `policyc monitor
 * --state`) continues from it: the verdicts of the sessions taken together are those of one run
 * over all their events (docs/c-api.md, "Sessions").
 *
 * Thread safety: a session is used by one thread at a time (calls on one session must not
 * overlap; the caller serializes them, from whichever thread). Sessions are independent: any
 * number of them may run at once in different threads, over the same policies too.
 */
typedef struct plc_session plc_session;

/*
 * Opens a session over `count` policies (an event's "platform" picks the policy when there are
 * several, as in plc_evaluate), continuing the state saved at `state_path` (NUL-terminated UTF-8),
 * or from nothing when `state_path` is NULL or names a file that does not exist yet (the first
 * run, as `policyc monitor --state`). The session does not keep the policies alive: free them
 * only after the session. On success `*session` is a new session for plc_session_free.
 * Returns PLC_OK, PLC_MISSING_FILE (the state file exists but cannot be read), PLC_INVALID_POLICY
 * (the file is not a state, is damaged, or was made with other policies: plc_error_message says
 * which) or PLC_INVALID_ARGUMENT. Thread safety: any thread.
 */
plc_status plc_session_open(const plc_policy *const *policies, size_t count, const char *state_path,
                            plc_session **session, plc_error **error);

/*
 * As plc_session_open, from a state given as `length` bytes (what plc_session_state handed out,
 * or a state file's contents; `state` may be NULL when `length` is 0, the empty state). Messages
 * name it "<state>". Returns PLC_OK, PLC_INVALID_POLICY (not a state, damaged, other policies) or
 * PLC_INVALID_ARGUMENT. Thread safety: any thread.
 */
plc_status plc_session_open_state(const plc_policy *const *policies, size_t count, const char *state,
                                  size_t length, plc_session **session, plc_error **error);

/*
 * What the state's policies changed since it was made (a rule removed or edited: its carried
 * obligations and periods are dropped), one English line each ending with "\n", as `policyc
 * monitor` prints them as warnings; empty when nothing changed. Borrowed: lives until
 * plc_session_free. Returns PLC_OK or PLC_INVALID_ARGUMENT. Thread safety: as the session.
 */
plc_status plc_session_warnings(const plc_session *session, const char **data, size_t *length);

/*
 * Takes one event: `event` is one line of JSON (`length` bytes; a trailing "\n" or "\r\n" is
 * allowed), the next line of the stream. First the clock moves to the event's "at" when that is
 * later (as `policyc monitor --clock event`), so what fell due before the event leaves first; then
 * the event is judged. On PLC_OK, `*verdicts` holds the verdicts that became certain, as the JSON
 * Lines `policyc monitor` writes (each line ends with "\n"), `*verdicts_length` their length, or
 * NULL and 0 when there is none. Free `*verdicts` with plc_string_free. A blank line is skipped
 * (PLC_OK, no verdicts) but counted as a line.
 * Returns PLC_OK, PLC_INPUT_ERROR (the line is not a valid event, or it is refused, e.g. `late`:
 * plc_error_message is the error line `<events>:LINE: error: WHY` that `policyc monitor` would
 * write, LINE counting the lines pushed so far, and plc_error_reason its reason code; the next
 * push goes on) or PLC_INVALID_ARGUMENT. A refused event leaves the session as it was, except
 * that a valid event refused by the policies (e.g. `unknown_platform`) still moved the clock:
 * the verdicts that fell due then are in `*verdicts` with PLC_INPUT_ERROR too (the one exception
 * to "outputs are NULL on failure"; free them as on PLC_OK). Thread safety: as the session.
 */
plc_status plc_session_push(plc_session *session, const char *event, size_t length, char **verdicts,
                            size_t *verdicts_length, plc_error **error);

/*
 * Moves the clock to `instant`, an RFC 3339 time (NUL-terminated, e.g.
 * "2026-11-20T23:00:00+08:00"): every obligation due before it that no event answered is missed,
 * and every rate period complete before it is judged. `*verdicts` and `*verdicts_length` as
 * plc_session_push (free with plc_string_free). Nothing happens when the clock is already there
 * or later: the clock never goes back. Returns PLC_OK or PLC_INVALID_ARGUMENT (NULL, or not an
 * RFC 3339 time). Thread safety: as the session.
 */
plc_status plc_session_advance(plc_session *session, const char *instant, char **verdicts,
                               size_t *verdicts_length, plc_error **error);

/*
 * As plc_session_advance, to `seconds` since the Unix epoch plus `nanoseconds` (0 to 999999999):
 * what a host's clock gives (clock_gettime(CLOCK_REALTIME, ...)). PLC_INVALID_ARGUMENT for
 * nanoseconds out of range.
 */
plc_status plc_session_advance_unix(plc_session *session, int64_t seconds, uint32_t nanoseconds,
                                    char **verdicts, size_t *verdicts_length, plc_error **error);

/*
 * When the clock must next move for a verdict to leave: the earliest open deadline or rate period
 * end, for a host's timer. On PLC_OK, `*has_deadline` is 1 and `*seconds`, `*nanoseconds` the
 * instant (Unix epoch), or `*has_deadline` is 0 (and both 0) when nothing is open.
 * Returns PLC_OK or PLC_INVALID_ARGUMENT. Thread safety: as the session.
 */
plc_status plc_session_next_deadline(const plc_session *session, int *has_deadline, int64_t *seconds,
                                     uint32_t *nanoseconds);

/*
 * Saves the session's state to `path` (NUL-terminated UTF-8) atomically: a temporary file beside
 * it, synced, then renamed over it, so a crash leaves the old file whole. The state is judged
 * through the clock; a session opened from it later continues exactly here.
 * Returns PLC_OK, PLC_INTERNAL_ERROR (the file could not be written: the old one is kept) or
 * PLC_INVALID_ARGUMENT. Thread safety: as the session.
 */
plc_status plc_session_save(plc_session *session, const char *path, plc_error **error);

/*
 * The session's state as bytes (what plc_session_save writes; plc_session_open_state reads it).
 * On PLC_OK `*state` holds `*length` bytes (and a NUL after them), for plc_string_free.
 * Returns PLC_OK or PLC_INVALID_ARGUMENT. Thread safety: as the session.
 */
plc_status plc_session_state(plc_session *session, char **state, size_t *length, plc_error **error);

/* Frees a session (its state is not saved); NULL is ignored. Not while another call uses it. */
void plc_session_free(plc_session *session);

#ifdef __cplusplus
}
#endif

#endif /* POLICYLANG_H */
