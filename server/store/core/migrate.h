/*
 * migrate.h — numbered SQL migrations, applied at start.
 *
 * Migrations live in server/store/core/migrations/NNNN_name.sql and are compiled
 * into the server. nu_migrate takes a session-level advisory lock, creates
 * schema_migrations if needed, applies in order each version not yet
 * recorded (one transaction each: the script and its row), then unlocks, so
 * two servers starting together apply each migration once. A database whose
 * schema is newer than the binary knows is refused (FAILED_PRECONDITION).
 */
#ifndef NU_STORE_MIGRATE_H
#define NU_STORE_MIGRATE_H

#include <stddef.h>

#include "server/common/arena.h"
#include "server/common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_migration {
  int version;      /* NNNN of the file name, strictly increasing */
  const char *name; /* file name */
  const char *sql;
} nu_migration;

/* The migrations compiled into this binary (generated). */
extern const nu_migration nu_migrations[];
extern const size_t nu_migrations_count;

typedef struct nu_migrate_result {
  int applied;        /* migrations applied by this call */
  int schema_version; /* highest version recorded afterwards */
} nu_migrate_result;

/* Opens its own connection to conninfo. */
nu_status nu_migrate(const char *conninfo, const nu_migration *migs, size_t n, nu_arena *a,
                     nu_migrate_result *out);

#ifdef __cplusplus
}
#endif

#endif
