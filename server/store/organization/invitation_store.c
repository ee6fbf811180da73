/*
 * invitation_store.c — SQL of the invitations table and of the invited
 * accounts. Owns table invitations; the invited accounts are written by
 * user_store and the invitation's links by link_store, their owners.
 */
#include "server/store/organization/invitation_store.h"

#include "server/store/core/db.h"
#include "server/store/identity/link_store.h"
#include "server/store/identity/user_store.h"

#define INV_COLUMNS                                                                    \
  "i.id, i.organization_id, i.user_id, i.email, u.login, u.password_hash IS NOT NULL," \
  " i.levels, i.invited_by, i.status, i.sent_count, i.version, nu_us(i.created_at),"   \
  " nu_us(i.expires_at), nu_us(i.accepted_at), nu_us(i.revoked_at)"
#define INV_FROM " FROM invitations i JOIN users u ON u.id = i.user_id"

static nu_status read_rows(nu_arena *a, const PGresult *r, nu_invitation_row *out, int count) {
  for (int i = 0; i < count; i++) {
    nu_invitation_row *v = &out[i];
    v->id = nu_db_text(r, i, 0);
    v->organization_id = nu_db_text(r, i, 1);
    v->user_id = nu_db_text(r, i, 2);
    v->email = nu_db_text(r, i, 3);
    v->login = nu_db_text(r, i, 4);
    v->existing_account = nu_db_get_bool(r, i, 5);
    if (nu_levels_parse(nu_db_text(r, i, 6), v->levels) != 0) {
      return nu_error(a, NU_INTERNAL, "MALFORMED_LEVELS", "an invitation has malformed levels");
    }
    v->invited_by = nu_db_text(r, i, 7);
    v->status = nu_db_text(r, i, 8);
    v->sent_count = (int)nu_db_get_i64(r, i, 9);
    v->version = nu_db_get_i64(r, i, 10);
    v->created_us = nu_db_get_i64(r, i, 11);
    v->expires_us = nu_db_get_i64(r, i, 12);
    v->accepted_us = nu_db_get_i64(r, i, 13);
    v->revoked_us = nu_db_get_i64(r, i, 14);
  }
  return nu_ok();
}

/* Reads back one invitation after a write (by id). */
static nu_status reread(nu_conn *c, nu_arena *a, const char *id, nu_invitation_row *out) {
  const char *params[] = {id};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a, "SELECT " INV_COLUMNS INV_FROM " WHERE i.id = $1", 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) {
    return nu_error(a, NU_INTERNAL, "INVITATION_VANISHED", "invitation vanished while written");
  }
  return read_rows(a, res, out, 1);
}

