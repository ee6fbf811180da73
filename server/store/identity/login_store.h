/*
 * login_store.h — what signing in reads and writes on a user: the password
 * hash, failed attempts and lock, the TOTP columns, login challenges and
 * recovery codes.
 *
 * Rules live in the domain (lockout.h, totp.h, recovery.h); this file only
 * reads and writes rows. It owns login_challenges and recovery_codes; its
 * writes on users are user_store's (nu_user_set_failures, …), called in the
 * same transaction. The two single-use writes (a TOTP step, a recovery
 * code) are conditional UPDATEs, so that of concurrent requests exactly one
 * succeeds (see totp.h and recovery.h).
 */
#ifndef NU_STORE_LOGIN_STORE_H
#define NU_STORE_LOGIN_STORE_H

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

/* The sign-in state of one user. Strings and bytes live in the arena. */
typedef struct nu_login_user {
  const char *id;
  const char *login;
  const char *email;
  const char *status;        /* "active", "locked", "disabled", … */
  const char *password_hash; /* NULL until a password is set */
  bool platform_operator;
  int failed_attempts;
  int64_t locked_until_ns; /* 0: not locked */
  const uint8_t *totp_box; /* the sealed secret, or NULL */
  size_t totp_box_len;
  bool totp_enabled;
  int64_t totp_last_step;
} nu_login_user;

/* The user whose login or e-mail is `login` (case-insensitive); *found
 * false when none. */
nu_status nu_login_find(nu_conn *c, nu_arena *a, const char *login, nu_login_user *out,
                        bool *found);

/* The user whose e-mail is email (case-insensitive). */
nu_status nu_login_find_by_email(nu_conn *c, nu_arena *a, const char *email, nu_login_user *out,
                                 bool *found);

/* The user with this id; with for_update the row stays locked until the
 * transaction ends (serialises failure counting). */
nu_status nu_login_get(nu_conn *c, nu_arena *a, const char *user_id, bool for_update,
                       nu_login_user *out, bool *found);

/* Stores the failure count and lock (0: leave the lock as it is). */
nu_status nu_login_set_failures(nu_conn *c, nu_arena *a, const char *user_id, int failures,
                                int64_t locked_until_ns);

/* A completed sign-in: no failures, no lock. */
nu_status nu_login_clear_failures(nu_conn *c, nu_arena *a, const char *user_id);

/* Sets a new password hash (bumps version and updated_at). */
nu_status nu_login_set_password(nu_conn *c, nu_arena *a, const char *user_id, const char *hash,
                                int64_t now_ns);

/* Replaces old_hash by new_hash only if the stored hash is still old_hash
 * (a rehash on login must not undo a concurrent password change). */
nu_status nu_login_rehash(nu_conn *c, nu_arena *a, const char *user_id, const char *old_hash,
                          const char *new_hash);

/* Stores a new, not yet enabled, sealed TOTP secret and forgets the last
 * accepted step. */
nu_status nu_login_totp_enroll(nu_conn *c, nu_arena *a, const char *user_id, const uint8_t *box,
                               size_t len, int64_t now_ns);

/* Records step as the last accepted one if it is later than the stored
 * one (enabling TOTP when enable is true); *accepted false means another
 * request used this step or a later one first: a replay. */
nu_status nu_login_totp_accept_step(nu_conn *c, nu_arena *a, const char *user_id, int64_t step,
                                    bool enable, int64_t now_ns, bool *accepted);

/* Turns TOTP off: secret, step and recovery codes gone. */
nu_status nu_login_totp_disable(nu_conn *c, nu_arena *a, const char *user_id, int64_t now_ns);

/* Replaces the user's recovery codes by the n hashes given (32 bytes each). */
nu_status nu_login_recovery_replace(nu_conn *c, nu_arena *a, const char *user_id,
                                    const uint8_t (*hashes)[32], size_t n);

/* The hashes of the user's unused recovery codes (arena). */
nu_status nu_login_recovery_unused(nu_conn *c, nu_arena *a, const char *user_id,
                                   uint8_t (**hashes)[32], size_t *n);

/* Marks one code used if it still is unused; *used says whether this call
 * did it. */
nu_status nu_login_recovery_use(nu_conn *c, nu_arena *a, const char *user_id,
                                const uint8_t hash[32], int64_t now_ns, bool *used);

/* Opens a login challenge (the second step awaits a code) for user, valid
 * ttl_ns; the token goes to token_out (never stored). */
nu_status nu_login_challenge_create(nu_conn *c, nu_arena *a, const char *user_id, int64_t now_ns,
                                    int64_t ttl_ns, char token_out[NU_TOKEN_SIZE]);

/* The user of an unused, unexpired login challenge with this token;
 * *user_id NULL when there is none. */
nu_status nu_login_challenge_find(nu_conn *c, nu_arena *a, const char *token, size_t len,
                                  int64_t now_ns, const char **user_id);

/* Spends the challenge; *used false when it was spent already. */
nu_status nu_login_challenge_use(nu_conn *c, nu_arena *a, const char *token, size_t len,
                                 int64_t now_ns, bool *used);

#ifdef __cplusplus
}
#endif

#endif
