/*
 * auth_service.h — the rows of nuage.v1.AuthService for the method table.
 */
#ifndef NU_RPC_AUTH_SERVICE_H
#define NU_RPC_AUTH_SERVICE_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_auth_methods[];
extern const size_t nu_auth_methods_count;

#ifdef __cplusplus
}
#endif

#endif
