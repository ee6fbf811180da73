/*
 * keys.c — subkeys of the server secret (libsodium crypto_kdf).
 */
#include "server/common/keys.h"

#include <sodium.h>

/* crypto_kdf contexts are exactly 8 bytes. */
static const char kContext[crypto_kdf_CONTEXTBYTES] = {'n', 'u', 'a', 'g', 'e', 'v', '1', 'k'};

int nu_key_derive(const uint8_t *master, nu_key_purpose purpose, uint8_t out[NU_KEY_BYTES]) {
  _Static_assert(NU_KEY_BYTES == crypto_kdf_KEYBYTES, "subkeys are KDF-sized");
  return crypto_kdf_derive_from_key(out, NU_KEY_BYTES, (uint64_t)purpose, kContext, master) == 0
             ? 0
             : -1;
}
