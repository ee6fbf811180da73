/*
 * organization_common.h — what the organisation, member and invitation
 * handlers share: id syntax, roles between the API and the nine stored
 * levels, and e-mails to the outbox.
 */
#ifndef NU_RPC_ORGANIZATION_COMMON_H
#define NU_RPC_ORGANIZATION_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "nuage/v1/common.pb-c.h"
#include "server/common/status.h"
#include "server/store/organization/membership_store.h"
#include "server/transport/call.h"
#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Checks roles[0..n) of a request (field "roles[i]"): a known section at
 * most once, a known level. */
void nu_org_validate_roles(nu_validator *v, Nuage__V1__SectionRole *const *roles, size_t n);

/* Applies validated roles onto levels (sections not named keep theirs). */
void nu_org_apply_roles(Nuage__V1__SectionRole *const *roles, size_t n,
                        int levels[NU_MEMBERSHIP_SECTIONS]);

/* The nine levels as SectionRole messages in section order (arena); NULL
 * when out of memory. */
Nuage__V1__SectionRole **nu_org_roles_of(nu_arena *a, const int levels[NU_MEMBERSHIP_SECTIONS]);

/* "{2,2,…}"-style text of levels for audit values (arena). */
const char *nu_org_levels_text(nu_arena *a, const int levels[NU_MEMBERSHIP_SECTIONS]);

/* Queues an e-mail of template to recipient for organization_id in the
 * call's transaction; payload is a flat JSON object of n key/value pairs. */

#ifdef __cplusplus
}
#endif

#endif
