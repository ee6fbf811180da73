/*
 * user_store.c — SQL of the users table. Owns table users: sign-up,
 * profile and status here, and the writes of sign-in (login_store), of
 * invited accounts (invitation_store) and of the demo sellers
 * (catalog_seed_store) too. The sign-up's organisation and membership go
 * through their owners, in the caller's transaction.
 */
#include "server/store/identity/user_store.h"

#include <stdlib.h>
#include <string.h>

#include "server/domain/identity/principal.h"
#include "server/store/core/db.h"
#include "server/store/organization/membership_store.h"
#include "server/store/organization/organization_store.h"

/* Columns of nu_user_row, in the order read_row reads them. */
#define USER_COLUMNS                                                                 \
  "u.id, u.login, u.email, u.civility, u.first_name, u.last_name, u.phone_landline," \
  " u.phone_mobile, u.language, u.status, u.account_type, u.platform_operator,"      \
  " u.totp_enabled, nu_us(u.email_confirmed_at), nu_us(u.terms_accepted_at),"        \
  " nu_us(u.created_at), nu_us(u.updated_at), u.version, u.commercial_consent"

static const char *text_or_empty(const PGresult *r, int row, int col) {
  const char *s = nu_db_text(r, row, col);
  return s != NULL ? s : "";
}

static void read_row(const PGresult *r, int row, int col0, nu_user_row *u) {
  int k = col0;
  u->id = text_or_empty(r, row, k++);
  u->login = text_or_empty(r, row, k++);
  u->email = text_or_empty(r, row, k++);
  u->civility = text_or_empty(r, row, k++);
  u->first_name = text_or_empty(r, row, k++);
  u->last_name = text_or_empty(r, row, k++);
  u->phone_landline = text_or_empty(r, row, k++);
  u->phone_mobile = text_or_empty(r, row, k++);
  u->language = text_or_empty(r, row, k++);
  u->status = text_or_empty(r, row, k++);
  u->account_type = text_or_empty(r, row, k++);
  u->platform_operator = nu_db_get_bool(r, row, k++);
  u->totp_enabled = nu_db_get_bool(r, row, k++);
  u->email_confirmed_us = nu_db_get_i64(r, row, k++);
  u->terms_accepted_us = nu_db_get_i64(r, row, k++);
  u->created_us = nu_db_get_i64(r, row, k++);
  u->updated_us = nu_db_get_i64(r, row, k++);
  u->version = nu_db_get_i64(r, row, k++);
  u->commercial_consent = nu_db_get_bool(r, row, k++);
}

static nu_status not_found(nu_arena *a) {
  return nu_error(a, NU_NOT_FOUND, "NOT_FOUND", "user not found");
}

nu_status nu_user_get(nu_conn *c, nu_arena *a, const char *id, nu_user_row *out) {
  const char *params[] = {id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT " USER_COLUMNS
                            " FROM users u"
                            " WHERE u.id = (CASE WHEN $1 ~ '^[0-9a-fA-F-]{36}$' THEN $1 END)::uuid",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) == 0) return not_found(a);
  read_row(res, 0, 0, out);
  return nu_ok();
}

nu_status nu_user_find_by_email(nu_conn *c, nu_arena *a, const char *email, nu_user_row *out,
                                bool *found) {
  const char *params[] = {email};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a, "SELECT " USER_COLUMNS " FROM users u WHERE lower(u.email) = lower($1)", 1,
                 params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) > 0;
  if (*found) read_row(res, 0, 0, out);
  return nu_ok();
}

