/*
 * delivery_notes.c — issuing delivery notes (see the header).
 */
#include "server/rpc/orders/delivery_notes.h"

#include <string.h>

#include "server/domain/subscriptions/paris_calendar.h"
#include "server/rpc/core/handler.h"
#include "server/store/identity/user_store.h"

nu_status nu_delivery_note_issue(nu_call *call, nu_conn *c, const nu_order_row *order,
                                 const nu_delivered_line *lines, size_t n, nu_document_row *out) {
  nu_arena *a = nu_call_arena(call);
  const nu_order_row o = *order;
  nu_status st;
  int64_t now = nu_rpc_now(call);
  nu_date today = nu_paris_date_of(now);
  nu_document_note_line *printed = nu_arena_calloc(a, n + 1, sizeof(*printed));
  if (printed == NULL) return nu_rpc_oom(a);
  size_t k = 0;
  for (size_t i = 0; i < o.n_lines; i++) {
    for (size_t j = 0; j < n; j++) {
      if (strcmp(o.lines[i].id, lines[j].line_id) != 0 || lines[j].quantity <= 0) continue;
      printed[k++] = (nu_document_note_line){.product_code = o.lines[i].product_code,
                                             .designation = o.lines[i].designation,
                                             .quantity_delivered = lines[j].quantity,
                                             .delivered_on = today};
    }
  }
  if (k == 0) return nu_ok();
  /* The snapshot of what the note prints, as of now: it is rendered after
   * this transaction (jobs/document_worker.h, or GetDocument on demand). */
  nu_document_note note = {.date = today,
                           .order_number = o.number,
                           .buyer_name = o.organization_name,
                           .purchase_order_ref = o.purchase_order_reference,
                           .service_code = o.service_code,
                           .provider_name = o.seller_name,
                           .lines = printed,
                           .n_lines = k};
  st = nu_document_next_delivery_note_number(c, a, &note.number);
  if (!nu_status_is_ok(&st)) return st;
  nu_document_row in = {.kind = "delivery_note",
                        .number = note.number,
                        .order_id = o.id,
                        .organization_id = o.organization_id,
                        .seller_id = o.seller_id,
                        .content_type = "application/pdf"};
  nu_document_row doc;
  st = nu_document_insert_pending(c, a, &in, &note, now, &doc);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {{"number", NULL, doc.number}, {"order_number", NULL, o.number}};
  st = nu_rpc_audit(call, c, o.organization_id, "document.issue", "document", doc.id, ch, 2);
  if (!nu_status_is_ok(&st)) return st;
  nu_user_row placer;
  st = nu_user_get(c, a, o.placed_by, &placer);
  if (!nu_status_is_ok(&st)) return st;
  const char *kv[] = {"order_id",    o.id,   "order_number",    o.number,
                      "document_id", doc.id, "document_number", doc.number};
  st = nu_rpc_email(call, c, placer.email, "order_delivered", o.organization_id, kv, 4);
  if (!nu_status_is_ok(&st)) return st;
  if (out != NULL) *out = doc;
  return nu_ok();
}
