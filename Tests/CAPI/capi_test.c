/*
 * capi_test.c - the C API's test: every function of policylang.h, success and error paths,
 * batches compared byte for byte with `policyc eval`, one policy shared by several threads, and
 * sessions compared with `policyc monitor` across a saved and reopened state.
 *
 * Run by Tests/CAPI/run.sh (under AddressSanitizer) from the repository root:
 *   capi_test POLICYC SCRATCH_DIR
 * POLICYC is the policyc binary the batches are compared with; SCRATCH_DIR an empty directory.
 * Exits 0 when every check passed, 1 otherwise (each failed check is printed).
 */
#define _POSIX_C_SOURCE 200809L

#include "policylang.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static const char *policyc;
static const char *scratch;
static int checks;
static int failures;

#define CHECK(cond) check((cond) != 0, #cond, __FILE__, __LINE__)
#define CHECK_STATUS(got, want) check_status((got), (want), #got, __FILE__, __LINE__)

static void check(int ok, const char *what, const char *file, int line) {
  checks++;
  if (!ok) {
    failures++;
    fprintf(stderr, "%s:%d: FAILED: %s\n", file, line, what);
  }
}

static void check_status(plc_status got, plc_status want, const char *what, const char *file,
                         int line) {
  checks++;
  if (got != want) {
    failures++;
    fprintf(stderr, "%s:%d: FAILED: %s is %d, expected %d\n", file, line, what, got, want);
  }
}

static int contains(const char *text, const char *part) {
  return text != NULL && strstr(text, part) != NULL;
}

/* ---- files and processes -------------------------------------------------------------------- */

/* The whole file, NUL-terminated, or NULL; `*length` excludes the NUL. */
static char *read_file(const char *path, size_t *length) {
  FILE *f = fopen(path, "rb");
  char *data = NULL;
  size_t size = 0;
  size_t capacity = 0;
  if (f == NULL) return NULL;
  for (;;) {
    size_t n;
    if (capacity - size < 65536) {
      char *grown = realloc(data, capacity + 65536 + 1);
      if (grown == NULL) {
        free(data);
        fclose(f);
        return NULL;
      }
      data = grown;
      capacity += 65536;
    }
    n = fread(data + size, 1, capacity - size, f);
    size += n;
    if (n == 0) break;
  }
  fclose(f);
  data[size] = '\0';
  *length = size;
  return data;
}

static void write_file(const char *path, const void *data, size_t length) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (f == NULL) return;
  CHECK(fwrite(data, 1, length, f) == length);
  fclose(f);
}

/* A path in the scratch directory (a static buffer per call site is enough here). */
static const char *scratch_path(char *buffer, size_t size, const char *name) {
  snprintf(buffer, size, "%s/%s", scratch, name);
  return buffer;
}

/* Runs `policyc ARGS` with standard output and error to scratch files; returns its exit status. */
static int run_policyc(const char *args) {
  char command[4096];
  int status;
  snprintf(command, sizeof command, "%s %s >%s/policyc.out 2>%s/policyc.err", policyc, args, scratch,
           scratch);
  status = system(command);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* ---- fixtures ------------------------------------------------------------------------------- */

static const char mini_policy[] =
    "policy mini \"Mini\" {\n"
    "  source \"mini.txt\" dated 2026-01-01\n"
    "  zone   Asia/Shanghai\n"
    "}\n"
    "\n"
    "clause M-1 \"No insults\" content\n"
    "\n"
    "severity major \"Major\" sanction \"points\"\n"
    "\n"
    "terms insults = [\"stupid\" | \"\xe7\xac\xa8\xe8\x9b\x8b\"]\n"
    "\n"
    "rule no_insults \"No insults\" {\n"
    "  clause   M-1\n"
    "  severity major\n"
    "  when message from seller and contains any insults\n"
    "}\n";

static const char wechat_message[] =
    "{\"conversation\":\"c-1\",\"shop\":\"s-1\",\"at\":\"2026-11-20T10:07:00+08:00\",\"from\":\"seller\","
    "\"agent\":\"kefu-3\",\"text\":\"\xe5\x8a\xa0\xe6\x88\x91\xe8\x96\x87\xe4\xbf\xa1 abc_123\"}";

static const char clean_message[] =
    "{\"conversation\":\"c-2\",\"at\":\"2026-11-20T10:07:00+08:00\",\"from\":\"seller\","
    "\"text\":\"\xe4\xba\xb2\xef\xbc\x8c\xe6\x9c\x89\xe8\xb4\xa7\xe7\x9a\x84\"}";

static plc_policy *load_or_die(const char *path) {
  plc_policy *policy = NULL;
  plc_error *error = NULL;
  if (plc_policy_load(path, &policy, &error) != PLC_OK) {
    fprintf(stderr, "cannot load %s: %s\n", path, plc_error_message(error));
    exit(1);
  }
  return policy;
}

/* ---- versions and errors -------------------------------------------------------------------- */

static void test_abi_version(void) {
  CHECK(plc_abi_version() == PLC_ABI_VERSION);
  CHECK(plc_abi_version() >= 1u);
}

static void test_error_accessors_take_null(void) {
  CHECK_STATUS(plc_error_status(NULL), PLC_INVALID_ARGUMENT);
  CHECK(plc_error_message(NULL) != NULL && plc_error_message(NULL)[0] == '\0');
  CHECK(plc_error_diagnostics(NULL) == NULL);
  CHECK(plc_error_reason(NULL) == NULL);
  plc_error_free(NULL);
  plc_policy_free(NULL);
  plc_batch_free(NULL);
  plc_string_free(NULL);
}

/* ---- loading policies ----------------------------------------------------------------------- */

static void test_policy_load(void) {
  plc_policy *policy = (plc_policy *)&policy; /* not NULL: the call must reset it */
  plc_error *error = (plc_error *)&error;
  const char *name = NULL;

  CHECK_STATUS(plc_policy_load("Policies/pinduoduo.policy", &policy, &error), PLC_OK);
  CHECK(policy != NULL);
  CHECK(error == NULL);
  CHECK_STATUS(plc_policy_name(policy, &name), PLC_OK);
  CHECK(name != NULL && strcmp(name, "pinduoduo") == 0);
  CHECK_STATUS(plc_policy_name(NULL, &name), PLC_INVALID_ARGUMENT);
  CHECK(name == NULL);
  CHECK_STATUS(plc_policy_name(policy, NULL), PLC_INVALID_ARGUMENT);
  plc_policy_free(policy);

  /* A missing file: 66, with the loader's diagnostic as JSON. */
  policy = (plc_policy *)&policy;
  CHECK_STATUS(plc_policy_load("Policies/no-such.policy", &policy, &error), PLC_MISSING_FILE);
  CHECK(policy == NULL);
  CHECK_STATUS(plc_error_status(error), PLC_MISSING_FILE);
  CHECK(contains(plc_error_message(error), "no such file"));
  CHECK(contains(plc_error_diagnostics(error), "\"code\":\"E0001\""));
  CHECK(plc_error_reason(error) == NULL);
  plc_error_free(error);

  /* A directory is no policy file either. */
  CHECK_STATUS(plc_policy_load("Policies", &policy, &error), PLC_MISSING_FILE);
  CHECK(contains(plc_error_message(error), "directory"));
  plc_error_free(error);

  /* The caller may not want the error: the status alone still says it. */
  CHECK_STATUS(plc_policy_load("Policies/no-such.policy", &policy, NULL), PLC_MISSING_FILE);
  CHECK(policy == NULL);

  /* Misuse. */
  CHECK_STATUS(plc_policy_load(NULL, &policy, &error), PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error), "plc_policy_load: `path` is NULL"));
  plc_error_free(error);
  CHECK_STATUS(plc_policy_load("Policies/pinduoduo.policy", NULL, &error), PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error), "`policy` is NULL"));
  plc_error_free(error);
  CHECK_STATUS(plc_policy_load("Policies/\xff.policy", &policy, &error), PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error), "not valid UTF-8"));
  plc_error_free(error);
}

