/*
 * login_store.c — queries of sign-in state on users, login_challenges and
 * recovery_codes. Owns tables login_challenges and recovery_codes; the
 * sign-in writes on users go through their owner, user_store.
 */
#include "server/store/identity/login_store.h"

#include <stdlib.h>
#include <string.h>

#include "server/store/core/db.h"
#include "server/store/identity/user_store.h"

#define USER_COLS                                                                \
  "id, login, email, status, password_hash, platform_operator, failed_attempts," \
  " coalesce(nu_us(locked_until), 0) * 1000, totp_secret, totp_enabled, totp_last_step"

static void read_user(nu_arena *a, const PGresult *r, nu_login_user *u) {
  u->id = nu_db_text(r, 0, 0);
  u->login = nu_db_text(r, 0, 1);
  u->email = nu_db_text(r, 0, 2);
  u->status = nu_db_text(r, 0, 3);
  u->password_hash = nu_db_text(r, 0, 4);
  u->platform_operator = nu_db_get_bool(r, 0, 5);
  u->failed_attempts = (int)nu_db_get_i64(r, 0, 6);
  u->locked_until_ns = nu_db_get_i64(r, 0, 7);
  u->totp_box = nu_db_get_bytea(a, r, 0, 8, &u->totp_box_len);
  u->totp_enabled = nu_db_get_bool(r, 0, 9);
  u->totp_last_step = nu_db_get_i64(r, 0, 10);
}

static nu_status find_one(nu_conn *c, nu_arena *a, const char *sql, const char *param,
                          nu_login_user *out, bool *found) {
  const char *params[] = {param};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a, sql, 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found) read_user(a, res, out);
  return nu_ok();
}

nu_status nu_login_find(nu_conn *c, nu_arena *a, const char *login, nu_login_user *out,
                        bool *found) {
  /* A login never contains '@' and an e-mail always does, so one query
   * cannot match two users. */
  return find_one(c, a,
                  "SELECT " USER_COLS
                  " FROM users"
                  " WHERE lower(login) = lower($1) OR lower(email) = lower($1) LIMIT 1",
                  login, out, found);
}

nu_status nu_login_find_by_email(nu_conn *c, nu_arena *a, const char *email, nu_login_user *out,
                                 bool *found) {
  return find_one(c, a, "SELECT " USER_COLS " FROM users WHERE lower(email) = lower($1)", email,
                  out, found);
}

nu_status nu_login_get(nu_conn *c, nu_arena *a, const char *user_id, bool for_update,
                       nu_login_user *out, bool *found) {
  return find_one(c, a,
                  for_update ? "SELECT " USER_COLS " FROM users WHERE id = $1 FOR UPDATE"
                             : "SELECT " USER_COLS " FROM users WHERE id = $1",
                  user_id, out, found);
}

nu_status nu_login_set_failures(nu_conn *c, nu_arena *a, const char *user_id, int failures,
                                int64_t locked_until_ns) {
  return nu_user_set_failures(c, a, user_id, failures, locked_until_ns);
}

nu_status nu_login_clear_failures(nu_conn *c, nu_arena *a, const char *user_id) {
  return nu_user_clear_failures(c, a, user_id);
}

nu_status nu_login_set_password(nu_conn *c, nu_arena *a, const char *user_id, const char *hash,
                                int64_t now_ns) {
  return nu_user_set_password(c, a, user_id, hash, now_ns);
}

nu_status nu_login_rehash(nu_conn *c, nu_arena *a, const char *user_id, const char *old_hash,
                          const char *new_hash) {
  return nu_user_rehash_password(c, a, user_id, old_hash, new_hash);
}

nu_status nu_login_totp_enroll(nu_conn *c, nu_arena *a, const char *user_id, const uint8_t *box,
                               size_t len, int64_t now_ns) {
  return nu_user_totp_enroll(c, a, user_id, box, len, now_ns);
}

nu_status nu_login_totp_accept_step(nu_conn *c, nu_arena *a, const char *user_id, int64_t step,
                                    bool enable, int64_t now_ns, bool *accepted) {
  return nu_user_totp_accept_step(c, a, user_id, step, enable, now_ns, accepted);
}

nu_status nu_login_totp_disable(nu_conn *c, nu_arena *a, const char *user_id, int64_t now_ns) {
  nu_status st = nu_user_totp_clear(c, a, user_id, now_ns);
  if (!nu_status_is_ok(&st)) return st;
  const char *params[] = {user_id};
  return nu_db_exec(c, a, "DELETE FROM recovery_codes WHERE user_id = $1", 1, params, NULL);
}

