/*
 * recovery.h — the ten single-use recovery codes of a TOTP enrolment.
 *
 * A code is 12 characters of Crockford's base32 alphabet (no i, l, o, u),
 * shown as xxxx-xxxx-xxxx: 60 bits from libsodium's CSPRNG. Only a keyed
 * hash of each is stored. Users may type codes in either case, with or
 * without dashes and spaces, and confuse i/l with 1 and o with 0.
 *
 * Single use is the caller's job, atomically, like TOTP steps: the store
 * marks the matched hash used with
 *   UPDATE totp_recovery SET used_at = now()
 *   WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL
 * and accepts the code only if that changed one row.
 *
 * Nothing here logs; codes and hashes never appear in return values other
 * than the output buffers. Thread-safe.
 */
#ifndef NU_DOMAIN_TOTP_RECOVERY_H
#define NU_DOMAIN_TOTP_RECOVERY_H

#include <stddef.h>
#include <stdint.h>

#include "server/domain/identity/policy.h" /* NU_RECOVERY_COUNT */

#ifdef __cplusplus
extern "C" {
#endif

#define NU_RECOVERY_CODE_CHARS 12      /* without dashes */
#define NU_RECOVERY_CODE_SIZE 15       /* "xxxx-xxxx-xxxx" + NUL */
#define NU_RECOVERY_NORMALISED_SIZE 13 /* 12 characters + NUL */
#define NU_RECOVERY_HASH_BYTES 32
#define NU_RECOVERY_KEY_BYTES 32

typedef enum nu_recovery_result {
  NU_RECOVERY_ERR_LIBRARY = -2,
  NU_RECOVERY_ERR_ARGUMENT = -1,
  NU_RECOVERY_OK = 0,
  NU_RECOVERY_REFUSED_MALFORMED = 1, /* not 12 characters of the alphabet */
  NU_RECOVERY_REFUSED_MISMATCH = 2,  /* matches no stored hash */
} nu_recovery_result;

/* Fills codes with NU_RECOVERY_COUNT fresh codes, "xxxx-xxxx-xxxx", lower
 * case. The caller shows them once, stores their hashes and wipes them
 * (sodium_memzero). */
int nu_recovery_generate(char codes[NU_RECOVERY_COUNT][NU_RECOVERY_CODE_SIZE]);

/* User input → the 12 canonical characters in out: lower case, dashes and
 * spaces dropped, i/l → 1, o → 0. NU_RECOVERY_REFUSED_MALFORMED otherwise
 * (input longer than 64 bytes included). */
int nu_recovery_normalise(const char *input, char out[NU_RECOVERY_NORMALISED_SIZE]);

/* The stored form of a code (normalised first): keyed BLAKE2b-256. key is a
 * 32-byte secret from configuration, distinct from the secret_box key. */
int nu_recovery_hash(const uint8_t key[NU_RECOVERY_KEY_BYTES], const char *input,
                     uint8_t out[NU_RECOVERY_HASH_BYTES]);

/* Hashes input and compares it with each of the n stored hashes in constant
 * time (all of them, no early exit). On NU_RECOVERY_OK *matched_index is the
 * index of the match, which the caller then marks used (see above). Borrows
 * everything. */
int nu_recovery_verify(const uint8_t key[NU_RECOVERY_KEY_BYTES], const char *input,
                       const uint8_t (*stored)[NU_RECOVERY_HASH_BYTES], size_t n,
                       size_t *matched_index);

#ifdef __cplusplus
}
#endif

#endif
