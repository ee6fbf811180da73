/*
 * organization.h — OrganizationService: the organisation itself (create,
 * get, list, update, validate, suspend, identity verification, account
 * level). Members are in member.h, invitations in invitation.h.
 */
#ifndef NU_RPC_ORGANIZATION_H
#define NU_RPC_ORGANIZATION_H

#include <stddef.h>

#include "nuage/v1/organization.pb-c.h"
#include "server/common/arena.h"
#include "server/dispatch/method.h"
#include "server/domain/organization/org_access.h"
#include "server/store/organization/organization_store.h"
#include "server/transport/call.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_organization_methods[];
extern const size_t nu_organization_methods_count;

/* The caller of call as the organisation rules see it, for row r (its
 * level on contract is the session's when r is the organisation acted for,
 * none otherwise). */
nu_org_viewer nu_org_viewer_of(nu_call *call, const nu_org_row *r);

/* The API view of a stored organisation as viewer may see it (arena), as
 * it stands at now_ns (the account level in force then): without siret
 * and billing details (company_details_withheld) unless
 * nu_org_sees_company_details. NULL when out of memory. */
Nuage__V1__Organization *nu_org_to_api(nu_arena *a, const nu_org_row *r,
                                       const nu_org_viewer *viewer, int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
