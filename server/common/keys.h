/*
 * keys.h — purpose-bound keys derived from the server's secret key.
 *
 * One 32-byte secret (--secret-key-file) seals TOTP secrets; every other
 * keyed use (request digests for idempotency, page-token MACs, e-mailed
 * code hashes) gets its own subkey derived with libsodium's KDF, so that a
 * value computed for one purpose is worthless for another. Servers that
 * share a secret key derive the same subkeys, so tokens and digests made by
 * one are accepted by the others.
 */
#ifndef NU_COMMON_KEYS_H
#define NU_COMMON_KEYS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NU_KEY_BYTES 32

/* What a subkey is for; the value is the KDF subkey id, never reuse one. */
typedef enum nu_key_purpose {
  NU_KEY_IDEMPOTENCY = 1,    /* keyed digest of a request (idempotency records) */
  NU_KEY_PAGE_TOKEN = 2,     /* MAC of page tokens */
  NU_KEY_CODE_HASH = 3,      /* keyed hash of short codes (e-mailed codes) */
  NU_KEY_RATE_LIMIT = 4,     /* keyed digest of addresses and logins in rate-limit buckets */
  NU_KEY_ACCESS_DETAILS = 5, /* seals the access details providers deliver (order lines) */
} nu_key_purpose;

/* Derives the subkey of purpose from master (borrowed, NU_KEY_BYTES) into
 * out (NU_KEY_BYTES). Returns 0, or -1 when libsodium refuses. */
int nu_key_derive(const uint8_t *master, nu_key_purpose purpose, uint8_t out[NU_KEY_BYTES]);

#ifdef __cplusplus
}
#endif

#endif
