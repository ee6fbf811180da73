/*
 * login.c — login, e-mail, phone and language syntax; ASCII only, no locale.
 */
#include "server/domain/identity/login.h"

#include <idn2.h>
#include <stdbool.h>
#include <string.h>

static int fail(const char **why, const char *reason) {
  if (why) *why = reason;
  return -1;
}

static int ok(const char **why) {
  if (why) *why = NULL;
  return 0;
}

/* <ctype.h> depends on the locale and takes non-ASCII bytes as letters in
 * some; these do not. */
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
static char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* ---- login ---------------------------------------------------------------- */

int nu_login_check(const char *login, const char **why) {
  if (login == NULL) return fail(why, "must be 8 to 64 characters");
  size_t n = 0;
  for (; login[n] != '\0'; n++) {
    char c = login[n];
    if (!is_alnum(c) && c != '.' && c != '_' && c != '-')
      return fail(why, "must contain only letters, digits, '.', '_' and '-'");
  }
  if (n < NU_LOGIN_MIN || n > NU_LOGIN_MAX) return fail(why, "must be 8 to 64 characters");
  return ok(why);
}

/* ---- e-mail --------------------------------------------------------------- */

/* RFC 5322 atext. */
static bool is_atext(char c) {
  return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

static int check_local(const char *s, size_t n, const char **why) {
  if (n == 0) return fail(why, "local part must not be empty");
  if (n > NU_EMAIL_LOCAL_MAX) return fail(why, "local part must be at most 64 characters");
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '.') {
      if (i == 0 || i == n - 1 || s[i - 1] == '.')
        return fail(why, "local part has a misplaced dot");
    } else if (!is_atext(s[i])) {
      return fail(why, "local part contains an invalid character");
    }
  }
  return 0;
}

static int check_domain(const char *s, size_t n, const char **why) {
  for (size_t i = 0; i < n; i++)
    if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '.')
      return fail(why, "domain contains an invalid character");
  if (memchr(s, '.', n) == NULL) return fail(why, "domain must contain a dot");
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != '.') continue;
    size_t len = i - start;
    if (len == 0) return fail(why, "domain has an empty label");
    if (len > NU_EMAIL_LABEL_MAX) return fail(why, "domain label must be at most 63 characters");
    if (s[start] == '-' || s[i - 1] == '-')
      return fail(why, "domain label must not start or end with a hyphen");
    start = i + 1;
  }
  return 0;
}

static bool has_non_ascii(const char *s) {
  for (; *s != '\0'; s++)
    if ((unsigned char)*s >= 0x80) return true;
  return false;
}

int nu_login_lookup_form(const char *typed, char *out, size_t out_size) {
  if (strchr(typed, '@') != NULL && nu_email_normalize(typed, out, out_size, NULL) == 0) return 0;
  size_t n = strlen(typed);
  if (n >= out_size) return -1;
  memcpy(out, typed, n + 1);
  return 0;
}

