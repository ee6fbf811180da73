/*
 * admission.h — OrderService.AdmitDelivery ("service fait") and
 * ContestDelivery.
 */
#ifndef NU_RPC_ORDERS_ADMISSION_H
#define NU_RPC_ORDERS_ADMISSION_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_admission_methods[];
extern const size_t nu_admission_methods_count;

#ifdef __cplusplus
}
#endif

#endif
