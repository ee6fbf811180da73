/*
 * subscription_store.c — SQL of subscriptions (see the header).
 * Owns table subscriptions.
 */
#include "server/store/orders/subscription_store.h"

#include <string.h>

#include "server/store/core/db.h"
#include "server/validate/ids.h"

#define COLUMNS                                                                                    \
  "s.id, s.organization_id, s.product_id, p.code, COALESCE(s.order_id::text, ''),"                 \
  " COALESCE(o.number, ''), COALESCE(s.order_line_id::text, ''), COALESCE(s.parent_id::text, '')," \
  " s.name, s.type, s.region, s.quantity, s.duration_months, s.upfront_cents,"                     \
  " s.monthly_price_cents, nu_us(s.starts_at), COALESCE(nu_us(s.ends_at), 0),"                     \
  " COALESCE(nu_us(s.terminated_at), 0), s.version, nu_us(s.created_at)"
#define FROM                                                     \
  " FROM subscriptions s JOIN products p ON p.id = s.product_id" \
  " LEFT JOIN orders o ON o.id = s.order_id"

static void read_row(const PGresult *r, int i, nu_subscription_row *s) {
  int k = 0;
  s->id = nu_db_text(r, i, k++);
  s->organization_id = nu_db_text(r, i, k++);
  s->product_id = nu_db_text(r, i, k++);
  s->product_code = nu_db_text(r, i, k++);
  s->order_id = nu_db_text(r, i, k++);
  s->order_number = nu_db_text(r, i, k++);
  s->order_line_id = nu_db_text(r, i, k++);
  s->parent_id = nu_db_text(r, i, k++);
  s->name = nu_db_text(r, i, k++);
  s->type = nu_db_text(r, i, k++);
  s->region = nu_db_text(r, i, k++);
  s->quantity = nu_db_get_i64(r, i, k++);
  s->duration_months = (int32_t)nu_db_get_i64(r, i, k++);
  s->upfront_cents = nu_db_get_i64(r, i, k++);
  s->monthly_price_cents = nu_db_get_i64(r, i, k++);
  s->starts_us = nu_db_get_i64(r, i, k++);
  s->ends_us = nu_db_get_i64(r, i, k++);
  s->terminated_us = nu_db_get_i64(r, i, k++);
  s->version = nu_db_get_i64(r, i, k++);
  s->created_us = nu_db_get_i64(r, i, k++);
}

static const char *opt_i64(nu_arena *a, int64_t v, bool *oom) {
  if (v == 0) return NULL;
  const char *s = nu_db_i64(a, v);
  if (s == NULL) *oom = true;
  return s;
}

