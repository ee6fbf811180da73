/*
 * order_store.c — SQL of orders and order_lines (see the header).
 * Owns tables orders, order_lines, order_links.
 */
#include "server/store/orders/order_store.h"

#include <string.h>

#include "server/store/core/db.h"
#include "server/validate/ids.h"

/* ---- reading ---------------------------------------------------------------- */

#define ORDER_COLUMNS                                                                         \
  "o.id, o.number, o.organization_id, b.name, o.seller_id, COALESCE(sf.name, s.name),"        \
  " o.proposal_number, o.purchase_order_reference, o.service_code, o.contact_name,"           \
  " o.contact_email, o.contact_phone, o.placed_by,"                                           \
  " btrim(u.first_name || ' ' || u.last_name), o.status, o.currency, o.total_excl_vat_cents," \
  " o.total_vat_cents, o.total_incl_vat_cents, o.version, nu_us(o.created_at),"               \
  " nu_us(o.updated_at)"
#define ORDER_FROM                                                  \
  " FROM orders o JOIN organizations b ON b.id = o.organization_id" \
  " JOIN organizations s ON s.id = o.seller_id"                     \
  " LEFT JOIN storefronts sf ON sf.organization_id = o.seller_id"   \
  " JOIN users u ON u.id = o.placed_by"

static void read_order(const PGresult *res, int i, nu_order_row *o) {
  memset(o, 0, sizeof(*o));
  o->id = nu_db_text(res, i, 0);
  o->number = nu_db_text(res, i, 1);
  o->organization_id = nu_db_text(res, i, 2);
  o->organization_name = nu_db_text(res, i, 3);
  o->seller_id = nu_db_text(res, i, 4);
  o->seller_name = nu_db_text(res, i, 5);
  o->proposal_number = nu_db_text(res, i, 6);
  o->purchase_order_reference = nu_db_text(res, i, 7);
  o->service_code = nu_db_text(res, i, 8);
  o->contact_name = nu_db_text(res, i, 9);
  o->contact_email = nu_db_text(res, i, 10);
  o->contact_phone = nu_db_text(res, i, 11);
  o->placed_by = nu_db_text(res, i, 12);
  o->placed_by_name = nu_db_text(res, i, 13);
  o->status = nu_db_text(res, i, 14);
  o->currency = nu_db_text(res, i, 15);
  o->total_excl_vat_cents = nu_db_get_i64(res, i, 16);
  o->total_vat_cents = nu_db_get_i64(res, i, 17);
  o->total_incl_vat_cents = nu_db_get_i64(res, i, 18);
  o->version = nu_db_get_i64(res, i, 19);
  o->created_us = nu_db_get_i64(res, i, 20);
  o->updated_us = nu_db_get_i64(res, i, 21);
}

#define LINE_COLUMNS                                                                         \
  "l.id, l.order_id, l.position, l.product_id, l.plan_id, l.product_code, l.product_name,"   \
  " l.designation, l.plan_model, l.region, l.instance_template, l.quantity,"                 \
  " l.quantity_delivered, l.quantity_admitted, l.hours, l.duration_months, l.upfront_cents," \
  " l.monthly_price_cents, l.unit_price_cents, l.amount_excl_vat_cents, l.vat_rate_bp,"      \
  " l.vat_cents, l.amount_incl_vat_cents, COALESCE(nu_us(l.expected_delivery_at), 0),"       \
  " l.provisioning, l.failure_reason, l.access_details_sealed IS NOT NULL,"                  \
  " COALESCE(nu_us(l.last_report_at), 0), nu_us(l.updated_at)"

