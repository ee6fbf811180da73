/*
 * provisioning_feed.h — ProvisioningService's feed: ListOrderEvents
 * (pages by cursor) and WatchOrderEvents (server streaming, resumable).
 */
#ifndef NU_RPC_ORDERS_PROVISIONING_FEED_H
#define NU_RPC_ORDERS_PROVISIONING_FEED_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_provisioning_feed_methods[];
extern const size_t nu_provisioning_feed_methods_count;

#ifdef __cplusplus
}
#endif

#endif
