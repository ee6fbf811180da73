/*
 * order_event_store.c — SQL of the provider feed (see the header).
 * Owns tables order_feeds, order_events.
 */
#include "server/store/orders/order_event_store.h"

#include "server/store/core/db.h"

nu_status nu_order_event_append(nu_conn *c, nu_arena *a, const char *seller_id,
                                const char *order_id, const char *line_id, const char *kind,
                                int64_t now_ns, int64_t *seq) {
  const char *params[] = {seller_id, order_id, line_id, kind, nu_db_i64(a, now_ns / 1000)};
  if (params[4] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "WITH n AS ("
                            "  INSERT INTO order_feeds AS f (seller_id, last_seq)"
                            "  VALUES ($1::uuid, 1)"
                            "  ON CONFLICT (seller_id) DO UPDATE SET last_seq = f.last_seq + 1"
                            "  RETURNING last_seq)"
                            " INSERT INTO order_events (seller_id, seq, order_id, line_id, kind,"
                            " created_at)"
                            " SELECT $1::uuid, n.last_seq, $2::uuid, $3::uuid, $4, nu_ts($5)"
                            " FROM n RETURNING seq",
                            5, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *seq = nu_db_get_i64(res, 0, 0);
  return nu_ok();
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
