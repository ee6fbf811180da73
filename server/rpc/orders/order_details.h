/*
 * order_details.h — the whole API view of one order: order_view's, plus
 * what other tables hold about it (its documents, its admissions, the
 * incident open on it). GetOrder and the calls that change an order answer
 * with it.
 */
#ifndef NU_RPC_ORDERS_ORDER_DETAILS_H
#define NU_RPC_ORDERS_ORDER_DETAILS_H

#include <protobuf-c/protobuf-c.h>

#include "nuage/v1/order.pb-c.h"
#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"
#include "server/store/orders/order_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The view of row r with its documents, admissions and open incident,
 * read in c's transaction; *out in the arena. */
nu_status nu_order_details(nu_arena *a, nu_conn *c, const nu_order_row *r, Nuage__V1__Order **out);

/* The same for the order order_id, read again (after a change). */
nu_status nu_order_full_view(nu_arena *a, nu_conn *c, const char *order_id,
                             ProtobufCMessage **resp);

#ifdef __cplusplus
}
#endif

#endif
