/*
 * document_render.h — rendering a pending document from its snapshot, the
 * one path the document worker (document_worker.h) and GetDocument (on
 * demand) share, so both produce the same content.
 *
 * The caller has locked the document (nu_document_claim_pending or
 * nu_document_lock_pending) in c's transaction; the content, its SHA-256
 * and rendered_at are written in it, and the lock is what keeps two
 * renderers from storing two contents: the second finds it rendered.
 */
#ifndef NU_JOBS_DOCUMENT_RENDER_H
#define NU_JOBS_DOCUMENT_RENDER_H

#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"
#include "server/store/orders/document_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Renders *p (borrowed) at now_ns and stores it. A document that cannot
 * be rendered is left pending: *render_error (static or arena text, never
 * content) says why, it is logged (id, number, error) and nothing is
 * written; the caller records the
 * failure (nu_document_render_failed) or rolls back. Errors of the
 * database come back as the status. */
nu_status nu_document_render(nu_conn *c, nu_arena *a, const nu_document_pending *p, int64_t now_ns,
                             const char **render_error);

#ifdef __cplusplus
}
#endif

#endif
