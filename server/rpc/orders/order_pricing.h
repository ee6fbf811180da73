/*
 * order_pricing.h — the lines of a direct order from catalogue plans.
 *
 * Each item names a published product and one of its active plans; the
 * plan's terms price it (domain/money/estimate.h: VAT per line, half-up to
 * the cent) and one order line results, whose unit price is the line's
 * amount per unit. Every item must be sold by the same provider. What is
 * wrong with an item is a field violation on items[i].<field>, or
 * NOT_FOUND for a product or plan the caller cannot see.
 */
#ifndef NU_RPC_ORDERS_ORDER_PRICING_H
#define NU_RPC_ORDERS_ORDER_PRICING_H

#include <stddef.h>

#include "nuage/v1/order.pb-c.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"
#include "server/store/orders/order_store.h"
#include "server/transport/call.h"
#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most items one order holds. */
#define NU_ORDER_MAX_ITEMS 20

/* The validator step of PreviewOrder and CreateOrder's items (formats and
 * bounds; what needs the catalogue is checked by nu_order_price). */
void nu_order_validate_items(nu_validator *v, Nuage__V1__OrderItem *const *items, size_t n);

/* Prices items[0..n) against the catalogue in c's transaction into
 * out->lines, n_lines, seller_id, seller_name and the totals. */
nu_status nu_order_price(nu_call *call, nu_conn *c, Nuage__V1__OrderItem *const *items, size_t n,
                         nu_order_row *out);

#ifdef __cplusplus
}
#endif

#endif
