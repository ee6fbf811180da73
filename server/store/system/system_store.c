/*
 * system_store.c — the queries behind SystemService and DiagnosticsService.
 */
#include "server/store/system/system_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "server/store/core/db.h"
#include "server/store/core/internal.h"

nu_status nu_store_server_info(nu_conn *c, nu_arena *a, nu_server_info_row *out) {
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT (SELECT coalesce(max(version), 0) FROM schema_migrations),"
                            " current_setting('server_version'),"
                            " (extract(epoch from now()) * 1000000)::bigint",
                            0, NULL, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) {
    return nu_error(a, NU_INTERNAL, "DATABASE_ERROR", "server info: expected one row, got %d",
                    PQntuples(res));
  }
  out->schema_version = atoi(PQgetvalue(res, 0, 0));
  /* The value lives in the result, which lives as long as the arena. */
  out->database_version = PQgetvalue(res, 0, 1);
  out->database_time_us = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
  return nu_ok();
}

nu_status nu_store_sleep(nu_conn *c, nu_arena *a, int duration_ms, int *slept_ms) {
  if (duration_ms < 0) {
    return nu_error(a, NU_INVALID_ARGUMENT, NULL, "sleep duration must not be negative");
  }
  const nu_clock *clk = nu_pool_clock(c->pool);
  char ms[16];
  snprintf(ms, sizeof(ms), "%d", duration_ms);
  const char *params[] = {ms};
  int64_t start = nu_clock_mono_ns(clk);
  nu_status st = nu_db_exec(c, a, "SELECT pg_sleep($1::float8 / 1000)", 1, params, NULL);
  int64_t slept = (nu_clock_mono_ns(clk) - start) / NU_NS_PER_MS;
  if (slept_ms != NULL) *slept_ms = slept > 0 ? (int)slept : 0;
  return st;
}
