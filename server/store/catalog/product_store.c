/*
 * product_store.c — SQL of the products table. Owns table products (the
 * plan summary that plan_store keeps up to date included).
 *
 * Text arrays travel as array literals: every element written quoted (so
 * commas, braces and quotes in a region name are data), read back by a
 * small parser of the same format.
 */
#include "server/store/catalog/product_store.h"

#include <string.h>

#include "server/domain/money/plan.h"
#include "server/store/core/db.h"
#include "server/validate/ids.h"

static const char *or_empty(const char *s) { return s != NULL ? s : ""; }

/* "{\"a\",\"b\"}" for a list (arena); NULL when out of memory. */
static const char *array_literal(nu_arena *a, const nu_text_list *l) {
  size_t cap = 3;
  for (size_t i = 0; i < l->n; i++) cap += 2 * strlen(or_empty(l->items[i])) + 3;
  char *out = nu_arena_alloc(a, cap);
  if (out == NULL) return NULL;
  char *w = out;
  *w++ = '{';
  for (size_t i = 0; i < l->n; i++) {
    if (i > 0) *w++ = ',';
    *w++ = '"';
    for (const char *s = or_empty(l->items[i]); *s != '\0'; s++) {
      if (*s == '"' || *s == '\\') *w++ = '\\';
      *w++ = *s;
    }
    *w++ = '"';
  }
  *w++ = '}';
  *w = '\0';
  return out;
}

/* Parses a one-dimensional text[] literal into *l (arena); -1 when out of
 * memory. Unquoted elements end at ',' or '}'; quoted ones unescape '\'. */
static int parse_array(nu_arena *a, const char *text, nu_text_list *l) {
  l->items = NULL;
  l->n = 0;
  if (text == NULL || text[0] != '{' || text[1] == '}') return 0;
  size_t count = 1;
  for (const char *p = text; *p != '\0'; p++) count += *p == ',';
  l->items = nu_arena_calloc(a, count, sizeof(*l->items));
  char *buf = nu_arena_alloc(a, strlen(text) + count + 1);
  if (l->items == NULL || buf == NULL) return -1;
  const char *p = text + 1;
  while (*p != '\0' && *p != '}' && l->n < count) {
    char *start = buf;
    if (*p == '"') {
      for (p++; *p != '\0' && *p != '"'; p++) {
        if (*p == '\\' && p[1] != '\0') p++;
        *buf++ = *p;
      }
      if (*p == '"') p++;
    } else {
      while (*p != '\0' && *p != ',' && *p != '}') *buf++ = *p++;
    }
    *buf++ = '\0';
    l->items[l->n++] = start;
    if (*p == ',') p++;
  }
  return 0;
}

int nu_product_read(nu_arena *a, const struct pg_result *res, int i, nu_product_row *o) {
  const PGresult *r = (const PGresult *)res;
  int k = 0;
  o->id = nu_db_text(r, i, k++);
  o->code = nu_db_text(r, i, k++);
  o->seller_id = nu_db_text(r, i, k++);
  o->seller_name = nu_db_text(r, i, k++);
  o->kind = nu_db_text(r, i, k++);
  o->name = nu_db_text(r, i, k++);
  o->description = nu_db_text(r, i, k++);
  o->category = nu_db_text(r, i, k++);
  if (parse_array(a, nu_db_text(r, i, k++), &o->regions) != 0) return -1;
  if (parse_array(a, nu_db_text(r, i, k++), &o->certifications) != 0) return -1;
  o->extra_eu_law = nu_db_get_bool(r, i, k++);
  if (parse_array(a, nu_db_text(r, i, k++), &o->capabilities) != 0) return -1;
  if (parse_array(a, nu_db_text(r, i, k++), &o->pricing_models) != 0) return -1;
  o->has_min_monthly = nu_db_get_bool(r, i, k++);
  o->min_monthly_cents = nu_db_get_i64(r, i, k++);
  o->status = nu_db_text(r, i, k++);
  o->published_us = nu_db_get_i64(r, i, k++);
  o->version = nu_db_get_i64(r, i, k++);
  o->created_us = nu_db_get_i64(r, i, k++);
  o->updated_us = nu_db_get_i64(r, i, k++);
  return 0;
}

/* Reads the one row a RETURNING/SELECT gave, or says the product vanished. */
static nu_status one_row(nu_arena *a, PGresult *res, nu_product_row *out) {
  if (PQntuples(res) != 1) {
    return nu_error(a, NU_INTERNAL, "PRODUCT_VANISHED", "product vanished while written");
  }
  return nu_product_read(a, res, 0, out) == 0 ? nu_ok() : nu_store_oom(a);
}

