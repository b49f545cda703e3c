/*
 * capi_bench.c - the C API's costs on policy-bench's corpus, medians of several runs:
 *   - one message per call: plc_policy_check_message on every line (compare with policy-bench's
 *     row "one message via the Swift API", the same work through the Swift API);
 *   - one batch, grouped, one job: plc_evaluate of the file's bytes and plc_evaluate_files of
 *     its path (compare with `policyc eval --grouped --jobs 1`);
 *   - with `session` alone: every line pushed through one new session per run (plc_session_push,
 *     the clock moved by each event as `policyc monitor` moves it), on a time-ordered file.
 *
 *   capi_bench POLICY EVENTS.jsonl [RUNS [message|batch|session]]   (bindings-bench.sh runs it)
 *
 * With `message` or `batch` only those rows run: under callgrind, the difference between RUNS 2
 * and RUNS 1 is the instruction count of one pass, free of the machine's noise.
 */
#define _POSIX_C_SOURCE 200809L

#include "policylang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a;
  double y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *values, int count) {
  qsort(values, (size_t)count, sizeof *values, by_value);
  return count % 2 ? values[count / 2] : (values[count / 2 - 1] + values[count / 2]) / 2;
}

static char *read_all(const char *path, size_t *length) {
  FILE *file = fopen(path, "rb");
  char *bytes = NULL;
  long size;
  if (file == NULL) return NULL;
  if (fseek(file, 0, SEEK_END) == 0 && (size = ftell(file)) >= 0 && fseek(file, 0, SEEK_SET) == 0 &&
      (bytes = malloc((size_t)size + 1)) != NULL) {
    *length = fread(bytes, 1, (size_t)size, file);
  }
  fclose(file);
  return bytes;
}

