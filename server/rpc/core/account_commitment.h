/*
 * account_commitment.h — the account-level rule at the point of commitment
 * (DOMAIN.md §1, issue 10 point 9).
 *
 * Every RPC that orders or sends a request calls nu_account_commitment_check
 * inside its own transaction, before it writes: it locks the organisation's
 * row (two commitments of one organisation are decided one after the
 * other, so both cannot pass under the cap), reads the facts and what was
 * committed this calendar month, and asks the one domain rule
 * (nu_account_commitment_decide in domain/identity/account_level.h).
 */
#ifndef NU_RPC_CORE_ACCOUNT_COMMITMENT_H
#define NU_RPC_CORE_ACCOUNT_COMMITMENT_H

#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/domain/identity/account_level.h"
#include "server/store/core/pool.h"
#include "server/store/organization/organization_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The billing details of an organisation's row (strings borrowed). */
nu_billing_details nu_org_billing(const nu_org_row *r);

/* What the account-level rule knows of an organisation's row (borrowed). */
nu_account_facts nu_org_account_facts(const nu_org_row *r);

/* Decides whether organisation org_id (a uuid, the caller's scope checked)
 * may commit amount_cents (excl. VAT) at now_ns, with test capped at
 * test_cap_cents per calendar month (the app's test_level_monthly_cents).
 * The row is locked FOR UPDATE for the rest of c's transaction.
 *
 * OK when allowed. Refused: FAILED_PRECONDITION with the rule's reason
 * (ACCOUNT_LEVEL_DISCOVERY, TEST_LEVEL_CAP_EXCEEDED — its message giving
 * the remaining amount —, ORGANIZATION_SUSPENDED, COMMITMENT_AMOUNT_INVALID);
 * NOT_FOUND "organization not found" when there is no such row; store
 * errors as they come. *out (may be NULL) gets the decision whenever the
 * row was read. Messages are in arena a. */
nu_status nu_account_commitment_check(nu_conn *c, nu_arena *a, const char *org_id,
                                      int64_t amount_cents, int64_t test_cap_cents, int64_t now_ns,
                                      nu_account_decision *out);

/* What organisation org_id committed in the calendar month (Europe/Paris)
 * of now_ns, excl. VAT, into *cents: the totals of its orders placed that
 * month, cancelled ones aside (store/orders; procurement's requests will
 * add theirs). */
nu_status nu_account_committed_this_month(nu_conn *c, nu_arena *a, const char *org_id,
                                          int64_t now_ns, int64_t *cents);

#ifdef __cplusplus
}
#endif

#endif