nu_status nu_login_recovery_replace(nu_conn *c, nu_arena *a, const char *user_id,
                                    const uint8_t (*hashes)[32], size_t n) {
  const char *p1[] = {user_id};
  nu_status st = nu_db_exec(c, a, "DELETE FROM recovery_codes WHERE user_id = $1", 1, p1, NULL);
  for (size_t i = 0; i < n && nu_status_is_ok(&st); i++) {
    const char *params[] = {user_id, nu_db_bytea(a, hashes[i], 32)};
    if (params[1] == NULL) return nu_store_oom(a);
    st = nu_db_exec(c, a, "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)", 2,
                    params, NULL);
  }
  return st;
}

nu_status nu_login_recovery_unused(nu_conn *c, nu_arena *a, const char *user_id,
                                   uint8_t (**hashes)[32], size_t *n) {
  const char *params[] = {user_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a, "SELECT code_hash FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL", 1,
      params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int rows = PQntuples(res);
  *hashes = nu_arena_calloc(a, rows > 0 ? (size_t)rows : 1, 32);
  if (*hashes == NULL) return nu_store_oom(a);
  *n = 0;
  for (int i = 0; i < rows; i++) {
    size_t len = 0;
    const uint8_t *h = nu_db_get_bytea(a, res, i, 0, &len);
    if (h == NULL || len != 32) continue;
    memcpy((*hashes)[(*n)++], h, 32);
  }
  return nu_ok();
}

nu_status nu_login_recovery_use(nu_conn *c, nu_arena *a, const char *user_id,
                                const uint8_t hash[32], int64_t now_ns, bool *used) {
  const char *params[] = {user_id, nu_db_bytea(a, hash, 32), nu_db_i64(a, now_ns / 1000)};
  if (params[1] == NULL || params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE recovery_codes SET used_at = nu_ts($3)"
                            " WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *used = strcmp(PQcmdTuples(res), "1") == 0;
  return nu_ok();
}

nu_status nu_login_challenge_create(nu_conn *c, nu_arena *a, const char *user_id, int64_t now_ns,
                                    int64_t ttl_ns, char token_out[NU_TOKEN_SIZE]) {
  uint8_t digest[NU_TOKEN_HASH_BYTES];
  nu_token_new(NU_TOKEN_CHALLENGE, token_out);
  nu_token_hash(token_out, strlen(token_out), digest);
  const char *params[] = {nu_db_bytea(a, digest, sizeof(digest)), user_id,
                          nu_db_i64(a, now_ns / 1000), nu_db_i64(a, (now_ns + ttl_ns) / 1000)};
  if (params[0] == NULL || params[2] == NULL || params[3] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "INSERT INTO login_challenges (token_hash, user_id, purpose, created_at,"
                    " expires_at) VALUES ($1, $2, 'login', nu_ts($3), nu_ts($4))",
                    4, params, NULL);
}

nu_status nu_login_challenge_find(nu_conn *c, nu_arena *a, const char *token, size_t len,
                                  int64_t now_ns, const char **user_id) {
  uint8_t digest[NU_TOKEN_HASH_BYTES];
  nu_token_hash(token, len, digest);
  const char *params[] = {nu_db_bytea(a, digest, sizeof(digest)), nu_db_i64(a, now_ns / 1000)};
  if (params[0] == NULL || params[1] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT user_id FROM login_challenges WHERE token_hash = $1"
                            " AND purpose = 'login' AND used_at IS NULL AND expires_at > nu_ts($2)",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *user_id = PQntuples(res) == 1 ? nu_db_text(res, 0, 0) : NULL;
  return nu_ok();
}

nu_status nu_login_challenge_use(nu_conn *c, nu_arena *a, const char *token, size_t len,
                                 int64_t now_ns, bool *used) {
  uint8_t digest[NU_TOKEN_HASH_BYTES];
  nu_token_hash(token, len, digest);
  const char *params[] = {nu_db_bytea(a, digest, sizeof(digest)), nu_db_i64(a, now_ns / 1000)};
  if (params[0] == NULL || params[1] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE login_challenges SET used_at = nu_ts($2)"
                            " WHERE token_hash = $1 AND used_at IS NULL AND expires_at > nu_ts($2)",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *used = strcmp(PQcmdTuples(res), "1") == 0;
  return nu_ok();
}
