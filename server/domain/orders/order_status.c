/*
 * order_status.c — the order state machine (DOMAIN.md §5), as one table of
 * (state, event) cells: the state the event leads to, or why it is refused.
 */
#include "server/domain/orders/order_status.h"

#include <stddef.h>
#include <string.h>

static const char *const names[NU_ORDER_STATE_COUNT] = {
    NULL, "to_deliver", "partially_delivered", "delivered", "admitted", "disputed", "cancelled"};

static const char *const event_names[NU_ORDER_EVENT_COUNT] = {
    "line_in_progress", "line_failed", "delivered_partial", "delivered_full",
    "admitted",         "contested",   "dispute_resolved",  "cancelled"};

const char *nu_order_state_name(nu_order_state s) {
  return s > NU_ORDER_STATE_UNSPECIFIED && s < NU_ORDER_STATE_COUNT ? names[s] : NULL;
}

nu_order_state nu_order_state_parse(const char *s) {
  for (int i = 1; s != NULL && i < NU_ORDER_STATE_COUNT; i++) {
    if (strcmp(s, names[i]) == 0) return (nu_order_state)i;
  }
  return NU_ORDER_STATE_UNSPECIFIED;
}

const char *nu_order_event_name(nu_order_event e) {
  return (int)e >= 0 && e < NU_ORDER_EVENT_COUNT ? event_names[e] : NULL;
}

/* A refusal of the table. */
typedef struct why_not {
  const char *reason;
  const char *message;
} why_not;

static const why_not ALREADY_DELIVERED = {"ORDER_ALREADY_DELIVERED",
                                          "the order is already delivered in full"};
static const why_not NOT_DELIVERED = {
    "ORDER_NOT_DELIVERED",
    "the order is not delivered in full: only a delivered order is admitted"};
static const why_not ALREADY_ADMITTED = {"ORDER_ALREADY_ADMITTED", "the order is already admitted"};
static const why_not ADMITTED = {
    "ORDER_ADMITTED", "the order is admitted: its delivery can no longer change or be contested"};
static const why_not DISPUTED = {"ORDER_DISPUTED",
                                 "the order is disputed: resolve the dispute before admitting it"};
static const why_not NOT_DISPUTED = {"ORDER_NOT_DISPUTED", "the order is not disputed"};
static const why_not CANCELLED = {"ORDER_CANCELLED", "the order is cancelled"};
static const why_not NOTHING_DELIVERED = {
    "NOTHING_DELIVERED", "nothing of the order is delivered yet: nothing to contest"};
static const why_not DELIVERED = {
    "ORDER_DELIVERED", "the order is delivered: contest the delivery to have it cancelled"};

/* One cell: `to` when the event applies (FROM_LINES: the state the lines
 * give, for dispute_resolved), else `no`. */
typedef struct cell {
  nu_order_state to;
  const why_not *no;
} cell;

#define FROM_LINES NU_ORDER_STATE_UNSPECIFIED
#define GO(s) \
  { (s), NULL }
#define NO(w) \
  { NU_ORDER_STATE_UNSPECIFIED, &(w) }

#define TD NU_ORDER_TO_DELIVER
#define PD NU_ORDER_PARTIALLY_DELIVERED
#define DL NU_ORDER_DELIVERED
#define AD NU_ORDER_ADMITTED
#define DI NU_ORDER_DISPUTED
#define CA NU_ORDER_CANCELLED

/* clang-format off */
static const cell table[NU_ORDER_STATE_COUNT][NU_ORDER_EVENT_COUNT] = {
  /*       in_progress             failed                  delivered_partial       delivered_full          admitted                contested               dispute_resolved        cancelled */
  [TD] = {GO(TD),                 GO(TD),                 GO(PD),                 GO(DL),                 NO(NOT_DELIVERED),      NO(NOTHING_DELIVERED),  NO(NOT_DISPUTED),       GO(CA)},
  [PD] = {GO(PD),                 GO(PD),                 GO(PD),                 GO(DL),                 NO(NOT_DELIVERED),      GO(DI),                 NO(NOT_DISPUTED),       GO(CA)},
  [DL] = {NO(ALREADY_DELIVERED),  NO(ALREADY_DELIVERED),  NO(ALREADY_DELIVERED),  NO(ALREADY_DELIVERED),  GO(AD),                 GO(DI),                 NO(NOT_DISPUTED),       NO(DELIVERED)},
  [AD] = {NO(ADMITTED),           NO(ADMITTED),           NO(ADMITTED),           NO(ADMITTED),           NO(ALREADY_ADMITTED),   NO(ADMITTED),           NO(NOT_DISPUTED),       NO(ADMITTED)},
  [DI] = {GO(DI),                 GO(DI),                 GO(DI),                 GO(DI),                 NO(DISPUTED),           GO(DI),                 GO(FROM_LINES),         GO(CA)},
  [CA] = {NO(CANCELLED),          NO(CANCELLED),          NO(CANCELLED),          NO(CANCELLED),          NO(CANCELLED),          NO(CANCELLED),          NO(NOT_DISPUTED),       GO(CA)},
};
/* clang-format on */

/* Where a resolved dispute leaves the order. */
static int resolved(const nu_order_facts *f, nu_order_state *to, nu_refusal *why) {
  if (f == NULL) return nu_refuse(why, "ORDER_FACTS_MISSING", "the order's lines are not known");
  if (f->open_incidents_left > 0) {
    *to = NU_ORDER_DISPUTED;
    return 0;
  }
  switch (f->delivery_state) {
    case NU_ORDER_TO_DELIVER:
    case NU_ORDER_PARTIALLY_DELIVERED:
    case NU_ORDER_DELIVERED: *to = f->delivery_state; return 0;
    default: return nu_refuse(why, "ORDER_FACTS_MISSING", "the order's lines are not known");
  }
}

int nu_order_status_next(nu_order_state from, nu_order_event ev, const nu_order_facts *f,
                         nu_order_transition *out, nu_refusal *why) {
  if (nu_order_state_name(from) == NULL) {
    return nu_refuse(why, "ORDER_STATE_UNKNOWN", "the order is in an unknown state");
  }
  if (nu_order_event_name(ev) == NULL) {
    return nu_refuse(why, "ORDER_EVENT_UNKNOWN", "unknown order event");
  }
  const cell *c = &table[from][ev];
  if (c->no != NULL) return nu_refuse(why, c->no->reason, c->no->message);
  nu_order_state to = c->to;
  if (to == FROM_LINES && resolved(f, &to, why) != 0) return -1;

  nu_order_transition t = {.to = to, .changed = to != from};
  switch (ev) {
    case NU_ORDER_EVENT_LINE_IN_PROGRESS: t.notify_buyer = false; break;
    case NU_ORDER_EVENT_LINE_FAILED: t.notify_buyer = true; break;
    case NU_ORDER_EVENT_DELIVERED_PARTIAL:
    case NU_ORDER_EVENT_DELIVERED_FULL:
      t.issue_delivery_note = true;
      t.notify_buyer = true;
      break;
    case NU_ORDER_EVENT_ADMITTED:
    case NU_ORDER_EVENT_DISPUTE_RESOLVED:
      t.notify_buyer = true;
      t.notify_provider = true;
      break;
    case NU_ORDER_EVENT_CONTESTED:
      t.open_incident = true;
      t.notify_buyer = true;
      t.notify_provider = true;
      break;
    case NU_ORDER_EVENT_CANCELLED:
      t.notify_buyer = t.changed;
      t.notify_provider = t.changed;
      break;
  }
  *out = t;
  return 0;
}
