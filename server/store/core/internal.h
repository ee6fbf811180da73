/*
 * internal.h — what the store's own files share and nothing else sees.
 *
 * The layout of a pooled connection (so tx.c and db.c can read the SQLSTATE
 * of its last failure), opening a libpq connection the same way for the pool
 * and for migrations, and turning a failed result into a status.
 */
#ifndef NU_STORE_INTERNAL_H
#define NU_STORE_INTERNAL_H

#include <stdbool.h>

#include <postgresql/libpq-fe.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

struct nu_conn {
  PGconn *pg;       /* NULL while the slot holds no connection */
  PGcancel *cancel; /* made by the thread that opened pg; guarded by the
                     * pool's mutex, so nu_pool_close can use it from
                     * another thread while pg runs a statement */
  nu_pool *pool;
  bool in_use;              /* handed out, or being opened; guarded by the pool's mutex */
  char sqlstate[6];         /* SQLSTATE of the last failed statement, "" if none */
  char constraint_name[64]; /* the constraint it violated, "" if none */
};

/* Opens a connection to conninfo (URI or key=value) named application_name,
 * with connect_timeout=2 and the session time zone UTC. On success *out is
 * the caller's, to close with PQfinish; on failure returns UNAVAILABLE. */
nu_status nu_store_connect(const char *conninfo, const char *application_name, nu_arena *a,
                           PGconn **out);

/* The status for a failed result on pg (res NULL: no answer). Copies the
 * SQLSTATE into sqlstate_out (6 bytes; "" when there is none). */
nu_status nu_store_result_error(PGconn *pg, nu_arena *a, const PGresult *res, char sqlstate_out[6]);

#endif
