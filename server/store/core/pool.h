/*
 * pool.h — a bounded pool of PostgreSQL connections.
 *
 * A connection serves one call at a time. Connections are opened lazily, up
 * to `size`; a caller waits for a free one until its deadline. While the
 * database is unreachable, acquiring fails fast with UNAVAILABLE: after a
 * failed connection attempt the pool answers UNAVAILABLE without trying
 * again for `retry_backoff_ns`, then tries again, so calls succeed again
 * soon after the database is back, without a restart.
 *
 * Thread-safe.
 */
#ifndef NU_STORE_POOL_H
#define NU_STORE_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/clock.h"
#include "server/common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_pool nu_pool;
typedef struct nu_conn nu_conn; /* one pooled connection; see store/core/db.h */

typedef struct nu_pool_options {
  const char *conninfo;         /* libpq conninfo or URI; copied */
  int size;                     /* at most this many connections, >= 1 */
  const nu_clock *clock;        /* NULL: system clock */
  int64_t retry_backoff_ns;     /* 0: 200 ms */
  const char *application_name; /* NULL: "nuage-server" */
} nu_pool_options;

/* Creates the pool without connecting. Caller frees with nu_pool_free. */
nu_status nu_pool_new(const nu_pool_options *opts, nu_arena *a, nu_pool **out);

/* Closes every connection. All connections must have been released. */
void nu_pool_free(nu_pool *p);

/* Waits until a connection is free (or can be opened) or the monotonic
 * deadline passes. Errors: UNAVAILABLE (database unreachable),
 * DEADLINE_EXCEEDED (no connection freed in time). The connection is the
 * caller's until nu_pool_release. */
nu_status nu_pool_acquire(nu_pool *p, int64_t deadline_mono_ns, nu_arena *a, nu_conn **out);

/* Gives the connection back. A connection that is broken or left inside a
 * transaction is closed instead of reused. */
void nu_pool_release(nu_pool *p, nu_conn *c);

/* For shutdown once the grace period is over: from now on acquiring fails
 * with UNAVAILABLE, and the statements running on connections handed out
 * are cancelled (they fail with 57014, as on a statement timeout). The
 * connections stay the callers' until they release them. */
void nu_pool_close(nu_pool *p);

/* The pool's clock. */
const nu_clock *nu_pool_clock(const nu_pool *p);

#ifdef __cplusplus
}
#endif

#endif
