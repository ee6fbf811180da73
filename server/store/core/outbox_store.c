/*
 * outbox_store.c — queueing messages in the outbox table.
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
