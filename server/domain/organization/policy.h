/*
 * policy.h — the lifetimes and limits of the organization context, in one
 * place (DOMAIN.md §1).
 *
 * Durations are nanoseconds of the app's clock (…_NS); lengths are bytes.
 * The handlers read the numbers from here.
 */
#ifndef NU_DOMAIN_ORGANIZATION_POLICY_H
#define NU_DOMAIN_ORGANIZATION_POLICY_H

#include <stdint.h>

#include "server/common/clock.h"

/* An invitation, and the set-password link it sends, live 24 hours (a
 * resend starts them again). */
#define NU_INVITATION_TTL_NS (INT64_C(24) * 3600 * NU_NS_PER_S)

/* An organisation's name (also the one given at sign-up), in bytes. */
#define NU_ORG_NAME_MAX_LEN 200
/* Its other short texts (region, billing name, address, city, …), in bytes. */
#define NU_ORG_TEXT_MAX_LEN 200
/* An operator's note or reason (validation, suspension, identity
 * verification), in bytes. */
#define NU_ORG_NOTE_MAX_LEN 1000
/* An invoice reference (REF1, REF2, REF3), in characters (code points):
 * what the invoice layout prints. */
#define NU_ORG_INVOICE_REFERENCE_MAX_CHARS 40
/* The query of ListOrganizations, in bytes. */
#define NU_ORG_QUERY_MAX_LEN 100

#endif
