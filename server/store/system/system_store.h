/*
 * system_store.h — queries of SystemService and DiagnosticsService.
 */
#ifndef NU_STORE_SYSTEM_STORE_H
#define NU_STORE_SYSTEM_STORE_H

#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_server_info_row {
  int schema_version;           /* max(version) of schema_migrations */
  const char *database_version; /* SHOW server_version; arena */
  int64_t database_time_us;     /* now(), Unix microseconds */
} nu_server_info_row;

nu_status nu_store_server_info(nu_conn *c, nu_arena *a, nu_server_info_row *out);

/* SELECT pg_sleep(duration_ms / 1000.0); *slept_ms measured around it.
 * Cancelled by statement_timeout like any statement. */
nu_status nu_store_sleep(nu_conn *c, nu_arena *a, int duration_ms, int *slept_ms);

#ifdef __cplusplus
}
#endif

#endif
