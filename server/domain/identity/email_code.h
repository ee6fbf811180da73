/*
 * email_code.h — the 6-digit code e-mailed on request as the second factor
 * of access-key creation when TOTP is off (DOMAIN.md §1).
 *
 * A code is valid 10 minutes and works once. A user has at most one: a
 * new request replaces (kills) the previous one. Each wrong code counts;
 * the fifth wrong code kills it (and the failures count toward the login
 * lockout as well, see lockout.h). Only a keyed hash of the code is
 * stored, bound to its user.
 *
 * Pure: times are Unix nanoseconds passed in (the app's clock).
 */
#ifndef NU_DOMAIN_IDENTITY_EMAIL_CODE_H
#define NU_DOMAIN_IDENTITY_EMAIL_CODE_H

#include <stdbool.h>
#include <stdint.h>

#include "server/domain/identity/policy.h" /* NU_EMAIL_CODE_TTL_NS, NU_EMAIL_CODE_MAX_ATTEMPTS */

#ifdef __cplusplus
extern "C" {
#endif

#define NU_EMAIL_CODE_DIGITS 6
#define NU_EMAIL_CODE_SIZE (NU_EMAIL_CODE_DIGITS + 1)
#define NU_EMAIL_CODE_HASH_BYTES 32
#define NU_EMAIL_CODE_KEY_BYTES 32

/* A fresh code, uniformly random, NUL-terminated into out. */
void nu_email_code_new(char out[NU_EMAIL_CODE_SIZE]);

/* The keyed hash (BLAKE2b, key NU_EMAIL_CODE_KEY_BYTES: the server's code
 * subkey) of code for user_id. */
void nu_email_code_hash(const uint8_t *key, const char *user_id, const char *code,
                        uint8_t out[NU_EMAIL_CODE_HASH_BYTES]);

/* When a code issued at issued_ns stops working. */
int64_t nu_email_code_expiry(int64_t issued_ns);

/* The user's current code, as stored. */
typedef struct nu_email_code_state {
  bool exists;
  int64_t expires_ns; /* works strictly before this */
  int attempts;       /* wrong codes so far */
} nu_email_code_state;

typedef enum nu_email_code_outcome {
  NU_EMAIL_CODE_ACCEPT = 0, /* right code in time: delete it (single use) */
  NU_EMAIL_CODE_REJECT,     /* refused; store `attempts` (no code: nothing to store) */
  NU_EMAIL_CODE_KILL,       /* refused, and the code is dead: delete it */
} nu_email_code_outcome;

typedef struct nu_email_code_decision {
  nu_email_code_outcome outcome;
  int attempts; /* for REJECT of an existing code */
} nu_email_code_decision;

/* What presenting a code does to state at now_ns; matches says whether
 * its hash is the stored one. An expired code is killed whatever was
 * presented. */
nu_email_code_decision nu_email_code_decide(const nu_email_code_state *state, bool matches,
                                            int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
