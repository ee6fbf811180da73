/*
 * order_service.h — OrderService: preview and place direct orders, read
 * and list orders (order.proto).
 */
#ifndef NU_RPC_ORDERS_ORDER_SERVICE_H
#define NU_RPC_ORDERS_ORDER_SERVICE_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_order_methods[];
extern const size_t nu_order_methods_count;

#ifdef __cplusplus
}
#endif

#endif
