/*
 * order_placement.h — the one way an order comes to exist.
 *
 * CreateOrder (a direct order from catalogue plans) calls it today;
 * procurement's accepted proposals and renewals will call it with their own
 * priced lines. In the caller's transaction it: locks the buyer
 * organisation (so two orders of one organisation pass the account-level
 * allowance one after the other, never both on the same remainder), checks
 * that the organisation is validated and that the account level allows
 * the commitment (the identity context's one rule), writes the order and
 * its lines, appends ORDER_CREATED to the seller's feed, audits the
 * creation in the buyer organisation, and queues the confirmation e-mail
 * to whoever placed it and a notice to the seller's referent.
 */
#ifndef NU_RPC_ORDERS_ORDER_PLACEMENT_H
#define NU_RPC_ORDERS_ORDER_PLACEMENT_H

#include "server/common/status.h"
#include "server/store/core/pool.h"
#include "server/store/orders/order_store.h"
#include "server/transport/call.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Places *in (organization_id, seller_id, placed_by, references, contact,
 * priced lines and totals) at the call's clock; *out is the order as
 * stored. FAILED_PRECONDITION ORGANIZATION_NOT_VALIDATED, or the account
 * level's refusal, write nothing. */
nu_status nu_order_place(nu_call *call, nu_conn *c, const nu_order_row *in, nu_order_row *out);

/* Links the placed order to earlier orders of its organisation (renewals,
 * complements), by number; NOT_FOUND "order not found" for a number that
 * is not one of the organisation's orders. */
nu_status nu_order_place_links(nu_call *call, nu_conn *c, const nu_order_row *placed,
                               char *const *numbers, size_t n);

#ifdef __cplusplus
}
#endif

#endif
