/*
 * rate_limit_store.c — queries of the rate_limit_hits table. Owns table
 * rate_limit_hits.
 */
#include "server/store/core/rate_limit_store.h"

#include "server/store/core/db.h"

/* Rows of ended windows deleted per new window: more than one, so the
 * table shrinks after a burst, and bounded, so no call pays for a purge. */
#define NU_RATE_PURGE_BATCH 20

nu_status nu_rate_limit_hit(nu_conn *c, nu_arena *a, const uint8_t bucket[NU_RATE_BUCKET_BYTES],
                            int64_t start_ns, int64_t end_ns, int64_t now_ns, int64_t *hits) {
  const char *params[] = {nu_db_bytea(a, bucket, NU_RATE_BUCKET_BYTES),
                          nu_db_i64(a, start_ns / 1000), nu_db_i64(a, end_ns / 1000)};
  if (params[0] == NULL || params[1] == NULL || params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO rate_limit_hits (bucket, window_start, window_end, hits)"
                            " VALUES ($1, nu_ts($2), nu_ts($3), 1)"
                            " ON CONFLICT (bucket, window_start)"
                            " DO UPDATE SET hits = rate_limit_hits.hits + 1"
                            " RETURNING hits",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *hits = nu_db_get_i64(res, 0, 0);
  if (*hits != 1) return nu_ok();
  /* SKIP LOCKED: servers purging at once take different rows, and none
   * waits for a row another call is counting in. */
  const char *purge[] = {nu_db_i64(a, now_ns / 1000), nu_db_i64(a, NU_RATE_PURGE_BATCH)};
  if (purge[0] == NULL || purge[1] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "DELETE FROM rate_limit_hits WHERE ctid IN ("
                    "  SELECT ctid FROM rate_limit_hits WHERE window_end <= nu_ts($1)"
                    "  LIMIT $2 FOR UPDATE SKIP LOCKED)",
                    2, purge, NULL);
}

nu_status nu_rate_limit_peek(nu_conn *c, nu_arena *a, const uint8_t bucket[NU_RATE_BUCKET_BYTES],
                             int64_t start_ns, int64_t *hits) {
  const char *params[] = {nu_db_bytea(a, bucket, NU_RATE_BUCKET_BYTES),
                          nu_db_i64(a, start_ns / 1000)};
  if (params[0] == NULL || params[1] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT hits FROM rate_limit_hits"
                            " WHERE bucket = $1 AND window_start = nu_ts($2)",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *hits = PQntuples(res) == 1 ? nu_db_get_i64(res, 0, 0) : 0;
  return nu_ok();
}
