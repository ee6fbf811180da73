/*
 * order_lines.h — what the quantities of an order's lines say about the
 * order (DOMAIN.md §5).
 *
 * Each line has an ordered quantity, a delivered quantity (what the
 * provider reported, cumulative) and an admitted quantity (what the buyer
 * certified, "service fait"): 0 ≤ admitted ≤ delivered ≤ ordered, and
 * neither delivered nor admitted ever goes down. A provider's delivery
 * report carries the line's delivered quantity so far (not an increment),
 * so replaying it changes nothing. The order's status follows from the
 * lines: nothing delivered → to_deliver, some → partially_delivered, all in
 * full → delivered; once a report raised a quantity, nu_order_delivery_event
 * says which event order_status.h takes.
 *
 * Pure.
 */
#ifndef NU_DOMAIN_ORDERS_ORDER_LINES_H
#define NU_DOMAIN_ORDERS_ORDER_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/domain/orders/order_status.h"
#include "server/domain/refusal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The largest quantity of a line (units). */
#define NU_ORDER_LINE_QUANTITY_MAX INT64_C(1000000)

typedef struct nu_order_line_qty {
  int64_t ordered;
  int64_t delivered;
  int64_t admitted;
} nu_order_line_qty;

typedef enum nu_order_line_delivery {
  NU_LINE_DELIVERY_UNSPECIFIED = 0,
  NU_LINE_NOT_DELIVERED = 1,
  NU_LINE_PARTIALLY_DELIVERED = 2,
  NU_LINE_DELIVERED = 3,
} nu_order_line_delivery;

/* 0 when 1 ≤ ordered ≤ NU_ORDER_LINE_QUANTITY_MAX and 0 ≤ admitted ≤
 * delivered ≤ ordered; -1 with ORDER_LINE_INVALID otherwise. */
int nu_order_line_check(const nu_order_line_qty *l, nu_refusal *why);

/* How much of a well-formed line is delivered (UNSPECIFIED for a line
 * nu_order_line_check refuses). */
nu_order_line_delivery nu_order_line_delivery_of(const nu_order_line_qty *l);

/* A delivery report saying `delivered` units of l are delivered so far:
 * 0 with *out (l with the new quantity) and *raised (whether it went up);
 * -1 with *why: DELIVERED_QUANTITY_DECREASED (below what was reported),
 * DELIVERED_QUANTITY_EXCEEDS_ORDERED, ORDER_LINE_INVALID. */
int nu_order_line_deliver(const nu_order_line_qty *l, int64_t delivered, nu_order_line_qty *out,
                          bool *raised, nu_refusal *why);

/* The buyer admitting `quantity` more units of l: 0 with *out; -1 with
 * *why: ADMITTED_QUANTITY_INVALID (below 1), ADMISSION_EXCEEDS_DELIVERY
 * (more than delivered and not yet admitted), ORDER_LINE_INVALID. */
int nu_order_line_admit(const nu_order_line_qty *l, int64_t quantity, nu_order_line_qty *out,
                        nu_refusal *why);

/* The state lines[0..n) give the order: to_deliver (nothing delivered),
 * partially_delivered, delivered (every line in full); UNSPECIFIED when n is
 * 0 or a line is invalid. Admission is not read here: an order is admitted
 * by the event, when nu_order_lines_admitted. */
nu_order_state nu_order_state_of_lines(const nu_order_line_qty *lines, size_t n);

/* Whether every line is admitted in full (false when n is 0). */
bool nu_order_lines_admitted(const nu_order_line_qty *lines, size_t n);

/* The event a delivery that raised a quantity sends the order, given its
 * lines after it: delivered_full when every line is in full, else
 * delivered_partial. -1 with ORDER_LINE_INVALID when the lines are not
 * well formed or n is 0. */
int nu_order_delivery_event(const nu_order_line_qty *lines, size_t n, nu_order_event *ev,
                            nu_refusal *why);

#ifdef __cplusplus
}
#endif

#endif
