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
#include "server/store/organization/organization_store.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_organization_methods[];
extern const size_t nu_organization_methods_count;

/* The API view of a stored organisation (arena) as it stands at now_ns
 * (the account level in force then); NULL when out of memory. */
Nuage__V1__Organization *nu_org_to_api(nu_arena *a, const nu_org_row *r, int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
