/*
 * outbox_store.h — messages to deliver, queued with the change causing them.
 *
 * A handler enqueues in its own transaction: if the change rolls back, so
 * does the message; once committed, a delivery worker (rpc/outbox_worker)
 * claims it with FOR UPDATE SKIP LOCKED and marks it delivered, so several
 * servers can run and a message is neither lost nor sent twice.
 */
#ifndef NU_STORE_OUTBOX_STORE_H
#define NU_STORE_OUTBOX_STORE_H

#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_outbox_message {
  const char *channel;         /* "email", "sms", "webhook" */
  const char *recipient;       /* e-mail address, phone, URL */
  const char *template_name;   /* "invitation", "reset_password", … */
  const char *payload_json;    /* a JSON object: the template's variables */
  const char *organization_id; /* or NULL */
  const char *request_id;      /* the call's request id, or NULL */
  int64_t at_ns;               /* now, from the app's clock */
} nu_outbox_message;

/* Queues m; *id_out (if not NULL) is its id. */
nu_status nu_outbox_enqueue(nu_conn *c, nu_arena *a, const nu_outbox_message *m, int64_t *id_out);

#ifdef __cplusplus
}
#endif

#endif
