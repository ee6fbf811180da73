/*
 * poller.c — the background job loop (see poller.h).
 */
#include "server/jobs/poller.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "server/common/clock.h"
#include "server/common/log.h"
#include "server/store/core/tx.h"

#define BACKOFF_MAX_NS (INT64_C(3600) * NU_NS_PER_S)

int64_t nu_poller_backoff_ns(int attempts) {
  if (attempts < 0) attempts = 0;
  if (attempts >= 12) return BACKOFF_MAX_NS;
  int64_t d = NU_NS_PER_S << attempts;
  return d < BACKOFF_MAX_NS ? d : BACKOFF_MAX_NS;
}

struct nu_poller {
  nu_pool *pool;
  nu_poller_options opts;
  nu_poller_batch_fn fn;
  void *arg;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool stopping;
};

typedef struct batch_run {
  nu_poller *p;
  size_t claimed;
} batch_run;

static nu_status batch_tx(nu_conn *c, nu_arena *a, void *arg) {
  batch_run *r = arg;
  r->claimed = 0; /* a retried transaction starts over */
  return r->p->fn(c, a, r->p->arg, &r->claimed);
}

/* Runs one batch; how many rows it claimed (0 when it failed). */
static size_t run_batch(nu_poller *p) {
  nu_arena *a = nu_arena_new();
  if (a == NULL) return 0;
  batch_run r = {.p = p};
  nu_tx_options opts = {
      .deadline_mono_ns =
          nu_clock_mono_ns(nu_clock_system()) + p->opts.tx_timeout_ms * NU_NS_PER_MS,
  };
  nu_status st = nu_tx_run(p->pool, a, &opts, batch_tx, &r);
  if (!nu_status_is_ok(&st)) {
    nu_log(NU_LOG_WARN, "background batch failed", "job", p->opts.name, "error", st.message, NULL);
    r.claimed = 0;
  }
  nu_arena_free(a);
  return r.claimed;
}

static void *poller_main(void *arg) {
  nu_poller *p = arg;
  for (;;) {
    pthread_mutex_lock(&p->mu);
    bool stop = p->stopping;
    pthread_mutex_unlock(&p->mu);
    if (stop) break;
    if (run_batch(p) >= p->opts.batch_size) continue; /* more may be due */
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    int64_t ns = (int64_t)until.tv_nsec + p->opts.poll_interval_ms * NU_NS_PER_MS;
    until.tv_sec += (time_t)(ns / NU_NS_PER_S);
    until.tv_nsec = (long)(ns % NU_NS_PER_S);
    pthread_mutex_lock(&p->mu);
    while (!p->stopping) {
      if (pthread_cond_timedwait(&p->cv, &p->mu, &until) == ETIMEDOUT) break;
    }
    pthread_mutex_unlock(&p->mu);
  }
  return NULL;
}

nu_poller *nu_poller_start(nu_pool *pool, const nu_poller_options *opts, nu_poller_batch_fn fn,
                           void *arg) {
  nu_poller *p = calloc(1, sizeof(*p));
  if (p == NULL) return NULL;
  p->pool = pool;
  p->opts = *opts;
  p->fn = fn;
  p->arg = arg;
  pthread_mutex_init(&p->mu, NULL);
  pthread_condattr_t ca;
  pthread_condattr_init(&ca);
  pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
  pthread_cond_init(&p->cv, &ca);
  pthread_condattr_destroy(&ca);
  if (pthread_create(&p->thread, NULL, poller_main, p) != 0) {
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
    return NULL;
  }
  return p;
}

void nu_poller_stop(nu_poller *p) {
  if (p == NULL) return;
  pthread_mutex_lock(&p->mu);
  p->stopping = true;
  pthread_cond_signal(&p->cv);
  pthread_mutex_unlock(&p->mu);
  pthread_join(p->thread, NULL);
  pthread_cond_destroy(&p->cv);
  pthread_mutex_destroy(&p->mu);
  free(p);
}
