/*
 * session_store.c — queries of the sessions table (and the memberships a
 * session may act for). Owns table sessions.
 */
#include "server/store/identity/session_store.h"

#include <stdlib.h>
#include <string.h>

#include "server/store/core/db.h"

#define SESSION_COLS "id, organization_id, peer, nu_us(created_at), nu_us(last_used_at)"

static void read_row(const PGresult *r, int i, nu_session_row *out) {
  out->id = nu_db_text(r, i, 0);
  out->organization_id = nu_db_text(r, i, 1);
  out->peer = nu_db_text(r, i, 2);
  out->created_us = nu_db_get_i64(r, i, 3);
  out->last_used_us = nu_db_get_i64(r, i, 4);
}

nu_status nu_session_default_org(nu_conn *c, nu_arena *a, const char *user_id,
                                 const char **org_id) {
  const char *params[] = {user_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT organization_id FROM memberships WHERE user_id = $1"
                            " ORDER BY created_at DESC, organization_id LIMIT 1",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *org_id = PQntuples(res) == 1 ? nu_db_text(res, 0, 0) : NULL;
  return nu_ok();
}

nu_status nu_session_create(nu_conn *c, nu_arena *a, const char *user_id, const char *org_id,
                            const char *peer, int64_t now_ns, char token_out[NU_TOKEN_SIZE],
                            nu_session_row *out) {
  uint8_t digest[NU_TOKEN_HASH_BYTES];
  nu_token_new(NU_TOKEN_SESSION, token_out);
  nu_token_hash(token_out, strlen(token_out), digest);
  const char *params[] = {nu_db_bytea(a, digest, sizeof(digest)), user_id, org_id,
                          peer != NULL ? peer : "", nu_db_i64(a, now_ns / 1000)};
  if (params[0] == NULL || params[4] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO sessions (token_hash, user_id, organization_id, peer,"
                            " created_at, last_used_at)"
                            " VALUES ($1, $2, $3, $4, nu_ts($5), nu_ts($5))"
                            " RETURNING " SESSION_COLS,
                            5, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_session_list(nu_conn *c, nu_arena *a, const char *user_id, int64_t now_ns,
                          int64_t idle_ns, int64_t after_created_us, const char *after_id,
                          int limit, nu_session_row **rows, size_t *n) {
  const char *params[] = {user_id, nu_db_i64(a, (now_ns - idle_ns) / 1000),
                          after_id != NULL ? nu_db_i64(a, after_created_us) : NULL, after_id,
                          nu_db_i64(a, limit)};
  if (params[1] == NULL || params[4] == NULL || (after_id != NULL && params[2] == NULL)) {
    return nu_store_oom(a);
  }
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "SELECT " SESSION_COLS
                 " FROM sessions"
                 " WHERE user_id = $1 AND revoked_at IS NULL AND last_used_at > nu_ts($2)"
                 "   AND ($4::uuid IS NULL OR (created_at, id) < (nu_ts($3), $4::uuid))"
                 " ORDER BY created_at DESC, id DESC LIMIT $5",
                 5, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n > 0 ? *n : 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) read_row(res, (int)i, &(*rows)[i]);
  return nu_ok();
}

nu_status nu_session_revoke(nu_conn *c, nu_arena *a, const char *user_id, const char *session_id,
                            int64_t now_ns, bool *revoked) {
  const char *params[] = {user_id, session_id, nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE sessions SET revoked_at = nu_ts($3)"
                            " WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *revoked = PQntuples(res) == 1;
  return nu_ok();
}

nu_status nu_session_revoke_all(nu_conn *c, nu_arena *a, const char *user_id, const char *except_id,
                                int64_t now_ns, int *count) {
  const char *params[] = {user_id, except_id, nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE sessions SET revoked_at = nu_ts($3)"
                            " WHERE user_id = $1 AND revoked_at IS NULL"
                            "   AND ($2::uuid IS NULL OR id <> $2::uuid)",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (count != NULL) *count = atoi(PQcmdTuples(res));
  return nu_ok();
}

nu_status nu_session_may_act_for(nu_conn *c, nu_arena *a, const char *user_id, bool operator_,
                                 const char *org_id, bool *may) {
  const char *params[] = {user_id, org_id, nu_db_bool(operator_)};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "SELECT EXISTS (SELECT 1 FROM memberships WHERE user_id = $1 AND organization_id = $2)"
      "    OR ($3::boolean AND EXISTS (SELECT 1 FROM organizations WHERE id = $2))",
      3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *may = nu_db_get_bool(res, 0, 0);
  return nu_ok();
}

nu_status nu_session_switch_org(nu_conn *c, nu_arena *a, const char *user_id,
                                const char *session_id, const char *org_id, nu_session_row *out,
                                bool *found) {
  const char *params[] = {user_id, session_id, org_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE sessions SET organization_id = $3"
                            " WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL"
                            " RETURNING " SESSION_COLS,
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found) read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_session_resolve(nu_conn *c, nu_arena *a, const uint8_t digest[NU_TOKEN_HASH_BYTES],
                             int64_t now_ns, int64_t idle_ns, int64_t touch_ns,
                             nu_session_principal *out, bool *found) {
  const char *params[] = {
      nu_db_bytea(a, digest, NU_TOKEN_HASH_BYTES),
      nu_db_i64(a, now_ns / 1000),
      nu_db_i64(a, idle_ns / 1000),
      nu_db_i64(a, touch_ns / 1000),
  };
  if (params[0] == NULL || params[1] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  /* The touch is a data-modifying CTE: it runs whether or not the outer
   * query reads it, and only when the session is still valid. */
  nu_status st = nu_db_exec(
      c, a,
      "WITH s AS ("
      "  SELECT id, user_id, organization_id, last_used_at FROM sessions"
      "  WHERE token_hash = $1 AND revoked_at IS NULL"
      "    AND last_used_at > nu_ts($2) - $3 * interval '1 microsecond'),"
      " touch AS ("
      "  UPDATE sessions SET last_used_at = nu_ts($2) FROM s"
      "  WHERE sessions.id = s.id AND s.last_used_at < nu_ts($2) - $4 * interval '1 microsecond')"
      " SELECT u.id, u.platform_operator, s.organization_id, m.levels, s.id"
      " FROM s JOIN users u ON u.id = s.user_id"
      " LEFT JOIN memberships m ON m.organization_id = s.organization_id AND m.user_id = u.id"
      " WHERE u.status = 'active'",
      4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found) {
    out->user_id = nu_db_text(res, 0, 0);
    out->platform_operator = nu_db_get_bool(res, 0, 1);
    out->organization_id = nu_db_text(res, 0, 2);
    out->levels = nu_db_text(res, 0, 3);
    out->session_id = nu_db_text(res, 0, 4);
  }
  return nu_ok();
}

nu_status nu_session_detach_org(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                int *count) {
  const char *params[] = {org, user};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE sessions SET organization_id = NULL"
                            " WHERE organization_id = $1 AND user_id = $2",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *count = atoi(PQcmdTuples(res));
  return nu_ok();
}

nu_status nu_session_adopt_org(nu_conn *c, nu_arena *a, const char *session_id, const char *org) {
  const char *params[] = {session_id, org};
  return nu_db_exec(c, a,
                    "UPDATE sessions SET organization_id = $2"
                    " WHERE id = $1 AND organization_id IS NULL",
                    2, params, NULL);
}
