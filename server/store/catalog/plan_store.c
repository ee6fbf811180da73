/*
 * plan_store.c — SQL of the pricing_plans table (see plan_store.h). Owns
 * table pricing_plans; the plan summary on products is refreshed by their
 * owner, product_store, after each write.
 */
#include "server/store/catalog/plan_store.h"

#include <inttypes.h>
#include <stdlib.h>

#include "server/store/catalog/product_store.h"
#include "server/store/core/db.h"
#include "server/validate/ids.h"

#define PLAN_COLUMNS                                                                    \
  "id, product_id, name, model, currency, hourly_price_cents, monthly_price_cents,"     \
  " commitment_months, upfront_cents, vat_rate_bp, active, version, nu_us(created_at)," \
  " nu_us(updated_at)"

/* An amount column: has false for NULL. */
static int64_t amount(const PGresult *r, int i, int k, bool *has) {
  *has = !PQgetisnull(r, i, k);
  return nu_db_get_i64(r, i, k);
}

static void read_row(const PGresult *r, int i, nu_plan_row *o) {
  int k = 0;
  o->id = nu_db_text(r, i, k++);
  o->product_id = nu_db_text(r, i, k++);
  o->name = nu_db_text(r, i, k++);
  o->model = nu_db_text(r, i, k++);
  o->currency = nu_db_text(r, i, k++);
  o->hourly_cents = amount(r, i, k++, &o->has_hourly);
  o->monthly_cents = amount(r, i, k++, &o->has_monthly);
  o->commitment_months = (int32_t)nu_db_get_i64(r, i, k++);
  o->upfront_cents = amount(r, i, k++, &o->has_upfront);
  o->vat_rate_bp = (int32_t)nu_db_get_i64(r, i, k++);
  o->active = nu_db_get_bool(r, i, k++);
  o->version = nu_db_get_i64(r, i, k++);
  o->created_us = nu_db_get_i64(r, i, k++);
  o->updated_us = nu_db_get_i64(r, i, k++);
}

/* Text parameters of the optional columns (NULL for SQL NULL). */
typedef struct plan_params {
  const char *hourly, *monthly, *commitment, *upfront, *vat;
} plan_params;

static int params_of(nu_arena *a, const nu_plan_row *in, plan_params *p) {
  p->hourly = in->has_hourly ? nu_db_i64(a, in->hourly_cents) : NULL;
  p->monthly = in->has_monthly ? nu_db_i64(a, in->monthly_cents) : NULL;
  p->commitment = in->commitment_months != 0 ? nu_db_i64(a, in->commitment_months) : NULL;
  p->upfront = in->has_upfront ? nu_db_i64(a, in->upfront_cents) : NULL;
  p->vat = nu_db_i64(a, in->vat_rate_bp);
  if ((in->has_hourly && p->hourly == NULL) || (in->has_monthly && p->monthly == NULL) ||
      (in->commitment_months != 0 && p->commitment == NULL) ||
      (in->has_upfront && p->upfront == NULL) || p->vat == NULL) {
    return -1;
  }
  return 0;
}

nu_plan_terms nu_plan_row_terms(const nu_plan_row *r) {
  nu_plan_terms t = {
      .model = nu_pricing_model_parse(r->model),
      .has_hourly = r->has_hourly,
      .hourly_cents = r->hourly_cents,
      .has_monthly = r->has_monthly,
      .monthly_cents = r->monthly_cents,
      .commitment_months = r->commitment_months,
      .has_upfront = r->has_upfront,
      .upfront_cents = r->upfront_cents,
      .vat_rate_bp = r->vat_rate_bp,
  };
  return t;
}

