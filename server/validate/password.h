/*
 * password.h — the request side of the password policy.
 *
 * The rules are domain/identity/password_policy.h's; here each failed rule
 * becomes one violation of the field that carried the password. Hashing
 * is not a format check: it stays with the handlers (rpc/core/password.h).
 */
#ifndef NU_VALIDATE_PASSWORD_H
#define NU_VALIDATE_PASSWORD_H

#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Adds one violation on field per rule password (borrowed, NUL-terminated;
 * NULL counts as empty) fails for login (borrowed; NULL when the account
 * has none yet: the "not the login" rule is then skipped). The
 * descriptions are the policy's fixed messages: the password never
 * appears in them. */
void nu_validate_password(nu_validator *v, const char *field, const char *password,
                          const char *login);

#ifdef __cplusplus
}
#endif

#endif