nu_status nu_product_get(nu_conn *c, nu_arena *a, const char *id_or_code, bool for_update,
                         nu_product_row *out, bool *found) {
  *found = false;
  if (id_or_code == NULL || id_or_code[0] == '\0') return nu_ok();
  /* Deciding here, not in SQL, keeps a code from ever being cast to uuid. */
  bool by_id = nu_id_valid(id_or_code);
  const char *sql = by_id ? (for_update ? NU_PRODUCT_SELECT " WHERE p.id = $1 FOR UPDATE OF p"
                                        : NU_PRODUCT_SELECT " WHERE p.id = $1")
                          : (for_update ? NU_PRODUCT_SELECT " WHERE p.code = $1 FOR UPDATE OF p"
                                        : NU_PRODUCT_SELECT " WHERE p.code = $1");
  const char *params[] = {id_or_code};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a, sql, 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) return nu_ok();
  if (nu_product_read(a, res, 0, out) != 0) return nu_store_oom(a);
  *found = true;
  return nu_ok();
}

/* The product row of a RETURNING id, read back with the seller's name. */
static nu_status reread(nu_conn *c, nu_arena *a, PGresult *res, nu_product_row *out) {
  if (PQntuples(res) != 1) {
    return nu_error(a, NU_INTERNAL, "PRODUCT_VANISHED", "product vanished while written");
  }
  const char *params[] = {nu_db_text(res, 0, 0)};
  PGresult *again = NULL;
  nu_status st = nu_db_exec(c, a, NU_PRODUCT_SELECT " WHERE p.id = $1", 1, params, &again);
  if (!nu_status_is_ok(&st)) return st;
  return one_row(a, again, out);
}

nu_status nu_product_insert(nu_conn *c, nu_arena *a, const nu_product_row *in, int64_t now_ns,
                            nu_product_row *out) {
  const char *params[] = {
      in->seller_id,
      in->kind,
      in->name,
      or_empty(in->description),
      or_empty(in->category),
      array_literal(a, &in->regions),
      array_literal(a, &in->certifications),
      nu_db_bool(in->extra_eu_law),
      array_literal(a, &in->capabilities),
      nu_db_i64(a, now_ns / 1000),
  };
  for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
    if (params[i] == NULL) return nu_store_oom(a);
  }
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "INSERT INTO products (code, seller_id, kind, name, description, category, regions,"
      " certifications, extra_eu_law, capabilities, created_at, updated_at)"
      " VALUES ('NUP-' || nextval('product_code_seq'), $1, $2, $3, $4, $5, $6, $7, $8, $9,"
      " nu_ts($10), nu_ts($10)) RETURNING id",
      10, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  return reread(c, a, res, out);
}

nu_status nu_product_write(nu_conn *c, nu_arena *a, const nu_product_row *in, int64_t now_ns,
                           nu_product_row *out) {
  enum { PUBLISHED_AT = 10 }; /* params[PUBLISHED_AT] is $11: NULL until first published */
  const char *params[] = {
      in->id,
      in->kind,
      in->name,
      or_empty(in->description),
      or_empty(in->category),
      array_literal(a, &in->regions),
      array_literal(a, &in->certifications),
      nu_db_bool(in->extra_eu_law),
      array_literal(a, &in->capabilities),
      in->status,
      in->published_us != 0 ? nu_db_i64(a, in->published_us) : NULL,
      nu_db_i64(a, now_ns / 1000),
  };
  for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
    if (params[i] == NULL && (i != PUBLISHED_AT || in->published_us != 0)) return nu_store_oom(a);
  }
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "UPDATE products SET kind = $2, name = $3, description = $4, category = $5,"
                 " regions = $6, certifications = $7, extra_eu_law = $8, capabilities = $9,"
                 " status = $10, published_at = nu_ts($11), version = version + 1,"
                 " updated_at = nu_ts($12) WHERE id = $1 RETURNING id",
                 12, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  return reread(c, a, res, out);
}

nu_status nu_product_count_active_plans(nu_conn *c, nu_arena *a, const char *product_id,
                                        int64_t *n) {
  const char *params[] = {product_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a, "SELECT count(*) FROM pricing_plans WHERE product_id = $1 AND active", 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = nu_db_get_i64(res, 0, 0);
  return nu_ok();
}

/* The summary of the product's active plans: their models, and the
 * cheapest monthly amount (hourly × NU_HOURS_PER_MONTH, or the monthly
 * price; NULL when none has a price). */
nu_status nu_product_refresh_plans(nu_conn *c, nu_arena *a, const char *product_id) {
  const char *params[] = {product_id, nu_db_i64(a, NU_HOURS_PER_MONTH)};
  if (params[1] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE products SET"
                    " pricing_models = COALESCE((SELECT array_agg(DISTINCT model ORDER BY model)"
                    "   FROM pricing_plans WHERE product_id = $1 AND active), '{}'),"
                    " min_monthly_cents = (SELECT min(CASE model WHEN 'hourly' THEN "
                    "hourly_price_cents * $2::bigint"
                    "   WHEN 'subscription' THEN monthly_price_cents END)"
                    "   FROM pricing_plans WHERE product_id = $1 AND active)"
                    " WHERE id = $1",
                    2, params, NULL);
}
