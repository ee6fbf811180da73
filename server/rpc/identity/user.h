/*
 * user.h — nuage.v1.UserService: the signed-in user's profile and the
 * operator's administration of users. Sign-up, e-mail confirmation and
 * terms are in signup.c; both sets of handlers are rows of this service.
 */
#ifndef NU_RPC_USER_H
#define NU_RPC_USER_H

#include "nuage/v1/user.pb-c.h"
#include "server/common/arena.h"
#include "server/dispatch/method.h"
#include "server/store/identity/user_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The API form of a user row (arena); NULL when out of memory. */
Nuage__V1__User *nu_user_to_api(nu_arena *a, const nu_user_row *row);

/* The rows of nuage.v1.UserService. */
extern const nu_method nu_user_methods[];
extern const size_t nu_user_methods_count;

#ifdef __cplusplus
}
#endif

#endif