nu_status nu_user_sign_up(nu_conn *c, nu_arena *a, const nu_signup_row *s, const char **user_id,
                          const char **organization_id) {
  *user_id = NULL;
  *organization_id = NULL;
  const char *now = nu_db_i64(a, s->now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {s->login,         s->email,    s->first_name,
                          s->last_name,     s->language, s->account_type,
                          s->password_hash, now,         s->commercial_consent ? "t" : "f"};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO users (login, email, first_name, last_name, language,"
                            " status, account_type, password_hash, created_at, updated_at,"
                            " commercial_consent)"
                            " VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, nu_ts($8), nu_ts($8),"
                            " $9)"
                            " ON CONFLICT DO NOTHING RETURNING id",
                            9, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) return nu_ok(); /* the login or the e-mail is taken */
  const char *user = nu_db_text(res, 0, 0);
  const char *org = NULL;
  st = nu_org_insert_signup(c, a, s->organization_name, user, s->now_ns, &org);
  if (!nu_status_is_ok(&st)) return st;
  int levels[NU_MEMBERSHIP_SECTIONS];
  for (int i = 0; i < NU_MEMBERSHIP_SECTIONS; i++) levels[i] = NU_LEVEL_MANAGER;
  st = nu_membership_insert(c, a, org, user, levels, s->now_ns);
  if (!nu_status_is_ok(&st)) return st;
  *user_id = user;
  *organization_id = org;
  return nu_ok();
}

nu_status nu_user_create_operator(nu_conn *c, nu_arena *a, const char *login, const char *email,
                                  int64_t now_ns, const char **user_id, bool *created) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {login, email, now};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO users (login, email, status, platform_operator,"
                            " email_confirmed_at, terms_accepted_at, created_at, updated_at)"
                            " VALUES ($1, $2, 'active', true, nu_ts($3), nu_ts($3), nu_ts($3),"
                            " nu_ts($3)) ON CONFLICT DO NOTHING RETURNING id",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *created = PQntuples(res) == 1;
  if (*created) {
    *user_id = nu_db_text(res, 0, 0);
    return nu_ok();
  }
  st = nu_db_exec(c, a,
                  "SELECT id FROM users WHERE lower(login) = lower($1)"
                  " AND lower(email) = lower($2) AND platform_operator",
                  2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) == 0) {
    return nu_error(a, NU_ALREADY_EXISTS, "ALREADY_EXISTS",
                    "the login or the e-mail belongs to another user");
  }
  *user_id = nu_db_text(res, 0, 0);
  return nu_ok();
}

nu_status nu_user_signup_organization(nu_conn *c, nu_arena *a, const char *user_id,
                                      const char **organization_id) {
  const char *params[] = {user_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT id FROM organizations WHERE referent_user_id = $1"
                            " ORDER BY created_at, id LIMIT 1",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *organization_id = PQntuples(res) > 0 ? nu_db_text(res, 0, 0) : NULL;
  return nu_ok();
}

nu_status nu_user_confirm_email(nu_conn *c, nu_arena *a, const char *id, int64_t now_ns,
                                nu_user_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {id, now};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "UPDATE users u SET email_confirmed_at = COALESCE(u.email_confirmed_at, nu_ts($2)),"
      " version = u.version + CASE WHEN u.email_confirmed_at IS NULL THEN 1 ELSE 0 END,"
      " updated_at = CASE WHEN u.email_confirmed_at IS NULL THEN nu_ts($2) ELSE u.updated_at END"
      " WHERE u.id = $1 RETURNING " USER_COLUMNS,
      2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) == 0) return not_found(a);
  read_row(res, 0, 0, out);
  return nu_ok();
}

nu_status nu_user_set_email(nu_conn *c, nu_arena *a, const char *id, const char *email,
                            int64_t now_ns, nu_user_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {id, email, now};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE users u SET email = $2, version = u.version + 1,"
                            " updated_at = nu_ts($3)"
                            " WHERE u.id = $1 RETURNING " USER_COLUMNS,
                            3, params, &res);
  if (st.code == NU_ALREADY_EXISTS) {
    return nu_error(a, NU_FAILED_PRECONDITION, "EMAIL_TAKEN",
                    "this e-mail address already belongs to another account");
  }
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) == 0) return not_found(a);
  read_row(res, 0, 0, out);
  return nu_ok();
}

