/*
 * invitation.h — OrganizationService: invitations as resources (create,
 * get, list, resend, revoke) and their acceptance through the e-mailed
 * link.
 */
#ifndef NU_RPC_INVITATION_H
#define NU_RPC_INVITATION_H

#include <stddef.h>

#include "server/dispatch/method.h"
#include "server/domain/organization/policy.h" /* NU_INVITATION_TTL_NS */

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_invitation_methods[];
extern const size_t nu_invitation_methods_count;

#ifdef __cplusplus
}
#endif

#endif
