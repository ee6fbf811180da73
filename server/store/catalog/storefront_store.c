/*
 * storefront_store.c — SQL of the storefronts table. Owns table
 * storefronts.
 */
#include "server/store/catalog/storefront_store.h"

#include "server/store/core/db.h"

#define COLUMNS                                                                         \
  "organization_id, name, description, contact_email, contact_phone, website, version," \
  " nu_us(created_at), nu_us(updated_at)"

static const char *or_empty(const char *s) { return s != NULL ? s : ""; }

static nu_status read_one(nu_arena *a, const PGresult *r, nu_storefront_row *o) {
  if (PQntuples(r) != 1) {
    return nu_error(a, NU_INTERNAL, "STOREFRONT_VANISHED", "storefront vanished while written");
  }
  int k = 0;
  o->organization_id = nu_db_text(r, 0, k++);
  o->name = nu_db_text(r, 0, k++);
  o->description = nu_db_text(r, 0, k++);
  o->contact_email = nu_db_text(r, 0, k++);
  o->contact_phone = nu_db_text(r, 0, k++);
  o->website = nu_db_text(r, 0, k++);
  o->version = nu_db_get_i64(r, 0, k++);
  o->created_us = nu_db_get_i64(r, 0, k++);
  o->updated_us = nu_db_get_i64(r, 0, k++);
  return nu_ok();
}

nu_status nu_storefront_get(nu_conn *c, nu_arena *a, const char *organization_id, bool for_update,
                            nu_storefront_row *out, bool *found) {
  const char *params[] = {organization_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      for_update ? "SELECT " COLUMNS " FROM storefronts WHERE organization_id = $1 FOR UPDATE"
                 : "SELECT " COLUMNS " FROM storefronts WHERE organization_id = $1",
      1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  return *found ? read_one(a, res, out) : nu_ok();
}

nu_status nu_storefront_insert(nu_conn *c, nu_arena *a, const nu_storefront_row *in, int64_t now_ns,
                               nu_storefront_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {in->organization_id,
                          in->name,
                          or_empty(in->description),
                          or_empty(in->contact_email),
                          or_empty(in->contact_phone),
                          or_empty(in->website),
                          now};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "INSERT INTO storefronts (organization_id, name, description, contact_email,"
                 " contact_phone, website, created_at, updated_at)"
                 " VALUES ($1, $2, $3, $4, $5, $6, nu_ts($7), nu_ts($7)) RETURNING " COLUMNS,
                 7, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  return read_one(a, res, out);
}

nu_status nu_storefront_write(nu_conn *c, nu_arena *a, const nu_storefront_row *in, int64_t now_ns,
                              nu_storefront_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {in->organization_id,
                          in->name,
                          or_empty(in->description),
                          or_empty(in->contact_email),
                          or_empty(in->contact_phone),
                          or_empty(in->website),
                          now};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "UPDATE storefronts SET name = $2, description = $3, contact_email = $4,"
                 " contact_phone = $5, website = $6, version = version + 1, updated_at = nu_ts($7)"
                 " WHERE organization_id = $1 RETURNING " COLUMNS,
                 7, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  return read_one(a, res, out);
}

nu_status nu_storefront_ensure(nu_conn *c, nu_arena *a, const char *organization_id,
                               const char *name, const char *description, const char *website,
                               int64_t now_ns) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {organization_id, name, description, website, now};
  return nu_db_exec(c, a,
                    "INSERT INTO storefronts (organization_id, name, description, website,"
                    " created_at, updated_at) VALUES ($1, $2, $3, $4, nu_ts($5), nu_ts($5))"
                    " ON CONFLICT DO NOTHING",
                    5, params, NULL);
}