nu_status nu_user_accept_terms(nu_conn *c, nu_arena *a, const char *id, int64_t now_ns,
                               nu_user_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {id, now};
  PGresult *res = NULL;
  /* The guard is a safety net: the handler decided on the row it locked. */
  nu_status st = nu_db_exec(c, a,
                            "UPDATE users u SET status = 'active', terms_accepted_at = nu_ts($2),"
                            " failed_attempts = 0, locked_until = NULL,"
                            " version = u.version + 1, updated_at = nu_ts($2)"
                            " WHERE u.id = $1 AND u.status = 'pending'"
                            " AND u.email_confirmed_at IS NOT NULL RETURNING " USER_COLUMNS,
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) {
    return nu_error(a, NU_ABORTED, "CONCURRENT_CHANGE", "the user changed meanwhile: try again");
  }
  read_row(res, 0, 0, out);
  return nu_ok();
}

/* Locks the row and reads it: the "before" of a change. */
nu_status nu_user_get_for_update(nu_conn *c, nu_arena *a, const char *id, nu_user_row *out) {
  const char *params[] = {id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT " USER_COLUMNS
                            " FROM users u"
                            " WHERE u.id = (CASE WHEN $1 ~ '^[0-9a-fA-F-]{36}$' THEN $1 END)::uuid"
                            " FOR UPDATE",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) == 0) return not_found(a);
  read_row(res, 0, 0, out);
  return nu_ok();
}

nu_status nu_user_write_profile(nu_conn *c, nu_arena *a, const nu_user_row *in, int64_t now_ns,
                                nu_user_row *after) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {in->id,
                          in->civility,
                          in->first_name,
                          in->last_name,
                          in->phone_landline,
                          in->phone_mobile,
                          in->language,
                          now,
                          in->commercial_consent ? "t" : "f"};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE users u SET civility = $2, first_name = $3, last_name = $4,"
                            " phone_landline = $5, phone_mobile = $6, language = $7,"
                            " commercial_consent = $9,"
                            " version = u.version + 1, updated_at = nu_ts($8)"
                            " WHERE u.id = $1 RETURNING " USER_COLUMNS,
                            9, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) == 0) return not_found(a);
  read_row(res, 0, 0, after);
  return nu_ok();
}

nu_status nu_user_set_status(nu_conn *c, nu_arena *a, const char *id, const char *status,
                             bool clear_lockout, int64_t now_ns, nu_user_row *after) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {id, status, now, clear_lockout ? "t" : "f"};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "UPDATE users u SET status = $2,"
                 " failed_attempts = CASE WHEN $4::bool THEN 0 ELSE u.failed_attempts END,"
                 " locked_until = CASE WHEN $4::bool THEN NULL ELSE u.locked_until END,"
                 " version = u.version + 1, updated_at = nu_ts($3)"
                 " WHERE u.id = $1::uuid RETURNING " USER_COLUMNS,
                 4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) == 0) return not_found(a);
  read_row(res, 0, 0, after);
  return nu_ok();
}

nu_status nu_user_list(nu_conn *c, nu_arena *a, const nu_user_filter *f, nu_user_row **rows,
                       size_t *n) {
  const char *params[] = {f->status, f->query, f->after_login, f->after_id, nu_db_i64(a, f->limit)};
  if (params[4] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT " USER_COLUMNS
                            " FROM users u"
                            " WHERE ($1::text IS NULL OR u.status = $1)"
                            " AND ($2::text IS NULL OR strpos(lower(u.login), lower($2)) > 0"
                            "      OR strpos(lower(u.email), lower($2)) > 0)"
                            " AND ($3::text IS NULL OR (lower(u.login), u.id) > ($3, $4::uuid))"
                            " ORDER BY lower(u.login), u.id LIMIT $5::int",
                            5, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) read_row(res, (int)i, 0, &(*rows)[i]);
  return nu_ok();
}

