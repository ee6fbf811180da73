/*
 * subscription_store.h — the subscriptions table, as far as the catalogue
 * reads it: who must hear that a product goes away.
 */
#ifndef NU_STORE_SUBSCRIPTION_STORE_H
#define NU_STORE_SUBSCRIPTION_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An organisation with a live subscription, and where to write to it. */
typedef struct nu_subscriber_row {
  const char *organization_id;
  const char *organization_name;
  const char *referent_email; /* the e-mail of the organisation's referent */
} nu_subscriber_row;

/* Every organisation with a subscription to product_id that has not ended
 * or been terminated at now_ns (subscribed or active), once each, by id;
 * *rows in the arena. */
nu_status nu_subscription_live_orgs(nu_conn *c, nu_arena *a, const char *product_id, int64_t now_ns,
                                    nu_subscriber_row **rows, size_t *n);

#ifdef __cplusplus
}
#endif

#endif
