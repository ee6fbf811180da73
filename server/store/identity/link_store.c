/*
 * link_store.c — user_links: create, consume once, revoke. Owns table
 * user_links.
 */
#include "server/store/identity/link_store.h"

#include <string.h>

#include "server/store/core/db.h"

nu_status nu_link_revoke_all(nu_conn *c, nu_arena *a, const char *user_id, const char *purpose,
                             int64_t now_ns) {
  const char *params[] = {user_id, purpose, nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE user_links SET used_at = nu_ts($3)"
                    " WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL",
                    3, params, NULL);
}

nu_status nu_link_create(nu_conn *c, nu_arena *a, const nu_link_new *l, bool revoke_others,
                         char token_out[NU_TOKEN_SIZE]) {
  if (revoke_others) {
    nu_status st = nu_link_revoke_all(c, a, l->user_id, l->purpose, l->now_ns);
    if (!nu_status_is_ok(&st)) return st;
  }
  uint8_t digest[NU_TOKEN_HASH_BYTES];
  nu_token_new(NU_TOKEN_LINK, token_out);
  nu_token_hash(token_out, strlen(token_out), digest);
  const char *params[] = {
      nu_db_bytea(a, digest, sizeof(digest)),
      l->user_id,
      l->purpose,
      l->invitation_id,
      nu_db_i64(a, l->now_ns / 1000),
      nu_db_i64(a, (l->now_ns + l->ttl_ns) / 1000),
      l->new_email,
  };
  if (params[0] == NULL || params[4] == NULL || params[5] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "INSERT INTO user_links (token_hash, user_id, purpose, invitation_id,"
                    " created_at, expires_at, new_email)"
                    " VALUES ($1, $2, $3, $4, nu_ts($5), nu_ts($6), $7)",
                    7, params, NULL);
}

nu_status nu_link_consume(nu_conn *c, nu_arena *a, const char *token, size_t len,
                          const char *purpose, int64_t now_ns, nu_link_use *out) {
  uint8_t digest[NU_TOKEN_HASH_BYTES];
  nu_token_hash(token, len, digest);
  const char *params[] = {nu_db_bytea(a, digest, sizeof(digest)), purpose,
                          nu_db_i64(a, now_ns / 1000)};
  if (params[0] == NULL || params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE user_links SET used_at = nu_ts($3)"
                            " WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL"
                            " AND expires_at > nu_ts($3)"
                            " RETURNING user_id, invitation_id, new_email",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) {
    return nu_error(a, NU_FAILED_PRECONDITION, "INVALID_LINK",
                    "this link is invalid, expired or already used");
  }
  out->user_id = nu_db_text(res, 0, 0);
  out->invitation_id = nu_db_text(res, 0, 1);
  out->new_email = nu_db_text(res, 0, 2);
  return nu_ok();
}

nu_status nu_link_revoke_invitation(nu_conn *c, nu_arena *a, const char *invitation_id,
                                    int64_t now_ns) {
  const char *params[] = {invitation_id, nu_db_i64(a, now_ns / 1000)};
  if (params[1] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE user_links SET used_at = nu_ts($2)"
                    " WHERE invitation_id = $1 AND used_at IS NULL",
                    2, params, NULL);
}
