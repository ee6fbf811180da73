/*
 * access_key_store.c — queries of the access_keys table. Owns table
 * access_keys.
 */
#include "server/store/identity/access_key_store.h"

#include <stdlib.h>

#include "server/store/core/db.h"

#define KEY_COLS                                                                           \
  "id, organization_id, description, nu_us(created_at), coalesce(nu_us(last_used_at), 0)," \
  " coalesce(nu_us(revoked_at), 0)"

static void read_row(const PGresult *r, int i, nu_access_key_row *out) {
  out->id = nu_db_text(r, i, 0);
  out->organization_id = nu_db_text(r, i, 1);
  out->description = nu_db_text(r, i, 2);
  out->created_us = nu_db_get_i64(r, i, 3);
  out->last_used_us = nu_db_get_i64(r, i, 4);
  out->revoked_us = nu_db_get_i64(r, i, 5);
}

nu_status nu_access_key_create(nu_conn *c, nu_arena *a, const nu_access_key_new *k,
                               nu_access_key_row *out) {
  const char *params[] = {k->id,
                          nu_db_bytea(a, k->secret_hash, NU_TOKEN_HASH_BYTES),
                          k->user_id,
                          k->organization_id,
                          k->description != NULL ? k->description : "",
                          nu_db_i64(a, k->now_ns / 1000)};
  if (params[1] == NULL || params[5] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO access_keys (id, secret_hash, user_id, organization_id,"
                            " description, created_at)"
                            " VALUES ($1, $2, $3, $4, $5, nu_ts($6)) RETURNING " KEY_COLS,
                            6, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_access_key_list(nu_conn *c, nu_arena *a, const char *user_id, int64_t after_created_us,
                             const char *after_id, int limit, nu_access_key_row **rows, size_t *n) {
  const char *params[] = {user_id, after_id != NULL ? nu_db_i64(a, after_created_us) : NULL,
                          after_id, nu_db_i64(a, limit)};
  if (params[3] == NULL || (after_id != NULL && params[1] == NULL)) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT " KEY_COLS
                            " FROM access_keys WHERE user_id = $1"
                            " AND ($3::text IS NULL OR (created_at, id) < (nu_ts($2), $3::text))"
                            " ORDER BY created_at DESC, id DESC LIMIT $4",
                            4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n > 0 ? *n : 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) read_row(res, (int)i, &(*rows)[i]);
  return nu_ok();
}

nu_status nu_access_key_revoke(nu_conn *c, nu_arena *a, const char *user_id, const char *key_id,
                               int64_t now_ns, nu_access_key_row *out, bool *found) {
  const char *params[] = {user_id, key_id, nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE access_keys SET revoked_at = coalesce(revoked_at, nu_ts($3))"
                            " WHERE user_id = $1 AND id = $2 RETURNING " KEY_COLS,
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found) read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_access_key_revoke_all(nu_conn *c, nu_arena *a, const char *user_id, int64_t now_ns,
                                   int *count) {
  const char *params[] = {user_id, nu_db_i64(a, now_ns / 1000)};
  if (params[1] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE access_keys SET revoked_at = nu_ts($2)"
                            " WHERE user_id = $1 AND revoked_at IS NULL",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (count != NULL) *count = atoi(PQcmdTuples(res));
  return nu_ok();
}

nu_status nu_access_key_touch(nu_conn *c, nu_arena *a, const char *key_id, int64_t now_ns) {
  const char *params[] = {key_id, nu_db_i64(a, now_ns / 1000)};
  if (params[1] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a, "UPDATE access_keys SET last_used_at = nu_ts($2) WHERE id = $1", 2,
                    params, NULL);
}

nu_status nu_access_key_revoke_for_org(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                       int64_t now_ns, int *count) {
  const char *params[] = {org, user, nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE access_keys SET revoked_at = nu_ts($3)"
                            " WHERE organization_id = $1 AND user_id = $2 AND revoked_at IS NULL",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *count = atoi(PQcmdTuples(res));
  return nu_ok();
}