nu_status nu_subscription_get(nu_conn *c, nu_arena *a, const char *id, bool for_update,
                              nu_subscription_row *out, bool *found) {
  if (!nu_id_valid(id)) {
    *found = false;
    return nu_ok();
  }
  const char *params[] = {id};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 for_update ? "SELECT " COLUMNS FROM " WHERE s.id = $1::uuid FOR UPDATE OF s"
                            : "SELECT " COLUMNS FROM " WHERE s.id = $1::uuid",
                 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found) read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_subscription_insert(nu_conn *c, nu_arena *a, const nu_subscription_row *in,
                                 int64_t now_ns, nu_subscription_row *out) {
  bool oom = false;
  const char *params[] = {in->organization_id,
                          in->product_id,
                          in->order_id,
                          in->order_line_id,
                          in->parent_id != NULL && in->parent_id[0] != '\0' ? in->parent_id : NULL,
                          in->name,
                          in->type,
                          in->region != NULL ? in->region : "",
                          nu_db_i64(a, in->quantity),
                          nu_db_i64(a, in->duration_months),
                          nu_db_i64(a, in->upfront_cents),
                          nu_db_i64(a, in->monthly_price_cents),
                          nu_db_i64(a, in->starts_us),
                          opt_i64(a, in->ends_us, &oom),
                          opt_i64(a, in->terminated_us, &oom),
                          nu_db_i64(a, now_ns / 1000)};
  for (int i = 8; i <= 12; i++) {
    if (params[i] == NULL) oom = true;
  }
  if (oom || params[15] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "INSERT INTO subscriptions (organization_id, product_id, order_id, order_line_id,"
      " parent_id, name, type, region, quantity, duration_months, upfront_cents,"
      " monthly_price_cents, starts_at, ends_at, terminated_at, created_at, updated_at)"
      " VALUES ($1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6, $7, $8, $9::bigint,"
      " $10::int, $11::bigint, $12::bigint, nu_ts($13), nu_ts($14), nu_ts($15), nu_ts($16),"
      " nu_ts($16)) RETURNING id",
      16, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  bool found = false;
  st = nu_subscription_get(c, a, nu_db_text(res, 0, 0), false, out, &found);
  if (nu_status_is_ok(&st) && !found)
    return nu_error(a, NU_INTERNAL, NULL, "subscription vanished");
  return st;
}

nu_status nu_subscription_write(nu_conn *c, nu_arena *a, const nu_subscription_row *in,
                                int64_t requested_us, const char *requested_by, int64_t now_ns,
                                nu_subscription_row *out) {
  bool oom = false;
  const char *params[] = {in->id,
                          nu_db_i64(a, in->quantity),
                          opt_i64(a, in->terminated_us, &oom),
                          opt_i64(a, requested_us, &oom),
                          requested_by,
                          nu_db_i64(a, now_ns / 1000)};
  if (oom || params[1] == NULL || params[5] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE subscriptions SET quantity = $2::bigint,"
                            " terminated_at = nu_ts($3), termination_requested_at = nu_ts($4),"
                            " termination_requested_by = $5::uuid, version = version + 1,"
                            " updated_at = nu_ts($6) WHERE id = $1::uuid RETURNING id",
                            6, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1)
    return nu_error(a, NU_ABORTED, "CONCURRENT_CHANGE", "subscription vanished");
  bool found = false;
  return nu_subscription_get(c, a, in->id, false, out, &found);
}

/* The status at $5 (now), the rule of domain/subscriptions in SQL. */
#define STATUS_SQL                                                                           \
  "CASE WHEN s.terminated_at IS NOT NULL AND s.terminated_at <= nu_ts($5) THEN 'terminated'" \
  " WHEN s.starts_at > nu_ts($5) THEN 'subscribed'"                                          \
  " WHEN s.ends_at IS NOT NULL AND s.ends_at <= nu_ts($5) THEN 'ended'"                      \
  " ELSE 'active' END"

nu_status nu_subscription_list(nu_conn *c, nu_arena *a, const nu_subscription_filter *f,
                               int64_t after_key, const char *after_id, int limit,
                               nu_subscription_row **rows, size_t *n) {
  /* Columns as the index holds them (subscriptions_org_idx by creation);
   * open-ended ends sort last, as INT64_MAX in the page token. */
  const char *key = f->sort == NU_SUBSCRIPTION_SORT_START ? "s.starts_at"
                    : f->sort == NU_SUBSCRIPTION_SORT_END ? "COALESCE(s.ends_at, 'infinity')"
                                                          : "s.created_at";
  const char *pos = f->sort == NU_SUBSCRIPTION_SORT_END
                        ? "CASE WHEN $11::bigint = 9223372036854775807 THEN 'infinity'::timestamptz"
                          " ELSE nu_ts($11::bigint) END"
                        : "nu_ts($11::bigint)";
  bool desc = f->sort == NU_SUBSCRIPTION_SORT_NEWEST;
  const char *sql = nu_arena_sprintf(
      a,
      "SELECT " COLUMNS FROM
      " WHERE ($1::uuid IS NULL OR s.organization_id = $1::uuid)"
      " AND ($2::uuid IS NULL OR ("
      "   EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = s.organization_id"
      "           AND m.user_id = $2::uuid)"
      "   AND (o.placed_by = $2::uuid OR EXISTS (SELECT 1 FROM organizations b"
      "        WHERE b.id = s.organization_id AND b.referent_user_id = $2::uuid))))"
      " AND ($3::text IS NULL OR position(lower(nu_unaccent($3)) in"
      "      lower(nu_unaccent(COALESCE(o.number, '') || ' ' || s.name || ' ' || p.code))) > 0)"
      " AND ($4::text IS NULL OR " STATUS_SQL
      " = $4)"
      " AND ($6::bigint IS NULL OR s.starts_at >= nu_ts($6))"
      " AND ($7::bigint IS NULL OR s.starts_at < nu_ts($7))"
      " AND ($8::bigint IS NULL OR s.ends_at >= nu_ts($8))"
      " AND ($9::bigint IS NULL OR s.ends_at < nu_ts($9))"
      " AND ($10::uuid IS NULL OR (%s, s.id) %s (%s, $10::uuid))"
      " ORDER BY %s %s, s.id %s LIMIT $12::int",
      key, desc ? "<" : ">", pos, key, desc ? "DESC" : "ASC", desc ? "DESC" : "ASC");
  if (sql == NULL) return nu_store_oom(a);
  bool oom = false;
  const char *params[] = {f->organization_id,
                          f->mine_user_id,
                          f->query != NULL && f->query[0] != '\0' ? f->query : NULL,
                          f->status,
                          nu_db_i64(a, f->now_us),
                          opt_i64(a, f->start_from_us, &oom),
                          opt_i64(a, f->start_to_us, &oom),
                          opt_i64(a, f->end_from_us, &oom),
                          opt_i64(a, f->end_to_us, &oom),
                          after_id,
                          after_id != NULL ? nu_db_i64(a, after_key) : NULL,
                          nu_db_i64(a, limit)};
  if (oom || params[4] == NULL || params[11] == NULL || (after_id != NULL && params[10] == NULL)) {
    return nu_store_oom(a);
  }
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a, sql, 12, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) read_row(res, (int)i, &(*rows)[i]);
  return nu_ok();
}
