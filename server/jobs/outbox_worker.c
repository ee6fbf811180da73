/*
 * outbox_worker.c — claiming, delivering and settling outbox messages (see
 * outbox_worker.h for the guarantees).
 */
#include "server/jobs/outbox_worker.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/common/json.h"
#include "server/common/log.h"
#include "server/store/core/outbox_store.h"
#include "server/store/core/tx.h"

#define BACKOFF_MAX_NS (INT64_C(3600) * NU_NS_PER_S)

struct nu_outbox_worker {
  nu_app *app;
  nu_outbox_sink sink;
  char *dir;
  int64_t poll_ns;
  int batch_size;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool stopping;
};

int nu_outbox_sink_parse(const char *s, nu_outbox_sink *out) {
  if (s == NULL) return -1;
  if (strcmp(s, "none") == 0)
    *out = NU_OUTBOX_SINK_NONE;
  else if (strcmp(s, "log") == 0)
    *out = NU_OUTBOX_SINK_LOG;
  else if (strcmp(s, "file") == 0)
    *out = NU_OUTBOX_SINK_FILE;
  else
    return -1;
  return 0;
}

/* ---- sinks ------------------------------------------------------------------- */

static const char *message_json(nu_arena *a, const nu_outbox_row *m) {
  const char *q[] = {nu_json_quote(a, m->channel), nu_json_quote(a, m->recipient),
                     nu_json_quote(a, m->template_name), nu_json_quote(a, m->organization_id),
                     nu_json_quote(a, m->request_id)};
  for (size_t i = 0; i < 5; i++) {
    if (q[i] == NULL) return NULL;
  }
  return nu_arena_sprintf(a,
                          "{\"id\": %" PRId64
                          ", \"channel\": %s, \"recipient\": %s,"
                          " \"template\": %s, \"organization_id\": %s, \"request_id\": %s,"
                          " \"created_at_us\": %" PRId64 ", \"payload\": %s}\n",
                          m->id, q[0], q[1], q[2], q[3], q[4], m->created_us,
                          m->payload_json != NULL ? m->payload_json : "{}");
}

/* DIR/<id>.json, mode 0600, via a temporary file and rename. NULL on
 * success, else a static description of the failure. */
static const char *deliver_file(nu_outbox_worker *w, nu_arena *a, const nu_outbox_row *m) {
  const char *body = message_json(a, m);
  char *path = nu_arena_sprintf(a, "%s/%" PRId64 ".json", w->dir, m->id);
  char *tmp = nu_arena_sprintf(a, "%s/.%" PRId64 ".json.tmp", w->dir, m->id);
  if (body == NULL || path == NULL || tmp == NULL) return "out of memory";
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot create the message file";
  size_t len = strlen(body), off = 0;
  while (off < len) {
    ssize_t n = write(fd, body + off, len - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      unlink(tmp);
      return "cannot write the message file";
    }
    off += (size_t)n;
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    unlink(tmp);
    return "cannot write the message file";
  }
  if (rename(tmp, path) != 0) {
    unlink(tmp);
    return "cannot rename the message file";
  }
  return NULL;
}

static const char *deliver(nu_outbox_worker *w, nu_arena *a, const nu_outbox_row *m) {
  if (w->sink == NU_OUTBOX_SINK_FILE) return deliver_file(w, a, m);
  char id[24];
  snprintf(id, sizeof(id), "%" PRId64, m->id);
  /* Never the payload: it holds single-use links. */
  nu_log(NU_LOG_INFO, "outbox message delivered", "id", id, "channel", m->channel, "template",
         m->template_name, "recipient", m->recipient, NULL);
  return NULL;
}

/* ---- one batch ------------------------------------------------------------------ */

typedef struct batch_run {
  nu_outbox_worker *w;
  size_t claimed;
} batch_run;

static int64_t backoff_ns(int attempts) {
  if (attempts >= 12) return BACKOFF_MAX_NS;
  int64_t d = NU_NS_PER_S << attempts; /* 1 s, 2 s, 4 s … */
  return d < BACKOFF_MAX_NS ? d : BACKOFF_MAX_NS;
}

