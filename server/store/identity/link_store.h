/*
 * link_store.h — single-use links sent by e-mail.
 *
 * A link carries a random token (token.h, "nul_…"); only its SHA-256 is
 * stored. Purposes and lifetimes are the caller's: set_password (an
 * invitation, 24 h), reset_password (5 min), confirm_email (sign-up),
 * change_email (24 h; the link carries the new address).
 * Consuming is one conditional UPDATE, so a link works once even when two
 * requests race with it. Owns table user_links.
 */
#ifndef NU_STORE_LINK_STORE_H
#define NU_STORE_LINK_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/domain/identity/token.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_link_new {
  const char *user_id;
  const char *purpose;       /* "set_password", "reset_password", "confirm_email",
                              * "change_email" */
  const char *invitation_id; /* or NULL */
  int64_t now_ns;
  int64_t ttl_ns;
  const char *new_email; /* change_email only (else NULL): the address to confirm */
} nu_link_new;

/* Creates a link; the token (to put in the e-mail, never stored) goes to
 * token_out. When revoke_others is true, the user's unused links of the
 * same purpose (and invitation, when given) stop working first. */
nu_status nu_link_create(nu_conn *c, nu_arena *a, const nu_link_new *l, bool revoke_others,
                         char token_out[NU_TOKEN_SIZE]);

typedef struct nu_link_use {
  const char *user_id;       /* arena */
  const char *invitation_id; /* arena, or NULL */
  const char *new_email;     /* arena; change_email only, else NULL */
} nu_link_use;

/* Uses the link of token (len bytes) for purpose at now_ns: on success it
 * is spent and *out says whose it was. An unknown, expired, already used
 * or other-purpose link is FAILED_PRECONDITION with reason INVALID_LINK and
 * one wording for every case (so the answer tells nothing more). */
nu_status nu_link_consume(nu_conn *c, nu_arena *a, const char *token, size_t len,
                          const char *purpose, int64_t now_ns, nu_link_use *out);

/* Spends every unused link of user for purpose (e.g. when an invitation is
 * revoked or a password reset completes another way). */
nu_status nu_link_revoke_all(nu_conn *c, nu_arena *a, const char *user_id, const char *purpose,
                             int64_t now_ns);

/* Spends every unused link of the invitation (a resend or a revocation;
 * other invitations of the same user keep theirs). */
nu_status nu_link_revoke_invitation(nu_conn *c, nu_arena *a, const char *invitation_id,
                                    int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
