/*
 * policy.h — the limits of the orders context, in one place.
 *
 * Sizes are bytes. The handlers read the numbers from here.
 */
#ifndef NU_DOMAIN_ORDERS_POLICY_H
#define NU_DOMAIN_ORDERS_POLICY_H

#include <stdint.h>

/* Items of one order, and each item's bounds. */
#define NU_ORDER_QUANTITY_MAX 100000
#define NU_ORDER_DURATION_MAX_MONTHS 120
#define NU_ORDER_HOURS_MAX 87600 /* ten years of hours */
#define NU_ORDER_REGION_MAX_LEN 100
#define NU_ORDER_TEMPLATE_MAX_LEN 200
/* The buyer's purchase-order reference and service code (Chorus Pro). */
#define NU_ORDER_REFERENCE_MAX_LEN 50
/* The contact for the implementation. */
#define NU_ORDER_CONTACT_NAME_MAX_LEN 200
/* Earlier orders one order may name as linked (renewals, complements). */
#define NU_ORDER_LINKS_MAX 10
/* ListOrders' query. */
#define NU_ORDER_QUERY_MAX_LEN 200
/* A provisioning batch, and one report's texts. */
#define NU_PROVISIONING_BATCH_MAX 1000
#define NU_PROVISIONING_EVENT_ID_MAX_LEN 128
#define NU_PROVISIONING_ACCESS_MAX_LEN 16384
#define NU_PROVISIONING_REASON_MAX_LEN 2000
/* What ContestDelivery's reason may hold. */
#define NU_ORDER_CONTEST_REASON_MAX_LEN 4000
/* The provider feed: a page of ListOrderEvents, and how often a
 * WatchOrderEvents stream looks for new events when idle. */
#define NU_ORDER_EVENTS_PAGE_DEFAULT 100
#define NU_ORDER_EVENTS_PAGE_MAX 1000
#define NU_ORDER_EVENTS_POLL_MS 200

#endif
