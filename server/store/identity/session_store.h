/*
 * session_store.h — the sessions table: open, list, revoke, switch
 * organisation; owns table sessions (every write of it is here).
 *
 * Turning a resolved session into a principal on each call is
 * credential_store's job (it calls nu_session_resolve); the rest is what a
 * user does to their own sessions, and what a membership's start and end do
 * to them (membership_store calls nu_session_adopt_org and
 * nu_session_detach_org). A session's token is never stored: only its
 * SHA-256 digest (token.h). The functions a user calls take the owner's
 * user id, so a session of someone else is simply not found.
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

/* What a bearer token resolves to (strings in the arena). */
typedef struct nu_session_principal {
  const char *session_id;
  const char *user_id;
  bool platform_operator;
  const char *organization_id; /* the session's, or NULL */
  const char *levels;          /* the membership's "{l1,…,l9}"; NULL without one */
} nu_session_principal;

/* The session whose token digest is given, when it is in use at now_ns (not
 * revoked, used within idle_ns) and its user is active: *found true and
 * *out filled. In the same statement, a session in use whose last_used_at
 * is older than touch_ns is pushed forward to now_ns (whatever its user's
 * status). */
nu_status nu_session_resolve(nu_conn *c, nu_arena *a, const uint8_t digest[NU_TOKEN_HASH_BYTES],
                             int64_t now_ns, int64_t idle_ns, int64_t touch_ns,
                             nu_session_principal *out, bool *found);

/* Sessions of user acting for org act for none from now on; *count is how
 * many changed. */
nu_status nu_session_detach_org(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                int *count);

/* session_id acts for org when it acts for none yet; otherwise unchanged. */
nu_status nu_session_adopt_org(nu_conn *c, nu_arena *a, const char *session_id, const char *org);

#ifdef __cplusplus
}
#endif

#endif