static void test_policy_with_errors(void) {
  char path[1024];
  char text[2048];
  plc_policy *policy = NULL;
  plc_error *error = NULL;
  const char *json;

  /* A wrong list name on line 11: E0304 with file, line and column, and a hint. */
  snprintf(text, sizeof text, "%sterms insult += [\"idiot\"]\n", mini_policy);
  write_file(scratch_path(path, sizeof path, "wrong-name.policy"), text, strlen(text));
  CHECK_STATUS(plc_policy_load(path, &policy, &error), PLC_INVALID_POLICY);
  CHECK(policy == NULL);
  CHECK_STATUS(plc_error_status(error), PLC_INVALID_POLICY);
  CHECK(contains(plc_error_message(error), "error[E0304]"));
  CHECK(contains(plc_error_message(error), "wrong-name.policy:17:7"));
  json = plc_error_diagnostics(error);
  CHECK(contains(json, "{\"version\":1,\"diagnostics\":[{\"code\":\"E0304\",\"severity\":\"error\""));
  CHECK(contains(json, "\"line\":17,\"column\":7"));
  CHECK(contains(json, "\"help\":\"did you mean `insults`?\""));
  CHECK(contains(json, "\"errors\":1,"));
  plc_error_free(error);

  /* The same through plc_policy_from_source, under the name given. */
  CHECK_STATUS(plc_policy_from_source(text, strlen(text), "inline.policy", &policy, &error),
               PLC_INVALID_POLICY);
  CHECK(contains(plc_error_message(error), "inline.policy:17:7"));
  CHECK(contains(plc_error_diagnostics(error), "\"file\":\"inline.policy\""));
  plc_error_free(error);

  /* An import that is missing is an error at the import (65), not a missing policy (66). */
  snprintf(text, sizeof text, "%simport \"no-such-library.policy\"\n", mini_policy);
  write_file(scratch_path(path, sizeof path, "bad-import.policy"), text, strlen(text));
  CHECK_STATUS(plc_policy_load(path, &policy, &error), PLC_INVALID_POLICY);
  CHECK(contains(plc_error_diagnostics(error), "\"code\":\"E0001\""));
  plc_error_free(error);
}

static void test_policy_from_source(void) {
  static const char invalid_utf8[] = "policy bad \"\xff\xfe\" {\n}\n";
  plc_policy *policy = NULL;
  plc_error *error = NULL;
  const char *name = NULL;

  CHECK_STATUS(plc_policy_from_source(mini_policy, strlen(mini_policy), NULL, &policy, &error),
               PLC_OK);
  CHECK(error == NULL);
  CHECK_STATUS(plc_policy_name(policy, &name), PLC_OK);
  CHECK(strcmp(name, "mini") == 0);
  plc_policy_free(policy);

  /* Invalid UTF-8 in the text is the lexer's diagnostic, as in a file. */
  CHECK_STATUS(plc_policy_from_source(invalid_utf8, sizeof invalid_utf8 - 1, "bad.policy", &policy,
                                      &error),
               PLC_INVALID_POLICY);
  CHECK(contains(plc_error_message(error), "UTF-8"));
  CHECK(contains(plc_error_diagnostics(error), "\"file\":\"bad.policy\""));
  plc_error_free(error);

  /* Empty text (NULL with length 0 is allowed): not a policy. */
  CHECK_STATUS(plc_policy_from_source(NULL, 0, NULL, &policy, &error), PLC_INVALID_POLICY);
  CHECK(plc_error_diagnostics(error) != NULL);
  plc_error_free(error);

  /* The length is what counts: a NUL inside the text is text, not its end. */
  CHECK_STATUS(plc_policy_from_source(mini_policy, sizeof mini_policy, NULL, &policy, &error),
               PLC_INVALID_POLICY);
  plc_error_free(error);

  /* Misuse. */
  CHECK_STATUS(plc_policy_from_source(NULL, 10, NULL, &policy, &error), PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error), "`text` is NULL but its length is 10"));
  plc_error_free(error);
  CHECK_STATUS(plc_policy_from_source(mini_policy, SIZE_MAX, NULL, &policy, &error),
               PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error), "larger than any buffer"));
  plc_error_free(error);
  CHECK_STATUS(plc_policy_from_source(mini_policy, strlen(mini_policy), "\xc3(", &policy, &error),
               PLC_INVALID_ARGUMENT);
  plc_error_free(error);
  CHECK_STATUS(plc_policy_from_source(mini_policy, strlen(mini_policy), "", &policy, &error),
               PLC_INVALID_ARGUMENT);
  plc_error_free(error);
  CHECK_STATUS(plc_policy_from_source(mini_policy, strlen(mini_policy), NULL, NULL, &error),
               PLC_INVALID_ARGUMENT);
  plc_error_free(error);
}

static void test_load_program(void) {
  char path[1024];
  char args[2048];
  char *bytes;
  size_t length = 0;
  plc_policy *policy = NULL;
  plc_error *error = NULL;
  const char *name = NULL;

  scratch_path(path, sizeof path, "pinduoduo.plp");
  snprintf(args, sizeof args, "build Policies/pinduoduo.policy -o %s", path);
  CHECK(run_policyc(args) == 0);
  CHECK_STATUS(plc_policy_load_program(path, &policy, &error), PLC_OK);
  CHECK_STATUS(plc_policy_name(policy, &name), PLC_OK);
  CHECK(name != NULL && strcmp(name, "pinduoduo") == 0);
  plc_policy_free(policy);

  /* Truncated: every length is validated, so it is an invalid program, not a crash. */
  bytes = read_file(path, &length);
  CHECK(bytes != NULL && length > 100);
  if (bytes != NULL) {
    write_file(scratch_path(path, sizeof path, "truncated.plp"), bytes, length / 2);
    CHECK_STATUS(plc_policy_load_program(path, &policy, &error), PLC_INVALID_POLICY);
    CHECK(policy == NULL);
    CHECK(contains(plc_error_message(error), "truncated.plp"));
    CHECK(plc_error_diagnostics(error) == NULL);
    plc_error_free(error);
    bytes[length / 3] ^= 0x5a; /* a flipped byte: the CRC-32 catches it */
    write_file(scratch_path(path, sizeof path, "corrupted.plp"), bytes, length);
    CHECK_STATUS(plc_policy_load_program(path, &policy, &error), PLC_INVALID_POLICY);
    plc_error_free(error);
    free(bytes);
  }
  /* A policy's text is not a program. */
  CHECK_STATUS(plc_policy_load_program("Policies/pinduoduo.policy", &policy, &error),
               PLC_INVALID_POLICY);
  plc_error_free(error);
  CHECK_STATUS(plc_policy_load_program("no-such.plp", &policy, &error), PLC_MISSING_FILE);
  CHECK(contains(plc_error_message(error), "no-such.plp: no such file"));
  plc_error_free(error);
  CHECK_STATUS(plc_policy_load_program("Policies", &policy, &error), PLC_MISSING_FILE);
  plc_error_free(error);
  CHECK_STATUS(plc_policy_load_program(NULL, &policy, &error), PLC_INVALID_ARGUMENT);
  plc_error_free(error);
  CHECK_STATUS(plc_policy_load_program("x.plp", NULL, &error), PLC_INVALID_ARGUMENT);
  plc_error_free(error);
}

/* ---- one message ---------------------------------------------------------------------------- */

/* Checks that `line` (`length` bytes, or up to its NUL when `length` is (size_t)-1) is rejected
 * with `reason` and a message that contains `why`. */
static void expect_rejected(const plc_policy *policy, const char *line, size_t length,
                            const char *reason, const char *why) {
  char *verdicts = (char *)&verdicts;
  size_t verdicts_length = 99;
  plc_error *error = NULL;
  if (length == (size_t)-1) length = strlen(line);
  CHECK_STATUS(plc_policy_check_message(policy, line, length, &verdicts, &verdicts_length, &error),
               PLC_INPUT_ERROR);
  CHECK(verdicts == NULL && verdicts_length == 0);
  CHECK_STATUS(plc_error_status(error), PLC_INPUT_ERROR);
  if (plc_error_reason(error) == NULL || strcmp(plc_error_reason(error), reason) != 0) {
    fprintf(stderr, "  reason %s, expected %s\n", plc_error_reason(error), reason);
    CHECK(0);
  }
  if (!contains(plc_error_message(error), why)) {
    fprintf(stderr, "  message \"%s\" lacks \"%s\"\n", plc_error_message(error), why);
    CHECK(0);
  }
  plc_error_free(error);
}

