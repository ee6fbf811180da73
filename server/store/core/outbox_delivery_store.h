/*
 * outbox_delivery_store.h — claiming and settling outbox messages.
 *
 * A worker claims due messages with FOR UPDATE SKIP LOCKED inside its
 * transaction, delivers them, and marks each delivered (or failed, with a
 * back-off) before committing: another server's worker skips the locked
 * rows, so each message is handled by one worker at a time, and a message
 * is marked delivered exactly once.
 */
#ifndef NU_STORE_OUTBOX_DELIVERY_STORE_H
#define NU_STORE_OUTBOX_DELIVERY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

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