nu_status nu_user_insert_disabled(nu_conn *c, nu_arena *a, const char *id, const char *login,
                                  const char *email, int64_t now_ns) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {id, login, email, now};
  return nu_db_exec(c, a,
                    "INSERT INTO users (id, login, email, status, created_at, updated_at)"
                    " VALUES ($1, $2, $3, 'disabled', nu_ts($4), nu_ts($4))"
                    " ON CONFLICT DO NOTHING",
                    4, params, NULL);
}

nu_status nu_user_create_invited(nu_conn *c, nu_arena *a, const char *login, const char *email,
                                 const char *first_name, const char *last_name, int64_t now_ns,
                                 nu_user_invited *out) {
  const char *params[] = {login, email, first_name != NULL ? first_name : "",
                          last_name != NULL ? last_name : "", nu_db_i64(a, now_ns / 1000)};
  if (params[4] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO users (login, email, first_name, last_name, status,"
                            " created_at, updated_at)"
                            " VALUES ($1, $2, $3, $4, 'invited', nu_ts($5), nu_ts($5))"
                            " RETURNING id, login, status",
                            5, params, &res);
  if (st.code == NU_ALREADY_EXISTS) {
    bool login_clash = strstr(nu_db_failed_constraint(c), "login") != NULL;
    nu_status s = nu_error(a, NU_ALREADY_EXISTS, login_clash ? "LOGIN_TAKEN" : "EMAIL_TAKEN",
                           login_clash ? "this login is taken" : "this e-mail has an account");
    nu_status_add_violation(a, &s, login_clash ? "login" : "email", "already taken");
    return s;
  }
  if (!nu_status_is_ok(&st)) return st;
  out->id = nu_db_text(res, 0, 0);
  out->login = nu_db_text(res, 0, 1);
  out->status = nu_db_text(res, 0, 2);
  return nu_ok();
}

nu_status nu_user_activate_invited(nu_conn *c, nu_arena *a, const char *id,
                                   const char *password_hash, int64_t now_ns) {
  const char *params[] = {id, password_hash, nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE users SET password_hash = $2, status = 'active',"
                            " email_confirmed_at = coalesce(email_confirmed_at, nu_ts($3)),"
                            " version = version + 1, updated_at = nu_ts($3)"
                            " WHERE id = $1 AND status = 'invited'",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  /* The guard is a safety net: the handler decided (nu_user_status_next). */
  if (atoi(PQcmdTuples(res)) != 1) {
    return nu_error(a, NU_ABORTED, "CONCURRENT_CHANGE", "the user changed meanwhile: try again");
  }
  return nu_ok();
}

nu_status nu_user_set_failures(nu_conn *c, nu_arena *a, const char *id, int failures,
                               int64_t locked_until_ns) {
  const char *params[] = {id, nu_db_i64(a, failures),
                          locked_until_ns > 0 ? nu_db_i64(a, locked_until_ns / 1000) : NULL};
  if (params[1] == NULL || (locked_until_ns > 0 && params[2] == NULL)) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE users SET failed_attempts = $2,"
                    " locked_until = coalesce(nu_ts($3), locked_until) WHERE id = $1",
                    3, params, NULL);
}

nu_status nu_user_clear_failures(nu_conn *c, nu_arena *a, const char *id) {
  const char *params[] = {id};
  return nu_db_exec(c, a,
                    "UPDATE users SET failed_attempts = 0, locked_until = NULL"
                    " WHERE id = $1 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)",
                    1, params, NULL);
}

nu_status nu_user_set_password(nu_conn *c, nu_arena *a, const char *id, const char *hash,
                               int64_t now_ns) {
  const char *params[] = {id, hash, nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE users SET password_hash = $2, failed_attempts = 0,"
                    " locked_until = NULL, version = version + 1, updated_at = nu_ts($3)"
                    " WHERE id = $1",
                    3, params, NULL);
}

nu_status nu_user_rehash_password(nu_conn *c, nu_arena *a, const char *id, const char *old_hash,
                                  const char *new_hash) {
  const char *params[] = {id, old_hash, new_hash};
  return nu_db_exec(c, a,
                    "UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2", 3,
                    params, NULL);
}

nu_status nu_user_totp_enroll(nu_conn *c, nu_arena *a, const char *id, const uint8_t *box,
                              size_t len, int64_t now_ns) {
  const char *params[] = {id, nu_db_bytea(a, box, len), nu_db_i64(a, now_ns / 1000)};
  if (params[1] == NULL || params[2] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE users SET totp_secret = $2, totp_enabled = false, totp_last_step = 0,"
                    " version = version + 1, updated_at = nu_ts($3) WHERE id = $1",
                    3, params, NULL);
}

nu_status nu_user_totp_accept_step(nu_conn *c, nu_arena *a, const char *id, int64_t step,
                                   bool enable, int64_t now_ns, bool *accepted) {
  const char *params[] = {id, nu_db_i64(a, step), nu_db_bool(enable), nu_db_i64(a, now_ns / 1000)};
  if (params[1] == NULL || params[3] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  /* The replay guard of totp.h: of concurrent requests with one code, the
   * first to commit moves the step; the others then match no row. */
  nu_status st = nu_db_exec(
      c, a,
      "UPDATE users SET totp_last_step = $2,"
      " totp_enabled = totp_enabled OR $3::boolean,"
      " version = version + CASE WHEN $3::boolean AND NOT totp_enabled THEN 1 ELSE 0 END,"
      " updated_at = CASE WHEN $3::boolean AND NOT totp_enabled THEN nu_ts($4) ELSE updated_at END"
      " WHERE id = $1 AND totp_last_step < $2 AND totp_secret IS NOT NULL",
      4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *accepted = strcmp(PQcmdTuples(res), "1") == 0;
  return nu_ok();
}

nu_status nu_user_totp_clear(nu_conn *c, nu_arena *a, const char *id, int64_t now_ns) {
  const char *params[] = {id, nu_db_i64(a, now_ns / 1000)};
  if (params[1] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE users SET totp_secret = NULL, totp_enabled = false,"
                    " totp_last_step = 0, version = version + 1, updated_at = nu_ts($2)"
                    " WHERE id = $1",
                    2, params, NULL);
}

nu_status nu_user_confirmed_under_domain(nu_conn *c, nu_arena *a, const char *domain,
                                         nu_user_voucher_candidate **rows, size_t *n) {
  const char *params[] = {domain};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT u.id, u.email,"
                            " (SELECT o.id FROM organizations o WHERE o.referent_user_id = u.id"
                            "  ORDER BY o.created_at, o.id LIMIT 1)"
                            " FROM users u, lower(split_part(u.email, '@', 2)) AS d(name)"
                            " WHERE u.email_confirmed_at IS NOT NULL"
                            " AND (d.name = $1 OR right(d.name, length($1) + 1) = '.' || $1)"
                            " ORDER BY u.created_at, u.id",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) {
    (*rows)[i].user_id = nu_db_text(res, (int)i, 0);
    (*rows)[i].email = nu_db_text(res, (int)i, 1);
    (*rows)[i].organization_id = PQgetisnull(res, (int)i, 2) ? NULL : nu_db_text(res, (int)i, 2);
  }
  return nu_ok();
}

nu_status nu_user_memberships(nu_conn *c, nu_arena *a, const char *user_id,
                              nu_user_membership **rows, size_t *n) {
  const char *params[] = {user_id};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "SELECT o.id, o.name, o.referent_user_id IS NOT DISTINCT FROM m.user_id,"
                 " o.code"
                 " FROM memberships m JOIN organizations o ON o.id = m.organization_id"
                 " WHERE m.user_id = $1 ORDER BY lower(o.name), o.id",
                 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) {
    (*rows)[i].organization_id = nu_db_text(res, (int)i, 0);
    (*rows)[i].organization_name = nu_db_text(res, (int)i, 1);
    (*rows)[i].referent = nu_db_get_bool(res, (int)i, 2);
    (*rows)[i].organization_code = nu_db_text(res, (int)i, 3);
  }
  return nu_ok();
}
