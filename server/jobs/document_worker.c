/*
 * document_worker.c — claiming, rendering and storing pending documents
 * (see document_worker.h for the guarantees).
 */
#include "server/jobs/document_worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "server/common/log.h"
#include "server/jobs/document_render.h"
#include "server/store/core/tx.h"
#include "server/store/orders/document_store.h"

struct nu_document_worker {
  nu_app *app;
  int64_t poll_ns;
  int batch_size;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool stopping;
};

typedef struct batch_run {
  nu_document_worker *w;
  size_t claimed;
} batch_run;

static nu_status batch_tx(nu_conn *c, nu_arena *a, void *arg) {
  batch_run *r = arg;
  nu_document_worker *w = r->w;
  int64_t now = nu_clock_wall_ns(w->app->clock);
  nu_document_pending *rows = NULL;
  size_t n = 0;
  r->claimed = 0;
  nu_status st = nu_document_claim_pending(c, a, now, w->batch_size, &rows, &n);
  if (!nu_status_is_ok(&st)) return st;
  r->claimed = n;
  for (size_t i = 0; i < n; i++) {
    const char *err = NULL;
    st = nu_document_render(c, a, &rows[i], now, &err);
    if (!nu_status_is_ok(&st)) return st;
    if (err == NULL) continue;
    nu_log(NU_LOG_WARN, "document rendering failed", "id", rows[i].id, "number",
           rows[i].note.number, "error", err, NULL);
    st = nu_document_render_failed(c, a, rows[i].id, err,
                                   now + nu_document_render_backoff_ns(rows[i].attempts));
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
}

/* Runs one batch; returns how many documents it claimed (0 on error). */
static size_t run_batch(nu_document_worker *w) {
  nu_arena *a = nu_arena_new();
  if (a == NULL) return 0;
  batch_run r = {.w = w};
  nu_tx_options opts = {
      .deadline_mono_ns = nu_clock_mono_ns(nu_clock_system()) + 60 * NU_NS_PER_S,
  };
  nu_status st = nu_tx_run(w->app->pool, a, &opts, batch_tx, &r);
  if (!nu_status_is_ok(&st)) {
    nu_log(NU_LOG_WARN, "document rendering batch failed", "error", st.message, NULL);
    r.claimed = 0;
  }
  nu_arena_free(a);
  return r.claimed;
}

static void *worker_main(void *arg) {
  nu_document_worker *w = arg;
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

nu_document_worker *nu_document_worker_start(nu_app *app, const nu_document_worker_options *opts,
                                             const char **error) {
  *error = NULL;
  nu_document_worker *w = calloc(1, sizeof(*w));
  if (w == NULL) {
    *error = "out of memory";
    return NULL;
  }
  w->app = app;
  w->poll_ns = (opts->poll_interval_ms > 0 ? opts->poll_interval_ms : 200) * NU_NS_PER_MS;
  w->batch_size = opts->batch_size > 0 ? opts->batch_size : 8;
  pthread_mutex_init(&w->mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&w->cv, &ca);
  pthread_condattr_destroy(&ca);
  if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
    *error = "cannot start the document worker";
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
    free(w);
    return NULL;
  }
  return w;
}

void nu_document_worker_stop(nu_document_worker *w) {
  if (w == NULL) return;
  pthread_mutex_lock(&w->mu);
  w->stopping = true;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  pthread_join(w->thread, NULL);
  pthread_cond_destroy(&w->cv);
  pthread_mutex_destroy(&w->mu);
  free(w);
}
