/*
 * password_policy.c — the password rules, each evaluated on every call.
 */
#include "server/domain/identity/password_policy.h"

#include "server/common/utf8.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
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

/* The code point of a valid UTF-8 sequence of n bytes at p. */
static uint32_t decode(const unsigned char *p, size_t n) {
  switch (n) {
    case 1: return p[0];
    case 2: return ((uint32_t)(p[0] & 0x1f) << 6) | (p[1] & 0x3f);
    case 3: return ((uint32_t)(p[0] & 0x0f) << 12) | ((uint32_t)(p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    default:
      return ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3f) << 12) |
             ((uint32_t)(p[2] & 0x3f) << 6) | (p[3] & 0x3f);
  }
}

/* Letter case of the Latin letters of French and the other European
 * languages (ASCII, Latin-1 Supplement, Latin Extended-A): a user who
 * types "Élève" has typed an upper-case letter. 1 upper, -1 lower, 0 not a
 * letter of these blocks (other scripts count as special characters). */
static int latin_case(uint32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return 1;
  if (cp >= 'a' && cp <= 'z') return -1;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return 1;
  if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7) return -1;
  if (cp < 0x100 || cp > 0x17F) return 0;
  /* Latin Extended-A: pairs upper/lower, with a shift of parity at three
   * places and a few letters without a pair. */
  if (cp == 0x130 || cp == 0x178) return 1;                                /* İ Ÿ */
  if (cp == 0x131 || cp == 0x138 || cp == 0x149 || cp == 0x17F) return -1; /* ı ĸ ŉ ſ */
  bool odd = cp & 1;
  if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) return odd ? 1 : -1;
  return odd ? -1 : 1;
}

int nu_password_check(const char *password, size_t len, const char *login, uint32_t *failed) {
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
    int letter = bad_utf8 && step == 1 && c >= 0x80 ? 0 : latin_case(decode(p + i, step));
    if (c == '\0')
      nul = true;
    else if (letter > 0)
      upper = true;
    else if (letter < 0)
      lower = true;
    else if (c >= '0' && c <= '9')
      digit = true;
    else
      special = true;
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
