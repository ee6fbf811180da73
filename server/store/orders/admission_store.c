/*
 * admission_store.c — SQL of admissions, admission_lines and incidents
 * (see the header). Owns tables admissions, admission_lines, incidents.
 */
#include "server/store/orders/admission_store.h"

#include <string.h>

#include "server/store/core/db.h"

nu_status nu_admission_insert(nu_conn *c, nu_arena *a, const char *order_id, const char *user_id,
                              const nu_admitted_line_row *lines, size_t n, int64_t now_ns,
                              const char **id) {
  const char *params[] = {order_id, user_id, nu_db_i64(a, now_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO admissions (order_id, user_id, admitted_at)"
                            " VALUES ($1::uuid, $2::uuid, nu_ts($3)) RETURNING id",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *id = nu_db_text(res, 0, 0);
  for (size_t i = 0; i < n; i++) {
    const char *lp[] = {*id, lines[i].line_id, nu_db_i64(a, lines[i].quantity)};
    if (lp[2] == NULL) return nu_store_oom(a);
    st = nu_db_exec(c, a,
                    "INSERT INTO admission_lines (admission_id, line_id, quantity)"
                    " VALUES ($1::uuid, $2::uuid, $3::bigint)",
                    3, lp, NULL);
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
}

nu_status nu_admission_list(nu_conn *c, nu_arena *a, const char *order_id, nu_admission_row **rows,
                            size_t *n) {
  const char *params[] = {order_id};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "SELECT ad.id, ad.order_id, ad.user_id, btrim(u.first_name || ' ' || u.last_name),"
                 " nu_us(ad.admitted_at), al.line_id, al.quantity"
                 " FROM admissions ad JOIN users u ON u.id = ad.user_id"
                 " JOIN admission_lines al ON al.admission_id = ad.id"
                 " WHERE ad.order_id = $1::uuid ORDER BY ad.admitted_at, ad.id, al.line_id",
                 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int count = PQntuples(res);
  *rows = nu_arena_calloc(a, (size_t)count + 1, sizeof(**rows));
  nu_admitted_line_row *lines = nu_arena_calloc(a, (size_t)count + 1, sizeof(*lines));
  if (*rows == NULL || lines == NULL) return nu_store_oom(a);
  *n = 0;
  for (int i = 0; i < count; i++) {
    const char *aid = nu_db_text(res, i, 0);
    if (*n == 0 || strcmp((*rows)[*n - 1].id, aid) != 0) {
      nu_admission_row *r = &(*rows)[(*n)++];
      r->id = aid;
      r->order_id = nu_db_text(res, i, 1);
      r->user_id = nu_db_text(res, i, 2);
      r->user_name = nu_db_text(res, i, 3);
      r->admitted_us = nu_db_get_i64(res, i, 4);
      r->lines = &lines[i];
    }
    lines[i].line_id = nu_db_text(res, i, 5);
    lines[i].quantity = nu_db_get_i64(res, i, 6);
    (*rows)[*n - 1].n_lines++;
  }
  return nu_ok();
}

nu_status nu_incident_open(nu_conn *c, nu_arena *a, const char *order_id,
                           const char *organization_id, const char *kind, const char *description,
                           const char *user_id, int64_t now_ns, const char **id,
                           const char **number) {
  const char *params[] = {order_id,    organization_id, kind,
                          description, user_id,         nu_db_i64(a, now_ns / 1000)};
  if (params[5] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "INSERT INTO incidents (number, order_id, organization_id, kind, description, created_by,"
      " created_at) VALUES ('SAV-' || lpad(nextval('incident_number_seq')::text, 5, '0'),"
      " $1::uuid, $2::uuid, $3, $4, $5::uuid, nu_ts($6)) RETURNING id, number",
      6, params, &res);
  if (!nu_status_is_ok(&st)) {
    if (st.reason != NULL && strcmp(st.reason, "SEQUENCE_EXHAUSTED") == 0) {
      return nu_error(a, NU_RESOURCE_EXHAUSTED, "INCIDENT_NUMBERS_EXHAUSTED",
                      "every incident number SAV-00001 to SAV-99999 is used");
    }
    return st;
  }
  *id = nu_db_text(res, 0, 0);
  *number = nu_db_text(res, 0, 1);
  return nu_ok();
}

nu_status nu_incident_open_of(nu_conn *c, nu_arena *a, const char *order_id, const char **id) {
  const char *params[] = {order_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT id FROM incidents WHERE order_id = $1::uuid"
                            " AND status IN ('declared', 'in_progress')"
                            " ORDER BY created_at DESC LIMIT 1",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *id = PQntuples(res) == 1 ? nu_db_text(res, 0, 0) : NULL;
  return nu_ok();
}
