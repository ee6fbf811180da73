/*
 * subscription_store.c — SQL of the subscriptions the catalogue reads.
 */
#include "server/store/catalog/subscription_store.h"

#include "server/store/core/db.h"

nu_status nu_subscription_live_orgs(nu_conn *c, nu_arena *a, const char *product_id, int64_t now_ns,
                                    nu_subscriber_row **rows, size_t *n) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {product_id, now};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "SELECT o.id, o.name, u.email FROM organizations o JOIN users u ON u.id = o.referent_user_id"
      " WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.organization_id = o.id"
      "               AND s.product_id = $1"
      "               AND (s.ends_at IS NULL OR s.ends_at > nu_ts($2))"
      "               AND (s.terminated_at IS NULL OR s.terminated_at > nu_ts($2)))"
      " ORDER BY o.id",
      2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int count = PQntuples(res);
  *n = (size_t)count;
  *rows = count > 0 ? nu_arena_calloc(a, (size_t)count, sizeof(**rows)) : NULL;
  if (count > 0 && *rows == NULL) {
    return nu_store_oom(a);
  }
  for (int i = 0; i < count; i++) {
    (*rows)[i].organization_id = nu_db_text(res, i, 0);
    (*rows)[i].organization_name = nu_db_text(res, i, 1);
    (*rows)[i].referent_email = nu_db_text(res, i, 2);
  }
  return nu_ok();
}
