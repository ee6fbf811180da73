/*
 * health_state.h — the serving status of the server and of each service.
 *
 * Statuses have the values of grpc.health.v1.HealthCheckResponse.
 * ServingStatus. The empty name is the server as a whole. Once shut down,
 * every known service is NOT_SERVING and stays so. Not thread-safe: the
 * owner locks.
 */
#ifndef NU_DOMAIN_HEALTH_STATE_H
#define NU_DOMAIN_HEALTH_STATE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_health_status {
  NU_HEALTH_UNKNOWN = 0,
  NU_HEALTH_SERVING = 1,
  NU_HEALTH_NOT_SERVING = 2,
  NU_HEALTH_SERVICE_UNKNOWN = 3,
} nu_health_status;

#define NU_HEALTH_MAX_SERVICES 64
#define NU_HEALTH_MAX_NAME 128

typedef struct nu_health_state {
  struct {
    char name[NU_HEALTH_MAX_NAME];
    nu_health_status status;
  } services[NU_HEALTH_MAX_SERVICES];
  size_t count;
  bool shut_down;
} nu_health_state;

void nu_health_state_init(nu_health_state *s);

/* Sets a service's status, adding it if new. Returns 1 when the status
 * changed, 0 when it did not (or the state is shut down and status is not
 * NOT_SERVING), -1 when the name is too long or the table is full. */
int nu_health_state_set(nu_health_state *s, const char *name, nu_health_status status);

/* SERVICE_UNKNOWN for a name never set. */
nu_health_status nu_health_state_get(const nu_health_state *s, const char *name);

/* Everything NOT_SERVING, for good. */
void nu_health_state_shutdown(nu_health_state *s);

const char *nu_health_status_name(nu_health_status st);

#ifdef __cplusplus
}
#endif

#endif
