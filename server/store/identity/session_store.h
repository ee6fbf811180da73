/*
 * session_store.h — the sessions table: open, list, revoke, switch
 * organisation.
 *
 * Resolving a bearer token on each call is credential_store's job; this is
 * everything a user does to their own sessions. A session's token is never
 * stored: only its SHA-256 digest (token.h). Every function takes the
 * owner's user id, so a session of someone else is simply not found.
 */
#ifndef NU_STORE_SESSION_STORE_H
#define NU_STORE_SESSION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/domain/identity/token.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One session. Strings live in the arena. */
typedef struct nu_session_row {
  const char *id;
  const char *organization_id; /* NULL when acting for none */
  const char *peer;
  int64_t created_us;
  int64_t last_used_us;
} nu_session_row;

/* The organisation a new session of user acts for: the user's only
 * organisation, or, with several, the one joined most recently (the latest
 * membership). *org_id is NULL when the user belongs to none. */
nu_status nu_session_default_org(nu_conn *c, nu_arena *a, const char *user_id, const char **org_id);

/* Opens a session of user acting for org_id (or NULL) at now_ns; the
 * bearer token (to hand to the client, never stored) goes to token_out. */
nu_status nu_session_create(nu_conn *c, nu_arena *a, const char *user_id, const char *org_id,
                            const char *peer, int64_t now_ns, char token_out[NU_TOKEN_SIZE],
                            nu_session_row *out);

/* The user's sessions in use at now_ns (not revoked, used within idle_ns),
 * newest first, after the keyset position (after_created_us, after_id)
 * when after_id is not NULL; at most limit rows into *rows (arena). */
nu_status nu_session_list(nu_conn *c, nu_arena *a, const char *user_id, int64_t now_ns,
                          int64_t idle_ns, int64_t after_created_us, const char *after_id,
                          int limit, nu_session_row **rows, size_t *n);

/* Revokes session_id of user_id if it is in use; *revoked says whether it
 * was (false: unknown, someone else's, or already ended). */
nu_status nu_session_revoke(nu_conn *c, nu_arena *a, const char *user_id, const char *session_id,
                            int64_t now_ns, bool *revoked);

/* Revokes every session of user_id but except_id (NULL: all); *count gets
 * how many were ended. */
nu_status nu_session_revoke_all(nu_conn *c, nu_arena *a, const char *user_id, const char *except_id,
                                int64_t now_ns, int *count);

/* Whether user may act for org_id: a member, or the platform operator when
 * the organisation exists. */
nu_status nu_session_may_act_for(nu_conn *c, nu_arena *a, const char *user_id, bool operator_,
                                 const char *org_id, bool *may);

/* Makes session_id (of user_id) act for org_id; *out is the updated row. */
nu_status nu_session_switch_org(nu_conn *c, nu_arena *a, const char *user_id,
                                const char *session_id, const char *org_id, nu_session_row *out,
                                bool *found);

#ifdef __cplusplus
}
#endif

#endif