static void read_line(const PGresult *res, int i, nu_order_line_row *l) {
  l->id = nu_db_text(res, i, 0);
  l->order_id = nu_db_text(res, i, 1);
  l->position = (int32_t)nu_db_get_i64(res, i, 2);
  l->product_id = nu_db_text(res, i, 3);
  l->plan_id = nu_db_text(res, i, 4);
  l->product_code = nu_db_text(res, i, 5);
  l->product_name = nu_db_text(res, i, 6);
  l->designation = nu_db_text(res, i, 7);
  l->plan_model = nu_db_text(res, i, 8);
  l->region = nu_db_text(res, i, 9);
  l->instance_template = nu_db_text(res, i, 10);
  l->quantity = nu_db_get_i64(res, i, 11);
  l->quantity_delivered = nu_db_get_i64(res, i, 12);
  l->quantity_admitted = nu_db_get_i64(res, i, 13);
  l->hours = nu_db_get_i64(res, i, 14);
  l->duration_months = (int32_t)nu_db_get_i64(res, i, 15);
  l->upfront_cents = nu_db_get_i64(res, i, 16);
  l->monthly_price_cents = nu_db_get_i64(res, i, 17);
  l->unit_price_cents = nu_db_get_i64(res, i, 18);
  l->amount_excl_vat_cents = nu_db_get_i64(res, i, 19);
  l->vat_rate_bp = (int32_t)nu_db_get_i64(res, i, 20);
  l->vat_cents = nu_db_get_i64(res, i, 21);
  l->amount_incl_vat_cents = nu_db_get_i64(res, i, 22);
  l->expected_delivery_us = nu_db_get_i64(res, i, 23);
  l->provisioning = nu_db_text(res, i, 24);
  l->failure_reason = nu_db_text(res, i, 25);
  l->has_access_details = nu_db_get_bool(res, i, 26);
  l->last_report_us = nu_db_get_i64(res, i, 27);
  l->updated_us = nu_db_get_i64(res, i, 28);
}

/* The lines of orders[0..n), by position, into each order's lines. */
static nu_status load_lines(nu_conn *c, nu_arena *a, nu_order_row *orders, size_t n,
                            bool for_update) {
  if (n == 0) return nu_ok();
  const char **list = nu_arena_calloc(a, n, sizeof(*list));
  if (list == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < n; i++) list[i] = orders[i].id;
  const char *ids = nu_db_array(a, list, n);
  if (ids == NULL) return nu_store_oom(a);
  const char *params[] = {ids};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            for_update ? "SELECT " LINE_COLUMNS
                                         " FROM order_lines l WHERE l.order_id = ANY($1::uuid[])"
                                         " ORDER BY l.order_id, l.position FOR UPDATE"
                                       : "SELECT " LINE_COLUMNS
                                         " FROM order_lines l WHERE l.order_id = ANY($1::uuid[])"
                                         " ORDER BY l.order_id, l.position",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int rows = PQntuples(res);
  nu_order_line_row *all = nu_arena_calloc(a, (size_t)rows + 1, sizeof(*all));
  if (all == NULL) return nu_store_oom(a);
  for (int i = 0; i < rows; i++) read_line(res, i, &all[i]);
  for (size_t k = 0; k < n; k++) {
    orders[k].lines = NULL;
    orders[k].n_lines = 0;
    for (int i = 0; i < rows; i++) {
      if (strcmp(all[i].order_id, orders[k].id) != 0) continue;
      if (orders[k].lines == NULL) orders[k].lines = &all[i];
      orders[k].n_lines++;
    }
  }
  return nu_ok();
}

static nu_status get_where(nu_conn *c, nu_arena *a, const char *where, const char *param,
                           bool for_update, nu_order_row *out, bool *found) {
  const char *sql = nu_arena_sprintf(a, "SELECT " ORDER_COLUMNS ORDER_FROM " WHERE %s%s", where,
                                     for_update ? " FOR UPDATE OF o" : "");
  if (sql == NULL) return nu_store_oom(a);
  const char *params[] = {param};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a, sql, 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (!*found) return nu_ok();
  read_order(res, 0, out);
  return load_lines(c, a, out, 1, for_update);
}

/* Ids are compared as uuids (a cast of the column to text would keep the
 * primary key from being used); anything else is no row. */
nu_status nu_order_get(nu_conn *c, nu_arena *a, const char *id_or_number, bool for_update,
                       nu_order_row *out, bool *found) {
  if (nu_id_valid(id_or_number)) {
    return get_where(c, a, "o.id = $1::uuid", id_or_number, for_update, out, found);
  }
  return get_where(c, a, "o.number = $1", id_or_number, for_update, out, found);
}