static void test_check_message(void) {
  static const char nul_inside[] = "{\"conversation\":\"c\",\0\"at\":1}";
  static const char order_event[] =
      "{\"conversation\":\"c-3\",\"at\":\"2026-11-20T10:07:00+08:00\",\"event\":\"order_shipped\"}";
  static const char with_id[] =
      "{\"id\":\"msg-42\",\"conversation\":\"c-4\",\"at\":\"2026-11-20T10:07:00+08:00\",\"from\":\"seller\","
      "\"text\":\"\xe5\x8a\xa0\xe6\x88\x91\xe8\x96\x87\xe4\xbf\xa1 abc_123\"}";
  plc_policy *policy = load_or_die("Policies/pinduoduo.policy");
  char *verdicts = NULL;
  size_t length = 0;
  plc_error *error = NULL;
  char *big;
  const size_t big_length = (16u << 20) + 1;

  CHECK_STATUS(plc_policy_check_message(policy, wechat_message, strlen(wechat_message), &verdicts,
                                        &length, &error),
               PLC_OK);
  CHECK(error == NULL);
  CHECK(verdicts != NULL && strlen(verdicts) == length && verdicts[length - 1] == '\n');
  CHECK(contains(verdicts, "{\"conversation\":\"c-1\",\"shop\":\"s-1\",\"agent\":\"kefu-3\","
                           "\"policy\":\"pinduoduo\",\"rule\":\"third_party_info\",\"clause\":\"PDD-2.1\""));
  CHECK(contains(verdicts, "\"evidence\":[{\"kind\":\"proximity\",\"list\":\"contact_apps\","
                           "\"term\":\"\xe5\xbe\xae\xe4\xbf\xa1\",\"start\":2,\"end\":12,"
                           "\"match\":\"\xe8\x96\x87\xe4\xbf\xa1 abc_123\"}]}\n"));
  plc_string_free(verdicts);

  /* The event's own id comes back as the verdict's event_id, after event. */
  CHECK_STATUS(plc_policy_check_message(policy, with_id, strlen(with_id), &verdicts, &length, &error),
               PLC_OK);
  CHECK(verdicts != NULL && contains(verdicts, "\"event\":0,\"event_id\":\"msg-42\",\"evidence\":"));
  plc_string_free(verdicts);

  /* A clean message and a non-message event: nothing, and nothing to free. */
  verdicts = (char *)&verdicts;
  CHECK_STATUS(plc_policy_check_message(policy, clean_message, strlen(clean_message), &verdicts,
                                        &length, &error),
               PLC_OK);
  CHECK(verdicts == NULL && length == 0);
  CHECK_STATUS(plc_policy_check_message(policy, order_event, strlen(order_event), &verdicts,
                                        &length, NULL),
               PLC_OK);
  CHECK(verdicts == NULL && length == 0);

  /* A line end after the object is whitespace, as in a file. */
  {
    char line[512];
    snprintf(line, sizeof line, "%s\r\n", wechat_message);
    CHECK_STATUS(plc_policy_check_message(policy, line, strlen(line), &verdicts, &length, NULL),
                 PLC_OK);
    CHECK(verdicts != NULL);
    plc_string_free(verdicts);
  }

  /* Bad lines: the reason `--stats` counts and the WHY of the error line. */
  expect_rejected(policy, "{", 1, "invalid_json", "invalid JSON");
  expect_rejected(policy, "", 0, "invalid_json", "the line is empty");
  expect_rejected(policy, NULL, 0, "invalid_json", "the line is empty");
  expect_rejected(policy, "[1,2]", 5, "invalid_json", "expected an object");
  expect_rejected(policy, nul_inside, sizeof nul_inside - 1, "invalid_json", "invalid JSON");
  expect_rejected(policy, "{\"conversation\":\"c\",\"from\":\"seller\"}", (size_t)-1, "missing_at",
                  "missing `at`");
  expect_rejected(policy,
                  "{\"conversation\":\"c\",\"at\":\"2026-02-30T10:00:00+08:00\",\"from\":\"seller\"}",
                  (size_t)-1, "bad_time", "impossible date");
  expect_rejected(policy,
                  "{\"conversation\":\"c\",\"at\":\"2016-12-31T23:59:60Z\",\"from\":\"seller\"}", (size_t)-1,
                  "leap_second", "leap second");
  expect_rejected(policy,
                  "{\"conversation\":\"c\",\"at\":\"2026-11-20T10:00:00Z\",\"from\":\"robot\"}", (size_t)-1,
                  "bad_from", "unknown `from` `robot`");
  expect_rejected(policy,
                  "{\"conversation\":\"c\",\"at\":\"2026-11-20T10:00:00Z\",\"from\":\"seller\","
                  "\"text\":\"\xff\"}",
                  (size_t)-1, "invalid_utf8", "invalid UTF-8");
  expect_rejected(policy,
                  "{\"conversation\":\"c\",\"at\":\"2026-11-20T10:00:00Z\",\"from\":\"seller\","
                  "\"text\":\"\\ud83d\"}",
                  (size_t)-1, "lone_surrogate", "lone surrogate");
  expect_rejected(policy,
                  "{\"conversation\":\"c\",\"conversation\":\"d\",\"at\":\"2026-11-20T10:00:00Z\"}",
                  (size_t)-1, "duplicate_key", "duplicate key");

  /* A line longer than policyc eval's default --max-line (16 MiB) is refused unread. */
  big = malloc(big_length);
  CHECK(big != NULL);
  if (big != NULL) {
    memset(big, ' ', big_length);
    expect_rejected(policy, big, big_length, "line_too_long", "longer than --max-line");
    free(big);
  }

  /* Misuse. */
  CHECK_STATUS(plc_policy_check_message(NULL, clean_message, strlen(clean_message), &verdicts,
                                        &length, &error),
               PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error), "`policy` is NULL"));
  plc_error_free(error);
  CHECK_STATUS(plc_policy_check_message(policy, NULL, 5, &verdicts, &length, &error),
               PLC_INVALID_ARGUMENT);
  plc_error_free(error);
  CHECK_STATUS(plc_policy_check_message(policy, clean_message, (size_t)-5, &verdicts, &length,
                                        &error),
               PLC_INVALID_ARGUMENT);
  plc_error_free(error);
  CHECK_STATUS(plc_policy_check_message(policy, clean_message, strlen(clean_message), NULL, &length,
                                        &error),
               PLC_INVALID_ARGUMENT);
  plc_error_free(error);
  CHECK_STATUS(plc_policy_check_message(policy, clean_message, strlen(clean_message), &verdicts,
                                        NULL, &error),
               PLC_INVALID_ARGUMENT);
  plc_error_free(error);
  plc_policy_free(policy);
}

/* One message judged alone and as a one-line batch gives the same content verdict. */
static void test_message_equals_batch(void) {
  plc_policy *policy = load_or_die("Policies/pinduoduo.policy");
  plc_eval_options options = PLC_EVAL_OPTIONS_INIT;
  char *verdicts = NULL;
  size_t length = 0;
  plc_batch *batch = NULL;
  const char *data = NULL;
  size_t data_length = 0;

  options.as_of = "2026-11-20T10:07:00+08:00";
  CHECK_STATUS(plc_policy_check_message(policy, wechat_message, strlen(wechat_message), &verdicts,
                                        &length, NULL),
               PLC_OK);
  CHECK_STATUS(plc_evaluate((const plc_policy *const *)&policy, 1, wechat_message,
                            strlen(wechat_message), &options, &batch, NULL),
               PLC_OK);
  CHECK_STATUS(plc_batch_verdicts(batch, &data, &data_length), PLC_OK);
  CHECK(verdicts != NULL && data_length == length && memcmp(data, verdicts, length) == 0);
  plc_string_free(verdicts);
  plc_batch_free(batch);
  plc_policy_free(policy);
}

/* ---- batches against policyc eval ----------------------------------------------------------- */

/* How a batch is given to the library: the file's bytes (plc_evaluate) or its path. */
enum input { in_memory, by_path };

/*
 * Judges the files at `paths` through plc_evaluate (one file's bytes, named by its path) or
 * plc_evaluate_files, and through `policyc eval POLICY_ARGS OPTION_ARGS --stats PATHS...`, and
 * checks that verdicts (standard output), error lines and accounting (standard error) and the
 * status (exit status) are the same bytes; an error object exactly when the status is 66 or 70.
 */
static void expect_same_as_policyc(const char *label, plc_policy **policies, size_t count,
                                   const char *policy_args, const char *option_args,
                                   const plc_eval_options *options, enum input input,
                                   const char *const *paths, size_t path_count) {
  char args[4096];
  char path[1024];
  char *events = NULL;
  size_t events_length = 0;
  char *want_out;
  char *want_err;
  size_t want_out_length = 0;
  size_t want_err_length = 0;
  int want_status;
  plc_eval_options named = *options;
  plc_batch *batch = NULL;
  plc_error *error = NULL;
  plc_status status;
  const char *verdicts = NULL;
  const char *errors = NULL;
  const char *stats = NULL;
  size_t verdicts_length = 0;
  size_t errors_length = 0;
  size_t stats_length = 0;
  size_t i;
  int same;

  snprintf(args, sizeof args, "eval %s %s --stats", policy_args, option_args);
  for (i = 0; i < path_count; i++) {
    strncat(args, " ", sizeof args - strlen(args) - 1);
    strncat(args, paths[i], sizeof args - strlen(args) - 1);
  }
  want_status = run_policyc(args);
  want_out = read_file(scratch_path(path, sizeof path, "policyc.out"), &want_out_length);
  want_err = read_file(scratch_path(path, sizeof path, "policyc.err"), &want_err_length);
  CHECK(want_out != NULL && want_err != NULL);
  if (want_out == NULL || want_err == NULL) return;

  if (input == in_memory) {
    events = read_file(paths[0], &events_length);
    CHECK(events != NULL && path_count == 1);
    named.source_name = paths[0];
    status = plc_evaluate((const plc_policy *const *)policies, count, events, events_length,
                          &named, &batch, &error);
  } else {
    status = plc_evaluate_files((const plc_policy *const *)policies, count, paths, path_count,
                                options, &batch, &error);
  }
  CHECK(batch != NULL);
  CHECK((error != NULL) == (status == PLC_MISSING_FILE || status == PLC_INTERNAL_ERROR));
  CHECK(error == NULL || plc_error_status(error) == status);
  if (batch == NULL) return;
  CHECK_STATUS(plc_batch_verdicts(batch, &verdicts, &verdicts_length), PLC_OK);
  CHECK_STATUS(plc_batch_errors(batch, &errors, &errors_length), PLC_OK);
  CHECK_STATUS(plc_batch_stats_text(batch, &stats, &stats_length), PLC_OK);
  same = status == want_status && verdicts_length == want_out_length &&
         memcmp(verdicts, want_out, want_out_length) == 0 &&
         errors_length + stats_length == want_err_length &&
         memcmp(errors, want_err, errors_length) == 0 &&
         memcmp(stats, want_err + errors_length, stats_length) == 0;
  CHECK(same);
  if (!same) {
    fprintf(stderr, "  %s: status %d (policyc %d), %zu verdict bytes (policyc %zu), %zu+%zu stderr bytes"
                    " (policyc %zu)\n--- plc errors+stats:\n%s%s--- policyc stderr:\n%s",
            label, status, want_status, verdicts_length, want_out_length, errors_length,
            stats_length, want_err_length, errors, stats, want_err);
  }
  CHECK(verdicts[verdicts_length] == '\0' && errors[errors_length] == '\0');
  plc_batch_free(batch);
  plc_error_free(error);
  free(events);
  free(want_out);
  free(want_err);
}

