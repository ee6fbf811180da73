/*
 * document_worker.h — the thread that renders pending documents.
 *
 * Documents are issued pending in the transaction that produces them (a
 * provider's report batch issues delivery notes without waiting for PDF
 * rendering). Every poll interval (at once while batches come back full)
 * the worker claims up to batch_size due pending documents with FOR UPDATE
 * SKIP LOCKED, renders each from its snapshot (document_render.h) and
 * stores it, in the same transaction. Several servers on one database
 * therefore never render one document twice: it is locked by one worker
 * while it is rendered and stored before the lock goes; GetDocument, which
 * renders a pending document on demand, waits for that lock and then finds
 * it rendered.
 *
 * A document that cannot be rendered stays pending: the failure is logged
 * (id and error, never content), counted and retried after 1 s, 2 s, 4 s …
 * at most 1 h, never given up.
 */
#ifndef NU_JOBS_DOCUMENT_WORKER_H
#define NU_JOBS_DOCUMENT_WORKER_H

#include <stdint.h>

#include "server/app/app.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_document_worker_options {
  int64_t poll_interval_ms; /* 0: 200 */
  int batch_size;           /* 0: 8 */
} nu_document_worker_options;

typedef struct nu_document_worker nu_document_worker;

/* Starts the worker on app (borrowed: it must outlive the worker). NULL
 * with *error set (static text) when the thread cannot start. */
nu_document_worker *nu_document_worker_start(nu_app *app, const nu_document_worker_options *opts,
                                             const char **error);

/* Stops the worker after its current batch and frees it; NULL is a no-op.
 * Call before the pool is freed. */
void nu_document_worker_stop(nu_document_worker *w);

#ifdef __cplusplus
}
#endif

#endif
