/*
 * invitation_roles.c — see invitation_roles.h.
 */
#include "server/domain/organization/invitation_roles.h"

void nu_invitation_default_levels(nu_level levels[NU_SECTION_STOREFRONT]) {
  for (int s = NU_SECTION_CONTRACT; s <= NU_SECTION_STOREFRONT; s++) levels[s - 1] = NU_LEVEL_NONE;
  levels[NU_SECTION_CONTRACT - 1] = NU_LEVEL_VISITOR;
  levels[NU_SECTION_DASHBOARD - 1] = NU_LEVEL_VISITOR;
}
