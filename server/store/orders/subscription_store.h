/*
 * subscription_store.h — SQL of subscriptions (owns the table; the
 * catalogue only reads it, store/catalog/subscription_store.h).
 *
 * A subscription is written when an order line is admitted. Its status is
 * never stored: it is derived from its dates at read time
 * (domain/subscriptions/subscription.h); lists filter by status with the
 * same rule in SQL, at the instant given. Dates are Paris days stored as
 * the instant they begin (00:00 Europe/Paris).
 */
#ifndef NU_STORE_ORDERS_SUBSCRIPTION_STORE_H
#define NU_STORE_ORDERS_SUBSCRIPTION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_subscription_row {
  const char *id;
  const char *organization_id;
  const char *product_id;
  const char *product_code;
  const char *order_id;
  const char *order_number;
  const char *order_line_id;
  const char *parent_id; /* "" when not split from another */
  const char *name;
  const char *type; /* "reservation", "hourly", "free", "byol" */
  const char *region;
  int64_t quantity;
  int32_t duration_months;
  int64_t upfront_cents;       /* per unit */
  int64_t monthly_price_cents; /* per unit */
  int64_t starts_us;
  int64_t ends_us;       /* 0: open-ended */
  int64_t terminated_us; /* when the termination takes effect; 0: none */
  int64_t version;
  int64_t created_us;
} nu_subscription_row;

/* Writes *in (every field but id, version and created) at now_ns; *out as
 * stored. */
nu_status nu_subscription_insert(nu_conn *c, nu_arena *a, const nu_subscription_row *in,
                                 int64_t now_ns, nu_subscription_row *out);

/* The subscription id (any text), locked when for_update; *found false
 * when absent. */
nu_status nu_subscription_get(nu_conn *c, nu_arena *a, const char *id, bool for_update,
                              nu_subscription_row *out, bool *found);

/* Writes a locked row's quantity and termination (terminated_us, the
 * request's time and who) at now_ns, bumping its version; *out after. */
nu_status nu_subscription_write(nu_conn *c, nu_arena *a, const nu_subscription_row *in,
                                int64_t requested_us, const char *requested_by, int64_t now_ns,
                                nu_subscription_row *out);

/* How lists sort: newest first, by start, by end (open-ended last). */
typedef enum nu_subscription_sort {
  NU_SUBSCRIPTION_SORT_NEWEST = 0,
  NU_SUBSCRIPTION_SORT_START = 1,
  NU_SUBSCRIPTION_SORT_END = 2,
} nu_subscription_sort;

/* What a list selects: one organisation's, or (mine_user_id) those of the
 * orders the user placed and of the organisations where the user is the
 * referent, among the user's memberships. */
typedef struct nu_subscription_filter {
  const char *organization_id;
  const char *mine_user_id;
  const char *query;  /* order number, name or product code; NULL: none */
  const char *status; /* "subscribed", "active", "ended", "terminated" at now_us; NULL: any */
  int64_t now_us;
  int64_t start_from_us, start_to_us, end_from_us, end_to_us; /* 0: unbounded */
  nu_subscription_sort sort;
} nu_subscription_filter;

/* A page strictly after (after_key, after_id) when after_id is set. */
nu_status nu_subscription_list(nu_conn *c, nu_arena *a, const nu_subscription_filter *f,
                               int64_t after_key, const char *after_id, int limit,
                               nu_subscription_row **rows, size_t *n);

#ifdef __cplusplus
}
#endif

#endif
