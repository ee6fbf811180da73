/*
 * app.h — what handlers share: the pool, the clock, health, reflection.
 *
 * One per server process, built by main and handed to the transport; each
 * handler reaches it through nu_call_app.
 */
#ifndef NU_RPC_APP_H
#define NU_RPC_APP_H

#include <stdint.h>

#include "server/common/clock.h"
#include "server/store/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_health nu_health;
typedef struct nu_reflection_index nu_reflection_index;

typedef struct nu_app {
  nu_pool *pool;
  const nu_clock *clock;
  nu_health *health;
  const nu_reflection_index *reflection;
  const char *server_version;
  int known_migrations;
  int64_t start_wall_ns;
} nu_app;

#ifdef __cplusplus
}
#endif

#endif
