/*
 * delivery_notes.h — the delivery note ("bon de livraison", BL + 6 digits)
 * a delivery produces: the lines and quantities the provider delivered in
 * one report batch for one order, stored in documents and announced to
 * whoever placed the order. It is issued pending, with the snapshot of what
 * it prints, and rendered as a PDF after the transaction
 * (jobs/document_worker.h, or GetDocument on demand): a report batch never
 * waits for rendering.
 */
#ifndef NU_RPC_ORDERS_DELIVERY_NOTES_H
#define NU_RPC_ORDERS_DELIVERY_NOTES_H

#include <stddef.h>
#include <stdint.h>

#include "nuage/v1/order.pb-c.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"
#include "server/store/orders/document_store.h"
#include "server/store/orders/order_store.h"
#include "server/transport/call.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One line of a delivery: how many units this delivery brought. */
typedef struct nu_delivered_line {
  const char *line_id;
  int64_t quantity;
} nu_delivered_line;

/* Issues the delivery note of lines[0..n) of *o (the order as the caller
 * read it in c's transaction, with its lines) at the call's clock, pending
 * rendering; *out (may be NULL) the document. No PDF is rendered here. */
nu_status nu_delivery_note_issue(nu_call *call, nu_conn *c, const nu_order_row *o,
                                 const nu_delivered_line *lines, size_t n, nu_document_row *out);

#ifdef __cplusplus
}
#endif

#endif
