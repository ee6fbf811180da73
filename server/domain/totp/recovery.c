/*
 * recovery.c — generation, normalisation and keyed hashing of recovery
 * codes.
 *
 * Why a fast keyed hash and not Argon2id: a recovery code carries 60 bits
 * from a CSPRNG, not a human choice, so there is no dictionary to slow down.
 * Guessing one offline from a leaked hash is 2^59 tries on average; and the
 * BLAKE2b key lives in configuration, not in the database, so a database
 * leak alone does not allow even that. Online guessing is bounded by the
 * login lock-out. A memory-hard hash would cost 10 × tens of ms per
 * verification (every stored code is tried) and buy nothing here.
 */
#include "server/domain/totp/recovery.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

/* Crockford's base32, lower case: 32 symbols, 5 bits each. */
static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

#define MAX_INPUT_BYTES 64

int nu_recovery_generate(char codes[NU_RECOVERY_COUNT][NU_RECOVERY_CODE_SIZE]) {
  if (codes == NULL) return NU_RECOVERY_ERR_ARGUMENT;
  if (sodium_init() < 0) return NU_RECOVERY_ERR_LIBRARY;
  for (int c = 0; c < NU_RECOVERY_COUNT; c++) {
    uint8_t rnd[NU_RECOVERY_CODE_CHARS];
    randombytes_buf(rnd, sizeof rnd);
    char *out = codes[c];
    size_t pos = 0;
    for (int i = 0; i < NU_RECOVERY_CODE_CHARS; i++) {
      if (i > 0 && i % 4 == 0) out[pos++] = '-';
      out[pos++] = alphabet[rnd[i] & 31]; /* 32 divides 256: no bias */
    }
    out[pos] = '\0';
    sodium_memzero(rnd, sizeof rnd);
  }
  return NU_RECOVERY_OK;
}

/* The canonical symbol for one typed character, or 0 if it has none. */
static char canonical(char ch) {
  if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
  if (ch == 'i' || ch == 'l') return '1';
  if (ch == 'o') return '0';
  if (ch == '\0' || strchr(alphabet, ch) == NULL) return 0;
  return ch;
}

int nu_recovery_normalise(const char *input, char out[NU_RECOVERY_NORMALISED_SIZE]) {
  if (input == NULL || out == NULL) return NU_RECOVERY_ERR_ARGUMENT;
  size_t n = 0;
  int rc = NU_RECOVERY_OK;
  for (size_t i = 0; input[i] != '\0'; i++) {
    if (i >= MAX_INPUT_BYTES) {
      rc = NU_RECOVERY_REFUSED_MALFORMED;
      break;
    }
    if (input[i] == '-' || input[i] == ' ') continue;
    char c = canonical(input[i]);
    if (c == 0 || n == NU_RECOVERY_CODE_CHARS) {
      rc = NU_RECOVERY_REFUSED_MALFORMED;
      break;
    }
    out[n++] = c;
  }
  if (rc == NU_RECOVERY_OK && n != NU_RECOVERY_CODE_CHARS) rc = NU_RECOVERY_REFUSED_MALFORMED;
  if (rc != NU_RECOVERY_OK) {
    sodium_memzero(out, NU_RECOVERY_NORMALISED_SIZE);
    return rc;
  }
  out[n] = '\0';
  return NU_RECOVERY_OK;
}

int nu_recovery_hash(const uint8_t key[NU_RECOVERY_KEY_BYTES], const char *input,
                     uint8_t out[NU_RECOVERY_HASH_BYTES]) {
  if (key == NULL || input == NULL || out == NULL) return NU_RECOVERY_ERR_ARGUMENT;
  if (sodium_init() < 0) return NU_RECOVERY_ERR_LIBRARY;
  char norm[NU_RECOVERY_NORMALISED_SIZE];
  int rc = nu_recovery_normalise(input, norm);
  if (rc != NU_RECOVERY_OK) return rc;
  if (crypto_generichash(out, NU_RECOVERY_HASH_BYTES, (const unsigned char *)norm,
                         NU_RECOVERY_CODE_CHARS, key, NU_RECOVERY_KEY_BYTES) != 0)
    rc = NU_RECOVERY_ERR_LIBRARY;
  sodium_memzero(norm, sizeof norm);
  return rc;
}

int nu_recovery_verify(const uint8_t key[NU_RECOVERY_KEY_BYTES], const char *input,
                       const uint8_t (*stored)[NU_RECOVERY_HASH_BYTES], size_t n,
                       size_t *matched_index) {
  if (key == NULL || input == NULL || (stored == NULL && n > 0) || matched_index == NULL)
    return NU_RECOVERY_ERR_ARGUMENT;
  uint8_t h[NU_RECOVERY_HASH_BYTES];
  int rc = nu_recovery_hash(key, input, h);
  if (rc != NU_RECOVERY_OK) return rc;
  bool found = false;
  size_t index = 0;
  for (size_t i = 0; i < n; i++) {
    /* Hashes are distinct (60-bit codes), so at most one matches. */
    bool same = sodium_memcmp(h, stored[i], NU_RECOVERY_HASH_BYTES) == 0;
    found |= same;
    index = same ? i : index;
  }
  sodium_memzero(h, sizeof h);
  if (!found) return NU_RECOVERY_REFUSED_MISMATCH;
  *matched_index = index;
  return NU_RECOVERY_OK;
}
