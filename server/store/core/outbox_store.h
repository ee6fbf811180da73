/*
 * outbox_store.h — messages to deliver, queued with the change causing them,
 * and their delivery. Owns table outbox.
 *
 * A handler enqueues in its own transaction: if the change rolls back, so
 * does the message. Once committed, a delivery worker (jobs/outbox_worker)
 * claims due messages with FOR UPDATE SKIP LOCKED inside its transaction,
 * delivers them, and marks each delivered (or failed, with a back-off)
 * before committing: another server's worker skips the locked rows, so each
 * message is handled by one worker at a time, is neither lost nor marked
 * delivered twice.
 */
#ifndef NU_STORE_OUTBOX_STORE_H
#define NU_STORE_OUTBOX_STORE_H

#include <stddef.h>
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

/* A claimed message, for the worker (strings in the arena). */
typedef struct nu_outbox_row {
  int64_t id;
  const char *channel;
  const char *recipient;
  const char *template_name;
  const char *payload_json;
  const char *organization_id; /* NULL when none */
  const char *request_id;
  int attempts; /* failed attempts so far */
  int64_t created_us;
} nu_outbox_row;

/* Locks up to limit undelivered messages due at now_ns (oldest due
 * first), skipping rows another transaction holds. Rows in the arena. */
nu_status nu_outbox_claim(nu_conn *c, nu_arena *a, int64_t now_ns, int limit, nu_outbox_row **rows,
                          size_t *n);

/* Marks a message delivered and reduces its payload to '{}': the links it
 * held must not outlive the delivery in the database. Recipient, template,
 * times and attempts stay in their columns. */
nu_status nu_outbox_mark_delivered(nu_conn *c, nu_arena *a, int64_t id, int64_t now_ns);

/* Records a failed attempt (error: lower-case, no secret) and when to try
 * again. The payload stays: the next attempt needs it. */
nu_status nu_outbox_mark_failed(nu_conn *c, nu_arena *a, int64_t id, const char *error,
                                int64_t next_attempt_ns);

#ifdef __cplusplus
}
#endif

#endif
