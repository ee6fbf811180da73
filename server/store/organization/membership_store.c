/*
 * membership_store.c — SQL of the memberships table. Owns table
 * memberships; what a membership does to sessions and access keys goes
 * through their owners (session_store, access_key_store).
 */
#include "server/store/organization/membership_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store/core/db.h"
#include "server/store/identity/access_key_store.h"
#include "server/store/identity/session_store.h"

#define MEMBER_COLUMNS                                                         \
  "m.organization_id, m.user_id, u.login, u.email, u.first_name, u.last_name," \
  " m.levels, o.referent_user_id = m.user_id, m.version, nu_us(m.created_at)," \
  " lower(u.login), u.civility, u.phone_landline, u.phone_mobile, u.language"
#define MEMBER_FROM                                      \
  " FROM memberships m JOIN users u ON u.id = m.user_id" \
  " JOIN organizations o ON o.id = m.organization_id"

const char *nu_levels_format(nu_arena *a, const int levels[NU_MEMBERSHIP_SECTIONS]) {
  char buf[64];
  size_t len = 0;
  buf[len++] = '{';
  for (int i = 0; i < NU_MEMBERSHIP_SECTIONS; i++) {
    len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%d", i > 0 ? "," : "", levels[i]);
  }
  buf[len++] = '}';
  buf[len] = '\0';
  return nu_arena_strdup(a, buf);
}

int nu_levels_parse(const char *text, int levels[NU_MEMBERSHIP_SECTIONS]) {
  if (text == NULL || text[0] != '{') return -1;
  const char *p = text + 1;
  for (int i = 0; i < NU_MEMBERSHIP_SECTIONS; i++) {
    char *end = NULL;
    long v = strtol(p, &end, 10);
    if (end == p || v < 0 || v > 2) return -1;
    levels[i] = (int)v;
    char want = i + 1 < NU_MEMBERSHIP_SECTIONS ? ',' : '}';
    if (*end != want) return -1;
    p = end + 1;
  }
  return *p == '\0' ? 0 : -1;
}

static int read_row(const PGresult *r, int i, nu_member_row *m) {
  m->organization_id = nu_db_text(r, i, 0);
  m->user_id = nu_db_text(r, i, 1);
  m->login = nu_db_text(r, i, 2);
  m->email = nu_db_text(r, i, 3);
  m->first_name = nu_db_text(r, i, 4);
  m->last_name = nu_db_text(r, i, 5);
  int bad = nu_levels_parse(nu_db_text(r, i, 6), m->levels);
  m->referent = nu_db_get_bool(r, i, 7);
  m->version = nu_db_get_i64(r, i, 8);
  m->created_us = nu_db_get_i64(r, i, 9);
  m->sort_key = nu_db_text(r, i, 10);
  m->civility = nu_db_text(r, i, 11);
  m->phone_landline = nu_db_text(r, i, 12);
  m->phone_mobile = nu_db_text(r, i, 13);
  m->language = nu_db_text(r, i, 14);
  return bad;
}

static nu_status malformed(nu_arena *a) {
  return nu_error(a, NU_INTERNAL, "MALFORMED_LEVELS", "a membership has malformed levels");
}

nu_status nu_membership_insert(nu_conn *c, nu_arena *a, const char *org, const char *user,
                               const int levels[NU_MEMBERSHIP_SECTIONS], int64_t now_ns) {
  const char *params[] = {org, user, nu_levels_format(a, levels), nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL || params[3] == NULL) return nu_store_oom(a);
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO memberships (organization_id, user_id, levels,"
                            " created_at, updated_at)"
                            " VALUES ($1, $2, $3::smallint[], nu_ts($4), nu_ts($4))",
                            4, params, NULL);
  if (st.code == NU_ALREADY_EXISTS) {
    return nu_error(a, NU_ALREADY_EXISTS, "ALREADY_MEMBER",
                    "this user is already a member of the organization");
  }
  return st;
}

