/*
 * order_view.h — the API view of a stored order: lines, the VAT table
 * (one row per rate, lowest first, summed from the lines) and totals.
 * Access details never appear here (GetLineAccessDetails reads them).
 */
#ifndef NU_RPC_ORDERS_ORDER_VIEW_H
#define NU_RPC_ORDERS_ORDER_VIEW_H

#include "nuage/v1/order.pb-c.h"
#include "server/common/arena.h"
#include "server/store/orders/order_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The order; NULL when out of memory. */
Nuage__V1__Order *nu_order_view(nu_arena *a, const nu_order_row *r);

/* The summary of a priced order that is not written (PreviewOrder). */
Nuage__V1__OrderSummary *nu_order_summary_view(nu_arena *a, const nu_order_row *r);

/* "to_deliver" ↔ ORDER_STATUS_TO_DELIVER…; UNSPECIFIED / NULL when unknown. */
Nuage__V1__OrderStatus nu_order_status_to_api(const char *status);
const char *nu_order_status_from_api(Nuage__V1__OrderStatus s);

/* A Money in EUR; NULL when out of memory. */
Nuage__V1__Money *nu_order_money(nu_arena *a, int64_t cents);

#ifdef __cplusplus
}
#endif

#endif
