/*
 * order_status.h — the lifecycle of an order (DOMAIN.md §5).
 *
 *   to_deliver          --delivered_partial-->  partially_delivered
 *   to_deliver, partially_delivered --delivered_full-->  delivered
 *   delivered           --admitted-->           admitted (final)
 *   partially_delivered, delivered --contested-->  disputed
 *   disputed            --dispute_resolved-->   what the lines' quantities give
 *                                               (to_deliver, partially_delivered,
 *                                               delivered), unless another
 *                                               incident is still open
 *   to_deliver, partially_delivered, disputed --cancelled-->  cancelled (final)
 *
 * Events come from the provider's per-line reports (line_in_progress,
 * line_failed, delivered_partial / delivered_full once a report raised a
 * delivered quantity: order_lines.h says which), from the buyer (admitted
 * once every line is admitted in full, contested) and from after-sales
 * (dispute_resolved, cancelled). Nothing moves an admitted order: what
 * follows admission is the subscriptions' business. A delivered order is
 * not cancelled directly: the buyer contests it, and the dispute ends in a
 * cancellation or not. Repeating cancelled, or contesting a disputed order
 * (a second incident), changes nothing and is not an error; every other
 * event an order cannot take is refused with a stable reason.
 *
 * Pure: the caller reads the order and its lines and passes what it knows.
 */
#ifndef NU_DOMAIN_ORDERS_ORDER_STATUS_H
#define NU_DOMAIN_ORDERS_ORDER_STATUS_H

#include <stdbool.h>

#include "server/domain/refusal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_order_state {
  NU_ORDER_STATE_UNSPECIFIED = 0,
  NU_ORDER_TO_DELIVER = 1,
  NU_ORDER_PARTIALLY_DELIVERED = 2,
  NU_ORDER_DELIVERED = 3,
  NU_ORDER_ADMITTED = 4,
  NU_ORDER_DISPUTED = 5,
  NU_ORDER_CANCELLED = 6,
} nu_order_state;
#define NU_ORDER_STATE_COUNT 7

typedef enum nu_order_event {
  NU_ORDER_EVENT_LINE_IN_PROGRESS = 0,  /* the provider started on a line */
  NU_ORDER_EVENT_LINE_FAILED = 1,       /* the provider could not deliver a line */
  NU_ORDER_EVENT_DELIVERED_PARTIAL = 2, /* more delivered, not everything yet */
  NU_ORDER_EVENT_DELIVERED_FULL = 3,    /* every line delivered in full */
  NU_ORDER_EVENT_ADMITTED = 4,          /* the buyer admitted every line in full */
  NU_ORDER_EVENT_CONTESTED = 5,         /* the buyer contests the delivery */
  NU_ORDER_EVENT_DISPUTE_RESOLVED = 6,  /* an incident of the order was resolved */
  NU_ORDER_EVENT_CANCELLED = 7,
} nu_order_event;
#define NU_ORDER_EVENT_COUNT 8

/* "to_deliver", "partially_delivered", "delivered", "admitted",
 * "disputed", "cancelled" (the database's words); NULL otherwise. */
const char *nu_order_state_name(nu_order_state s);
/* The state named s, or NU_ORDER_STATE_UNSPECIFIED. */
nu_order_state nu_order_state_parse(const char *s);

/* "line_in_progress", "line_failed", …, "cancelled" (for logs and the
 * provider feed); NULL otherwise. */
const char *nu_order_event_name(nu_order_event e);

/* The state of a new order. */
#define NU_ORDER_INITIAL_STATE NU_ORDER_TO_DELIVER

/* What dispute_resolved needs to know (ignored by other events). */
typedef struct nu_order_facts {
  /* The state the lines' quantities give (nu_order_state_of_lines of
   * order_lines.h): to_deliver, partially_delivered or delivered. */
  nu_order_state delivery_state;
  /* Incidents still open once the resolved one is closed: the order stays
   * disputed while one is. */
  int open_incidents_left;
} nu_order_facts;

typedef struct nu_order_transition {
  nu_order_state to;
  bool changed;             /* false: the order already was in `to` */
  bool issue_delivery_note; /* a delivery happened: a BL is due */
  bool open_incident;       /* a contest opens an incident (after-sales) */
  bool notify_buyer;        /* outbox: the buyer's managers on orders */
  bool notify_provider; /* the provider feed (created, changed, admitted, contested, cancelled) */
} nu_order_transition;

/* 0 and *out when ev applies to an order in `from`; -1 with *why (may be
 * NULL) otherwise: ORDER_ALREADY_DELIVERED, ORDER_NOT_DELIVERED,
 * ORDER_ALREADY_ADMITTED, ORDER_ADMITTED, ORDER_DISPUTED,
 * ORDER_NOT_DISPUTED, ORDER_CANCELLED, NOTHING_DELIVERED,
 * ORDER_DELIVERED (cancelling a delivered order), ORDER_STATE_UNKNOWN,
 * ORDER_EVENT_UNKNOWN. f is needed by dispute_resolved only (NULL
 * otherwise is fine; NULL there is ORDER_FACTS_MISSING). */
int nu_order_status_next(nu_order_state from, nu_order_event ev, const nu_order_facts *f,
                         nu_order_transition *out, nu_refusal *why);

#ifdef __cplusplus
}
#endif

#endif
