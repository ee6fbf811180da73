/*
 * secret_box.c — configured key parsing, seal and open of TOTP secrets.
 */
#include "server/domain/totp/secret_box.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

_Static_assert(NU_SECRET_BOX_KEY_BYTES == crypto_secretbox_KEYBYTES, "key size");
_Static_assert(NU_SECRET_BOX_NONCE_BYTES == crypto_secretbox_NONCEBYTES, "nonce size");
_Static_assert(NU_SECRET_BOX_MAC_BYTES == crypto_secretbox_MACBYTES, "mac size");

/* Longest text worth looking at: a prefixed, padded base64 key is 51. */
#define MAX_KEY_TEXT 128

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static bool all_hex(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  }
  return true;
}

static int parse_hex(const char *s, size_t n, uint8_t *key, const char **why) {
  size_t bin_len = 0;
  if (n != 2 * NU_SECRET_BOX_KEY_BYTES || !all_hex(s, n)) {
    *why = "hex key must be exactly 64 hex digits (32 bytes)";
    return NU_SECRET_BOX_ERR_ARGUMENT;
  }
  if (sodium_hex2bin(key, NU_SECRET_BOX_KEY_BYTES, s, n, NULL, &bin_len, NULL) != 0 ||
      bin_len != NU_SECRET_BOX_KEY_BYTES) {
    *why = "hex key must be exactly 64 hex digits (32 bytes)";
    return NU_SECRET_BOX_ERR_ARGUMENT;
  }
  return NU_SECRET_BOX_OK;
}

static int parse_base64(const char *s, size_t n, uint8_t *key, const char **why) {
  static const int variants[] = {
      sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
      sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING};
  /* One byte of room more than a key, to tell "too long" from "exact". */
  uint8_t buf[NU_SECRET_BOX_KEY_BYTES + 1];
  for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
    size_t bin_len = 0;
    const char *end = NULL;
    if (sodium_base642bin(buf, sizeof buf, s, n, NULL, &bin_len, &end, variants[v]) != 0 ||
        end != s + n)
      continue;
    if (bin_len != NU_SECRET_BOX_KEY_BYTES) {
      sodium_memzero(buf, sizeof buf);
      *why = "base64 key must decode to exactly 32 bytes";
      return NU_SECRET_BOX_ERR_ARGUMENT;
    }
    memcpy(key, buf, NU_SECRET_BOX_KEY_BYTES);
    sodium_memzero(buf, sizeof buf);
    return NU_SECRET_BOX_OK;
  }
  sodium_memzero(buf, sizeof buf);
  *why = "key is neither 64 hex digits nor base64 of 32 bytes";
  return NU_SECRET_BOX_ERR_ARGUMENT;
}

int nu_secret_box_key_parse(const char *text, uint8_t key[NU_SECRET_BOX_KEY_BYTES],
                            const char **why) {
  const char *ignored;
  if (why == NULL) why = &ignored;
  *why = NULL;
  if (text == NULL || key == NULL) {
    *why = "no key given";
    return NU_SECRET_BOX_ERR_ARGUMENT;
  }
  if (sodium_init() < 0) {
    *why = "libsodium failed to initialise";
    return NU_SECRET_BOX_ERR_LIBRARY;
  }
  size_t n = strnlen(text, MAX_KEY_TEXT + 1);
  if (n > MAX_KEY_TEXT) {
    *why = "key text is too long";
    return NU_SECRET_BOX_ERR_ARGUMENT;
  }
  while (n > 0 && is_space(text[0])) text++, n--;
  while (n > 0 && is_space(text[n - 1])) n--;
  if (n == 0) {
    *why = "key is empty";
    return NU_SECRET_BOX_ERR_ARGUMENT;
  }

  uint8_t parsed[NU_SECRET_BOX_KEY_BYTES];
  int rc;
  if (n >= 4 && strncmp(text, "hex:", 4) == 0) {
    rc = parse_hex(text + 4, n - 4, parsed, why);
  } else if (n >= 7 && strncmp(text, "base64:", 7) == 0) {
    rc = parse_base64(text + 7, n - 7, parsed, why);
  } else if (n == 2 * NU_SECRET_BOX_KEY_BYTES && all_hex(text, n)) {
    /* 64 hex digits are never a 32-byte base64 key (that is 43-44 chars). */
    rc = parse_hex(text, n, parsed, why);
  } else {
    rc = parse_base64(text, n, parsed, why);
  }
  if (rc == NU_SECRET_BOX_OK && sodium_is_zero(parsed, sizeof parsed)) {
    *why = "key is all zeros";
    rc = NU_SECRET_BOX_ERR_ARGUMENT;
  }
  if (rc == NU_SECRET_BOX_OK) memcpy(key, parsed, sizeof parsed);
  sodium_memzero(parsed, sizeof parsed);
  return rc;
}

int nu_secret_box_seal(const uint8_t key[NU_SECRET_BOX_KEY_BYTES], const uint8_t *plain, size_t len,
                       uint8_t *out, size_t out_size, size_t *out_len) {
  if (key == NULL || plain == NULL || len == 0 || out == NULL || out_len == NULL ||
      len > SIZE_MAX - NU_SECRET_BOX_OVERHEAD)
    return NU_SECRET_BOX_ERR_ARGUMENT;
  if (out_size < len + NU_SECRET_BOX_OVERHEAD) return NU_SECRET_BOX_ERR_SPACE;
  if (sodium_init() < 0) return NU_SECRET_BOX_ERR_LIBRARY;
  randombytes_buf(out, NU_SECRET_BOX_NONCE_BYTES);
  if (crypto_secretbox_easy(out + NU_SECRET_BOX_NONCE_BYTES, plain, len, out, key) != 0)
    return NU_SECRET_BOX_ERR_LIBRARY;
  *out_len = len + NU_SECRET_BOX_OVERHEAD;
  return NU_SECRET_BOX_OK;
}

int nu_secret_box_open(const uint8_t key[NU_SECRET_BOX_KEY_BYTES], const uint8_t *box,
                       size_t box_len, uint8_t *out, size_t out_size, size_t *out_len) {
  if (key == NULL || box == NULL || out == NULL || out_len == NULL ||
      box_len <= NU_SECRET_BOX_OVERHEAD)
    return NU_SECRET_BOX_ERR_ARGUMENT;
  size_t len = box_len - NU_SECRET_BOX_OVERHEAD;
  if (out_size < len) return NU_SECRET_BOX_ERR_SPACE;
  if (sodium_init() < 0) return NU_SECRET_BOX_ERR_LIBRARY;
  if (crypto_secretbox_open_easy(out, box + NU_SECRET_BOX_NONCE_BYTES,
                                 box_len - NU_SECRET_BOX_NONCE_BYTES, box, key) != 0) {
    sodium_memzero(out, len);
    return NU_SECRET_BOX_ERR_FORGED;
  }
  *out_len = len;
  return NU_SECRET_BOX_OK;
}
