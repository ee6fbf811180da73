/*
 * outbox_worker.h — the thread that delivers the outbox (DOMAIN.md §7).
 *
 * Every poll interval (at once while batches come back full) it claims up
 * to batch_size due messages with FOR UPDATE SKIP LOCKED, hands each to the
 * sink, and marks it delivered — or records the failure and backs off
 * (1 s, 2 s, 4 s … at most 1 h) — in the same transaction. Several servers
 * on one database therefore never deliver one message twice: a message is
 * locked by one worker while it is delivered, and marked delivered before
 * the lock goes. (A crash between a delivery and the commit delivers that
 * message again on restart; the file sink then rewrites the same file.)
 * Marking a message delivered also empties its payload (the links it held
 * stay only in what was delivered); a message not yet delivered, or whose
 * delivery failed and waits for a retry, keeps it. No message is given up
 * after some number of attempts: a failing one is retried every hour at
 * most, payload kept, until delivered.
 *
 * Sinks, for development (real e-mail and SMS gateways come later):
 *   file — one JSON file per message, DIR/<id>.json, mode 0600, written
 *          atomically (temporary file, then rename): how a developer sees
 *          the links of the default run;
 *   log  — one log line per message with id, channel, template and
 *          recipient only: never the payload, which holds links;
 *   none — no worker: messages wait in the table.
 */
#ifndef NU_RPC_OUTBOX_WORKER_H
#define NU_RPC_OUTBOX_WORKER_H

#include <stdint.h>

#include "server/app/app.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_outbox_sink {
  NU_OUTBOX_SINK_NONE = 0,
  NU_OUTBOX_SINK_LOG = 1,
  NU_OUTBOX_SINK_FILE = 2,
} nu_outbox_sink;

typedef struct nu_outbox_worker_options {
  nu_outbox_sink sink;
  const char *dir;          /* NU_OUTBOX_SINK_FILE: created (0700) if missing; copied */
  int64_t poll_interval_ms; /* 0: 200 */
  int batch_size;           /* 0: 16 */
} nu_outbox_worker_options;

typedef struct nu_outbox_worker nu_outbox_worker;

/* Parses "log", "file" or "none"; 0, or -1 for anything else. */
int nu_outbox_sink_parse(const char *s, nu_outbox_sink *out);

/* Starts the worker on app (borrowed: it must outlive the worker). Returns
 * NULL for NU_OUTBOX_SINK_NONE, and NULL with *error set (static text)
 * when the directory cannot be created or the thread cannot start. */
nu_outbox_worker *nu_outbox_worker_start(nu_app *app, const nu_outbox_worker_options *opts,
                                         const char **error);

/* Stops the worker after its current batch and frees it; NULL is a no-op.
 * Call before the pool is freed. */
void nu_outbox_worker_stop(nu_outbox_worker *w);

#ifdef __cplusplus
}
#endif

#endif
