/*
 * member.h — OrganizationService: members and their roles (list, change
 * roles, remove, hand over the referent role).
 */
#ifndef NU_RPC_MEMBER_H
#define NU_RPC_MEMBER_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_member_methods[];
extern const size_t nu_member_methods_count;

#ifdef __cplusplus
}
#endif

#endif
