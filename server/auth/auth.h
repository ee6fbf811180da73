/*
 * auth.h — who is calling, and may they.
 *
 * The transport hands over the raw `authorization` metadata value. Bearer
 * credentials are resolved by an authenticator hook (sessions and access
 * keys: auth/authenticator.h); without one, any credential is
 * refused. Tokens are never copied into logs or errors.
 */
#ifndef NU_AUTH_AUTH_H
#define NU_AUTH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/dispatch/method.h"
#include "server/domain/identity/principal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Resolves a bearer token (token_len bytes, not NUL-terminated) into a
 * principal before deadline_ns (monotonic); UNAUTHENTICATED when unknown,
 * expired or revoked, or when its user is locked or disabled. */
typedef nu_status (*nu_authenticator_fn)(void *ctx, const char *token, size_t token_len,
                                         int64_t deadline_ns, nu_arena *a, nu_principal *out);

typedef struct nu_auth {
  nu_authenticator_fn authenticate; /* NULL: every credential is refused */
  void *ctx;
} nu_auth;

/* Parses `authorization` (value of value_len bytes, or NULL when absent)
 * and resolves it. No header → anonymous principal. Anything but
 * "Bearer <token>" → UNAUTHENTICATED. */
nu_status nu_auth_authenticate(const nu_auth *auth, const char *value, size_t value_len,
                               int64_t deadline_ns, nu_arena *a, nu_principal *out);

/* Checks the row's declared access against the principal:
 * UNAUTHENTICATED for an anonymous caller of a protected method,
 * PERMISSION_DENIED for too low a level. */
nu_status nu_auth_authorize(const nu_method *m, const nu_principal *p, nu_arena *a);

#ifdef __cplusplus
}
#endif

#endif