nu_status nu_plan_insert(nu_conn *c, nu_arena *a, const nu_plan_row *in, int64_t now_ns,
                         nu_plan_row *out) {
  plan_params p;
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL || params_of(a, in, &p) != 0) return nu_store_oom(a);
  const char *params[] = {
      in->product_id, in->name,  in->model, in->currency,           p.hourly, p.monthly,
      p.commitment,   p.upfront, p.vat,     nu_db_bool(in->active), now,
  };
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "INSERT INTO pricing_plans (product_id, name, model, currency, hourly_price_cents,"
                 " monthly_price_cents, commitment_months, upfront_cents, vat_rate_bp, active,"
                 " created_at, updated_at)"
                 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, nu_ts($11), nu_ts($11))"
                 " RETURNING " PLAN_COLUMNS,
                 11, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  read_row(res, 0, out);
  return nu_product_refresh_plans(c, a, in->product_id);
}

nu_status nu_plan_get(nu_conn *c, nu_arena *a, const char *id, bool for_update, nu_plan_row *out,
                      bool *found) {
  *found = false;
  if (!nu_id_valid(id)) return nu_ok();
  const char *params[] = {id};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 for_update ? "SELECT " PLAN_COLUMNS " FROM pricing_plans WHERE id = $1 FOR UPDATE"
                            : "SELECT " PLAN_COLUMNS " FROM pricing_plans WHERE id = $1",
                 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) return nu_ok();
  read_row(res, 0, out);
  *found = true;
  return nu_ok();
}

nu_status nu_plan_write(nu_conn *c, nu_arena *a, const nu_plan_row *in, int64_t now_ns,
                        nu_plan_row *out) {
  plan_params p;
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL || params_of(a, in, &p) != 0) return nu_store_oom(a);
  const char *params[] = {
      in->id, in->name, p.hourly, p.monthly, p.commitment, p.upfront, p.vat, nu_db_bool(in->active),
      now,
  };
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "UPDATE pricing_plans SET name = $2, hourly_price_cents = $3, monthly_price_cents = $4,"
      " commitment_months = $5, upfront_cents = $6, vat_rate_bp = $7, active = $8,"
      " version = version + 1, updated_at = nu_ts($9)"
      " WHERE id = $1 RETURNING " PLAN_COLUMNS,
      9, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) {
    return nu_error(a, NU_INTERNAL, "PLAN_VANISHED", "pricing plan vanished while updated");
  }
  read_row(res, 0, out);
  return nu_product_refresh_plans(c, a, out->product_id);
}

nu_status nu_plan_list(nu_conn *c, nu_arena *a, const char *product_id, bool active_only,
                       nu_plan_row **rows, size_t *n) {
  *rows = NULL;
  *n = 0;
  const char *params[] = {product_id, nu_db_bool(active_only)};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT " PLAN_COLUMNS
                            " FROM pricing_plans"
                            " WHERE product_id = $1 AND (active OR NOT $2::bool)"
                            " ORDER BY created_at, id",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int count = PQntuples(res);
  if (count == 0) return nu_ok();
  *rows = nu_arena_calloc(a, (size_t)count, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (int i = 0; i < count; i++) read_row(res, i, &(*rows)[i]);
  *n = (size_t)count;
  return nu_ok();
}

nu_status nu_plan_list_page(nu_conn *c, nu_arena *a, const char *product_id, bool active_only,
                            int64_t after_us, const char *after_id, int limit, nu_plan_row **rows,
                            size_t *n) {
  *rows = NULL;
  *n = 0;
  const char *us = nu_arena_sprintf(a, "%" PRId64, after_us);
  const char *lim = nu_arena_sprintf(a, "%d", limit);
  if (us == NULL || lim == NULL) return nu_store_oom(a);
  const char *params[] = {product_id, nu_db_bool(active_only), us, after_id, lim};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "SELECT " PLAN_COLUMNS
                 " FROM pricing_plans"
                 " WHERE product_id = $1 AND (active OR NOT $2::bool)"
                 " AND ($4::uuid IS NULL OR (created_at, id) > (nu_ts($3::bigint), $4::uuid))"
                 " ORDER BY created_at, id LIMIT $5::int",
                 5, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int count = PQntuples(res);
  if (count == 0) return nu_ok();
  *rows = nu_arena_calloc(a, (size_t)count, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (int i = 0; i < count; i++) read_row(res, i, &(*rows)[i]);
  *n = (size_t)count;
  return nu_ok();
}
