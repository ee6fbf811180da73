/*
 * credential_store.h — resolving a bearer credential into a principal.
 *
 * The one query on every authenticated call: the session (or access key)
 * by its digest, its user, and the user's roles in the organisation it acts
 * for. The session's inactivity clock is pushed forward at most once a
 * minute, so a busy client does not write on every call.
 */
#ifndef NU_STORE_CREDENTIAL_STORE_H
#define NU_STORE_CREDENTIAL_STORE_H

#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/domain/identity/policy.h" /* NU_SESSION_IDLE_NS, NU_SESSION_TOUCH_NS */
#include "server/domain/identity/principal.h"
#include "server/domain/identity/token.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The principal of the session whose token digest is given, at now_ns.
 * UNAUTHENTICATED (one wording) when the session is unknown, revoked or
 * idle for 24 h, or its user is not active. */
nu_status nu_credential_session(nu_conn *c, nu_arena *a, const uint8_t digest[NU_TOKEN_HASH_BYTES],
                                int64_t now_ns, nu_principal *out);

/* The principal of access key key_id whose secret has the given digest;
 * records last_used_at (at most once a minute). Same refusals. */
nu_status nu_credential_access_key(nu_conn *c, nu_arena *a, const char *key_id,
                                   const uint8_t digest[NU_TOKEN_HASH_BYTES], int64_t now_ns,
                                   nu_principal *out);

/* The refusal every failed credential gets. */
nu_status nu_credential_refused(nu_arena *a);

#ifdef __cplusplus
}
#endif

#endif
