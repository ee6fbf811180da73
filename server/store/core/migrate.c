/*
 * migrate.c — applying the numbered SQL migrations at start. Owns table
 * schema_migrations.
 *
 * Several servers may start at once against one database: a session-level
 * advisory lock, held on a connection of our own for the whole run, makes
 * them take turns, so each migration is applied exactly once and a server
 * that waited finds the work done. Each migration runs in its own
 * transaction together with its schema_migrations row: a failed script
 * leaves neither half of it behind.
 */
#include "server/store/core/migrate.h"

#include <stdio.h>
#include <stdlib.h>

#include "server/common/log.h"
#include "server/store/core/internal.h"

/* Arbitrary, fixed for all versions of Nuage: "nuage" in ASCII, then 1. */
#define NU_MIGRATE_LOCK_KEY "7959375013151244289" /* 0x6e75616765000001 */

#define NU_MIGRATE_APP_NAME "nuage-migrate"

/* Runs sql (possibly several statements) and checks the last result; the
 * result is cleared here. */
static nu_status exec_checked(PGconn *pg, nu_arena *a, const char *sql) {
  PGresult *res = PQexec(pg, sql);
  nu_status st = nu_ok();
  ExecStatusType rs = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (res == NULL || (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK)) {
    char sqlstate[6];
    st = nu_store_result_error(pg, a, res, sqlstate);
  }
  PQclear(res);
  return st;
}

/* The highest version recorded, 0 for none. */
static nu_status recorded_version(PGconn *pg, nu_arena *a, int *out) {
  PGresult *res = PQexec(pg, "SELECT coalesce(max(version), 0) FROM schema_migrations");
  nu_status st = nu_ok();
  if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
    char sqlstate[6];
    st = nu_store_result_error(pg, a, res, sqlstate);
    goto done;
  }
  *out = atoi(PQgetvalue(res, 0, 0));
done:
  PQclear(res);
  return st;
}

static nu_status is_applied(PGconn *pg, nu_arena *a, int version, bool *out) {
  char v[16];
  snprintf(v, sizeof(v), "%d", version);
  const char *params[] = {v};
  PGresult *res = PQexecParams(pg, "SELECT 1 FROM schema_migrations WHERE version = $1::integer", 1,
                               NULL, params, NULL, NULL, 0);
  nu_status st = nu_ok();
  if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
    char sqlstate[6];
    st = nu_store_result_error(pg, a, res, sqlstate);
    goto done;
  }
  *out = PQntuples(res) > 0;
done:
  PQclear(res);
  return st;
}

/* One migration and its row, in one transaction. */
static nu_status apply_one(PGconn *pg, nu_arena *a, const nu_migration *m) {
  char v[16];
  snprintf(v, sizeof(v), "%d", m->version);
  const char *params[] = {v, m->name};
  PGresult *res = NULL;
  nu_status st = exec_checked(pg, a, "BEGIN");
  if (!nu_status_is_ok(&st)) goto done;
  st = exec_checked(pg, a, m->sql);
  if (!nu_status_is_ok(&st)) goto done;
  res = PQexecParams(pg, "INSERT INTO schema_migrations (version, name) VALUES ($1::integer, $2)",
                     2, NULL, params, NULL, NULL, 0);
  if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
    char sqlstate[6];
    st = nu_store_result_error(pg, a, res, sqlstate);
    goto done;
  }
  st = exec_checked(pg, a, "COMMIT");
done:
  PQclear(res);
  if (!nu_status_is_ok(&st)) {
    if (PQstatus(pg) == CONNECTION_OK && PQtransactionStatus(pg) != PQTRANS_IDLE) {
      PQclear(PQexec(pg, "ROLLBACK"));
    }
    st = nu_error(a, st.code, st.reason, "migration %s failed: %s", m->name, st.message);
  }
  return st;
}

static nu_status check_order(nu_arena *a, const nu_migration *migs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (migs[i].version < 1 || (i > 0 && migs[i].version <= migs[i - 1].version)) {
      return nu_error(a, NU_INTERNAL, "MIGRATIONS_INVALID",
                      "migration %s: versions must be positive and strictly increasing",
                      migs[i].name);
    }
  }
  return nu_ok();
}

nu_status nu_migrate(const char *conninfo, const nu_migration *migs, size_t n, nu_arena *a,
                     nu_migrate_result *out) {
  PGconn *pg = NULL;
  bool locked = false;
  int applied = 0, version = 0;
  int known = n > 0 ? migs[n - 1].version : 0;
  nu_status st = check_order(a, migs, n);
  if (!nu_status_is_ok(&st)) goto done;

  st = nu_store_connect(conninfo, NU_MIGRATE_APP_NAME, a, &pg);
  if (!nu_status_is_ok(&st)) goto done;
  st = exec_checked(pg, a, "SELECT pg_advisory_lock(" NU_MIGRATE_LOCK_KEY ")");
  if (!nu_status_is_ok(&st)) goto done;
  locked = true;
  st = exec_checked(pg, a,
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version integer PRIMARY KEY,"
                    " name text NOT NULL,"
                    " applied_at timestamptz NOT NULL DEFAULT now())");
  if (!nu_status_is_ok(&st)) goto done;
  st = recorded_version(pg, a, &version);
  if (!nu_status_is_ok(&st)) goto done;
  if (version > known) {
    /* A newer server migrated this database: running old code on it could
     * write rows the new schema forbids or misses. */
    st =
        nu_error(a, NU_FAILED_PRECONDITION, "SCHEMA_TOO_NEW",
                 "database schema version %d is newer than this server knows (%d)", version, known);
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    bool done_before = false;
    st = is_applied(pg, a, migs[i].version, &done_before);
    if (!nu_status_is_ok(&st)) goto done;
    if (done_before) continue;
    st = apply_one(pg, a, &migs[i]);
    if (!nu_status_is_ok(&st)) goto done;
    applied++;
    char v[16];
    snprintf(v, sizeof(v), "%d", migs[i].version);
    nu_log(NU_LOG_INFO, "migration applied", "version", v, "name", migs[i].name, NULL);
  }
  st = recorded_version(pg, a, &version);
  if (!nu_status_is_ok(&st)) goto done;
  if (out != NULL) {
    out->applied = applied;
    out->schema_version = version;
  }

done:
  if (locked && PQstatus(pg) == CONNECTION_OK) {
    /* Closing the session would release the lock too; unlocking first lets
     * a waiting server go on without waiting for our disconnect. */
    PQclear(PQexec(pg, "SELECT pg_advisory_unlock(" NU_MIGRATE_LOCK_KEY ")"));
  }
  if (pg != NULL) PQfinish(pg);
  return st;
}