int nu_email_normalize(const char *in, char *out, size_t out_size, const char **why) {
  if (in == NULL) return fail(why, "must contain exactly one @");
  const char *at = strchr(in, '@');
  if (at == NULL || strchr(at + 1, '@') != NULL) return fail(why, "must contain exactly one @");
  if (strlen(in) > NU_EMAIL_MAX) return fail(why, "must be at most 254 characters");
  size_t local_len = (size_t)(at - in);
  if (check_local(in, local_len, why) != 0) return -1;
  /* A domain in Unicode ("impôts.gouv.fr") becomes its A-label form
   * ("xn--impts-8ta.gouv.fr", UTS #46 nontransitional) before any check:
   * the Etalab list and DNS know only that form. ASCII domains skip it,
   * so their rules (and reasons) stay exactly the ASCII ones. */
  const char *domain = at + 1;
  char *ace = NULL;
  if (has_non_ascii(domain)) {
    if (idn2_to_ascii_8z(domain, &ace, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK) {
      return fail(why, "domain is not a valid internationalised domain name");
    }
    domain = ace;
  }
  int rc = -1;
  size_t domain_len = strlen(domain);
  size_t n = local_len + 1 + domain_len;
  if (n > NU_EMAIL_MAX) { /* the A-label form is longer than the Unicode one */
    fail(why, "must be at most 254 characters");
    goto done;
  }
  if (check_domain(domain, domain_len, why) != 0) goto done;
  if (out != NULL) {
    if (out_size < n + 1) {
      fail(why, "output buffer too small");
      goto done;
    }
    memcpy(out, in, local_len + 1);
    for (size_t i = 0; i < domain_len; i++) out[local_len + 1 + i] = to_lower(domain[i]);
    out[n] = '\0';
  }
  rc = ok(why);
done:
  idn2_free(ace);
  return rc;
}

/* ---- phone ---------------------------------------------------------------- */

#define PHONE_MIN_DIGITS 8
#define PHONE_MAX_DIGITS 15
#define FR_NATIONAL_DIGITS 10
#define FR_SUBSCRIBER_DIGITS 9

static bool is_phone_separator(char c) { return c == ' ' || c == '.' || c == '-'; }

/* Collects the digits of s into digits (room for max + 1 bytes), allowing
 * one separator between two digits. Returns the digit count, or -1 on any
 * other character, a misplaced separator or more than max digits. */
static int collect_digits(const char *s, char *digits, int max) {
  int n = 0;
  for (size_t i = 0; s[i] != '\0'; i++) {
    if (is_digit(s[i])) {
      if (n == max) return -1;
      digits[n++] = s[i];
    } else if (is_phone_separator(s[i])) {
      if (i == 0 || !is_digit(s[i - 1]) || !is_digit(s[i + 1])) return -1;
    } else {
      return -1;
    }
  }
  digits[n] = '\0';
  return n;
}

int nu_phone_normalize(const char *in, char *out, size_t out_size, const char **why) {
  char e164[NU_PHONE_BUF_SIZE];
  char digits[PHONE_MAX_DIGITS + 1];
  if (in == NULL) return fail(why, "must be a phone number");

  if (in[0] == '+') {
    int n = collect_digits(in + 1, digits, PHONE_MAX_DIGITS);
    if (n < 0) return fail(why, "must contain only digits after '+', in groups");
    if (n < PHONE_MIN_DIGITS) return fail(why, "must have 8 to 15 digits after '+'");
    if (digits[0] == '0') return fail(why, "country code must not start with 0");
    if (digits[0] == '3' && digits[1] == '3' && (n != 2 + FR_SUBSCRIBER_DIGITS || digits[2] == '0'))
      return fail(why, "must have 9 digits after +33, without the French trunk 0");
    e164[0] = '+';
    memcpy(e164 + 1, digits, (size_t)n + 1);
  } else {
    int n = collect_digits(in, digits, PHONE_MAX_DIGITS);
    if (n < 0) return fail(why, "must be '+' and digits, or a French number of 10 digits");
    if (n != FR_NATIONAL_DIGITS || digits[0] != '0' || digits[1] == '0')
      return fail(why, "must be 10 digits starting with 0 in the French format");
    memcpy(e164, "+33", 3);
    memcpy(e164 + 3, digits + 1, FR_SUBSCRIBER_DIGITS + 1);
  }

  if (out != NULL) {
    size_t len = strlen(e164);
    if (out_size < len + 1) return fail(why, "output buffer too small");
    memcpy(out, e164, len + 1);
  }
  return ok(why);
}

/* ---- language ------------------------------------------------------------- */

int nu_language_parse(const char *code, nu_language *out) {
  if (code == NULL) return -1;
  if (strcmp(code, "fr") == 0) {
    *out = NU_LANGUAGE_FR;
  } else if (strcmp(code, "en") == 0) {
    *out = NU_LANGUAGE_EN;
  } else {
    return -1;
  }
  return 0;
}

const char *nu_language_code(nu_language language) {
  switch (language) {
    case NU_LANGUAGE_FR: return "fr";
    case NU_LANGUAGE_EN: return "en";
    default: return NULL;
  }
}
