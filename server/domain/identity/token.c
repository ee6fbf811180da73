/*
 * token.c — random bearer secrets and their digests (libsodium).
 */
#include "server/domain/identity/token.h"

#include <sodium.h>
#include <string.h>

int nu_token_new(const char *prefix, char out[NU_TOKEN_SIZE]) {
  size_t plen = strlen(prefix);
  if (plen > 7) return -1;
  uint8_t raw[NU_TOKEN_RANDOM_BYTES];
  randombytes_buf(raw, sizeof(raw));
  memcpy(out, prefix, plen);
  sodium_bin2base64(out + plen, NU_TOKEN_SIZE - plen, raw, sizeof(raw),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof(raw));
  return 0;
}

void nu_token_hash(const char *token, size_t len, uint8_t out[NU_TOKEN_HASH_BYTES]) {
  crypto_hash_sha256(out, (const unsigned char *)token, len);
}

void nu_access_key_id_new(char out[NU_ACCESS_KEY_ID_SIZE]) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  memcpy(out, "NUAK", 4);
  for (int i = 0; i < 20; i++) out[4 + i] = alphabet[randombytes_uniform(32)];
  out[NU_ACCESS_KEY_ID_SIZE - 1] = '\0';
}

int nu_access_key_split(const char *token, size_t len, size_t *id_len) {
  const size_t idl = NU_ACCESS_KEY_ID_SIZE - 1;
  if (len <= idl + 1 || memcmp(token, "NUAK", 4) != 0 || token[idl] != ':') return 0;
  *id_len = idl;
  return 1;
}
