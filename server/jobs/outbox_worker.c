/*
 * outbox_worker.c — claiming, delivering and settling outbox messages (see
 * outbox_worker.h for the guarantees).
 */
#include "server/jobs/outbox_worker.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/common/json.h"
#include "server/common/log.h"
#include "server/jobs/poller.h"
#include "server/store/core/outbox_store.h"

struct nu_outbox_worker {
  nu_app *app;
  nu_outbox_sink sink;
  char *dir;
  int batch_size;
  nu_poller *poller;
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

static nu_status batch_tx(nu_conn *c, nu_arena *a, void *arg, size_t *claimed) {
  nu_outbox_worker *w = arg;
  int64_t now = nu_clock_wall_ns(w->app->clock);
  nu_outbox_row *rows = NULL;
  size_t n = 0;
  nu_status st = nu_outbox_claim(c, a, now, w->batch_size, &rows, &n);
  if (!nu_status_is_ok(&st)) return st;
  *claimed = n;
  for (size_t i = 0; i < n; i++) {
    const char *err = deliver(w, a, &rows[i]);
    if (err == NULL) {
      st = nu_outbox_mark_delivered(c, a, rows[i].id, now);
    } else {
      char id[24];
      snprintf(id, sizeof(id), "%" PRId64, rows[i].id);
      nu_log(NU_LOG_WARN, "outbox delivery failed", "id", id, "error", err, NULL);
      st = nu_outbox_mark_failed(c, a, rows[i].id, err,
                                 now + nu_poller_backoff_ns(rows[i].attempts));
    }
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
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
  w->batch_size = opts->batch_size > 0 ? opts->batch_size : 16;
  nu_poller_options po = {
      .name = "outbox",
      .poll_interval_ms = opts->poll_interval_ms > 0 ? opts->poll_interval_ms : 200,
      .batch_size = (size_t)w->batch_size,
      .tx_timeout_ms = 30 * 1000,
  };
  if ((opts->dir != NULL && w->dir == NULL) ||
      (w->poller = nu_poller_start(app->pool, &po, batch_tx, w)) == NULL) {
    *error = "cannot start the outbox worker";
    free(w->dir);
    free(w);
    return NULL;
  }
  return w;
}

void nu_outbox_worker_stop(nu_outbox_worker *w) {
  if (w == NULL) return;
  nu_poller_stop(w->poller);
  free(w->dir);
  free(w);
}
