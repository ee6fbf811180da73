/*
 * order_lines.c — line quantities and the order status they give (see
 * order_lines.h).
 */
#include "server/domain/orders/order_lines.h"

static int invalid(nu_refusal *why) {
  return nu_refuse(why, "ORDER_LINE_INVALID",
                   "the order line's quantities are inconsistent: 0 <= admitted <= delivered <= "
                   "ordered is required");
}

int nu_order_line_check(const nu_order_line_qty *l, nu_refusal *why) {
  if (l == NULL || l->ordered < 1 || l->ordered > NU_ORDER_LINE_QUANTITY_MAX || l->admitted < 0 ||
      l->admitted > l->delivered || l->delivered > l->ordered) {
    return invalid(why);
  }
  return 0;
}

nu_order_line_delivery nu_order_line_delivery_of(const nu_order_line_qty *l) {
  if (nu_order_line_check(l, NULL) != 0) return NU_LINE_DELIVERY_UNSPECIFIED;
  if (l->delivered == 0) return NU_LINE_NOT_DELIVERED;
  return l->delivered == l->ordered ? NU_LINE_DELIVERED : NU_LINE_PARTIALLY_DELIVERED;
}

int nu_order_line_deliver(const nu_order_line_qty *l, int64_t delivered, nu_order_line_qty *out,
                          bool *raised, nu_refusal *why) {
  if (nu_order_line_check(l, why) != 0) return -1;
  if (delivered < l->delivered) {
    return nu_refuse(why, "DELIVERED_QUANTITY_DECREASED",
                     "the delivered quantity is below the one already reported: it never goes "
                     "down");
  }
  if (delivered > l->ordered) {
    return nu_refuse(why, "DELIVERED_QUANTITY_EXCEEDS_ORDERED",
                     "the delivered quantity is above the ordered quantity");
  }
  *raised = delivered > l->delivered;
  *out = *l;
  out->delivered = delivered;
  return 0;
}

int nu_order_line_admit(const nu_order_line_qty *l, int64_t quantity, nu_order_line_qty *out,
                        nu_refusal *why) {
  if (nu_order_line_check(l, why) != 0) return -1;
  if (quantity < 1) {
    return nu_refuse(why, "ADMITTED_QUANTITY_INVALID", "the admitted quantity must be at least 1");
  }
  if (quantity > l->delivered - l->admitted) {
    return nu_refuse(why, "ADMISSION_EXCEEDS_DELIVERY",
                     "the admitted quantity is above what is delivered and not yet admitted");
  }
  *out = *l;
  out->admitted += quantity;
  return 0;
}

nu_order_state nu_order_state_of_lines(const nu_order_line_qty *lines, size_t n) {
  if (n == 0) return NU_ORDER_STATE_UNSPECIFIED;
  bool any = false, all = true;
  for (size_t i = 0; i < n; i++) {
    nu_order_line_delivery d = nu_order_line_delivery_of(&lines[i]);
    if (d == NU_LINE_DELIVERY_UNSPECIFIED) return NU_ORDER_STATE_UNSPECIFIED;
    any = any || d != NU_LINE_NOT_DELIVERED;
    all = all && d == NU_LINE_DELIVERED;
  }
  if (all) return NU_ORDER_DELIVERED;
  return any ? NU_ORDER_PARTIALLY_DELIVERED : NU_ORDER_TO_DELIVER;
}

bool nu_order_lines_admitted(const nu_order_line_qty *lines, size_t n) {
  if (n == 0) return false;
  for (size_t i = 0; i < n; i++) {
    if (nu_order_line_check(&lines[i], NULL) != 0 || lines[i].admitted != lines[i].ordered) {
      return false;
    }
  }
  return true;
}

int nu_order_delivery_event(const nu_order_line_qty *lines, size_t n, nu_order_event *ev,
                            nu_refusal *why) {
  nu_order_state s = nu_order_state_of_lines(lines, n);
  if (s == NU_ORDER_STATE_UNSPECIFIED) return invalid(why);
  *ev = s == NU_ORDER_DELIVERED ? NU_ORDER_EVENT_DELIVERED_FULL : NU_ORDER_EVENT_DELIVERED_PARTIAL;
  return 0;
}
