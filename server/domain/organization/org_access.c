/*
 * org_access.c — referent-only changes and the visibility of company and
 * billing details.
 */
#include "server/domain/organization/org_access.h"

#include <string.h>

/* The update mask paths only the referent (or the operator) may name. */
static const char *const kReferentOnly[] = {
    "name",
    "invoice_reference_1",
    "invoice_reference_2",
    "invoice_reference_3",
};

bool nu_org_path_referent_only(const char *path) {
  if (path == NULL) return false;
  for (size_t i = 0; i < sizeof(kReferentOnly) / sizeof(kReferentOnly[0]); i++) {
    if (strcmp(path, kReferentOnly[i]) == 0) return true;
  }
  return false;
}

int nu_org_check_referent_change(const nu_org_viewer *v, nu_refusal *why) {
  if (v->platform_operator || v->referent) return 0;
  return nu_refuse(why, "REFERENT_ONLY",
                   "only the referent of the organization may rename it or change its"
                   " invoice references");
}

bool nu_org_sees_company_details(const nu_org_viewer *v) {
  return v->platform_operator || v->referent || v->contract_level >= NU_LEVEL_MANAGER;
}
