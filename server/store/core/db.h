/*
 * db.h — helpers for the store modules; the only header with libpq.
 *
 * Only files under server/store/ include this. Every PGresult handed out is
 * cleared by a cleanup on the arena, so callers never PQclear.
 */
#ifndef NU_STORE_DB_H
#define NU_STORE_DB_H

#include <postgresql/libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

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

/* RESOURCE_EXHAUSTED OUT_OF_MEMORY "out of memory": what a store function
 * returns when the arena cannot hold a parameter or a row. */
nu_status nu_store_oom(nu_arena *a);

/* The constraint the last failed statement on c violated ("" if none), to
 * tell which unique key a 23505 hit. */
const char *nu_db_failed_constraint(const nu_conn *c);

/* Parameters: int64 as decimal text (arena), bool as "t"/"f", bytes as
 * bytea hex text "\\x…" (arena). Times are passed as Unix microseconds
 * and converted with nu_ts($n) in SQL (see 0002_identity.sql). */
const char *nu_db_i64(nu_arena *a, int64_t v);
const char *nu_db_bool(bool v);
const char *nu_db_bytea(nu_arena *a, const uint8_t *b, size_t len);

/* items[0..n) as a PostgreSQL array literal ("{\"a\",NULL,…}", arena):
 * every element quoted, with '"' and '\\' escaped, NULL items as SQL
 * NULL; cast it in SQL ($1::uuid[], $2::bigint[]…) and unnest it to send a
 * batch of rows in one statement. NULL when the arena is full. */
const char *nu_db_array(nu_arena *a, const char *const *items, size_t n);

/* Values of a text-format result. nu_db_text: NULL for SQL NULL, else the
 * value (owned by the result, so by the arena). Numbers and booleans read
 * NULL as 0/false. Bytes decode a bytea hex value into the arena (NULL and
 * *len 0 for SQL NULL). Times: select nu_us(col) and read an i64. */
const char *nu_db_text(const PGresult *r, int row, int col);
int64_t nu_db_get_i64(const PGresult *r, int row, int col);
bool nu_db_get_bool(const PGresult *r, int row, int col);
const uint8_t *nu_db_get_bytea(nu_arena *a, const PGresult *r, int row, int col, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