static void test_batches_match_policyc(void) {
  static const char *const quickstart = "Examples/transcripts/quickstart.jsonl";
  static const char *const busy_day = "Examples/transcripts/pinduoduo-busy-day.jsonl";
  char both_file[1024];
  char malformed_file[1024];
  const char *both_path = scratch_path(both_file, sizeof both_file, "both.jsonl");
  const char *malformed_path = scratch_path(malformed_file, sizeof malformed_file, "malformed.jsonl");
  const char *transcripts[3];
  const char *with_missing[3];
  char cat[2048];
  plc_policy *both[2];
  plc_policy *pinduoduo;
  plc_eval_options options = PLC_EVAL_OPTIONS_INIT;
  static const char malformed[] =
      "{\"id\":\"m-1-open\",\"conversation\":\"m-1\",\"shop\":\"s-1\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"buyer\",\"text\":\"hi\"}\n"
      "{\"conversation\":\"m-1\",\"at\":\"2026-11-20T10:01:00+08:00\",\"from\":\"seller\",\"text\":\"x\"\n"
      "\n"
      "{\"conversation\":\"m-1\",\"from\":\"seller\",\"text\":\"hi\"}\r\n"
      "{\"conversation\":\"m-1\",\"at\":\"2016-12-31T23:59:60Z\",\"from\":\"seller\"}\n"
      "{\"conversation\":\"m-1\",\"shop\":\"s-2\",\"at\":\"2026-11-20T10:02:00+08:00\",\"from\":\"seller\",\"text\":\"ok\"}\n"
      "{\"conversation\":\"m-2\",\"at\":\"2026-11-20T10:02:00+08:00\",\"from\":\"seller\",\"text\":\"\xff\"}\n"
      "{\"id\":\"m-2-wx\",\"conversation\":\"m-2\",\"at\":\"2026-11-20T10:03:00+08:00\",\"from\":\"seller\","
      "\"text\":\"\xe5\x8a\xa0\xe6\x88\x91\xe5\xbe\xae\xe4\xbf\xa1 abc_123\"}\n"
      "{\"conversation\":\"m-1\",\"at\":\"2026-11-20T10:09:00+08:00\",\"from\":\"seller\",\"text\":\"late\"}\n";

  pinduoduo = load_or_die("Policies/pinduoduo.policy");
  both[0] = pinduoduo;
  both[1] = load_or_die("Policies/aliexpress.policy");
  options.as_of = "2026-12-01T00:00:00+08:00";
  options.jobs = 1;
  expect_same_as_policyc("quickstart", &pinduoduo, 1, "--policy Policies/pinduoduo.policy",
                         "--as-of 2026-12-01T00:00:00+08:00 --jobs 1", &options, in_memory,
                         &quickstart, 1);
  expect_same_as_policyc("quickstart, by path", &pinduoduo, 1, "--policy Policies/pinduoduo.policy",
                         "--as-of 2026-12-01T00:00:00+08:00 --jobs 1", &options, by_path,
                         &quickstart, 1);

  /* Both example transcripts in one file, both policies: routing by platform. */
  snprintf(cat, sizeof cat,
           "cat Examples/transcripts/pinduoduo.jsonl Examples/transcripts/aliexpress.jsonl >%s",
           both_path);
  CHECK(system(cat) == 0);
  write_file(malformed_path, malformed, sizeof malformed - 1);
  transcripts[0] = "Examples/transcripts/pinduoduo.jsonl";
  transcripts[1] = "Examples/transcripts/aliexpress.jsonl";
  transcripts[2] = malformed_path;
  with_missing[0] = transcripts[0];
  with_missing[1] = "Examples/transcripts/no-such.jsonl";
  with_missing[2] = malformed_path;
  options.as_of = "2026-12-31T00:00:00+08:00";
  options.jobs = 2;
  expect_same_as_policyc("two policies", both, 2,
                         "--policy Policies/pinduoduo.policy --policy Policies/aliexpress.policy",
                         "--as-of 2026-12-31T00:00:00+08:00 --jobs 2", &options, in_memory,
                         &both_path, 1);
  expect_same_as_policyc("two policies, three files", both, 2,
                         "--policy Policies/pinduoduo.policy --policy Policies/aliexpress.policy",
                         "--as-of 2026-12-31T00:00:00+08:00 --jobs 2", &options, by_path, transcripts,
                         3);
  expect_same_as_policyc("a missing file among others", both, 2,
                         "--policy Policies/pinduoduo.policy --policy Policies/aliexpress.policy",
                         "--as-of 2026-12-31T00:00:00+08:00 --jobs 2", &options, by_path, with_missing,
                         3);

  /* Mid-day with pending obligations, grouped or not. */
  options.as_of = "2026-11-25T12:00:00+08:00";
  options.flags = PLC_EVAL_PENDING;
  options.jobs = 1;
  expect_same_as_policyc("busy day, pending", &pinduoduo, 1, "--policy Policies/pinduoduo.policy",
                         "--as-of 2026-11-25T12:00:00+08:00 --pending --jobs 1", &options, in_memory,
                         &busy_day, 1);

  /* Bad lines: reported with the name given, the rest judged, status 2. */
  options.as_of = "2026-12-31T00:00:00+08:00";
  options.flags = 0;
  options.jobs = 1;
  expect_same_as_policyc("malformed", &pinduoduo, 1, "--policy Policies/pinduoduo.policy",
                         "--as-of 2026-12-31T00:00:00+08:00 --jobs 1", &options, in_memory,
                         &malformed_path, 1);
  options.flags = PLC_EVAL_STRICT;
  expect_same_as_policyc("malformed, strict", &pinduoduo, 1, "--policy Policies/pinduoduo.policy",
                         "--as-of 2026-12-31T00:00:00+08:00 --strict --jobs 1", &options, in_memory,
                         &malformed_path, 1);
  options.flags = PLC_EVAL_GROUPED;
  options.jobs = 2;
  expect_same_as_policyc("malformed, grouped", &pinduoduo, 1, "--policy Policies/pinduoduo.policy",
                         "--as-of 2026-12-31T00:00:00+08:00 --grouped --jobs 2", &options, in_memory,
                         &malformed_path, 1);
  options.flags = 0;
  options.max_line = 60;
  options.jobs = 1;
  expect_same_as_policyc("malformed, max line", &pinduoduo, 1, "--policy Policies/pinduoduo.policy",
                         "--as-of 2026-12-31T00:00:00+08:00 --max-line 60 --jobs 1", &options, in_memory,
                         &malformed_path, 1);

  /* --fail-on-violation: status 1 when a violation is found and no line is bad. */
  options.max_line = 0;
  options.flags = PLC_EVAL_FAIL_ON_VIOLATION;
  expect_same_as_policyc("fail on violation", &pinduoduo, 1, "--policy Policies/pinduoduo.policy",
                         "--as-of 2026-12-31T00:00:00+08:00 --fail-on-violation --jobs 1", &options,
                         in_memory, &quickstart, 1);

  /* A small memory limit spills the ungrouped events to temporary partitions: same output. */
  options.flags = 0;
  options.memory_limit = 4096;
  expect_same_as_policyc("spilled", &pinduoduo, 1, "--policy Policies/pinduoduo.policy",
                         "--as-of 2026-12-31T00:00:00+08:00 --memory-limit 4096 --jobs 1", &options,
                         by_path, &busy_day, 1);
  plc_policy_free(both[0]);
  plc_policy_free(both[1]);
}

/* ---- batch errors and accessors ------------------------------------------------------------- */