nu_status nu_order_lock_by_lines(nu_conn *c, nu_arena *a, const char *seller_id,
                                 const char *const *line_ids, size_t n, nu_order_row **orders,
                                 size_t *n_orders) {
  *orders = NULL;
  *n_orders = 0;
  const char **valid = nu_arena_calloc(a, n + 1, sizeof(*valid));
  if (valid == NULL) return nu_store_oom(a);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (nu_id_valid(line_ids[i])) valid[k++] = line_ids[i];
  }
  if (k == 0) return nu_ok();
  const char *params[] = {nu_db_array(a, valid, k), seller_id};
  if (params[0] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  /* Sorted by id before locking: two batches lock their orders in the
   * same order, so they queue instead of deadlocking. */
  nu_status st = nu_db_exec(c, a,
                            "SELECT " ORDER_COLUMNS ORDER_FROM
                            " WHERE o.id IN (SELECT order_id FROM order_lines"
                            "                WHERE id = ANY($1::uuid[]))"
                            " AND o.seller_id = $2::uuid ORDER BY o.id FOR UPDATE OF o",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  size_t rows = (size_t)PQntuples(res);
  nu_order_row *out = nu_arena_calloc(a, rows + 1, sizeof(*out));
  if (out == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < rows; i++) read_order(res, (int)i, &out[i]);
  st = load_lines(c, a, out, rows, true);
  if (!nu_status_is_ok(&st)) return st;
  *orders = out;
  *n_orders = rows;
  return nu_ok();
}

/* ---- writing ---------------------------------------------------------------- */

static nu_status insert_line(nu_conn *c, nu_arena *a, const char *order_id,
                             const nu_order_line_row *l, int32_t position, const char *now) {
  const char *params[] = {order_id,
                          nu_db_i64(a, position),
                          l->product_id,
                          l->plan_id,
                          l->product_code,
                          l->product_name,
                          l->designation,
                          l->plan_model,
                          l->region != NULL ? l->region : "",
                          l->instance_template != NULL ? l->instance_template : "",
                          nu_db_i64(a, l->quantity),
                          nu_db_i64(a, l->hours),
                          nu_db_i64(a, l->duration_months),
                          nu_db_i64(a, l->upfront_cents),
                          nu_db_i64(a, l->monthly_price_cents),
                          nu_db_i64(a, l->unit_price_cents),
                          nu_db_i64(a, l->amount_excl_vat_cents),
                          nu_db_i64(a, l->vat_rate_bp),
                          nu_db_i64(a, l->vat_cents),
                          nu_db_i64(a, l->amount_incl_vat_cents),
                          now};
  for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
    if (params[i] == NULL) return nu_store_oom(a);
  }
  return nu_db_exec(c, a,
                    "INSERT INTO order_lines (order_id, position, product_id, plan_id,"
                    " product_code, product_name, designation, plan_model, region,"
                    " instance_template, quantity, hours, duration_months, upfront_cents,"
                    " monthly_price_cents, unit_price_cents, amount_excl_vat_cents, vat_rate_bp,"
                    " vat_cents, amount_incl_vat_cents, updated_at)"
                    " VALUES ($1::uuid, $2::int, $3::uuid, $4::uuid, $5, $6, $7, $8, $9, $10,"
                    " $11::bigint, $12::bigint, $13::int, $14::bigint, $15::bigint, $16::bigint,"
                    " $17::bigint, $18::int, $19::bigint, $20::bigint, nu_ts($21))",
                    21, params, NULL);
}

