/*
 * credit_store.c — SQL of the credits table. Owns table credits.
 */
#include "server/store/eligibility/credit_store.h"

#include "server/store/core/db.h"

nu_status nu_credit_grant_voucher(nu_conn *c, nu_arena *a, const char *organization_id,
                                  const char *email, int64_t amount_cents, int64_t now_ns,
                                  bool *granted) {
  const char *params[] = {organization_id, email, nu_db_i64(a, amount_cents),
                          nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL || params[3] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "INSERT INTO credits (organization_id, nature, email, amount_cents, remaining_cents,"
      " currency, activation_date, created_at)"
      " VALUES ($1, 'eligibility_voucher', $2, $3, $3, 'EUR',"
      " (nu_ts($4) AT TIME ZONE 'UTC')::date, nu_ts($4))"
      " ON CONFLICT (lower(email)) WHERE nature = 'eligibility_voucher' DO NOTHING"
      " RETURNING id",
      4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *granted = PQntuples(res) == 1;
  return nu_ok();
}

nu_status nu_credit_list(nu_conn *c, nu_arena *a, const char *organization_id,
                         const char *after_date, const char *after_id, int limit,
                         nu_credit_row **rows, size_t *n) {
  const char *params[] = {organization_id, after_date, after_id, nu_db_i64(a, limit)};
  if (params[3] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "SELECT id, organization_id, nature, COALESCE(email, ''), amount_cents, remaining_cents,"
      " currency, to_char(activation_date, 'YYYY-MM-DD'), nu_us(created_at)"
      " FROM credits WHERE organization_id = $1"
      " AND ($2::text IS NULL OR (activation_date, id) > ($2::date, $3::uuid))"
      " ORDER BY activation_date, id LIMIT $4::int",
      4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) {
    nu_credit_row *r = &(*rows)[i];
    int row = (int)i;
    r->id = nu_db_text(res, row, 0);
    r->organization_id = nu_db_text(res, row, 1);
    r->nature = nu_db_text(res, row, 2);
    r->email = nu_db_text(res, row, 3);
    r->amount_cents = nu_db_get_i64(res, row, 4);
    r->remaining_cents = nu_db_get_i64(res, row, 5);
    r->currency = nu_db_text(res, row, 6);
    r->activation_date = nu_db_text(res, row, 7);
    r->created_us = nu_db_get_i64(res, row, 8);
  }
  return nu_ok();
}
