/*
 * access_key_code_store.c — queries of the access_key_codes table. Owns
 * table access_key_codes.
 */
#include "server/store/identity/access_key_code_store.h"

#include "server/store/core/db.h"

nu_status nu_access_key_code_put(nu_conn *c, nu_arena *a, const char *user_id,
                                 const uint8_t hash[NU_EMAIL_CODE_HASH_BYTES], int64_t now_ns,
                                 int64_t expires_ns) {
  const char *params[] = {user_id, nu_db_bytea(a, hash, NU_EMAIL_CODE_HASH_BYTES),
                          nu_db_i64(a, now_ns / 1000), nu_db_i64(a, expires_ns / 1000)};
  if (params[1] == NULL || params[2] == NULL || params[3] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "INSERT INTO access_key_codes (user_id, code_hash, attempts, created_at,"
                    " expires_at) VALUES ($1, $2, 0, nu_ts($3), nu_ts($4))"
                    " ON CONFLICT (user_id) DO UPDATE SET code_hash = EXCLUDED.code_hash,"
                    " attempts = 0, created_at = EXCLUDED.created_at,"
                    " expires_at = EXCLUDED.expires_at",
                    4, params, NULL);
}

nu_status nu_access_key_code_get(nu_conn *c, nu_arena *a, const char *user_id,
                                 nu_email_code_state *state, const uint8_t **hash) {
  const char *params[] = {user_id};
  PGresult *res = NULL;
  *hash = NULL;
  state->exists = false;
  state->expires_ns = 0;
  state->attempts = 0;
  nu_status st = nu_db_exec(c, a,
                            "SELECT code_hash, nu_us(expires_at), attempts FROM access_key_codes"
                            " WHERE user_id = $1 FOR UPDATE",
                            1, params, &res);
  if (!nu_status_is_ok(&st) || PQntuples(res) != 1) return st;
  size_t len = 0;
  *hash = nu_db_get_bytea(a, res, 0, 0, &len);
  if (*hash == NULL || len != NU_EMAIL_CODE_HASH_BYTES) {
    *hash = NULL;
    return nu_error(a, NU_INTERNAL, "BAD_CODE_HASH", "stored access-key code hash is malformed");
  }
  state->exists = true;
  state->expires_ns = nu_db_get_i64(res, 0, 1) * 1000;
  state->attempts = (int)nu_db_get_i64(res, 0, 2);
  return nu_ok();
}

nu_status nu_access_key_code_delete(nu_conn *c, nu_arena *a, const char *user_id) {
  const char *params[] = {user_id};
  return nu_db_exec(c, a, "DELETE FROM access_key_codes WHERE user_id = $1", 1, params, NULL);
}

nu_status nu_access_key_code_set_attempts(nu_conn *c, nu_arena *a, const char *user_id,
                                          int attempts) {
  const char *params[] = {user_id, nu_db_i64(a, attempts)};
  if (params[1] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a, "UPDATE access_key_codes SET attempts = $2::integer WHERE user_id = $1",
                    2, params, NULL);
}
