/*
 * domain_request_store.c — SQL of eligible_domain_requests (see the header).
 * Owns table eligible_domain_requests.
 */
#include "server/store/eligibility/domain_request_store.h"

#include "server/store/core/db.h"

#define COLUMNS                                                                     \
  "id, domain, email, note, state, refusal_reason, COALESCE(decided_by::text, '')," \
  " nu_us(created_at), COALESCE(nu_us(decided_at), 0), credits_granted"

static void read_row(const PGresult *res, int row, nu_domain_request_row *r) {
  r->id = nu_db_text(res, row, 0);
  r->domain = nu_db_text(res, row, 1);
  r->email = nu_db_text(res, row, 2);
  r->note = nu_db_text(res, row, 3);
  r->state = nu_db_text(res, row, 4);
  r->refusal_reason = nu_db_text(res, row, 5);
  r->decided_by = nu_db_text(res, row, 6);
  r->created_us = nu_db_get_i64(res, row, 7);
  r->decided_us = nu_db_get_i64(res, row, 8);
  r->credits_granted = (int32_t)nu_db_get_i64(res, row, 9);
}

nu_status nu_domain_request_insert(nu_conn *c, nu_arena *a, const char *domain, const char *email,
                                   const char *note, int64_t now_ns, nu_domain_request_row *out,
                                   bool *created) {
  const char *params[] = {domain, email, note != NULL ? note : "", nu_db_i64(a, now_ns / 1000)};
  if (params[3] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO eligible_domain_requests (domain, email, note, created_at)"
                            " VALUES ($1, $2, $3, nu_ts($4))"
                            " ON CONFLICT (domain, lower(email)) WHERE state = 'pending' DO NOTHING"
                            " RETURNING " COLUMNS,
                            4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *created = PQntuples(res) == 1;
  if (*created) {
    read_row(res, 0, out);
    return nu_ok();
  }
  const char *again[] = {domain, email};
  st = nu_db_exec(c, a,
                  "SELECT " COLUMNS
                  " FROM eligible_domain_requests"
                  " WHERE domain = $1 AND lower(email) = lower($2) AND state = 'pending'",
                  2, again, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) {
    /* Decided between the conflict and the read: the caller's
     * transaction retries and records a new one. */
    return nu_error(a, NU_ABORTED, "CONCURRENT_CHANGE", "the request changed meanwhile");
  }
  read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_domain_request_get(nu_conn *c, nu_arena *a, const char *id, bool for_update,
                                nu_domain_request_row *out, bool *found) {
  const char *params[] = {id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            for_update ? "SELECT " COLUMNS
                                         " FROM eligible_domain_requests WHERE id::text = $1"
                                         " FOR UPDATE"
                                       : "SELECT " COLUMNS
                                         " FROM eligible_domain_requests WHERE id::text = $1",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found) read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_domain_request_decide(nu_conn *c, nu_arena *a, const nu_domain_request_row *in,
                                   int64_t now_ns, nu_domain_request_row *out) {
  const char *params[] = {in->id,
                          in->state,
                          in->refusal_reason != NULL ? in->refusal_reason : "",
                          in->decided_by,
                          nu_db_i64(a, in->credits_granted),
                          nu_db_i64(a, now_ns / 1000)};
  if (params[4] == NULL || params[5] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE eligible_domain_requests SET state = $2, refusal_reason = $3,"
                            " decided_by = $4::uuid, credits_granted = $5::int,"
                            " decided_at = nu_ts($6)"
                            " WHERE id = $1::uuid RETURNING " COLUMNS,
                            6, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) return nu_error(a, NU_ABORTED, "CONCURRENT_CHANGE", "request vanished");
  read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_domain_request_list(nu_conn *c, nu_arena *a, const char *state, int64_t after_us,
                                 const char *after_id, int limit, nu_domain_request_row **rows,
                                 size_t *n) {
  const char *params[] = {state, after_id != NULL ? nu_db_i64(a, after_us) : NULL, after_id,
                          nu_db_i64(a, limit)};
  if ((after_id != NULL && params[1] == NULL) || params[3] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT " COLUMNS
                            " FROM eligible_domain_requests"
                            " WHERE ($1::text IS NULL OR state = $1)"
                            " AND ($3::text IS NULL OR (created_at, id) < (nu_ts($2), $3::uuid))"
                            " ORDER BY created_at DESC, id DESC LIMIT $4::int",
                            4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) read_row(res, (int)i, &(*rows)[i]);
  return nu_ok();
}
