/*
 * totp.c — TOTP secrets, their base32 and URI, code generation and the
 * replay-refusing verification, over liboath and libsodium.
 *
 * Verification generates the code of each candidate step and compares it
 * itself instead of calling oath_totp_validate*: liboath compares with
 * strcmp (not constant time), searches a symmetric window only and knows
 * nothing of steps already used.
 */
#include "server/domain/totp/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Secrets longer than this are not ours (RFC 6238 vectors use 64 at most). */
#define MAX_SECRET_BYTES 128

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = NU_TOTP_ERR_LIBRARY;

static void init_libraries(void) {
  if (oath_init() != OATH_OK) return;
  if (sodium_init() < 0) return;
  init_result = NU_TOTP_OK;
}

int nu_totp_init(void) {
  if (pthread_once(&init_once, init_libraries) != 0) return NU_TOTP_ERR_LIBRARY;
  return init_result;
}

int64_t nu_totp_now_s(const nu_clock *clock) {
  int64_t ns = nu_clock_wall_ns(clock);
  int64_t s = ns / NU_NS_PER_S;
  if (ns % NU_NS_PER_S < 0) s--; /* floor, before 1970 too */
  return s;
}

int64_t nu_totp_step(int64_t unix_s) {
  if (unix_s < 0) return -1;
  return unix_s / NU_TOTP_PERIOD_S;
}

int nu_totp_secret_generate(uint8_t out[NU_TOTP_SECRET_BYTES]) {
  if (out == NULL) return NU_TOTP_ERR_ARGUMENT;
  int rc = nu_totp_init();
  if (rc != NU_TOTP_OK) return rc;
  randombytes_buf(out, NU_TOTP_SECRET_BYTES);
  return NU_TOTP_OK;
}

int nu_totp_base32_encode(const uint8_t *secret, size_t len, char *out, size_t out_size) {
  if (secret == NULL || len == 0 || len > MAX_SECRET_BYTES || out == NULL)
    return NU_TOTP_ERR_ARGUMENT;
  int rc = nu_totp_init();
  if (rc != NU_TOTP_OK) return rc;

  char *b32 = NULL;
  size_t b32_len = 0;
  if (oath_base32_encode((const char *)secret, len, &b32, &b32_len) != OATH_OK)
    return NU_TOTP_ERR_LIBRARY;
  while (b32_len > 0 && b32[b32_len - 1] == '=') b32_len--;
  if (b32_len + 1 > out_size) {
    rc = NU_TOTP_ERR_SPACE;
  } else {
    memcpy(out, b32, b32_len);
    out[b32_len] = '\0';
    rc = NU_TOTP_OK;
  }
  /* liboath's buffer holds the secret: wipe it before it returns to malloc. */
  sodium_memzero(b32, b32_len);
  free(b32);
  return rc;
}

int nu_totp_base32_decode(const char *b32, uint8_t *out, size_t out_size, size_t *out_len) {
  if (b32 == NULL || out == NULL || out_len == NULL) return NU_TOTP_ERR_ARGUMENT;
  size_t in_len = strlen(b32);
  if (in_len == 0 || in_len > MAX_SECRET_BYTES * 2) return NU_TOTP_ERR_ARGUMENT;
  int rc = nu_totp_init();
  if (rc != NU_TOTP_OK) return rc;

  char *raw = NULL;
  size_t raw_len = 0;
  if (oath_base32_decode(b32, in_len, &raw, &raw_len) != OATH_OK) return NU_TOTP_ERR_ARGUMENT;
  if (raw_len == 0) {
    rc = NU_TOTP_ERR_ARGUMENT;
  } else if (raw_len > out_size) {
    rc = NU_TOTP_ERR_SPACE;
  } else {
    memcpy(out, raw, raw_len);
    *out_len = raw_len;
    rc = NU_TOTP_OK;
  }
  if (raw != NULL) {
    sodium_memzero(raw, raw_len);
    free(raw);
  }
  return rc;
}

/* RFC 3986 §2.3 unreserved characters pass; every other byte is %XX. */
static bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

/* Appends to out at *pos; false when it would not fit with a final NUL. */
static bool put_raw(char *out, size_t out_size, size_t *pos, const char *s) {
  size_t n = strlen(s);
  if (n >= out_size - *pos) return false;
  memcpy(out + *pos, s, n);
  *pos += n;
  out[*pos] = '\0';
  return true;
}

static bool put_encoded(char *out, size_t out_size, size_t *pos, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
    char enc[4];
    if (is_unreserved(*p)) {
      enc[0] = (char)*p;
      enc[1] = '\0';
    } else {
      enc[0] = '%';
      enc[1] = hex[*p >> 4];
      enc[2] = hex[*p & 0x0F];
      enc[3] = '\0';
    }
    if (!put_raw(out, out_size, pos, enc)) return false;
  }
  return true;
}

static bool valid_label(const char *s) {
  return s != NULL && s[0] != '\0' && strchr(s, ':') == NULL;
}

static bool valid_base32_unpadded(const char *s) {
  if (s == NULL || s[0] == '\0') return false;
  for (const char *p = s; *p != '\0'; p++) {
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= '2' && *p <= '7'))) return false;
  }
  return true;
}

