/*
 * access_key_store.h — a user's access keys (AK/SK of machine clients):
 * create, list, revoke.
 *
 * Owns table access_keys (every write of it is here). The key id is
 * public and stored as is; the secret is stored as its SHA-256 digest only
 * (token.h). Checking a presented key on each call is credential_store's
 * job (it calls nu_access_key_touch); membership_store ends the keys of a
 * removed member with nu_access_key_revoke_for_org. The functions a user
 * calls take the owner's user id, so a key of someone else is simply not
 * found.
 */
#ifndef NU_STORE_ACCESS_KEY_STORE_H
#define NU_STORE_ACCESS_KEY_STORE_H

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

/* One key, without anything secret. Strings live in the arena; times are
 * Unix µs, 0 for NULL. */
typedef struct nu_access_key_row {
  const char *id;
  const char *organization_id;
  const char *description;
  int64_t created_us;
  int64_t last_used_us;
  int64_t revoked_us;
} nu_access_key_row;

typedef struct nu_access_key_new {
  const char *id;             /* nu_access_key_id_new */
  const uint8_t *secret_hash; /* NU_TOKEN_HASH_BYTES */
  const char *user_id;
  const char *organization_id;
  const char *description;
  int64_t now_ns;
} nu_access_key_new;

/* Inserts the key (idempotent retries are the caller's concern: rpc's
 * nu_rpc_create_checked_tx). */
nu_status nu_access_key_create(nu_conn *c, nu_arena *a, const nu_access_key_new *k,
                               nu_access_key_row *out);

/* The user's keys, newest first, after the keyset position
 * (after_created_us, after_id) when after_id is not NULL; at most limit. */
nu_status nu_access_key_list(nu_conn *c, nu_arena *a, const char *user_id, int64_t after_created_us,
                             const char *after_id, int limit, nu_access_key_row **rows, size_t *n);

/* Revokes key_id of user_id (a revoked key stays revoked, at its first
 * revocation time); *found false when the user has no such key. */
nu_status nu_access_key_revoke(nu_conn *c, nu_arena *a, const char *user_id, const char *key_id,
                               int64_t now_ns, nu_access_key_row *out, bool *found);

/* Revokes every key of user_id still in use (a disabled user's keys end
 * for good); *count, when not NULL, gets how many were revoked. */
nu_status nu_access_key_revoke_all(nu_conn *c, nu_arena *a, const char *user_id, int64_t now_ns,
                                   int *count);

/* Records the use of key_id at now_ns (last_used_at). */
nu_status nu_access_key_touch(nu_conn *c, nu_arena *a, const char *key_id, int64_t now_ns);

/* Revokes at now_ns the keys of user for org still in use; *count is how
 * many. */
nu_status nu_access_key_revoke_for_org(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                       int64_t now_ns, int *count);

#ifdef __cplusplus
}
#endif

#endif