static void test_evaluate_errors(void) {
  plc_policy *policy = load_or_die("Policies/pinduoduo.policy");
  const plc_policy *const *policies = (const plc_policy *const *)&policy;
  const plc_policy *with_null[2];
  plc_eval_options options = PLC_EVAL_OPTIONS_INIT;
  plc_batch *batch = (plc_batch *)&batch;
  plc_error *error = NULL;
  plc_stats stats;
  const char *data = NULL;
  size_t length = 0;

  /* Empty input (NULL with length 0): nothing read, status 0, default options. */
  CHECK_STATUS(plc_evaluate(policies, 1, NULL, 0, NULL, &batch, &error), PLC_OK);
  CHECK(batch != NULL && error == NULL);
  stats.size = sizeof stats;
  CHECK_STATUS(plc_batch_stats(batch, &stats), PLC_OK);
  CHECK(stats.lines_read == 0 && stats.events_evaluated == 0 && stats.verdicts_written == 0);
  CHECK_STATUS(plc_batch_verdicts(batch, &data, &length), PLC_OK);
  CHECK(length == 0 && data != NULL && data[0] == '\0');
  plc_batch_free(batch);

  /* The accounting balances. */
  options.as_of = "2026-12-31T00:00:00+08:00";
  CHECK_STATUS(plc_evaluate(policies, 1, "\n{\"x\":1}\n", 9, &options, &batch, NULL),
               PLC_INPUT_ERROR);
  CHECK_STATUS(plc_batch_stats(batch, &stats), PLC_OK);
  CHECK(stats.lines_read == 2 && stats.blank_lines_skipped == 1 && stats.error_lines == 1);
  CHECK(stats.lines_read == stats.blank_lines_skipped + stats.events_evaluated + stats.error_lines);
  CHECK_STATUS(plc_batch_errors(batch, &data, &length), PLC_OK);
  CHECK(strcmp(data, "<events>:2: error: missing `conversation`\n") == 0);
  stats.size = sizeof stats - 1;
  CHECK_STATUS(plc_batch_stats(batch, &stats), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_batch_stats(batch, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_batch_stats(NULL, &stats), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_batch_verdicts(NULL, &data, &length), PLC_INVALID_ARGUMENT);
  CHECK(data == NULL && length == 0);
  CHECK_STATUS(plc_batch_verdicts(batch, NULL, &length), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_batch_errors(batch, &data, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_batch_stats_text(NULL, &data, &length), PLC_INVALID_ARGUMENT);
  plc_batch_free(batch);

  /* Misuse: each is PLC_INVALID_ARGUMENT with no batch and a message naming the argument. */
#define EXPECT_MISUSE(call, words)                                                                 \
  do {                                                                                             \
    batch = (plc_batch *)&batch;                                                                   \
    CHECK_STATUS(call, PLC_INVALID_ARGUMENT);                                                      \
    CHECK(batch == NULL);                                                                          \
    CHECK(contains(plc_error_message(error), words));                                              \
    plc_error_free(error);                                                                         \
    error = NULL;                                                                                  \
  } while (0)
  EXPECT_MISUSE(plc_evaluate(NULL, 1, "", 0, NULL, &batch, &error), "`policies` is NULL");
  EXPECT_MISUSE(plc_evaluate(policies, 0, "", 0, NULL, &batch, &error), "give at least one policy");
  with_null[0] = policy;
  with_null[1] = NULL;
  EXPECT_MISUSE(plc_evaluate(with_null, 2, "", 0, NULL, &batch, &error), "`policies[1]` is NULL");
  EXPECT_MISUSE(plc_evaluate(policies, 1, NULL, 3, NULL, &batch, &error),
                "`events` is NULL but its length is 3");
  EXPECT_MISUSE(plc_evaluate(policies, 1, "x", SIZE_MAX, NULL, &batch, &error),
                "larger than any buffer");
  options.as_of = "2026-13-01T00:00:00Z";
  EXPECT_MISUSE(plc_evaluate(policies, 1, "", 0, &options, &batch, &error),
                "`options->as_of` `2026-13-01T00:00:00Z` is not an RFC 3339 time");
  options.as_of = "\xff";
  EXPECT_MISUSE(plc_evaluate(policies, 1, "", 0, &options, &batch, &error), "not valid UTF-8");
  options.as_of = NULL;
  options.source_name = "\xc3";
  EXPECT_MISUSE(plc_evaluate(policies, 1, "", 0, &options, &batch, &error),
                "`options->source_name` is not valid UTF-8");
  options.source_name = NULL;
  options.flags = 0x100;
  EXPECT_MISUSE(plc_evaluate(policies, 1, "", 0, &options, &batch, &error), "unknown bits 0x100");
  options.flags = 0;
  options.jobs = 1025;
  EXPECT_MISUSE(plc_evaluate(policies, 1, "", 0, &options, &batch, &error), "not 1025");
  options.jobs = 0;
  options.max_line = UINT64_MAX;
  EXPECT_MISUSE(plc_evaluate(policies, 1, "", 0, &options, &batch, &error), "too large");
  options.max_line = 0;
  options.memory_limit = UINT64_MAX;
  EXPECT_MISUSE(plc_evaluate(policies, 1, "", 0, &options, &batch, &error), "too large");
  options.memory_limit = 0;
  options.size = sizeof options - 8;
  EXPECT_MISUSE(plc_evaluate(policies, 1, "", 0, &options, &batch, &error), "options->size");
  options.size = sizeof options;
  {
    const char *paths[2];
    paths[0] = "Examples/transcripts/quickstart.jsonl";
    paths[1] = NULL;
    EXPECT_MISUSE(plc_evaluate_files(policies, 1, NULL, 1, NULL, &batch, &error), "`paths` is NULL");
    EXPECT_MISUSE(plc_evaluate_files(policies, 1, paths, 0, NULL, &batch, &error),
                  "give at least one file");
    EXPECT_MISUSE(plc_evaluate_files(policies, 1, paths, 2, NULL, &batch, &error),
                  "`paths[1]` is NULL");
    paths[1] = "\xff.jsonl";
    EXPECT_MISUSE(plc_evaluate_files(policies, 1, paths, 2, NULL, &batch, &error),
                  "`paths[1]` is not valid UTF-8");
    EXPECT_MISUSE(plc_evaluate_files(NULL, 1, paths, 1, NULL, &batch, &error), "`policies` is NULL");
    options.flags = 0x40;
    EXPECT_MISUSE(plc_evaluate_files(policies, 1, paths, 1, &options, &batch, &error),
                  "unknown bits 0x40");
    options.flags = 0;
    CHECK_STATUS(plc_evaluate_files(policies, 1, paths, 1, &options, NULL, &error),
                 PLC_INVALID_ARGUMENT);
    plc_error_free(error);
    /* A directory cannot be read as events: 66, the batch still handed out. */
    paths[0] = "Examples";
    CHECK_STATUS(plc_evaluate_files(policies, 1, paths, 1, &options, &batch, &error),
                 PLC_MISSING_FILE);
    CHECK(batch != NULL && contains(plc_error_message(error), "Examples"));
    CHECK_STATUS(plc_batch_errors(batch, &data, &length), PLC_OK);
    CHECK(contains(data, "policyc eval: cannot open Examples: "));
    plc_batch_free(batch);
    plc_error_free(error);
    error = NULL;
  }
  CHECK_STATUS(plc_evaluate(policies, 1, "", 0, &options, NULL, &error), PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error), "`batch` is NULL"));
  plc_error_free(error);
#undef EXPECT_MISUSE
  plc_policy_free(policy);
}

/* ---- threads -------------------------------------------------------------------------------- */

struct shared_work {
  const plc_policy *policy;
  const char *reference;
  size_t reference_length;
  int mismatches;
};

/* Judges the same message many times and a small batch once: results must not depend on threads. */
static void *judge_in_thread(void *argument) {
  struct shared_work *work = argument;
  plc_eval_options options = PLC_EVAL_OPTIONS_INIT;
  plc_batch *batch = NULL;
  int i;
  options.as_of = "2026-12-31T00:00:00+08:00";
  options.jobs = 1;
  for (i = 0; i < 200; i++) {
    char *verdicts = NULL;
    size_t length = 0;
    if (plc_policy_check_message(work->policy, wechat_message, strlen(wechat_message), &verdicts,
                                 &length, NULL) != PLC_OK ||
        length != work->reference_length || memcmp(verdicts, work->reference, length) != 0) {
      work->mismatches++;
    }
    plc_string_free(verdicts);
  }
  if (plc_evaluate(&work->policy, 1, wechat_message, strlen(wechat_message), &options, &batch,
                   NULL) != PLC_OK) {
    work->mismatches++;
  }
  plc_batch_free(batch);
  return NULL;
}

static void test_one_policy_many_threads(void) {
  enum { thread_count = 4 };
  plc_policy *policy = load_or_die("Policies/pinduoduo.policy");
  pthread_t threads[thread_count];
  struct shared_work work[thread_count];
  char *reference = NULL;
  size_t reference_length = 0;
  int i;
  CHECK_STATUS(plc_policy_check_message(policy, wechat_message, strlen(wechat_message), &reference,
                                        &reference_length, NULL),
               PLC_OK);
  for (i = 0; i < thread_count; i++) {
    work[i].policy = policy;
    work[i].reference = reference;
    work[i].reference_length = reference_length;
    work[i].mismatches = 0;
    CHECK(pthread_create(&threads[i], NULL, judge_in_thread, &work[i]) == 0);
  }
  for (i = 0; i < thread_count; i++) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(work[i].mismatches == 0);
  }
  plc_string_free(reference);
  plc_policy_free(policy);
}

