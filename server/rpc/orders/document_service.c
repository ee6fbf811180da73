/*
 * document_service.c — GetDocument: who may read a document is the
 * document's business (its order's): the buyer's members with visitor on
 * orders, the seller's with visitor on storefront (its backend), the
 * platform operator. Anyone else gets the NOT_FOUND of an absent document.
 *
 * The handler runs on a worker and reads the document in one transaction;
 * the metadata and then 64 KiB chunks follow, each sent when the previous
 * one is written. A document still pending (issued, not yet rendered by
 * jobs/document_worker.h) is rendered here, in that transaction, with the
 * worker's own function: a reader never sees "not ready" and never waits
 * for the worker (only, at most, for a rendering under way).
 */
#include "server/rpc/orders/document_service.h"

#include <string.h>

#include "nuage/v1/document.pb-c.h"
#include "server/jobs/document_render.h"
#include "server/rpc/core/handler.h"
#include "server/store/orders/document_store.h"
#include "server/validate/ids.h"

#define CHUNK_BYTES (64 * 1024)

static bool may_read(const nu_principal *p, const nu_document_row *d) {
  if (p->platform_operator) return true;
  if (p->organization_id == NULL) return false;
  if (strcmp(p->organization_id, d->organization_id) == 0) {
    return p->levels[NU_SECTION_ORDERS] >= NU_LEVEL_VISITOR;
  }
  if (d->seller_id[0] != '\0' && strcmp(p->organization_id, d->seller_id) == 0) {
    return p->levels[NU_SECTION_STOREFRONT] >= NU_LEVEL_VISITOR;
  }
  return false;
}

typedef struct read_run {
  nu_call *call;
  const char *id;
  nu_document_row doc;
} read_run;

/* Renders document id if it is still pending (waiting for a worker that
 * renders it now, then finding it rendered). A failure rolls back: the
 * document stays pending for the worker's retries. */
static nu_status render_now(nu_call *call, nu_conn *c, nu_arena *a, const char *id) {
  nu_document_pending p;
  bool pending = false;
  nu_status st = nu_document_lock_pending(c, a, id, &p, &pending);
  if (!nu_status_is_ok(&st) || !pending) return st;
  const char *err = NULL;
  st = nu_document_render(c, a, &p, nu_rpc_now(call), &err);
  if (!nu_status_is_ok(&st)) return st;
  if (err != NULL) {
    return nu_error(a, NU_UNAVAILABLE, "DOCUMENT_RENDERING_FAILED",
                    "the document could not be rendered; it will be retried");
  }
  return nu_ok();
}

static nu_status read_tx(nu_conn *c, nu_arena *a, void *arg) {
  read_run *r = arg;
  bool found = false;
  nu_status st = nu_document_get(c, a, r->id, true, &r->doc, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || !may_read(nu_call_principal(r->call), &r->doc)) {
    return nu_rpc_not_found(a, "document");
  }
  if (r->doc.rendered) return nu_ok();
  st = render_now(r->call, c, a, r->id);
  if (!nu_status_is_ok(&st)) return st;
  return nu_document_get(c, a, r->id, true, &r->doc, &found);
}

/* The stream, driven by its send completions: each written message sends
 * the next chunk, the last one finishes the call (the handler must not
 * wait: the transport completes sends only after it returns). */
typedef struct sender {
  nu_call *call;
  nu_document_row doc;
  size_t offset;
} sender;

static void on_sent(nu_call *c, void *arg, bool ok) {
  sender *s = arg;
  if (!ok) {
    nu_call_finish(c, nu_error(nu_call_arena(c), NU_CANCELLED, NULL, "the client went away"));
    return;
  }
  if (s->offset >= s->doc.content_len) {
    nu_call_finish(c, nu_ok());
    return;
  }
  size_t n = s->doc.content_len - s->offset;
  if (n > CHUNK_BYTES) n = CHUNK_BYTES;
  Nuage__V1__DocumentChunk chunk = NUAGE__V1__DOCUMENT_CHUNK__INIT;
  chunk.data.data = (uint8_t *)s->doc.content + s->offset;
  chunk.data.len = n;
  s->offset += n;
  if (nu_call_send(c, &chunk.base, on_sent, s) != 0) {
    nu_call_finish(c, nu_error(nu_call_arena(c), NU_CANCELLED, NULL, "the stream ended"));
  }
}

static nu_status validate_get(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__GetDocumentRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_id(&v, "document_id", req->document_id, "a document id", true);
  return nu_validator_result(&v);
}

static void get_document(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__GetDocumentRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  read_run r = {.call = call, .id = req->document_id};
  /* Not read-only: a pending document is rendered and stored here. */
  nu_status st = nu_rpc_tx(call, false, read_tx, &r);
  if (!nu_status_is_ok(&st)) {
    nu_call_finish(call, st);
    return;
  }
  sender *snd = nu_arena_calloc(a, 1, sizeof(*snd));
  if (snd == NULL) {
    nu_call_finish(call, nu_rpc_oom(a));
    return;
  }
  snd->call = call;
  snd->doc = r.doc;
  Nuage__V1__DocumentInfo info = NUAGE__V1__DOCUMENT_INFO__INIT;
  info.id = (char *)r.doc.id;
  info.kind = (char *)r.doc.kind;
  info.number = (char *)r.doc.number;
  info.content_type = (char *)r.doc.content_type;
  info.size = (int64_t)r.doc.content_len;
  info.sha256 = (char *)r.doc.sha256;
  info.order_id = (char *)r.doc.order_id;
  info.create_time = nu_rpc_timestamp(a, r.doc.created_us * 1000);
  Nuage__V1__DocumentChunk first = NUAGE__V1__DOCUMENT_CHUNK__INIT;
  first.info = &info;
  /* Packed at once: the message may live on the stack. */
  if (nu_call_send(call, &first.base, on_sent, snd) != 0) {
    nu_call_finish(call, nu_error(a, NU_CANCELLED, NULL, "the stream ended"));
  }
}

const nu_method nu_document_methods[] = {
    NU_ROW_STREAM("/nuage.v1.DocumentService/GetDocument", NU_SERVER_STREAMING,
                  &nuage__v1__get_document_request__descriptor,
                  &nuage__v1__document_chunk__descriptor, NU_RUN_WORKER, validate_get,
                  get_document),
};
const size_t nu_document_methods_count =
    sizeof(nu_document_methods) / sizeof(nu_document_methods[0]);
