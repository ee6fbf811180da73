/*
 * health.h — grpc.health.v1.Health: Check, and Watch streaming changes.
 */
#ifndef NU_RPC_HEALTH_H
#define NU_RPC_HEALTH_H

#include "server/dispatch/method.h"
#include "server/domain/health_state.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_health nu_health;

nu_health *nu_health_new(void);
void nu_health_free(nu_health *h);

/* Sets a service's status ("" is the whole server) and tells its watchers. */
void nu_health_set(nu_health *h, const char *service, nu_health_status status);

/* Everything NOT_SERVING for good; watchers get that status, then their
 * streams end with UNAVAILABLE so shutdown need not wait for them. */
void nu_health_shutdown(nu_health *h);

extern const nu_method nu_health_methods[];
extern const size_t nu_health_methods_count;

#ifdef __cplusplus
}
#endif

#endif
