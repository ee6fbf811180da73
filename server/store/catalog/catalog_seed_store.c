/*
 * catalog_seed_store.c — the demo catalogue's sellers. Owns no table: the
 * user, the organisation and the storefront of a seller are written by
 * their owners (user_store, organization_store, storefront_store).
 */
#include "server/store/catalog/catalog_seed_store.h"

#include "server/store/catalog/storefront_store.h"
#include "server/store/core/db.h"
#include "server/store/identity/user_store.h"
#include "server/store/organization/organization_store.h"

nu_status nu_seed_seller_ensure(nu_conn *c, nu_arena *a, const nu_seed_seller *s, int64_t now_ns,
                                bool *created) {
  *created = false;
  nu_status st = nu_user_insert_disabled(c, a, s->user_id, s->login, s->email, now_ns);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_org_ensure_seller(c, a, s->org_id, s->name, s->user_id, now_ns, created);
  if (!nu_status_is_ok(&st)) return st;
  return nu_storefront_ensure(c, a, s->org_id, s->name, s->description, s->website, now_ns);
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
