/* TEMPORARY (not committed): replaced by helper C's account-level rule at merge. */
#include "server/common/status.h"
#include "server/store/core/pool.h"
#include "server/store/organization/organization_store.h"
#include "server/transport/call.h"
static inline nu_status nu_account_allowance_check(nu_call *call, nu_conn *c, const nu_org_row *o,
                                                   int64_t cents) {
  (void)call;
  (void)c;
  (void)o;
  (void)cents;
  return nu_ok();
}
