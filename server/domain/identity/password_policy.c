/*
 * password_policy.c — the password rules, each evaluated on every call.
 */
#include "server/domain/identity/password_policy.h"

#include "server/common/utf8.h"

#include <assert.h>
#include <stdbool.h>
#include <string.h>

/* ASCII case-insensitive equality of the len bytes at a with the string b:
 * logins are ASCII, so no locale is involved. */
static bool same_ignoring_ascii_case(const char *a, size_t len, const char *b) {
  if (strlen(b) != len) return false;
  for (size_t i = 0; i < len; i++) {
    unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
    if (x >= 'A' && x <= 'Z') x = (unsigned char)(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = (unsigned char)(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

int nu_password_check(const char *password, size_t len, const char *login,
                      uint32_t *failed) {
  assert(failed != NULL);
  assert(password != NULL || len == 0);
  const unsigned char *p = (const unsigned char *)password;
  bool lower = false, upper = false, digit = false, special = false;
  bool nul = false, bad_utf8 = false;
  size_t chars = 0;

  for (size_t i = 0; i < len;) {
    unsigned char c = p[i];
    size_t step = nu_utf8_seq_len(p + i, len - i);
    if (step == 0) {
      /* Resynchronise on the next byte; the password fails anyway. */
      bad_utf8 = true;
      step = 1;
    }
    chars++;
    if (c == '\0') nul = true;
    else if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else special = true;
    i += step;
  }

  uint32_t f = 0;
  if (chars < NU_PASSWORD_MIN_CHARS) f |= NU_PASSWORD_TOO_SHORT;
  if (len > NU_PASSWORD_MAX_BYTES) f |= NU_PASSWORD_TOO_LONG;
  if (nul) f |= NU_PASSWORD_HAS_NUL;
  if (bad_utf8) f |= NU_PASSWORD_NOT_UTF8;
  if (!lower) f |= NU_PASSWORD_NO_LOWER;
  if (!upper) f |= NU_PASSWORD_NO_UPPER;
  if (!digit) f |= NU_PASSWORD_NO_DIGIT;
  if (!special) f |= NU_PASSWORD_NO_SPECIAL;
  if (login != NULL && same_ignoring_ascii_case(password ? password : "", len, login))
    f |= NU_PASSWORD_SAME_AS_LOGIN;
  *failed = f;
  return f == 0 ? 0 : -1;
}

const char *nu_password_rule_message(uint32_t rule) {
  switch (rule) {
    case NU_PASSWORD_TOO_SHORT: return "must be at least 12 characters";
    case NU_PASSWORD_TOO_LONG: return "must be at most 1024 bytes";
    case NU_PASSWORD_HAS_NUL: return "must not contain a nul character";
    case NU_PASSWORD_NOT_UTF8: return "must be valid utf-8";
    case NU_PASSWORD_NO_LOWER: return "must contain a lower-case letter";
    case NU_PASSWORD_NO_UPPER: return "must contain an upper-case letter";
    case NU_PASSWORD_NO_DIGIT: return "must contain a digit";
    case NU_PASSWORD_NO_SPECIAL: return "must contain a special character";
    case NU_PASSWORD_SAME_AS_LOGIN: return "must differ from the login";
    default: return NULL;
  }
}