/* ---- sessions ------------------------------------------------------------------------------- */

/* A text that grows: the verdicts of several calls, one after another. */
struct text {
  char *data;
  size_t length;
};

static void append(struct text *text, const char *data, size_t length) {
  char *grown;
  if (length == 0) return;
  grown = realloc(text->data, text->length + length + 1);
  CHECK(grown != NULL);
  if (grown == NULL) return;
  memcpy(grown + text->length, data, length);
  text->data = grown;
  text->length += length;
  text->data[text->length] = '\0';
}

/* Appends what a call handed out and frees it; checks the NULL-and-0 convention when empty. */
static void take_verdicts(struct text *text, char *verdicts, size_t length) {
  CHECK((verdicts == NULL) == (length == 0));
  if (verdicts != NULL) {
    CHECK(verdicts[length] == '\0' && verdicts[length - 1] == '\n');
    append(text, verdicts, length);
  }
  plc_string_free(verdicts);
}

/* The busy day's lines, sorted by `at` (one offset throughout, so the text sorts as the time;
 * equal times keep their order): the feed a live monitor would get. */
struct line {
  const char *start;
  size_t length;
  size_t index;
};

static const char *time_of(const struct line *line) {
  const char *at = strstr(line->start, "\"at\":\"");
  return at == NULL ? "" : at + 6;
}

