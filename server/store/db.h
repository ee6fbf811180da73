/*
 * db.h — helpers for the store modules; the only header with libpq.
 *
 * Only files under server/store/ include this. Every PGresult handed out is
 * cleared by a cleanup on the arena, so callers never PQclear.
 */
#ifndef NU_STORE_DB_H
#define NU_STORE_DB_H

#include <postgresql/libpq-fe.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The connection under a pooled connection (borrowed). */
PGconn *nu_conn_pg(nu_conn *c);

/* Runs sql with $1..$n text parameters (NULL value = SQL NULL). On success
 * *out (if not NULL) is the result, owned by the arena. On failure returns
 * the status mapped from the SQLSTATE (see sqlstate.h). */
nu_status nu_db_exec(nu_conn *c, nu_arena *a, const char *sql, int nparams,
                     const char *const *values, PGresult **out);

/* The status for a failed result (res may be NULL: connection failure). */
nu_status nu_db_error(nu_conn *c, nu_arena *a, const PGresult *res);

#ifdef __cplusplus
}
#endif

#endif