int main(int argc, char **argv) {
  plc_policy *policy = NULL;
  plc_error *error = NULL;
  char *events;
  size_t length = 0;
  size_t *starts;
  size_t *ends;
  size_t lines = 0;
  size_t i;
  int runs = argc > 3 ? atoi(argv[3]) : 5;
  const char *only = argc > 4 ? argv[4] : "";
  int run;
  int by_path;
  double *walls;
  double *cpus;
  long found = 0;

  if (argc < 3 || runs < 1) {
    fprintf(stderr, "usage: capi_bench POLICY EVENTS.jsonl [RUNS [message|batch|session]]\n");
    return 64;
  }
  if (plc_policy_load(argv[1], &policy, &error) != PLC_OK) {
    fprintf(stderr, "%s\n", plc_error_message(error));
    return 65;
  }
  events = read_all(argv[2], &length);
  starts = malloc((length / 2 + 1) * sizeof *starts);
  ends = malloc((length / 2 + 1) * sizeof *ends);
  walls = malloc((size_t)runs * sizeof *walls);
  cpus = malloc((size_t)runs * sizeof *cpus);
  if (events == NULL || starts == NULL || ends == NULL || walls == NULL || cpus == NULL) {
    fprintf(stderr, "cannot read %s\n", argv[2]);
    return 66;
  }
  for (i = 0; i < length;) {
    char *end = memchr(events + i, '\n', length - i);
    size_t stop = end != NULL ? (size_t)(end - events) : length;
    if (stop > i) {
      starts[lines] = i;
      ends[lines] = stop;
      lines++;
    }
    i = stop + 1;
  }

  printf("| C API row | median s | per message or event/s | thread CPU s | verdicts |\n|---|---|---|---|---|\n");
  if (strcmp(only, "session") == 0) {
    for (run = 0; run < runs; run++) {
      plc_session *session = NULL;
      double wall = seconds(CLOCK_MONOTONIC);
      double cpu = seconds(CLOCK_THREAD_CPUTIME_ID);
      found = 0;
      if (plc_session_open((const plc_policy *const *)&policy, 1, NULL, &session, NULL) != PLC_OK) return 70;
      for (i = 0; i < lines; i++) {
        char *verdicts = NULL;
        size_t verdicts_length = 0;
        plc_session_push(session, events + starts[i], ends[i] - starts[i], &verdicts, &verdicts_length, NULL);
        if (verdicts != NULL) {
          const char *p;
          for (p = verdicts; (p = memchr(p, '\n', verdicts_length - (size_t)(p - verdicts))) != NULL; p++) found++;
          plc_string_free(verdicts);
        }
      }
      plc_session_free(session);
      cpus[run] = seconds(CLOCK_THREAD_CPUTIME_ID) - cpu;
      walls[run] = seconds(CLOCK_MONOTONIC) - wall;
    }
    {
      double wall = median(walls, runs);
      double cpu = median(cpus, runs);
      printf("| one session, every event pushed (plc_session_push) | %.3f | %.0f ns (CPU %.0f ns) | %.3f | %ld |\n",
             wall, wall / (double)lines * 1e9, cpu / (double)lines * 1e9, cpu, found);
    }
  }
  for (run = 0; run < runs && strcmp(only, "batch") != 0 && strcmp(only, "session") != 0; run++) {
    double wall = seconds(CLOCK_MONOTONIC);
    double cpu = seconds(CLOCK_THREAD_CPUTIME_ID);
    found = 0;
    for (i = 0; i < lines; i++) {
      char *verdicts = NULL;
      size_t verdicts_length = 0;
      if (plc_policy_check_message(policy, events + starts[i], ends[i] - starts[i], &verdicts,
                                   &verdicts_length, NULL) == PLC_OK &&
          verdicts != NULL) {
        const char *p;
        for (p = verdicts; (p = memchr(p, '\n', verdicts_length - (size_t)(p - verdicts))) != NULL; p++) found++;
        plc_string_free(verdicts);
      }
    }
    cpus[run] = seconds(CLOCK_THREAD_CPUTIME_ID) - cpu;
    walls[run] = seconds(CLOCK_MONOTONIC) - wall;
  }
  if (strcmp(only, "batch") != 0 && strcmp(only, "session") != 0) {
    double wall = median(walls, runs);
    double cpu = median(cpus, runs);
    printf("| one message per call (plc_policy_check_message) | %.3f | %.0f ns (CPU %.0f ns) | %.3f | %ld |\n",
           wall, wall / (double)lines * 1e9, cpu / (double)lines * 1e9, cpu, found);
  }

  for (by_path = 0; by_path < 2 && strcmp(only, "message") != 0 && strcmp(only, "session") != 0; by_path++) {
    const char *path = argv[2];
    for (run = 0; run < runs; run++) {
      plc_eval_options options = PLC_EVAL_OPTIONS_INIT;
      plc_batch *batch = NULL;
      plc_stats stats;
      double wall = seconds(CLOCK_MONOTONIC);
      double cpu = seconds(CLOCK_THREAD_CPUTIME_ID);
      options.as_of = "2026-12-31T00:00:00+08:00";
      options.flags = PLC_EVAL_GROUPED;
      options.jobs = 1;
      if (by_path) {
        plc_evaluate_files((const plc_policy *const *)&policy, 1, &path, 1, &options, &batch, NULL);
      } else {
        plc_evaluate((const plc_policy *const *)&policy, 1, events, length, &options, &batch, NULL);
      }
      cpus[run] = seconds(CLOCK_THREAD_CPUTIME_ID) - cpu;
      walls[run] = seconds(CLOCK_MONOTONIC) - wall;
      stats.size = sizeof stats;
      plc_batch_stats(batch, &stats);
      found = (long)stats.verdicts_written;
      plc_batch_free(batch);
    }
    {
      double wall = median(walls, runs);
      printf("| one batch, grouped, one job (%s) | %.3f | %.0f events/s | %.3f | %ld |\n",
             by_path ? "plc_evaluate_files" : "plc_evaluate, the file in memory", wall,
             (double)lines / wall, median(cpus, runs), found);
    }
  }
  free(events);
  free(starts);
  free(ends);
  free(walls);
  free(cpus);
  plc_policy_free(policy);
  return 0;
}
