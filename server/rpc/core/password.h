/*
 * password.h — hashing and the policy of passwords, for every context that
 * sets one (sign-up, invitations, resets, changes).
 *
 * Argon2id through the app's bounded hasher (domain/identity/password_hash.h);
 * the policy of domain/identity/password_policy.h as a status, for handlers
 * that learn the login only in their transaction (validators call
 * validate/password.h themselves).
 */
#ifndef NU_RPC_CORE_PASSWORD_H
#define NU_RPC_CORE_PASSWORD_H

#include "server/common/status.h"
#include "server/transport/call.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A fresh Argon2id hash of password into *out (the call's arena). */
nu_status nu_auth_hash_password(nu_call *call, const char *password, const char **out);

/* Checks password against the policy for login: INVALID_ARGUMENT with one
 * violation of `field` per failed rule, or OK. */
nu_status nu_auth_check_policy(nu_call *call, const char *field, const char *password,
                               const char *login);

/* The status of a failed hash (rc, a NU_PASSWORD_HASH_ERR_*): UNAVAILABLE
 * when the hasher is busy, INTERNAL otherwise. */
nu_status nu_auth_hash_error(nu_arena *a, int rc);

#ifdef __cplusplus
}
#endif

#endif
