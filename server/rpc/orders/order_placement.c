/*
 * order_placement.c — the one way an order comes to exist (see the header).
 */
#include "server/rpc/orders/order_placement.h"

#include <inttypes.h>
#include <string.h>

#include "server/app/app.h"
#include "server/domain/money/money.h"
#include "server/rpc/core/account_commitment.h"
#include "server/rpc/core/handler.h"
#include "server/store/identity/user_store.h"
#include "server/store/orders/order_event_store.h"
#include "server/store/organization/organization_store.h"

static nu_status notify(nu_call *call, nu_conn *c, const nu_order_row *o) {
  nu_arena *a = nu_call_arena(call);
  char total[32];
  if (nu_money_format(o->total_excl_vat_cents, total, sizeof(total)) < 0) return nu_rpc_oom(a);
  const char *kv[] = {"order_id",          o->id,
                      "order_number",      o->number,
                      "organization_name", o->organization_name,
                      "seller_name",       o->seller_name,
                      "total_excl_vat",    nu_arena_strdup(a, total)};
  if (kv[9] == NULL) return nu_rpc_oom(a);
  nu_user_row placer;
  nu_status st = nu_user_get(c, a, o->placed_by, &placer);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_rpc_email(call, c, placer.email, "order_confirmation", o->organization_id, kv, 5);
  if (!nu_status_is_ok(&st)) return st;
  nu_org_row seller;
  bool found = false;
  st = nu_org_get(c, a, o->seller_id, false, &seller, &found);
  if (!nu_status_is_ok(&st) || !found) return st;
  nu_user_row referent;
  st = nu_user_get(c, a, seller.referent_user_id, &referent);
  if (!nu_status_is_ok(&st)) return st;
  return nu_rpc_email(call, c, referent.email, "order_received", o->seller_id, kv, 5);
}

nu_status nu_order_place(nu_call *call, nu_conn *c, const nu_order_row *in, nu_order_row *out) {
  nu_arena *a = nu_call_arena(call);
  nu_org_row buyer;
  bool found = false;
  nu_status st = nu_org_get(c, a, in->organization_id, true, &buyer, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "organization");
  if (strcmp(buyer.status, "validated") != 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, "ORGANIZATION_NOT_VALIDATED",
                    "the organisation is not validated by the platform operator yet; it may"
                    " browse but not order");
  }
  nu_app *app = nu_call_app(call);
  st = nu_account_commitment_check(c, a, buyer.id, in->total_excl_vat_cents,
                                   app->test_level_monthly_cents, nu_rpc_now(call), NULL);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_order_insert(c, a, in, nu_rpc_now(call), out);
  if (!nu_status_is_ok(&st)) return st;
  int64_t seq = 0;
  st = nu_order_event_append(c, a, out->seller_id, out->id, NULL, "order_created", nu_rpc_now(call),
                             &seq);
  if (!nu_status_is_ok(&st)) return st;
  const char *lines = nu_arena_sprintf(a, "%zu", out->n_lines);
  const char *total = nu_arena_sprintf(a, "%" PRId64, out->total_excl_vat_cents);
  if (lines == NULL || total == NULL) return nu_rpc_oom(a);
  nu_audit_change ch[] = {{"number", NULL, out->number},
                          {"seller_id", NULL, out->seller_id},
                          {"lines", NULL, lines},
                          {"total_excl_vat_cents", NULL, total},
                          {"purchase_order_reference", NULL, out->purchase_order_reference}};
  st = nu_rpc_audit(call, c, out->organization_id, "order.create", "order", out->id, ch, 5);
  if (!nu_status_is_ok(&st)) return st;
  return notify(call, c, out);
}

nu_status nu_order_place_links(nu_call *call, nu_conn *c, const nu_order_row *placed,
                               char *const *numbers, size_t n) {
  nu_arena *a = nu_call_arena(call);
  for (size_t i = 0; i < n; i++) {
    nu_order_row earlier;
    bool found = false;
    nu_status st = nu_order_get(c, a, numbers[i], false, &earlier, &found);
    if (!nu_status_is_ok(&st)) return st;
    if (!found || strcmp(earlier.organization_id, placed->organization_id) != 0 ||
        strcmp(earlier.id, placed->id) == 0) {
      return nu_rpc_not_found(a, "order");
    }
    st = nu_order_link(c, a, placed->id, earlier.id);
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
}
