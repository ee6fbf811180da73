/*
 * credit_store.h — the credit ledger: cloud credits billing consumes.
 *
 * The eligibility voucher is granted once per e-mail: the insert goes
 * through the unique index credits_voucher_email_key with ON CONFLICT DO
 * NOTHING, so retried or racing confirmations grant it once.
 */
#ifndef NU_STORE_CREDIT_STORE_H
#define NU_STORE_CREDIT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_credit_row {
  const char *id;
  const char *organization_id;
  const char *nature; /* "eligibility_voucher" */
  const char *email;  /* "" when none */
  int64_t amount_cents;
  int64_t remaining_cents;
  const char *currency;
  const char *activation_date; /* "YYYY-MM-DD" */
  int64_t created_us;
} nu_credit_row;

/* Grants the eligibility voucher of email to organization_id: amount_cents
 * EUR, remaining the same, active from the UTC date of now_ns. *granted is
 * false when the e-mail already earned one. */
nu_status nu_credit_grant_voucher(nu_conn *c, nu_arena *a, const char *organization_id,
                                  const char *email, int64_t amount_cents, int64_t now_ns,
                                  bool *granted);

/* A page of an organisation's credits by (activation_date, id), after the
 * key when given; up to limit rows into *rows (arena). */
nu_status nu_credit_list(nu_conn *c, nu_arena *a, const char *organization_id,
                         const char *after_date, const char *after_id, int limit,
                         nu_credit_row **rows, size_t *n);

#ifdef __cplusplus
}
#endif

#endif
