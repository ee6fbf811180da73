/*
 * page_token.h — the one page-token codec of every list RPC (AIP-158).
 *
 * A page token carries a keyset position (the sort key and id of the last
 * row returned) and is only good for the listing it came from. It is
 * opaque and authenticated: an HMAC-SHA-256 (key derived from the server
 * secret, NU_KEY_PAGE_TOKEN) covers a version tag, the method path, the
 * caller's organisation scope (the organisation acted for; the platform
 * operator and anonymous callers are scopes of their own), a digest of the
 * request with page_token and page_size cleared (so every filter and the
 * sort are bound without per-method code), the issue time and the
 * position; the position and issue time are encrypted under a key derived
 * from the same secret, with the MAC as synthetic nonce. Servers sharing a
 * --secret-key-file accept each other's tokens.
 *
 * A token that was tampered with, made for another method, another
 * organisation, other filters, by a server with another secret, or issued
 * more than NU_PAGE_TOKEN_LIFETIME_NS ago (the server's clock) is refused
 * the same way everywhere: INVALID_ARGUMENT, reason INVALID_PAGE_TOKEN, one
 * `page_token` field violation, one message.
 */
#ifndef NU_RPC_PAGE_TOKEN_H
#define NU_RPC_PAGE_TOKEN_H

#include <protobuf-c/protobuf-c.h>
#include <stdint.h>

#include "server/common/status.h"
#include "server/transport/call.h"
#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How long a page token stays good: long enough to page through anything,
 * short enough that a leaked token soon means nothing. */
#define NU_PAGE_TOKEN_LIFETIME_NS (INT64_C(24) * 3600 * 1000000000)

/* The token part of every list's validator (nu_list_validate, list.h):
 * the INVALID_PAGE_TOKEN violation on `page_token` unless req's token is
 * empty or opens for this call (see nu_page_token_open). req is the
 * decoded request of the call's method (it must have a page_token field). */
void nu_page_token_validate(nu_validator *v, nu_call *call, const ProtobufCMessage *req);

/* Opens req's page_token for this call: OK with *key = *id = NULL for an
 * empty token (the first page), OK with the position (arena strings) for a
 * token this server family issued for this method, scope and request, or
 * the INVALID_PAGE_TOKEN status. */
nu_status nu_page_token_open(nu_call *call, const ProtobufCMessage *req, const char **key,
                             const char **id);

/* The next_page_token after the row (key, id) of this call's listing
 * (arena); NULL when out of memory. key and id may not contain NUL. */
const char *nu_page_token_seal(nu_call *call, const ProtobufCMessage *req, const char *key,
                               const char *id);

/* The INVALID_PAGE_TOKEN status (arena). */
nu_status nu_page_token_invalid(nu_arena *a);

#ifdef __cplusplus
}
#endif

#endif
