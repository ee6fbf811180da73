/*
 * document_worker.c — claiming, rendering and storing pending documents
 * (see document_worker.h for the guarantees).
 */
#include "server/jobs/document_worker.h"

#include <stdlib.h>

#include "server/jobs/document_render.h"
#include "server/jobs/poller.h"
#include "server/store/orders/document_store.h"

struct nu_document_worker {
  nu_app *app;
  int batch_size;
  nu_poller *poller;
};

static nu_status batch_tx(nu_conn *c, nu_arena *a, void *arg, size_t *claimed) {
  nu_document_worker *w = arg;
  int64_t now = nu_clock_wall_ns(w->app->clock);
  nu_document_pending *rows = NULL;
  size_t n = 0;
  nu_status st = nu_document_claim_pending(c, a, now, w->batch_size, &rows, &n);
  if (!nu_status_is_ok(&st)) return st;
  *claimed = n;
  for (size_t i = 0; i < n; i++) {
    const char *err = NULL;
    st = nu_document_render(c, a, &rows[i], now, &err);
    if (!nu_status_is_ok(&st)) return st;
    if (err == NULL) continue;
    st = nu_document_render_failed(c, a, rows[i].id, err,
                                   now + nu_poller_backoff_ns(rows[i].attempts));
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
}

nu_document_worker *nu_document_worker_start(nu_app *app, const nu_document_worker_options *opts,
                                             const char **error) {
  *error = NULL;
  nu_document_worker *w = calloc(1, sizeof(*w));
  if (w == NULL) {
    *error = "out of memory";
    return NULL;
  }
  w->app = app;
  w->batch_size = opts->batch_size > 0 ? opts->batch_size : 8;
  nu_poller_options po = {
      .name = "document rendering",
      .poll_interval_ms = opts->poll_interval_ms > 0 ? opts->poll_interval_ms : 200,
      .batch_size = (size_t)w->batch_size,
      .tx_timeout_ms = 60 * 1000,
  };
  w->poller = nu_poller_start(app->pool, &po, batch_tx, w);
  if (w->poller == NULL) {
    *error = "cannot start the document worker";
    free(w);
    return NULL;
  }
  return w;
}

void nu_document_worker_stop(nu_document_worker *w) {
  if (w == NULL) return;
  nu_poller_stop(w->poller);
  free(w);
}
