/*
 * tx.h — running a unit of work in one transaction.
 *
 * nu_tx_run acquires a connection, begins a transaction, bounds every
 * statement by the call's remaining deadline (SET LOCAL statement_timeout),
 * runs fn, and commits. When fn or the commit fails with a serialization
 * failure (40001) or a deadlock (40P01), the whole transaction is retried,
 * up to max_attempts in all, then ABORTED is returned. A connection found
 * dead at BEGIN (the database restarted) is replaced once, since nothing has
 * run yet. Any error rolls back: nothing is half-written.
 */
#ifndef NU_STORE_TX_H
#define NU_STORE_TX_H

#include <stdbool.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_isolation {
  NU_ISOLATION_READ_COMMITTED = 0,
  NU_ISOLATION_REPEATABLE_READ = 1,
  NU_ISOLATION_SERIALIZABLE = 2,
} nu_isolation;

typedef struct nu_tx_options {
  int64_t deadline_mono_ns; /* the call's deadline on the pool's clock */
  nu_isolation isolation;
  bool read_only;
  int max_attempts; /* 0: 5 */
} nu_tx_options;

/* The work: runs inside the transaction; return a non-OK status to roll
 * back. May run more than once (retries): keep side effects in the
 * database. Allocations go to `a`. */
typedef nu_status (*nu_tx_fn)(nu_conn *c, nu_arena *a, void *arg);

nu_status nu_tx_run(nu_pool *p, nu_arena *a, const nu_tx_options *opts, nu_tx_fn fn, void *arg);

#ifdef __cplusplus
}
#endif

#endif
