/*
 * outbox_store.c — queueing messages in the outbox table, claiming and
 * settling them for the delivery worker. Owns table outbox.
 */
#include "server/store/core/outbox_store.h"

#include <stdlib.h>

#include "server/store/core/db.h"

nu_status nu_outbox_enqueue(nu_conn *c, nu_arena *a, const nu_outbox_message *m, int64_t *id_out) {
  const char *at = nu_db_i64(a, m->at_ns / 1000);
  if (at == NULL) return nu_store_oom(a);
  const char *params[] = {
      m->channel,
      m->recipient,
      m->template_name,
      m->payload_json != NULL ? m->payload_json : "{}",
      m->organization_id != NULL && m->organization_id[0] != '\0' ? m->organization_id : NULL,
      m->request_id != NULL ? m->request_id : "",
      at,
  };
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO outbox (channel, recipient, template, payload,"
                            " organization_id, request_id, created_at, next_attempt_at)"
                            " VALUES ($1, $2, $3, $4::jsonb, $5, $6, nu_ts($7), nu_ts($7))"
                            " RETURNING id",
                            7, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (id_out != NULL) *id_out = nu_db_get_i64(res, 0, 0);
  return nu_ok();
}

nu_status nu_outbox_claim(nu_conn *c, nu_arena *a, int64_t now_ns, int limit, nu_outbox_row **rows,
                          size_t *n) {
  const char *params[] = {nu_db_i64(a, now_ns / 1000), nu_db_i64(a, limit)};
  if (params[0] == NULL || params[1] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT id, channel, recipient, template, payload::text,"
                            " organization_id, request_id, attempts, nu_us(created_at)"
                            " FROM outbox WHERE delivered_at IS NULL"
                            " AND next_attempt_at <= nu_ts($1)"
                            " ORDER BY next_attempt_at, id LIMIT $2::int"
                            " FOR UPDATE SKIP LOCKED",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) {
    nu_outbox_row *r = &(*rows)[i];
    int row = (int)i;
    r->id = nu_db_get_i64(res, row, 0);
    r->channel = nu_db_text(res, row, 1);
    r->recipient = nu_db_text(res, row, 2);
    r->template_name = nu_db_text(res, row, 3);
    r->payload_json = nu_db_text(res, row, 4);
    r->organization_id = nu_db_text(res, row, 5);
    r->request_id = nu_db_text(res, row, 6);
    r->attempts = (int)nu_db_get_i64(res, row, 7);
    r->created_us = nu_db_get_i64(res, row, 8);
  }
  return nu_ok();
}

/* The payload goes with the delivery: it holds live links (reset links
 * valid for minutes, invitations for days), and once the message has left
 * the server nothing needs it. The row keeps its metadata (channel,
 * recipient, template, organisation, request id, times, attempts). */
nu_status nu_outbox_mark_delivered(nu_conn *c, nu_arena *a, int64_t id, int64_t now_ns) {
  const char *params[] = {nu_db_i64(a, id), nu_db_i64(a, now_ns / 1000)};
  if (params[0] == NULL || params[1] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE outbox SET delivered_at = nu_ts($2), attempts = attempts + 1,"
                    " last_error = '', payload = '{}'::jsonb"
                    " WHERE id = $1::bigint AND delivered_at IS NULL",
                    2, params, NULL);
}

nu_status nu_outbox_mark_failed(nu_conn *c, nu_arena *a, int64_t id, const char *error,
                                int64_t next_attempt_ns) {
  const char *params[] = {nu_db_i64(a, id), error != NULL ? error : "",
                          nu_db_i64(a, next_attempt_ns / 1000)};
  if (params[0] == NULL || params[2] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE outbox SET attempts = attempts + 1, last_error = left($2, 500),"
                    " next_attempt_at = nu_ts($3) WHERE id = $1::bigint",
                    3, params, NULL);
}