int nu_totp_uri(const char *issuer, const char *account, const char *secret_b32, char *out,
                size_t out_size) {
  if (!valid_label(issuer) || !valid_label(account) || !valid_base32_unpadded(secret_b32) ||
      out == NULL || out_size == 0)
    return NU_TOTP_ERR_ARGUMENT;
  size_t pos = 0;
  out[0] = '\0';
  bool fits =
      put_raw(out, out_size, &pos, "otpauth://totp/") && put_encoded(out, out_size, &pos, issuer) &&
      put_raw(out, out_size, &pos, ":") && put_encoded(out, out_size, &pos, account) &&
      put_raw(out, out_size, &pos, "?secret=") && put_raw(out, out_size, &pos, secret_b32) &&
      put_raw(out, out_size, &pos, "&issuer=") && put_encoded(out, out_size, &pos, issuer) &&
      put_raw(out, out_size, &pos, "&algorithm=SHA1&digits=6&period=30");
  if (!fits) {
    /* Do not leave a truncated URI (it holds part of the secret) behind. */
    sodium_memzero(out, out_size);
    return NU_TOTP_ERR_SPACE;
  }
  return NU_TOTP_OK;
}

static int oath_flags(nu_totp_algo algo) {
  switch (algo) {
    case NU_TOTP_SHA1: return 0;
    case NU_TOTP_SHA256: return OATH_TOTP_HMAC_SHA256;
    case NU_TOTP_SHA512: return OATH_TOTP_HMAC_SHA512;
  }
  return -1;
}

/* The code of one time step; the caller has checked its arguments. */
static int code_of_step(const uint8_t *secret, size_t len, int64_t step, unsigned digits, int flags,
                        char *out) {
  time_t at = (time_t)(step * NU_TOTP_PERIOD_S);
  if (oath_totp_generate2((const char *)secret, len, at, NU_TOTP_PERIOD_S, 0, digits, flags, out) !=
      OATH_OK)
    return NU_TOTP_ERR_LIBRARY;
  return NU_TOTP_OK;
}

int nu_totp_code(const uint8_t *secret, size_t len, int64_t unix_s, unsigned digits,
                 nu_totp_algo algo, char *out, size_t out_size) {
  int flags = oath_flags(algo);
  if (secret == NULL || len == 0 || len > MAX_SECRET_BYTES || unix_s < 0 || digits < 6 ||
      digits > 8 || flags < 0 || out == NULL || out_size <= digits)
    return NU_TOTP_ERR_ARGUMENT;
  /* time_t * step arithmetic stays far from overflow below year 10^11. */
  if (unix_s > INT64_C(1) << 40) return NU_TOTP_ERR_ARGUMENT;
  int rc = nu_totp_init();
  if (rc != NU_TOTP_OK) return rc;
  return code_of_step(secret, len, nu_totp_step(unix_s), digits, flags, out);
}

static bool six_ascii_digits(const char *code) {
  for (int i = 0; i < NU_TOTP_DIGITS; i++) {
    if (code[i] < '0' || code[i] > '9') return false; /* stops at NUL too */
  }
  return code[NU_TOTP_DIGITS] == '\0';
}

int nu_totp_verify(const uint8_t *secret, size_t secret_len, const char *code, int64_t now_unix_s,
                   int64_t last_accepted_step, int64_t *matched_step) {
  /* The format first: garbage never reaches liboath nor the secret. */
  if (code == NULL || !six_ascii_digits(code)) return NU_TOTP_REFUSED_MALFORMED;
  if (secret == NULL || secret_len == 0 || secret_len > MAX_SECRET_BYTES || matched_step == NULL ||
      now_unix_s < 0 || now_unix_s > INT64_C(1) << 40)
    return NU_TOTP_ERR_ARGUMENT;
  int rc = nu_totp_init();
  if (rc != NU_TOTP_OK) return rc;

  const int64_t now_step = nu_totp_step(now_unix_s);
  bool fresh_match = false, used_match = false;
  int64_t best = -1;
  /* Every step of the window is generated and compared, whatever matched
   * earlier, so timing does not tell which step a code belongs to. */
  for (int64_t d = -NU_TOTP_WINDOW_STEPS; d <= NU_TOTP_WINDOW_STEPS; d++) {
    int64_t step = now_step + d;
    if (step < 0) continue;
    char expected[NU_TOTP_DIGITS + 1];
    rc = code_of_step(secret, secret_len, step, NU_TOTP_DIGITS, 0, expected);
    if (rc != NU_TOTP_OK) {
      sodium_memzero(expected, sizeof expected);
      return rc;
    }
    bool same = sodium_memcmp(expected, code, NU_TOTP_DIGITS) == 0;
    sodium_memzero(expected, sizeof expected);
    if (!same) continue;
    if (step > last_accepted_step) {
      fresh_match = true;
      /* Steps ascend, so the latest fresh match wins: should the same six
       * digits also be the code of a later step in the window, storing the
       * earlier one would let that very string be accepted a second time. */
      best = step;
    } else {
      used_match = true;
    }
  }
  if (fresh_match) {
    *matched_step = best;
    return NU_TOTP_OK;
  }
  return used_match ? NU_TOTP_REFUSED_REPLAY : NU_TOTP_REFUSED_MISMATCH;
}
