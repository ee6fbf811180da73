/*
 * token.h — bearer secrets: session tokens, link tokens, challenge tokens,
 * access keys.
 *
 * A token is a short type prefix and 256 random bits in unpadded base64url
 * ("nus_…" session, "nul_…" e-mailed link, "nuc_…" login challenge). Only
 * its SHA-256 digest is stored, so a database dump yields nothing usable:
 * with 256 random bits a fast hash is enough (nothing to brute-force), and a
 * lookup by digest is one index probe.
 *
 * Access keys are a pair: the key id "NUAK" + 20 base32 characters (public,
 * stored as is) and a secret like a token ("nusk_…"); a machine presents
 * "<key id>:<secret>" as its bearer credential.
 */
#ifndef NU_DOMAIN_IDENTITY_TOKEN_H
#define NU_DOMAIN_IDENTITY_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NU_TOKEN_RANDOM_BYTES 32
/* prefix (≤ 7 chars) + 43 base64url characters + NUL */
#define NU_TOKEN_SIZE 52
#define NU_TOKEN_HASH_BYTES 32
#define NU_ACCESS_KEY_ID_SIZE 25 /* "NUAK" + 20 + NUL */

#define NU_TOKEN_SESSION "nus_"
#define NU_TOKEN_LINK "nul_"
#define NU_TOKEN_CHALLENGE "nuc_"
#define NU_TOKEN_KEY_SECRET "nusk_"

/* A fresh token with prefix into out. Returns 0, or -1 when the prefix is
 * longer than 7 characters. */
int nu_token_new(const char *prefix, char out[NU_TOKEN_SIZE]);

/* SHA-256 of the token's len bytes. */
void nu_token_hash(const char *token, size_t len, uint8_t out[NU_TOKEN_HASH_BYTES]);

/* A fresh access-key id. */
void nu_access_key_id_new(char out[NU_ACCESS_KEY_ID_SIZE]);

/* Whether token (len bytes) looks like "<key id>:<secret>"; on yes, *id_len
 * is the length of the id part (the secret starts after the colon). */
int nu_access_key_split(const char *token, size_t len, size_t *id_len);

#ifdef __cplusplus
}
#endif

#endif
