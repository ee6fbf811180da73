/*
 * org_access.h — who may change and see which parts of an organisation
 * (DOMAIN.md §1), beyond the section level of the method table.
 *
 * Renaming the organisation and editing its invoice references (REF1-3)
 * are the referent's (and the platform operator's): a manager on contract
 * who is not the referent may change the other fields only. Company and
 * billing details (SIRET, billing details with the VAT number and the
 * invoice recipient) are shown to a manager on contract, the referent and
 * the operator; a caller who is only a visitor on contract gets the
 * organisation without them.
 */
#ifndef NU_DOMAIN_ORGANIZATION_ORG_ACCESS_H
#define NU_DOMAIN_ORGANIZATION_ORG_ACCESS_H

#include <stdbool.h>

#include "server/domain/identity/principal.h"
#include "server/domain/refusal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The caller as these rules see it, in one organisation. */
typedef struct nu_org_viewer {
  bool platform_operator;
  bool referent;           /* the caller is the organisation's referent */
  nu_level contract_level; /* the caller's level on contract there */
} nu_org_viewer;

/* Whether update path (an UpdateOrganization mask path: "name",
 * "invoice_reference_1", …) is for the referent and the operator only. */
bool nu_org_path_referent_only(const char *path);

/* 0 when v may change the referent-only fields; -1 with *why (reason
 * REFERENT_ONLY) otherwise. */
int nu_org_check_referent_change(const nu_org_viewer *v, nu_refusal *why);

/* Whether v sees the organisation's company and billing details. */
bool nu_org_sees_company_details(const nu_org_viewer *v);

#ifdef __cplusplus
}
#endif

#endif
