/*
 * document_render.c — a pending document's snapshot → the PDF → its row
 * (see document_render.h).
 */
#include "server/jobs/document_render.h"

#include <string.h>

#include "server/common/log.h"
#include "server/documents/delivery_note.h"

/* The delivery note of snapshot n into *pdf (arena); NULL, or why not. */
static const char *render_delivery_note(nu_arena *a, const nu_document_note *n, nu_pdf_bytes *pdf) {
  nu_delivery_note_line *lines = nu_arena_calloc(a, n->n_lines + 1, sizeof(*lines));
  if (lines == NULL) return "out of memory";
  for (size_t i = 0; i < n->n_lines; i++) {
    lines[i] = (nu_delivery_note_line){.product_code = n->lines[i].product_code,
                                       .designation = n->lines[i].designation,
                                       .quantity_delivered = n->lines[i].quantity_delivered,
                                       .delivered_on = n->lines[i].delivered_on};
  }
  nu_delivery_note note = {.number = n->number,
                           .date = n->date,
                           .order_number = n->order_number,
                           .buyer_name = n->buyer_name,
                           .purchase_order_ref = n->purchase_order_ref,
                           .service_code = n->service_code,
                           .provider_name = n->provider_name,
                           .lines = lines,
                           .n_lines = n->n_lines};
  nu_pdf_error err = {0};
  if (nu_delivery_note_render(&note, NULL, a, pdf, &err) != 0) {
    return err.message != NULL ? nu_arena_sprintf(a, "%s", err.message) : "unknown error";
  }
  return NULL;
}

nu_status nu_document_render(nu_conn *c, nu_arena *a, const nu_document_pending *p, int64_t now_ns,
                             const char **render_error) {
  *render_error = NULL;
  nu_pdf_bytes pdf = {0};
  if (p->snapshot_error != NULL) {
    *render_error = p->snapshot_error;
  } else if (strcmp(p->kind, "delivery_note") == 0) {
    *render_error = render_delivery_note(a, &p->note, &pdf);
  } else {
    *render_error = "no renderer for this kind of document";
  }
  if (*render_error != NULL) {
    nu_log(NU_LOG_WARN, "document rendering failed", "id", p->id, "number", p->note.number, "error",
           *render_error, NULL);
    return nu_ok();
  }
  return nu_document_store_rendered(c, a, p->id, pdf.data, pdf.len, now_ns);
}