nu_status nu_order_insert(nu_conn *c, nu_arena *a, const nu_order_row *in, int64_t now_ns,
                          nu_order_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  const char *params[] = {in->organization_id,
                          in->seller_id,
                          in->proposal_number != NULL ? in->proposal_number : "",
                          in->purchase_order_reference != NULL ? in->purchase_order_reference : "",
                          in->service_code != NULL ? in->service_code : "",
                          in->contact_name,
                          in->contact_email,
                          in->contact_phone != NULL ? in->contact_phone : "",
                          in->placed_by,
                          nu_db_i64(a, in->total_excl_vat_cents),
                          nu_db_i64(a, in->total_vat_cents),
                          nu_db_i64(a, in->total_incl_vat_cents),
                          now};
  for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
    if (params[i] == NULL) return nu_store_oom(a);
  }
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "INSERT INTO orders (number, organization_id, seller_id, proposal_number,"
      " purchase_order_reference, service_code, contact_name, contact_email, contact_phone,"
      " placed_by, total_excl_vat_cents, total_vat_cents, total_incl_vat_cents, created_at,"
      " updated_at)"
      " VALUES ('CC' || lpad(nextval('order_number_seq')::text, 6, '0'), $1::uuid, $2::uuid, $3,"
      " $4, $5, $6, $7, $8, $9::uuid, $10::bigint, $11::bigint, $12::bigint, nu_ts($13),"
      " nu_ts($13)) RETURNING id",
      13, params, &res);
  if (!nu_status_is_ok(&st)) {
    if (st.reason != NULL && strcmp(st.reason, "SEQUENCE_EXHAUSTED") == 0) {
      return nu_error(a, NU_RESOURCE_EXHAUSTED, "ORDER_NUMBERS_EXHAUSTED",
                      "every order number CC000001 to CC999999 is used");
    }
    return st;
  }
  const char *id = nu_db_text(res, 0, 0);
  for (size_t i = 0; i < in->n_lines; i++) {
    st = insert_line(c, a, id, &in->lines[i], (int32_t)(i + 1), now);
    if (!nu_status_is_ok(&st)) return st;
  }
  const char *sp[] = {id};
  st = nu_db_exec(c, a,
                  "UPDATE orders o SET search_text = lower(nu_unaccent(o.number || ' '"
                  " || o.purchase_order_reference || ' ' || o.service_code || ' ' ||"
                  " (SELECT string_agg(l.product_code || ' ' || l.designation, ' ')"
                  "  FROM order_lines l WHERE l.order_id = o.id)))"
                  " WHERE o.id = $1::uuid",
                  1, sp, NULL);
  if (!nu_status_is_ok(&st)) return st;
  bool found = false;
  st = nu_order_get(c, a, id, false, out, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_error(a, NU_INTERNAL, NULL, "the order just written is not found");
  return nu_ok();
}

