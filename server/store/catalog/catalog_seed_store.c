/*
 * catalog_seed_store.c — SQL of the demo catalogue's sellers.
 */
#include "server/store/catalog/catalog_seed_store.h"

#include "server/store/core/db.h"

nu_status nu_seed_seller_ensure(nu_conn *c, nu_arena *a, const nu_seed_seller *s, int64_t now_ns,
                                bool *created) {
  *created = false;
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *user[] = {s->user_id, s->login, s->email, now};
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO users (id, login, email, status, created_at, updated_at)"
                            " VALUES ($1, $2, $3, 'disabled', nu_ts($4), nu_ts($4))"
                            " ON CONFLICT DO NOTHING",
                            4, user, NULL);
  if (!nu_status_is_ok(&st)) return st;
  const char *org[] = {s->org_id, s->name, s->user_id, now};
  PGresult *res = NULL;
  st = nu_db_exec(
      c, a,
      "INSERT INTO organizations (id, name, is_buyer, is_seller, status, referent_user_id,"
      " created_at, updated_at)"
      " VALUES ($1, $2, false, true, 'validated', $3, nu_ts($4), nu_ts($4))"
      " ON CONFLICT DO NOTHING RETURNING id",
      4, org, &res);
  if (!nu_status_is_ok(&st)) return st;
  *created = PQntuples(res) == 1;
  const char *front[] = {s->org_id, s->name, s->description, s->website, now};
  return nu_db_exec(c, a,
                    "INSERT INTO storefronts (organization_id, name, description, website,"
                    " created_at, updated_at) VALUES ($1, $2, $3, $4, nu_ts($5), nu_ts($5))"
                    " ON CONFLICT DO NOTHING",
                    5, front, NULL);
}

nu_status nu_seed_product_find(nu_conn *c, nu_arena *a, const char *seller_id, const char *name,
                               const char **id) {
  *id = NULL;
  const char *params[] = {seller_id, name};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT id FROM products WHERE seller_id = $1 AND name = $2"
                            " ORDER BY created_at LIMIT 1",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) == 1) *id = nu_db_text(res, 0, 0);
  return nu_ok();
}
