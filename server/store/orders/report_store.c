/*
 * report_store.c — SQL of provisioning_reports (see the header).
 * Owns table provisioning_reports.
 */
#include "server/store/orders/report_store.h"

#include "server/store/core/db.h"

nu_status nu_report_record(nu_conn *c, nu_arena *a, const char *seller_id, const char *event_id,
                           const char *line_id, const char *outcome, int64_t reported_us,
                           int64_t now_ns, bool *first) {
  const char *params[] = {seller_id,
                          event_id,
                          line_id,
                          outcome,
                          nu_db_i64(a, reported_us),
                          nu_db_i64(a, now_ns / 1000)};
  if (params[4] == NULL || params[5] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  /* A concurrent transaction inserting the same id waits on the unique
   * index and then sees the conflict: never two firsts. */
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO provisioning_reports (seller_id, event_id, line_id,"
                            " outcome, reported_at, received_at)"
                            " VALUES ($1::uuid, $2, $3::uuid, $4, nu_ts($5), nu_ts($6))"
                            " ON CONFLICT (seller_id, event_id) DO NOTHING RETURNING 1",
                            6, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *first = PQntuples(res) == 1;
  return nu_ok();
}

nu_status nu_report_seen(nu_conn *c, nu_arena *a, const char *seller_id, const char *event_id,
                         bool *seen) {
  const char *params[] = {seller_id, event_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT 1 FROM provisioning_reports"
                            " WHERE seller_id = $1::uuid AND event_id = $2",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *seen = PQntuples(res) == 1;
  return nu_ok();
}
