/*
 * poller.h — the thread a background job runs on (outbox delivery,
 * document rendering; later invoice runs, alerts, scheduled transitions).
 *
 * It runs one batch in a transaction (the job claims its rows there with
 * FOR UPDATE SKIP LOCKED, so several servers share the work), again at once
 * while batches come back full, otherwise after the poll interval, until
 * stopped. A batch that fails is logged with the job's name and rolled back
 * (whatever it claimed is claimed again by a later batch); the loop goes on.
 */
#ifndef NU_JOBS_POLLER_H
#define NU_JOBS_POLLER_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One batch in c's transaction; *claimed: how many rows it took. */
typedef nu_status (*nu_poller_batch_fn)(nu_conn *c, nu_arena *a, void *arg, size_t *claimed);

typedef struct nu_poller_options {
  const char *name;         /* static, for the log: "outbox", "document rendering" */
  int64_t poll_interval_ms; /* > 0 */
  size_t batch_size;        /* a batch that claims this many runs again at once */
  int64_t tx_timeout_ms;    /* the bound of one batch's transaction, > 0 */
} nu_poller_options;

typedef struct nu_poller nu_poller;

/* Starts the thread on pool (borrowed, as are opts->name and arg: they
 * must outlive the poller); NULL when it cannot start. */
nu_poller *nu_poller_start(nu_pool *pool, const nu_poller_options *opts, nu_poller_batch_fn fn,
                           void *arg);

/* Stops the thread after its current batch, and frees p. NULL is a no-op. */
void nu_poller_stop(nu_poller *p);

/* The delay before a job's next attempt at a row after `attempts` failed
 * ones: 1 s, 2 s, 4 s … at most 1 h (a row is never given up). */
int64_t nu_poller_backoff_ns(int attempts);

#ifdef __cplusplus
}
#endif

#endif
