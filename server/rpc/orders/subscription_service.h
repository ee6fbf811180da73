/*
 * subscription_service.h — SubscriptionService (subscription.proto).
 */
#ifndef NU_RPC_ORDERS_SUBSCRIPTION_SERVICE_H
#define NU_RPC_ORDERS_SUBSCRIPTION_SERVICE_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_subscription_methods[];
extern const size_t nu_subscription_methods_count;

#ifdef __cplusplus
}
#endif

#endif