nu_status nu_invitation_insert(nu_conn *c, nu_arena *a, const nu_invitation_new *n,
                               nu_invitation_row *out) {
  const char *params[] = {
      n->organization_id,
      n->user_id,
      n->email,
      nu_levels_format(a, n->levels),
      n->invited_by,
      nu_db_i64(a, n->now_ns / 1000),
      nu_db_i64(a, n->expires_ns / 1000),
  };
  if (params[3] == NULL || params[5] == NULL || params[6] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO invitations (organization_id, user_id, email, levels,"
                            " invited_by, created_at, expires_at)"
                            " VALUES ($1, $2, $3, $4::smallint[], $5, nu_ts($6), nu_ts($7))"
                            " RETURNING id",
                            7, params, &res);
  if (st.code == NU_ALREADY_EXISTS) {
    nu_status s = nu_error(a, NU_ALREADY_EXISTS, "INVITATION_PENDING",
                           "a pending invitation of this address exists: resend it");
    nu_status_add_violation(a, &s, "email", "already invited");
    return s;
  }
  if (!nu_status_is_ok(&st)) return st;
  return reread(c, a, nu_db_text(res, 0, 0), out);
}

nu_status nu_invitation_get(nu_conn *c, nu_arena *a, const char *org, const char *id,
                            bool for_update, nu_invitation_row *out, bool *found) {
  const char *params[] = {org, id};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 for_update ? "SELECT " INV_COLUMNS INV_FROM
                              " WHERE ($1::uuid IS NULL OR i.organization_id = $1) AND i.id = $2"
                              " FOR UPDATE OF i"
                            : "SELECT " INV_COLUMNS INV_FROM
                              " WHERE ($1::uuid IS NULL OR i.organization_id = $1) AND i.id = $2",
                 2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (!*found) return nu_ok();
  return read_rows(a, res, out, 1);
}

nu_status nu_invitation_list(nu_conn *c, nu_arena *a, const nu_invitation_filter *f,
                             nu_invitation_row **rows, size_t *n) {
  const char *params[] = {
      f->organization_id,
      f->state,
      nu_db_i64(a, f->now_ns / 1000),
      f->after_id != NULL ? nu_db_i64(a, f->after_created_us) : NULL,
      f->after_id,
      nu_db_i64(a, f->limit),
  };
  if (params[2] == NULL || params[5] == NULL || (f->after_id != NULL && params[3] == NULL)) {
    return nu_store_oom(a);
  }
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "SELECT " INV_COLUMNS INV_FROM
                 " WHERE i.organization_id = $1"
                 " AND ($2::text IS NULL"
                 "      OR ($2 = 'pending' AND i.status = 'pending' AND i.expires_at > nu_ts($3))"
                 "      OR ($2 = 'expired' AND i.status = 'pending' AND i.expires_at <= nu_ts($3))"
                 "      OR ($2 IN ('accepted', 'revoked') AND i.status = $2))"
                 " AND ($5::uuid IS NULL OR (i.created_at, i.id) < (nu_ts($4::bigint), $5::uuid))"
                 " ORDER BY i.created_at DESC, i.id DESC LIMIT $6",
                 6, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int count = PQntuples(res);
  *n = (size_t)count;
  *rows = count > 0 ? nu_arena_calloc(a, (size_t)count, sizeof(**rows)) : NULL;
  if (count > 0 && *rows == NULL) return nu_store_oom(a);
  return read_rows(a, res, *rows, count);
}

nu_status nu_invitation_resent(nu_conn *c, nu_arena *a, const char *id, int64_t expires_ns,
                               nu_invitation_row *out) {
  const char *params[] = {id, nu_db_i64(a, expires_ns / 1000)};
  if (params[1] == NULL) return nu_store_oom(a);
  nu_status st = nu_db_exec(c, a,
                            "UPDATE invitations SET expires_at = nu_ts($2),"
                            " sent_count = sent_count + 1, version = version + 1"
                            " WHERE id = $1",
                            2, params, NULL);
  if (!nu_status_is_ok(&st)) return st;
  return reread(c, a, id, out);
}

nu_status nu_invitation_finish(nu_conn *c, nu_arena *a, const char *id, const char *status,
                               int64_t now_ns, nu_invitation_row *out) {
  const char *params[] = {id, status, nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  nu_status st =
      nu_db_exec(c, a,
                 "UPDATE invitations SET status = $2, version = version + 1,"
                 " accepted_at = CASE WHEN $2 = 'accepted' THEN nu_ts($3) ELSE accepted_at END,"
                 " revoked_at = CASE WHEN $2 = 'revoked' THEN nu_ts($3) ELSE revoked_at END"
                 " WHERE id = $1",
                 3, params, NULL);
  if (!nu_status_is_ok(&st)) return st;
  return reread(c, a, id, out);
}

nu_status nu_invitation_kill_links(nu_conn *c, nu_arena *a, const char *id, int64_t now_ns) {
  return nu_link_revoke_invitation(c, a, id, now_ns);
}

nu_status nu_invitation_find_user(nu_conn *c, nu_arena *a, const char *email, nu_invitee *out,
                                  bool *found) {
  const char *params[] = {email};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT id, login, status, password_hash IS NOT NULL FROM users"
                            " WHERE lower(email) = lower($1)",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found) {
    out->id = nu_db_text(res, 0, 0);
    out->login = nu_db_text(res, 0, 1);
    out->status = nu_db_text(res, 0, 2);
    out->has_password = nu_db_get_bool(res, 0, 3);
  }
  return nu_ok();
}

nu_status nu_invitation_login_taken(nu_conn *c, nu_arena *a, const char *login, bool *taken) {
  const char *params[] = {login};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a, "SELECT 1 FROM users WHERE lower(login) = lower($1)", 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *taken = PQntuples(res) > 0;
  return nu_ok();
}

nu_status nu_invitation_create_user(nu_conn *c, nu_arena *a, const char *login, const char *email,
                                    const char *first_name, const char *last_name, int64_t now_ns,
                                    nu_invitee *out) {
  nu_user_invited u;
  nu_status st = nu_user_create_invited(c, a, login, email, first_name, last_name, now_ns, &u);
  if (!nu_status_is_ok(&st)) return st;
  out->id = u.id;
  out->login = u.login;
  out->status = u.status;
  out->has_password = false;
  return nu_ok();
}

nu_status nu_invitation_activate_user(nu_conn *c, nu_arena *a, const char *user_id,
                                      const char *password_hash, int64_t now_ns) {
  return nu_user_activate_invited(c, a, user_id, password_hash, now_ns);
}
