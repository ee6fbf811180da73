/*
 * order_event_store.h — SQL of the provider feed: order_feeds and
 * order_events (owns both tables).
 *
 * Each seller's events are numbered 1, 2, 3… without gaps. Appending takes
 * the seller's order_feeds row (an upsert that locks it until the
 * transaction ends), so one seller's events commit in the order of their
 * numbers: a reader that has seen event n has seen every event before it,
 * and a cursor never skips an event that commits later.
 */
#ifndef NU_STORE_ORDERS_ORDER_EVENT_STORE_H
#define NU_STORE_ORDERS_ORDER_EVENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_order_event_row {
  int64_t seq;
  const char *kind; /* "order_created", "order_changed", "line_changed", … */
  const char *order_id;
  const char *line_id; /* "" when the event is about the whole order */
  int64_t created_us;
} nu_order_event_row;

/* Appends an event of kind about order_id (and line_id, or NULL) to
 * seller_id's feed at now_ns; *seq is its number. */
nu_status nu_order_event_append(nu_conn *c, nu_arena *a, const char *seller_id,
                                const char *order_id, const char *line_id, const char *kind,
                                int64_t now_ns, int64_t *seq);

/* One event to append with nu_order_event_append_many. */
typedef struct nu_order_event_new {
  const char *order_id;
  const char *line_id; /* NULL: about the whole order */
  const char *kind;
} nu_order_event_new;

/* Appends ev[0..n) to seller_id's feed at now_ns, numbered in that order,
 * in one statement; *last_seq is the number of the last (0 when n is 0). */
nu_status nu_order_event_append_many(nu_conn *c, nu_arena *a, const char *seller_id,
                                     const nu_order_event_new *ev, size_t n, int64_t now_ns,
                                     int64_t *last_seq);

/* Up to limit events of seller_id's feed after after_seq, oldest first. */
nu_status nu_order_event_list(nu_conn *c, nu_arena *a, const char *seller_id, int64_t after_seq,
                              int limit, nu_order_event_row **rows, size_t *n);

/* The number of the seller's last event (0 when none). */
nu_status nu_order_event_last(nu_conn *c, nu_arena *a, const char *seller_id, int64_t *seq);

#ifdef __cplusplus
}
#endif

#endif