static nu_status batch_tx(nu_conn *c, nu_arena *a, void *arg) {
  batch_run *r = arg;
  nu_outbox_worker *w = r->w;
  int64_t now = nu_clock_wall_ns(w->app->clock);
  nu_outbox_row *rows = NULL;
  size_t n = 0;
  nu_status st = nu_outbox_claim(c, a, now, w->batch_size, &rows, &n);
  if (!nu_status_is_ok(&st)) return st;
  r->claimed = n;
  for (size_t i = 0; i < n; i++) {
    const char *err = deliver(w, a, &rows[i]);
    if (err == NULL) {
      st = nu_outbox_mark_delivered(c, a, rows[i].id, now);
    } else {
      char id[24];
      snprintf(id, sizeof(id), "%" PRId64, rows[i].id);
      nu_log(NU_LOG_WARN, "outbox delivery failed", "id", id, "error", err, NULL);
      st = nu_outbox_mark_failed(c, a, rows[i].id, err, now + backoff_ns(rows[i].attempts));
    }
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
}

/* Runs one batch; returns how many messages it claimed (0 on error). */
static size_t run_batch(nu_outbox_worker *w) {
  nu_arena *a = nu_arena_new();
  if (a == NULL) return 0;
  batch_run r = {.w = w};
  nu_tx_options opts = {
      .deadline_mono_ns = nu_clock_mono_ns(nu_clock_system()) + 30 * NU_NS_PER_S,
  };
  nu_status st = nu_tx_run(w->app->pool, a, &opts, batch_tx, &r);
  if (!nu_status_is_ok(&st)) {
    nu_log(NU_LOG_WARN, "outbox batch failed", "error", st.message, NULL);
    r.claimed = 0;
  }
  nu_arena_free(a);
  return r.claimed;
}

static void *worker_main(void *arg) {
  nu_outbox_worker *w = arg;
  for (;;) {
    pthread_mutex_lock(&w->mu);
    bool stop = w->stopping;
    pthread_mutex_unlock(&w->mu);
    if (stop) break;
    size_t claimed = run_batch(w);
    if (claimed >= (size_t)w->batch_size) continue; /* more may be due */
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    int64_t ns = (int64_t)until.tv_nsec + w->poll_ns;
    until.tv_sec += (time_t)(ns / NU_NS_PER_S);
    until.tv_nsec = (long)(ns % NU_NS_PER_S);
    pthread_mutex_lock(&w->mu);
    while (!w->stopping) {
      if (pthread_cond_timedwait(&w->cv, &w->mu, &until) == ETIMEDOUT) break;
    }
    pthread_mutex_unlock(&w->mu);
  }
  return NULL;
}

nu_outbox_worker *nu_outbox_worker_start(nu_app *app, const nu_outbox_worker_options *opts,
                                         const char **error) {
  *error = NULL;
  if (opts->sink == NU_OUTBOX_SINK_NONE) return NULL;
  if (opts->sink == NU_OUTBOX_SINK_FILE) {
    if (opts->dir == NULL || opts->dir[0] == '\0') {
      *error = "the file sink needs a directory (--outbox-dir)";
      return NULL;
    }
    if (mkdir(opts->dir, 0700) != 0 && errno != EEXIST) {
      *error = "cannot create the outbox directory";
      return NULL;
    }
  }
  nu_outbox_worker *w = calloc(1, sizeof(*w));
  if (w == NULL) {
    *error = "out of memory";
    return NULL;
  }
  w->app = app;
  w->sink = opts->sink;
  w->dir = opts->dir != NULL ? strdup(opts->dir) : NULL;
  w->poll_ns = (opts->poll_interval_ms > 0 ? opts->poll_interval_ms : 200) * NU_NS_PER_MS;
  w->batch_size = opts->batch_size > 0 ? opts->batch_size : 16;
  pthread_mutex_init(&w->mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&w->cv, &ca);
  pthread_condattr_destroy(&ca);
  if ((opts->dir != NULL && w->dir == NULL) ||
      pthread_create(&w->thread, NULL, worker_main, w) != 0) {
    *error = "cannot start the outbox worker";
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w->dir);
    free(w);
    return NULL;
  }
  return w;
}

void nu_outbox_worker_stop(nu_outbox_worker *w) {
  if (w == NULL) return;
  pthread_mutex_lock(&w->mu);
  w->stopping = true;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->thread, NULL);
  pthread_cond_destroy(&w->cv);
  pthread_mutex_destroy(&w->mu);
  free(w->dir);
  free(w);
}
