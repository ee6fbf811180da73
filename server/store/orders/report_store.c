/*
 * report_store.c — SQL of provisioning_reports (see the header).
 * Owns table provisioning_reports.
 */
#include "server/store/orders/report_store.h"

#include "server/store/core/db.h"

nu_status nu_report_record_many(nu_conn *c, nu_arena *a, const char *seller_id,
                                const nu_report_new *reports, size_t n, int64_t now_ns,
                                size_t *recorded) {
  *recorded = 0;
  if (n == 0) return nu_ok();
  const char **events = nu_arena_calloc(a, n, sizeof(*events));
  const char **lines = nu_arena_calloc(a, n, sizeof(*lines));
  const char **outcomes = nu_arena_calloc(a, n, sizeof(*outcomes));
  const char **times = nu_arena_calloc(a, n, sizeof(*times));
  if (events == NULL || lines == NULL || outcomes == NULL || times == NULL) {
    return nu_store_oom(a);
  }
  for (size_t i = 0; i < n; i++) {
    events[i] = reports[i].event_id;
    lines[i] = reports[i].line_id;
    outcomes[i] = reports[i].outcome;
    times[i] = nu_db_i64(a, reports[i].reported_us);
    if (times[i] == NULL) return nu_store_oom(a);
  }
  const char *params[] = {seller_id,
                          nu_db_array(a, events, n),
                          nu_db_array(a, lines, n),
                          nu_db_array(a, outcomes, n),
                          nu_db_array(a, times, n),
                          nu_db_i64(a, now_ns / 1000)};
  for (size_t k = 1; k < sizeof(params) / sizeof(params[0]); k++) {
    if (params[k] == NULL) return nu_store_oom(a);
  }
  PGresult *res = NULL;
  /* A concurrent transaction inserting the same id waits on the unique
   * index and then sees the conflict: never two firsts. */
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO provisioning_reports (seller_id, event_id, line_id,"
                            " outcome, reported_at, received_at)"
                            " SELECT $1::uuid, r.event_id, r.line_id, r.outcome, nu_ts(r.reported),"
                            " nu_ts($6)"
                            " FROM unnest($2::text[], $3::uuid[], $4::text[], $5::bigint[])"
                            "      AS r(event_id, line_id, outcome, reported)"
                            " ON CONFLICT (seller_id, event_id) DO NOTHING RETURNING 1",
                            6, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *recorded = (size_t)PQntuples(res);
  return nu_ok();
}

nu_status nu_report_seen_many(nu_conn *c, nu_arena *a, const char *seller_id,
                              const char *const *event_ids, size_t n, bool *seen) {
  for (size_t i = 0; i < n; i++) seen[i] = false;
  if (n == 0) return nu_ok();
  const char *params[] = {seller_id, nu_db_array(a, event_ids, n)};
  if (params[1] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT e.k FROM unnest($2::text[]) WITH ORDINALITY AS e(event_id, k)"
                            " JOIN provisioning_reports p"
                            "   ON p.seller_id = $1::uuid AND p.event_id = e.event_id",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  for (int i = 0; i < PQntuples(res); i++) {
    int64_t k = nu_db_get_i64(res, i, 0);
    if (k >= 1 && (size_t)k <= n) seen[k - 1] = true;
  }
  return nu_ok();
}