nu_status nu_membership_get(nu_conn *c, nu_arena *a, const char *org, const char *user,
                            bool for_update, nu_member_row *out, bool *found) {
  const char *params[] = {org, user};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            for_update ? "SELECT " MEMBER_COLUMNS MEMBER_FROM
                                         " WHERE m.organization_id = $1 AND m.user_id = $2"
                                         " FOR UPDATE OF m"
                                       : "SELECT " MEMBER_COLUMNS MEMBER_FROM
                                         " WHERE m.organization_id = $1 AND m.user_id = $2",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found && read_row(res, 0, out) != 0) return malformed(a);
  return nu_ok();
}

nu_status nu_membership_list(nu_conn *c, nu_arena *a, const nu_member_filter *f,
                             nu_member_row **rows, size_t *n) {
  const char *params[] = {
      f->organization_id,
      f->query != NULL && f->query[0] != '\0' ? f->query : NULL,
      f->after_id != NULL ? f->after_login : NULL,
      f->after_id,
      nu_db_i64(a, f->limit),
  };
  if (params[4] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  /* strpos rather than LIKE: the query is text to find, not a pattern. */
  nu_status st =
      nu_db_exec(c, a,
                 "SELECT " MEMBER_COLUMNS MEMBER_FROM
                 " WHERE m.organization_id = $1"
                 " AND ($2::text IS NULL OR strpos(lower(u.login), lower($2)) > 0"
                 "      OR strpos(lower(u.email), lower($2)) > 0"
                 "      OR strpos(lower(u.first_name), lower($2)) > 0"
                 "      OR strpos(lower(u.last_name), lower($2)) > 0"
                 "      OR strpos(lower(u.first_name || ' ' || u.last_name), lower($2)) > 0)"
                 " AND ($4::uuid IS NULL OR (lower(u.login), m.user_id) > ($3::text, $4::uuid))"
                 " ORDER BY lower(u.login), m.user_id LIMIT $5",
                 5, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int count = PQntuples(res);
  *n = (size_t)count;
  *rows = count > 0 ? nu_arena_calloc(a, (size_t)count, sizeof(**rows)) : NULL;
  if (count > 0 && *rows == NULL) return nu_store_oom(a);
  for (int i = 0; i < count; i++) {
    if (read_row(res, i, &(*rows)[i]) != 0) return malformed(a);
  }
  return nu_ok();
}

nu_status nu_membership_set_levels(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                   const int levels[NU_MEMBERSHIP_SECTIONS], int64_t now_ns,
                                   nu_member_row *out) {
  const char *params[] = {org, user, nu_levels_format(a, levels), nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL || params[3] == NULL) return nu_store_oom(a);
  nu_status st = nu_db_exec(c, a,
                            "UPDATE memberships SET levels = $3::smallint[],"
                            " version = version + 1, updated_at = nu_ts($4)"
                            " WHERE organization_id = $1 AND user_id = $2",
                            4, params, NULL);
  if (!nu_status_is_ok(&st)) return st;
  bool found = false;
  st = nu_membership_get(c, a, org, user, false, out, &found);
  if (nu_status_is_ok(&st) && !found) {
    return nu_error(a, NU_INTERNAL, "MEMBER_VANISHED", "membership vanished while updated");
  }
  return st;
}

nu_status nu_membership_delete(nu_conn *c, nu_arena *a, const char *org, const char *user) {
  const char *params[] = {org, user};
  return nu_db_exec(c, a, "DELETE FROM memberships WHERE organization_id = $1 AND user_id = $2", 2,
                    params, NULL);
}

nu_status nu_membership_detach_sessions(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                        int *count) {
  return nu_session_detach_org(c, a, org, user, count);
}

nu_status nu_membership_revoke_keys(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                    int64_t now_ns, int *count) {
  return nu_access_key_revoke_for_org(c, a, org, user, now_ns, count);
}

nu_status nu_membership_adopt_session(nu_conn *c, nu_arena *a, const char *session_id,
                                      const char *org) {
  return nu_session_adopt_org(c, a, session_id, org);
}
