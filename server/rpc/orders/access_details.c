/*
 * access_details.c — sealing the access details of order lines (see the
 * header).
 */
#include "server/rpc/orders/access_details.h"

#include <sodium.h>

#include "server/common/keys.h"
#include "server/domain/totp/secret_box.h"

int nu_access_details_seal(nu_arena *a, const uint8_t *secret_key, const char *text, size_t len,
                           const uint8_t **box, size_t *box_len) {
  uint8_t key[NU_KEY_BYTES];
  if (nu_key_derive(secret_key, NU_KEY_ACCESS_DETAILS, key) != 0) return -1;
  size_t cap = len + NU_SECRET_BOX_OVERHEAD;
  uint8_t *out = nu_arena_alloc(a, cap);
  int rc =
      out == NULL ? -1 : nu_secret_box_seal(key, (const uint8_t *)text, len, out, cap, box_len);
  sodium_memzero(key, sizeof(key));
  if (rc != 0) return -1;
  *box = out;
  return 0;
}

int nu_access_details_open(nu_arena *a, const uint8_t *secret_key, const uint8_t *box,
                           size_t box_len, const char **text) {
  if (box_len < NU_SECRET_BOX_OVERHEAD) return -1;
  uint8_t key[NU_KEY_BYTES];
  if (nu_key_derive(secret_key, NU_KEY_ACCESS_DETAILS, key) != 0) return -1;
  size_t cap = box_len - NU_SECRET_BOX_OVERHEAD + 1;
  char *out = nu_arena_alloc(a, cap);
  size_t n = 0;
  int rc = out == NULL ? -1 : nu_secret_box_open(key, box, box_len, (uint8_t *)out, cap, &n);
  sodium_memzero(key, sizeof(key));
  if (rc != 0) return -1;
  out[n] = '\0';
  *text = out;
  return 0;
}
