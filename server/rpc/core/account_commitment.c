/*
 * account_commitment.c — facts from the organisation's row, this month's
 * commitments, and the domain's decision as a status.
 */
#include "server/rpc/core/account_commitment.h"

#include <inttypes.h>
#include <string.h>

#include "server/domain/organization/org_status.h"
#include "server/domain/subscriptions/paris_calendar.h"
#include "server/rpc/core/handler.h"
#include "server/store/orders/order_store.h"

nu_billing_details nu_org_billing(const nu_org_row *r) {
  nu_billing_details b = {
      .name = r->billing_name,
      .address = r->billing_address,
      .postal_code = r->billing_postal_code,
      .city = r->billing_city,
      .country = r->billing_country,
      .email = r->billing_email,
      .vat_number = r->vat_number,
  };
  return b;
}

nu_account_facts nu_org_account_facts(const nu_org_row *r) {
  nu_billing_details b = nu_org_billing(r);
  nu_account_facts f = {
      .current = nu_account_level_parse(r->account_level),
      .suspended = nu_org_state_parse(r->status) == NU_ORG_STATE_SUSPENDED,
      .billing_missing = nu_billing_missing(&b),
      .identity_verified = r->identity_verified_us != 0,
      .provisional_build_until_ns = r->provisional_build_until_us * 1000,
  };
  return f;
}

nu_status nu_account_committed_this_month(nu_conn *c, nu_arena *a, const char *org_id,
                                          int64_t now_ns, int64_t *cents) {
  /* The calendar month of a French public buyer: Paris days. */
  nu_date today = nu_paris_date_of(now_ns);
  nu_date first = {.year = today.year, .month = today.month, .day = 1};
  int64_t from_ns = nu_paris_day_start(first);
  int64_t to_ns = nu_paris_day_start(nu_date_first_of_next_month(first));
  /* Orders placed this month (cancelled ones aside); requests sent will
   * add theirs here when procurement lands. */
  return nu_order_committed(c, a, org_id, from_ns / 1000, to_ns / 1000, cents);
}

nu_status nu_account_commitment_check(nu_conn *c, nu_arena *a, const char *org_id,
                                      int64_t amount_cents, int64_t test_cap_cents, int64_t now_ns,
                                      nu_account_decision *out) {
  nu_org_row row;
  bool found = false;
  nu_status st = nu_org_get(c, a, org_id, true, &row, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "organization");
  nu_account_commitment commitment = {.amount_cents = amount_cents,
                                      .test_cap_cents = test_cap_cents};
  st = nu_account_committed_this_month(c, a, org_id, now_ns, &commitment.committed_cents);
  if (!nu_status_is_ok(&st)) return st;
  nu_account_facts f = nu_org_account_facts(&row);
  nu_account_decision d;
  int rc = nu_account_commitment_decide(&f, now_ns, &commitment, &d);
  if (out != NULL) *out = d;
  if (rc == 0) return nu_ok();
  if (strcmp(d.reason, "TEST_LEVEL_CAP_EXCEEDED") == 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, d.reason,
                    "%s: %" PRId64 " cents excl. VAT remain this month", d.message,
                    d.remaining_cents);
  }
  return nu_error(a, NU_FAILED_PRECONDITION, d.reason, "%s", d.message);
}
