/*
 * invitation_roles.h — the roles an invitation gives (DOMAIN.md §1).
 *
 * Least privilege: a section the invitation does not mention gives
 * visitor on `contract` and `dashboard` (the organisation's general
 * information and its overview) and none elsewhere — a deliberate choice
 * over the seed's manager-by-default on contract. Sections the invitation
 * names get the level it names, none included.
 */
#ifndef NU_DOMAIN_ORGANIZATION_INVITATION_ROLES_H
#define NU_DOMAIN_ORGANIZATION_INVITATION_ROLES_H

#include "server/domain/identity/principal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* levels[section - 1] for the sections NU_SECTION_CONTRACT ..
 * NU_SECTION_STOREFRONT: the defaults above. */
void nu_invitation_default_levels(nu_level levels[NU_SECTION_STOREFRONT]);

#ifdef __cplusplus
}
#endif

#endif
