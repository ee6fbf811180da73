/*
 * order_event_store.c — SQL of the provider feed (see the header).
 * Owns tables order_feeds, order_events.
 */
#include "server/store/orders/order_event_store.h"

#include "server/store/core/db.h"

nu_status nu_order_event_append_many(nu_conn *c, nu_arena *a, const char *seller_id,
                                     const nu_order_event_new *ev, size_t n, int64_t now_ns,
                                     int64_t *last_seq) {
  *last_seq = 0;
  if (n == 0) return nu_ok();
  const char **orders = nu_arena_calloc(a, n, sizeof(*orders));
  const char **lines = nu_arena_calloc(a, n, sizeof(*lines));
  const char **kinds = nu_arena_calloc(a, n, sizeof(*kinds));
  if (orders == NULL || lines == NULL || kinds == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < n; i++) {
    orders[i] = ev[i].order_id;
    lines[i] = ev[i].line_id;
    kinds[i] = ev[i].kind;
  }
  const char *params[] = {seller_id,
                          nu_db_i64(a, (int64_t)n),
                          nu_db_array(a, orders, n),
                          nu_db_array(a, lines, n),
                          nu_db_array(a, kinds, n),
                          nu_db_i64(a, now_ns / 1000)};
  for (size_t k = 1; k < sizeof(params) / sizeof(params[0]); k++) {
    if (params[k] == NULL) return nu_store_oom(a);
  }
  PGresult *res = NULL;
  /* The feed row moves by n at once; the events take the n numbers up to
   * it, in the order given. */
  nu_status st =
      nu_db_exec(c, a,
                 "WITH n AS ("
                 "  INSERT INTO order_feeds AS f (seller_id, last_seq)"
                 "  VALUES ($1::uuid, $2::bigint)"
                 "  ON CONFLICT (seller_id) DO UPDATE SET last_seq = f.last_seq + $2::bigint"
                 "  RETURNING last_seq)"
                 " INSERT INTO order_events (seller_id, seq, order_id, line_id, kind,"
                 " created_at)"
                 " SELECT $1::uuid, n.last_seq - $2::bigint + e.k, e.order_id, e.line_id,"
                 " e.kind, nu_ts($6)"
                 " FROM n, unnest($3::uuid[], $4::uuid[], $5::text[]) WITH ORDINALITY"
                 "         AS e(order_id, line_id, kind, k)"
                 " RETURNING seq",
                 6, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  for (int i = 0; i < PQntuples(res); i++) {
    int64_t seq = nu_db_get_i64(res, i, 0);
    if (seq > *last_seq) *last_seq = seq;
  }
  return nu_ok();
}

nu_status nu_order_event_append(nu_conn *c, nu_arena *a, const char *seller_id,
                                const char *order_id, const char *line_id, const char *kind,
                                int64_t now_ns, int64_t *seq) {
  nu_order_event_new ev = {.order_id = order_id, .line_id = line_id, .kind = kind};
  return nu_order_event_append_many(c, a, seller_id, &ev, 1, now_ns, seq);
}

nu_status nu_order_event_list(nu_conn *c, nu_arena *a, const char *seller_id, int64_t after_seq,
                              int limit, nu_order_event_row **rows, size_t *n) {
  const char *params[] = {seller_id, nu_db_i64(a, after_seq), nu_db_i64(a, limit)};
  if (params[1] == NULL || params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT seq, kind, order_id, COALESCE(line_id::text, ''),"
                            " nu_us(created_at) FROM order_events"
                            " WHERE seller_id = $1::uuid AND seq > $2::bigint"
                            " ORDER BY seq LIMIT $3::int",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) {
    nu_order_event_row *r = &(*rows)[i];
    r->seq = nu_db_get_i64(res, (int)i, 0);
    r->kind = nu_db_text(res, (int)i, 1);
    r->order_id = nu_db_text(res, (int)i, 2);
    r->line_id = nu_db_text(res, (int)i, 3);
    r->created_us = nu_db_get_i64(res, (int)i, 4);
  }
  return nu_ok();
}

nu_status nu_order_event_last(nu_conn *c, nu_arena *a, const char *seller_id, int64_t *seq) {
  const char *params[] = {seller_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT COALESCE((SELECT last_seq FROM order_feeds"
                            " WHERE seller_id = $1::uuid), 0)",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *seq = nu_db_get_i64(res, 0, 0);
  return nu_ok();
}