static int by_time(const void *a, const void *b) {
  const struct line *x = a;
  const struct line *y = b;
  int order = strncmp(time_of(x), time_of(y), 25);
  if (order != 0) return order;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Splits `data` (modified: each "\n" becomes NUL) into lines sorted by time; returns the count. */
static size_t sorted_lines(char *data, size_t length, struct line *lines, size_t capacity) {
  size_t count = 0;
  char *start = data;
  char *end = data + length;
  while (start < end && count < capacity) {
    char *newline = memchr(start, '\n', (size_t)(end - start));
    char *stop = newline == NULL ? end : newline;
    *stop = '\0';
    if (stop > start) {
      lines[count].start = start;
      lines[count].length = (size_t)(stop - start);
      lines[count].index = count;
      count++;
    }
    start = stop + 1;
  }
  qsort(lines, count, sizeof lines[0], by_time);
  return count;
}

/* Pushes lines[from..<to] through `session`, appending the verdicts; every line must be taken. */
static void push_lines(plc_session *session, const struct line *lines, size_t from, size_t to,
                       struct text *out) {
  size_t i;
  for (i = from; i < to; i++) {
    char *verdicts = NULL;
    size_t length = 0;
    plc_error *error = NULL;
    CHECK_STATUS(plc_session_push(session, lines[i].start, lines[i].length, &verdicts, &length,
                                  &error),
                 PLC_OK);
    if (error != NULL) fprintf(stderr, "  line %zu: %s\n", i + 1, plc_error_message(error));
    plc_error_free(error);
    take_verdicts(out, verdicts, length);
  }
}

/* The busy day through a session cut at `cut`: the first part, the state saved (to a file when
 * `through_file`, else as bytes) and the session freed, then a new session from that state for
 * the rest. */
static void feed_in_two(plc_policy *policy, const struct line *lines, size_t count, size_t cut,
                        int through_file, struct text *out) {
  const plc_policy *policies[1];
  plc_session *session = NULL;
  plc_error *error = NULL;
  char path[1024];
  char *state = NULL;
  size_t state_length = 0;
  const char *warnings = NULL;
  size_t warnings_length = 1;
  policies[0] = policy;
  scratch_path(path, sizeof path, "busy.state");
  remove(path);

  CHECK_STATUS(plc_session_open(policies, 1, through_file ? path : NULL, &session, &error), PLC_OK);
  CHECK(session != NULL && error == NULL);
  if (session == NULL) return;
  CHECK_STATUS(plc_session_warnings(session, &warnings, &warnings_length), PLC_OK);
  CHECK(warnings != NULL && warnings_length == 0 && warnings[0] == '\0');
  push_lines(session, lines, 0, cut, out);
  if (through_file) {
    CHECK_STATUS(plc_session_save(session, path, &error), PLC_OK);
  } else {
    CHECK_STATUS(plc_session_state(session, &state, &state_length, &error), PLC_OK);
    CHECK(state != NULL && state_length > 16 && state[state_length] == '\0');
  }
  plc_session_free(session);
  session = NULL;

  if (through_file) {
    CHECK_STATUS(plc_session_open(policies, 1, path, &session, &error), PLC_OK);
  } else {
    CHECK_STATUS(plc_session_open_state(policies, 1, state, state_length, &session, &error), PLC_OK);
  }
  plc_string_free(state);
  CHECK(session != NULL);
  if (session == NULL) return;
  push_lines(session, lines, cut, count, out);
  plc_session_free(session);
}

/* A feed pushed in two sessions, the state carried between them, gives what one `policyc monitor`
 * writes for the whole feed. */
static void test_session_matches_monitor(void) {
  static const char *const busy_day = "Examples/transcripts/pinduoduo-busy-day.jsonl";
  static const size_t cuts[] = {0, 1, 100, 150, 299};
  struct line lines[400];
  char path[1024];
  char args[2048];
  char *data;
  char *want;
  size_t length = 0;
  size_t want_length = 0;
  size_t count;
  size_t i;
  FILE *sorted;
  plc_policy *policy = load_or_die("Policies/pinduoduo.policy");

  data = read_file(busy_day, &length);
  CHECK(data != NULL);
  if (data == NULL) return;
  count = sorted_lines(data, length, lines, sizeof lines / sizeof lines[0]);
  CHECK(count == 300);
  sorted = fopen(scratch_path(path, sizeof path, "busy-sorted.jsonl"), "wb");
  CHECK(sorted != NULL);
  if (sorted == NULL) return;
  for (i = 0; i < count; i++) fprintf(sorted, "%s\n", lines[i].start);
  fclose(sorted);
  snprintf(args, sizeof args, "monitor --policy Policies/pinduoduo.policy <%s", path);
  CHECK(run_policyc(args) == 0);
  want = read_file(scratch_path(path, sizeof path, "policyc.out"), &want_length);
  CHECK(want != NULL);
  if (want == NULL) return;
  /* The feed has dozens of missed replies, each leaving when a later event moves the clock past
   * its deadline: the comparison means something. */
  CHECK(want_length > 10000 && contains(want, "\"rule\":\"reply_within_hour\""));

  for (i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
    struct text got = {NULL, 0};
    int same;
    feed_in_two(policy, lines, count, cuts[i], (int)(i % 2), &got);
    same = got.length == want_length && memcmp(got.data, want, want_length) == 0;
    CHECK(same);
    if (!same) {
      fprintf(stderr, "  cut at %zu (%s): %zu bytes, policyc monitor %zu\n--- session:\n%s--- monitor:\n%s",
              cuts[i], i % 2 ? "file" : "bytes", got.length, want_length,
              got.data == NULL ? "" : got.data, want);
    }
    free(got.data);
  }
  free(want);
  free(data);
  plc_policy_free(policy);
}

/* The clock: deadlines a timer can wait for, advancing by RFC 3339 text or Unix time alike. */
static void test_session_clock(void) {
  static const char buyer[] =
      "{\"conversation\":\"t-1\",\"shop\":\"s-1\",\"at\":\"2026-11-20T10:00:00+08:00\","
      "\"from\":\"buyer\",\"text\":\"\xe5\x9c\xa8\xe5\x90\x97\"}\n";
  plc_policy *policy = load_or_die("Policies/pinduoduo.policy");
  const plc_policy *policies[1];
  plc_session *one = NULL;
  plc_session *two = NULL;
  char *verdicts = NULL;
  size_t length = 0;
  char *state = NULL;
  size_t state_length = 0;
  int has = -1;
  int64_t seconds = -1;
  uint32_t nanoseconds = 1;
  struct text by_text = {NULL, 0};
  struct text by_unix = {NULL, 0};
  policies[0] = policy;

  CHECK_STATUS(plc_session_open(policies, 1, NULL, &one, NULL), PLC_OK);
  if (one == NULL) return;
  CHECK_STATUS(plc_session_next_deadline(one, &has, &seconds, &nanoseconds), PLC_OK);
  CHECK(has == 0 && seconds == 0 && nanoseconds == 0);
  /* A buyer's message (the trailing newline is allowed) opens a reply due an hour later. */
  CHECK_STATUS(plc_session_push(one, buyer, strlen(buyer), &verdicts, &length, NULL), PLC_OK);
  CHECK(verdicts == NULL && length == 0);
  CHECK_STATUS(plc_session_next_deadline(one, &has, &seconds, &nanoseconds), PLC_OK);
  /* 2026-11-20T11:00:00+08:00 = 03:00Z */
  CHECK(has == 1 && seconds == 1795143600 && nanoseconds == 0);

  CHECK_STATUS(plc_session_state(one, &state, &state_length, NULL), PLC_OK);
  CHECK_STATUS(plc_session_open_state(policies, 1, state, state_length, &two, NULL), PLC_OK);
  plc_string_free(state);
  if (two == NULL) return;

  /* Before the deadline nothing leaves; at it, nothing yet (due means passed); after, the miss. */
  CHECK_STATUS(plc_session_advance(one, "2026-11-20T10:59:59+08:00", &verdicts, &length, NULL), PLC_OK);
  CHECK(verdicts == NULL);
  CHECK_STATUS(plc_session_advance(one, "2026-11-20T11:00:00.5+08:00", &verdicts, &length, NULL),
               PLC_OK);
  take_verdicts(&by_text, verdicts, length);
  CHECK(contains(by_text.data, "\"rule\":\"reply_within_hour\"") &&
        contains(by_text.data, "\"answered_at\":null"));
  /* The clock never goes back, and a verdict leaves once. */
  CHECK_STATUS(plc_session_advance(one, "2026-11-19T00:00:00Z", &verdicts, &length, NULL), PLC_OK);
  CHECK(verdicts == NULL);
  /* What is left is the day's rate period, complete at midnight. */
  CHECK_STATUS(plc_session_next_deadline(one, &has, &seconds, &nanoseconds), PLC_OK);
  CHECK(has == 1 && seconds == 1795190400 && nanoseconds == 0);
  CHECK_STATUS(plc_session_advance(one, "2026-11-21T00:00:01+08:00", &verdicts, &length, NULL), PLC_OK);
  take_verdicts(&by_text, verdicts, length);
  CHECK_STATUS(plc_session_next_deadline(one, &has, &seconds, &nanoseconds), PLC_OK);
  CHECK(has == 0 && seconds == 0);

  CHECK_STATUS(plc_session_advance_unix(two, 1795143600, 500000000, &verdicts, &length, NULL), PLC_OK);
  take_verdicts(&by_unix, verdicts, length);
  CHECK_STATUS(plc_session_advance_unix(two, 1795190401, 0, &verdicts, &length, NULL), PLC_OK);
  take_verdicts(&by_unix, verdicts, length);
  CHECK(by_text.length > 0 && by_text.length == by_unix.length &&
        memcmp(by_text.data, by_unix.data, by_text.length) == 0);
  CHECK_STATUS(plc_session_next_deadline(two, &has, &seconds, &nanoseconds), PLC_OK);
  CHECK(has == 0);

  free(by_text.data);
  free(by_unix.data);
  plc_session_free(one);
  plc_session_free(two);
  plc_policy_free(policy);
}

/* A refused line is an error object naming its line and reason; the session goes on. */
static void expect_refused(plc_session *session, const char *line, const char *reason,
                           const char *message) {
  char *verdicts = NULL;
  size_t length = 0;
  plc_error *error = NULL;
  CHECK_STATUS(plc_session_push(session, line, strlen(line), &verdicts, &length, &error),
               PLC_INPUT_ERROR);
  CHECK(error != NULL && plc_error_status(error) == PLC_INPUT_ERROR);
  CHECK(contains(plc_error_reason(error), reason));
  CHECK(contains(plc_error_message(error), message));
  if (!contains(plc_error_message(error), message)) {
    fprintf(stderr, "  got `%s`, expected `%s`\n", plc_error_message(error), message);
  }
  CHECK(verdicts == NULL && length == 0);
  plc_error_free(error);
}

static void test_session_bad_lines(void) {
  static const char first[] =
      "{\"conversation\":\"b-1\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"buyer\",\"text\":\"hi\"}";
  static const char earlier[] =
      "{\"conversation\":\"b-1\",\"at\":\"2026-11-20T09:00:00+08:00\",\"from\":\"seller\",\"text\":\"ok\"}";
  static const char other_platform[] =
      "{\"conversation\":\"b-2\",\"platform\":\"taobao\",\"at\":\"2026-11-20T12:00:00+08:00\","
      "\"from\":\"buyer\",\"text\":\"hi\"}";
  static const char next[] =
      "{\"conversation\":\"b-3\",\"at\":\"2026-11-20T12:00:01+08:00\",\"from\":\"seller\","
      "\"text\":\"\xe5\x8a\xa0\xe6\x88\x91\xe8\x96\x87\xe4\xbf\xa1 abc_123\"}";
  static const char nul_inside[] = "{\"conversation\":\"b\0\"}";
  plc_policy *policy = load_or_die("Policies/pinduoduo.policy");
  plc_policy *mini = NULL;
  const plc_policy *policies[2];
  plc_session *session = NULL;
  plc_session *later = NULL;
  plc_error *error = NULL;
  char *verdicts = NULL;
  size_t length = 0;
  char *state = NULL;
  size_t state_length = 0;
  CHECK_STATUS(plc_policy_from_source(mini_policy, strlen(mini_policy), NULL, &mini, NULL), PLC_OK);
  policies[0] = policy;
  policies[1] = mini;

  /* Two policies: an event's platform must name one of them. */
  CHECK_STATUS(plc_session_open(policies, 2, NULL, &session, NULL), PLC_OK);
  if (session == NULL) return;
  CHECK_STATUS(plc_session_push(session, first, strlen(first), &verdicts, &length, NULL), PLC_OK);
  /* Blank lines are skipped but counted, as policyc monitor counts its input's lines. */
  CHECK_STATUS(plc_session_push(session, "  \r\n", 4, &verdicts, &length, &error), PLC_OK);
  CHECK(verdicts == NULL && error == NULL);
  CHECK_STATUS(plc_session_push(session, NULL, 0, &verdicts, &length, &error), PLC_OK);
  expect_refused(session, "{not json", "invalid_json", "<events>:4: error: ");
  expect_refused(session, "{\"conversation\":\"x\",\"from\":\"buyer\",\"text\":\"a\"}", "missing_at",
                 "<events>:5: error: ");
  expect_refused(session, "{\"conversation\":\"\xff\"}", "invalid_utf8", "<events>:6: error: ");
  CHECK_STATUS(plc_session_push(session, nul_inside, sizeof nul_inside - 1, &verdicts, &length,
                                &error),
               PLC_INPUT_ERROR);
  CHECK(verdicts == NULL && contains(plc_error_message(error), "<events>:7: error: "));
  plc_error_free(error);

  /* A valid event the policies refuse still moves the clock: b-1's reply fell due at 11:00, and
   * its miss comes out with the refusal. */
  CHECK_STATUS(plc_session_push(session, other_platform, strlen(other_platform), &verdicts, &length,
                                &error),
               PLC_INPUT_ERROR);
  CHECK(contains(plc_error_reason(error), "unknown_platform"));
  CHECK(contains(plc_error_message(error), "<events>:8: error: `platform`"));
  CHECK(verdicts != NULL && contains(verdicts, "\"conversation\":\"b-1\"") &&
        contains(verdicts, "\"rule\":\"reply_within_hour\"") && verdicts[length - 1] == '\n');
  plc_string_free(verdicts);
  plc_error_free(error);

  /* And the session goes on. */
  CHECK_STATUS(plc_session_push(session, next, strlen(next), &verdicts, &length, &error), PLC_OK);
  CHECK(contains(verdicts, "\"rule\":\"third_party_info\"") && error == NULL);
  plc_string_free(verdicts);

  /* A later session refuses what the state has already judged: an earlier event is `late`. */
  CHECK_STATUS(plc_session_state(session, &state, &state_length, NULL), PLC_OK);
  CHECK_STATUS(plc_session_open_state(policies, 2, state, state_length, &later, NULL), PLC_OK);
  if (later != NULL) expect_refused(later, earlier, "late", "<events>:1: error: event at ");
  plc_string_free(state);
  plc_session_free(later);
  plc_session_free(session);
  plc_policy_free(mini);
  plc_policy_free(policy);
}

/* A state that is damaged, foreign, of other policies or unreadable is an error, never a crash. */
static void test_session_bad_states(void) {
  plc_policy *policy = load_or_die("Policies/pinduoduo.policy");
  plc_policy *mini = NULL;
  const plc_policy *policies[1];
  const plc_policy *minis[1];
  plc_session *session = NULL;
  plc_session *other = NULL;
  plc_error *error = NULL;
  char *state = NULL;
  size_t state_length = 0;
  char *damaged;
  char path[1024];
  size_t i;
  static const char event[] =
      "{\"conversation\":\"s-1\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"buyer\",\"text\":\"hi\"}";
  policies[0] = policy;
  CHECK_STATUS(plc_policy_from_source(mini_policy, strlen(mini_policy), NULL, &mini, NULL), PLC_OK);
  minis[0] = mini;

  CHECK_STATUS(plc_session_open(policies, 1, NULL, &session, NULL), PLC_OK);
  if (session == NULL) return;
  CHECK_STATUS(plc_session_push(session, event, strlen(event), &state, &state_length, NULL), PLC_OK);
  plc_string_free(state);
  CHECK_STATUS(plc_session_state(session, &state, &state_length, NULL), PLC_OK);
  if (state == NULL) return;

  /* Every single flipped byte and every truncation is refused with a reason. */
  damaged = malloc(state_length);
  CHECK(damaged != NULL);
  if (damaged == NULL) return;
  for (i = 0; i < state_length; i++) {
    memcpy(damaged, state, state_length);
    damaged[i] = (char)(damaged[i] ^ 0x20);
    CHECK_STATUS(plc_session_open_state(policies, 1, damaged, state_length, &other, &error),
                 PLC_INVALID_POLICY);
    CHECK(other == NULL && contains(plc_error_message(error), "state <state> is not usable"));
    plc_error_free(error);
    CHECK_STATUS(plc_session_open_state(policies, 1, state, i, &other, &error),
                 i == 0 ? PLC_OK : PLC_INVALID_POLICY);
    plc_session_free(other);
    plc_error_free(error);
    other = NULL;
  }
  CHECK_STATUS(plc_session_open_state(policies, 1, "hello", 5, &other, &error), PLC_INVALID_POLICY);
  CHECK(contains(plc_error_message(error), "not a PolicyLang state file"));
  plc_error_free(error);

  /* The same bytes through a file, and a file that is no state at all. */
  memcpy(damaged, state, state_length);
  damaged[state_length / 2] = (char)(damaged[state_length / 2] ^ 1);
  write_file(scratch_path(path, sizeof path, "damaged.state"), damaged, state_length);
  CHECK_STATUS(plc_session_open(policies, 1, path, &other, &error), PLC_INVALID_POLICY);
  CHECK(other == NULL && contains(plc_error_message(error), "damaged.state"));
  plc_error_free(error);
  /* A directory cannot be read as a state. */
  CHECK_STATUS(plc_session_open(policies, 1, scratch, &other, &error), PLC_MISSING_FILE);
  CHECK(other == NULL && contains(plc_error_message(error), "cannot read state"));
  plc_error_free(error);

  /* A state of other policies. */
  CHECK_STATUS(plc_session_open_state(minis, 1, state, state_length, &other, &error), PLC_INVALID_POLICY);
  CHECK(other == NULL && contains(plc_error_message(error), "was made with policies pinduoduo"));
  plc_error_free(error);

  /* Saving where no file can be written keeps nothing half-written and says why. */
  CHECK_STATUS(plc_session_save(session, "/nonexistent-directory/x.state", &error), PLC_INTERNAL_ERROR);
  CHECK(contains(plc_error_message(error), "cannot write state"));
  plc_error_free(error);

  free(damaged);
  plc_string_free(state);
  plc_session_free(session);
  plc_policy_free(mini);
  plc_policy_free(policy);
}

/* A state whose policy changed since: the session opens and says what was dropped. */
static void test_session_warnings(void) {
  static const char with_reply[] =
      "policy mini \"Mini\" {\n"
      "  source \"mini.txt\" dated 2026-01-01\n"
      "  zone   Asia/Shanghai\n"
      "}\n"
      "clause M-2 \"Reply\" timeline\n"
      "severity minor \"Minor\" sanction \"points\"\n"
      "rule reply \"Reply\" {\n"
      "  clause   M-2\n"
      "  severity minor\n"
      "  every message from buyer\n"
      "  expect reply within 60m\n"
      "}\n";
  static const char event[] =
      "{\"conversation\":\"w-1\",\"at\":\"2026-11-20T10:00:00+08:00\",\"from\":\"buyer\",\"text\":\"hi\"}";
  plc_policy *before = NULL;
  plc_policy *after = NULL;
  const plc_policy *policies[1];
  plc_session *session = NULL;
  plc_error *error = NULL;
  char *state = NULL;
  size_t state_length = 0;
  const char *warnings = NULL;
  size_t warnings_length = 0;

  CHECK_STATUS(plc_policy_from_source(with_reply, strlen(with_reply), NULL, &before, &error), PLC_OK);
  if (error != NULL) fprintf(stderr, "%s\n", plc_error_message(error));
  plc_error_free(error);
  CHECK_STATUS(plc_policy_from_source(mini_policy, strlen(mini_policy), NULL, &after, NULL), PLC_OK);
  if (before == NULL || after == NULL) return;
  policies[0] = before;
  CHECK_STATUS(plc_session_open(policies, 1, NULL, &session, NULL), PLC_OK);
  CHECK_STATUS(plc_session_push(session, event, strlen(event), &state, &state_length, NULL), PLC_OK);
  plc_string_free(state);
  CHECK_STATUS(plc_session_state(session, &state, &state_length, NULL), PLC_OK);
  plc_session_free(session);
  session = NULL;

  policies[0] = after;
  CHECK_STATUS(plc_session_open_state(policies, 1, state, state_length, &session, &error), PLC_OK);
  CHECK(error == NULL);
  CHECK_STATUS(plc_session_warnings(session, &warnings, &warnings_length), PLC_OK);
  CHECK(contains(warnings, "policy `mini` changed since state <state> was made") &&
        contains(warnings, "`reply`") && warnings[warnings_length - 1] == '\n');
  plc_string_free(state);
  plc_session_free(session);
  plc_policy_free(before);
  plc_policy_free(after);
}

static void test_session_errors(void) {
  plc_policy *policy = load_or_die("Policies/pinduoduo.policy");
  const plc_policy *policies[1];
  const plc_policy *nulls[1] = {NULL};
  plc_session *session = NULL;
  plc_error *error = NULL;
  char *verdicts = NULL;
  size_t length = 0;
  int has = 0;
  int64_t seconds = 0;
  uint32_t nanoseconds = 0;
  const char *data = NULL;
  policies[0] = policy;

  CHECK_STATUS(plc_session_open(NULL, 1, NULL, &session, &error), PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error), "plc_session_open: `policies` is NULL"));
  plc_error_free(error);
  CHECK_STATUS(plc_session_open(policies, 0, NULL, &session, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_open(nulls, 1, NULL, &session, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_open(policies, 1, NULL, NULL, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_open(policies, 1, "\xff.state", &session, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_open_state(policies, 1, NULL, 3, &session, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_open_state(policies, 1, "abc", (size_t)-1, &session, NULL),
               PLC_INVALID_ARGUMENT);
  CHECK(session == NULL);

  CHECK_STATUS(plc_session_open(policies, 1, NULL, &session, NULL), PLC_OK);
  if (session == NULL) return;
  CHECK_STATUS(plc_session_push(NULL, "{}", 2, &verdicts, &length, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_push(session, NULL, 2, &verdicts, &length, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_push(session, "{}", 2, NULL, &length, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_push(session, "{}", 2, &verdicts, NULL, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_advance(NULL, "2026-11-20T10:00:00Z", &verdicts, &length, NULL),
               PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_advance(session, NULL, &verdicts, &length, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_advance(session, "tomorrow", &verdicts, &length, &error),
               PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error),
                 "plc_session_advance: `instant` `tomorrow`: not an RFC 3339 time"));
  plc_error_free(error);
  CHECK_STATUS(plc_session_advance(session, "2026-11-20T10:00:00Z", NULL, &length, NULL),
               PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_advance_unix(session, 0, 1000000000u, &verdicts, &length, &error),
               PLC_INVALID_ARGUMENT);
  CHECK(contains(plc_error_message(error), "`nanoseconds`"));
  plc_error_free(error);
  CHECK_STATUS(plc_session_advance_unix(session, INT64_MAX, 0, &verdicts, &length, NULL),
               PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_advance_unix(session, INT64_MIN, 0, &verdicts, &length, NULL),
               PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_advance_unix(NULL, 0, 0, &verdicts, &length, NULL), PLC_INVALID_ARGUMENT);
  CHECK(verdicts == NULL && length == 0);
  CHECK_STATUS(plc_session_next_deadline(NULL, &has, &seconds, &nanoseconds), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_next_deadline(session, NULL, &seconds, &nanoseconds), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_save(NULL, "x.state", NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_save(session, NULL, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_state(NULL, &verdicts, &length, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_state(session, NULL, &length, NULL), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_warnings(NULL, &data, &length), PLC_INVALID_ARGUMENT);
  CHECK_STATUS(plc_session_warnings(session, NULL, &length), PLC_INVALID_ARGUMENT);
  CHECK(data == NULL);
  plc_session_free(NULL);
  plc_session_free(session);
  plc_policy_free(policy);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: capi_test POLICYC SCRATCH_DIR (from the repository root)\n");
    return 64;
  }
  policyc = argv[1];
  scratch = argv[2];
  test_abi_version();
  test_error_accessors_take_null();
  test_policy_load();
  test_policy_with_errors();
  test_policy_from_source();
  test_load_program();
  test_check_message();
  test_message_equals_batch();
  test_batches_match_policyc();
  test_evaluate_errors();
  test_one_policy_many_threads();
  test_session_matches_monitor();
  test_session_clock();
  test_session_bad_lines();
  test_session_bad_states();
  test_session_warnings();
  test_session_errors();
  printf("capi_test: %d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
