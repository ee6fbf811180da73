/*
 * organization_common.c — helpers of the organisation, member and
 * invitation handlers.
 */
#include "server/rpc/organization/organization_common.h"

#include <string.h>

#include "server/common/json.h"
#include "server/rpc/core/handler.h"
#include "server/store/core/outbox_store.h"

void nu_org_validate_roles(nu_validator *v, Nuage__V1__SectionRole *const *roles, size_t n) {
  bool seen[NU_MEMBERSHIP_SECTIONS + 1] = {false};
  for (size_t i = 0; i < n; i++) {
    int section = roles[i]->section;
    if (section < NU_SECTION_CONTRACT || section > NU_SECTION_STOREFRONT) {
      nu_validate_fail(v, nu_arena_sprintf(v->arena, "roles[%zu].section", i), "must be a section");
    } else if (seen[section]) {
      nu_validate_fail(v, nu_arena_sprintf(v->arena, "roles[%zu].section", i),
                       "must not repeat a section");
    } else {
      seen[section] = true;
    }
    if (nu_rpc_level_from_api(roles[i]->level) < 0) {
      nu_validate_fail(v, nu_arena_sprintf(v->arena, "roles[%zu].level", i),
                       "must be none, visitor or manager");
    }
  }
}

void nu_org_apply_roles(Nuage__V1__SectionRole *const *roles, size_t n,
                        int levels[NU_MEMBERSHIP_SECTIONS]) {
  for (size_t i = 0; i < n; i++) {
    int section = roles[i]->section;
    int level = nu_rpc_level_from_api(roles[i]->level);
    if (section >= NU_SECTION_CONTRACT && section <= NU_SECTION_STOREFRONT && level >= 0) {
      levels[section - 1] = level;
    }
  }
}

Nuage__V1__SectionRole **nu_org_roles_of(nu_arena *a, const int levels[NU_MEMBERSHIP_SECTIONS]) {
  Nuage__V1__SectionRole **out = (Nuage__V1__SectionRole **)nu_rpc_array(a, NU_MEMBERSHIP_SECTIONS);
  if (out == NULL) return NULL;
  for (int i = 0; i < NU_MEMBERSHIP_SECTIONS; i++) {
    out[i] = NU_RPC_NEW(a, Nuage__V1__SectionRole, nuage__v1__section_role__init);
    if (out[i] == NULL) return NULL;
    out[i]->section = (Nuage__V1__Section)(i + 1);
    out[i]->level = nu_rpc_level_to_api((nu_level)levels[i]);
  }
  return out;
}

const char *nu_org_levels_text(nu_arena *a, const int levels[NU_MEMBERSHIP_SECTIONS]) {
  return nu_levels_format(a, levels);
}