nu_status nu_order_line_write_many(nu_conn *c, nu_arena *a, const nu_order_line_update *w, size_t n,
                                   int64_t now_ns) {
  if (n == 0) return nu_ok();
  enum { ID, PROVISIONING, REASON, DELIVERED, ADMITTED, EXPECTED, LAST, SEALED, COLUMNS };
  const char **col[COLUMNS];
  for (int k = 0; k < COLUMNS; k++) {
    col[k] = nu_arena_calloc(a, n, sizeof(*col[k]));
    if (col[k] == NULL) return nu_store_oom(a);
  }
  for (size_t i = 0; i < n; i++) {
    const nu_order_line_row *l = w[i].line;
    col[ID][i] = l->id;
    col[PROVISIONING][i] = l->provisioning;
    col[REASON][i] = l->failure_reason != NULL ? l->failure_reason : "";
    col[DELIVERED][i] = nu_db_i64(a, l->quantity_delivered);
    col[ADMITTED][i] = nu_db_i64(a, l->quantity_admitted);
    col[EXPECTED][i] = l->expected_delivery_us != 0 ? nu_db_i64(a, l->expected_delivery_us) : NULL;
    col[LAST][i] = l->last_report_us != 0 ? nu_db_i64(a, l->last_report_us) : NULL;
    col[SEALED][i] =
        w[i].access_sealed != NULL ? nu_db_bytea(a, w[i].access_sealed, w[i].access_len) : NULL;
    if (col[DELIVERED][i] == NULL || col[ADMITTED][i] == NULL ||
        (l->expected_delivery_us != 0 && col[EXPECTED][i] == NULL) ||
        (l->last_report_us != 0 && col[LAST][i] == NULL) ||
        (w[i].access_sealed != NULL && col[SEALED][i] == NULL)) {
      return nu_store_oom(a);
    }
  }
  const char *params[COLUMNS + 1];
  for (int k = 0; k < COLUMNS; k++) {
    params[k] = nu_db_array(a, col[k], n);
    if (params[k] == NULL) return nu_store_oom(a);
  }
  params[COLUMNS] = nu_db_i64(a, now_ns / 1000);
  if (params[COLUMNS] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "UPDATE order_lines l SET provisioning = v.provisioning, failure_reason = v.reason,"
      " quantity_delivered = v.delivered, quantity_admitted = v.admitted,"
      " expected_delivery_at = nu_ts(v.expected), last_report_at = nu_ts(v.last),"
      " access_details_sealed = COALESCE(v.sealed, l.access_details_sealed),"
      " access_reported_at = CASE WHEN v.sealed IS NULL THEN l.access_reported_at"
      "                      ELSE nu_ts($9) END,"
      " updated_at = nu_ts($9)"
      " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::bigint[],"
      "             $6::bigint[], $7::bigint[], $8::bytea[])"
      "      AS v(id, provisioning, reason, delivered, admitted, expected, last, sealed)"
      " WHERE l.id = v.id RETURNING l.id",
      COLUMNS + 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if ((size_t)PQntuples(res) != n) {
    return nu_error(a, NU_ABORTED, "CONCURRENT_CHANGE", "line vanished");
  }
  return nu_ok();
}

nu_status nu_order_line_write(nu_conn *c, nu_arena *a, const nu_order_line_row *in,
                              const uint8_t *access_sealed, size_t access_len, int64_t now_ns) {
  nu_order_line_update w = {.line = in, .access_sealed = access_sealed, .access_len = access_len};
  return nu_order_line_write_many(c, a, &w, 1, now_ns);
}

nu_status nu_order_line_access(nu_conn *c, nu_arena *a, const char *order_id, const char *line_id,
                               const uint8_t **sealed, size_t *len, int64_t *reported_us,
                               bool *found) {
  const char *params[] = {order_id, line_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT access_details_sealed, nu_us(access_reported_at)"
                            " FROM order_lines WHERE order_id = $1::uuid AND id = $2::uuid"
                            " AND access_details_sealed IS NOT NULL",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (!*found) return nu_ok();
  *sealed = nu_db_get_bytea(a, res, 0, 0, len);
  if (*sealed == NULL) return nu_store_oom(a);
  *reported_us = nu_db_get_i64(res, 0, 1);
  return nu_ok();
}

nu_status nu_order_set_status_many(nu_conn *c, nu_arena *a, const char *const *order_ids,
                                   const char *const *statuses, size_t n, int64_t now_ns) {
  if (n == 0) return nu_ok();
  const char *params[] = {nu_db_array(a, order_ids, n), nu_db_array(a, statuses, n),
                          nu_db_i64(a, now_ns / 1000)};
  if (params[0] == NULL || params[1] == NULL || params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE orders o SET status = v.status, version = o.version + 1,"
                            " updated_at = nu_ts($3)"
                            " FROM unnest($1::uuid[], $2::text[]) AS v(id, status)"
                            " WHERE o.id = v.id RETURNING o.id",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if ((size_t)PQntuples(res) != n) {
    return nu_error(a, NU_ABORTED, "CONCURRENT_CHANGE", "order vanished");
  }
  return nu_ok();
}

nu_status nu_order_set_status(nu_conn *c, nu_arena *a, const char *order_id, const char *status,
                              int64_t now_ns) {
  return nu_order_set_status_many(c, a, &order_id, &status, 1, now_ns);
}

nu_status nu_order_committed(nu_conn *c, nu_arena *a, const char *organization_id, int64_t from_us,
                             int64_t to_us, int64_t *cents) {
  const char *params[] = {organization_id, nu_db_i64(a, from_us), nu_db_i64(a, to_us)};
  if (params[1] == NULL || params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT COALESCE(sum(total_excl_vat_cents), 0) FROM orders"
                            " WHERE organization_id = $1::uuid AND status <> 'cancelled'"
                            " AND created_at >= nu_ts($2) AND created_at < nu_ts($3)",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *cents = nu_db_get_i64(res, 0, 0);
  return nu_ok();
}

/* ---- lists ---------------------------------------------------------------- */

nu_status nu_order_list(nu_conn *c, nu_arena *a, const nu_order_filter *f, int64_t after_key,
                        const char *after_id, int limit, nu_order_row **rows, size_t *n) {
  /* The sort key as the indexes hold it (orders_org_created_idx,
   * orders_org_total_idx), and the page token's position in the same
   * terms, so that a page is an index range, not a sort of every row. */
  const char *key = f->sort == NU_ORDER_SORT_TOTAL ? "o.total_excl_vat_cents" : "o.created_at";
  const char *pos = f->sort == NU_ORDER_SORT_TOTAL ? "$8::bigint" : "nu_ts($8::bigint)";
  const char *cmp = f->sort == NU_ORDER_SORT_OLDEST ? ">" : "<";
  const char *dir = f->sort == NU_ORDER_SORT_OLDEST ? "ASC" : "DESC";
  const char *sql = nu_arena_sprintf(
      a,
      "SELECT " ORDER_COLUMNS ORDER_FROM
      " WHERE ($1::uuid IS NULL OR o.organization_id = $1::uuid)"
      " AND ($2::uuid IS NULL OR ("
      "   EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = o.organization_id"
      "           AND m.user_id = $2::uuid)"
      "   AND (o.placed_by = $2::uuid OR b.referent_user_id = $2::uuid)))"
      " AND ($3::text IS NULL OR o.search_text LIKE '%%' ||"
      "      replace(replace(replace(lower(nu_unaccent($3)), '\\', '\\\\'), '%%', '\\%%'),"
      "              '_', '\\_') || '%%')"
      " AND ($4::text IS NULL OR o.status = $4)"
      " AND ($5::bigint IS NULL OR o.created_at >= nu_ts($5))"
      " AND ($6::bigint IS NULL OR o.created_at < nu_ts($6))"
      " AND ($7::uuid IS NULL OR (%s, o.id) %s (%s, $7::uuid))"
      " ORDER BY %s %s, o.id %s LIMIT $9::int",
      key, cmp, pos, key, dir, dir);
  if (sql == NULL) return nu_store_oom(a);
  const char *params[] = {f->organization_id,
                          f->mine_user_id,
                          f->query != NULL && f->query[0] != '\0' ? f->query : NULL,
                          f->status,
                          f->from_us != 0 ? nu_db_i64(a, f->from_us) : NULL,
                          f->to_us != 0 ? nu_db_i64(a, f->to_us) : NULL,
                          after_id,
                          after_id != NULL ? nu_db_i64(a, after_key) : NULL,
                          nu_db_i64(a, limit)};
  if ((f->from_us != 0 && params[4] == NULL) || (f->to_us != 0 && params[5] == NULL) ||
      (after_id != NULL && params[7] == NULL) || params[8] == NULL) {
    return nu_store_oom(a);
  }
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a, sql, 9, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) read_order(res, (int)i, &(*rows)[i]);
  return load_lines(c, a, *rows, *n, false);
}

nu_status nu_order_link(nu_conn *c, nu_arena *a, const char *order_a, const char *order_b) {
  const char *params[] = {order_a, order_b};
  return nu_db_exec(c, a,
                    "INSERT INTO order_links (order_id, linked_order_id)"
                    " VALUES ($1::uuid, $2::uuid), ($2::uuid, $1::uuid) ON CONFLICT DO NOTHING",
                    2, params, NULL);
}

nu_status nu_order_linked_numbers(nu_conn *c, nu_arena *a, const char *order_id,
                                  const char ***numbers, size_t *n) {
  const char *params[] = {order_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT o.number FROM order_links l JOIN orders o"
                            " ON o.id = l.linked_order_id WHERE l.order_id = $1::uuid"
                            " ORDER BY o.created_at, o.number",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *numbers = nu_arena_calloc(a, *n + 1, sizeof(**numbers));
  if (*numbers == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) (*numbers)[i] = nu_db_text(res, (int)i, 0);
  return nu_ok();
}
