/*
 * invitation.h — OrganizationService: invitations as resources (create,
 * get, list, resend, revoke) and their acceptance through the e-mailed
 * link.
 */
#ifndef NU_RPC_INVITATION_H
#define NU_RPC_INVITATION_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A set-password link after an invitation lives 24 hours (DOMAIN.md §1). */
#define NU_INVITATION_TTL_NS (INT64_C(24) * 3600 * 1000000000)

extern const nu_method nu_invitation_methods[];
extern const size_t nu_invitation_methods_count;

#ifdef __cplusplus
}
#endif

#endif
