/*
 * login.h — the forms of a user's identifiers: login, e-mail, phone number
 * and preferred language.
 *
 * Syntax and normalisation only (DOMAIN.md §1): whether an e-mail is
 * unique, eligible or reachable is decided elsewhere. Every reason given
 * through `why` is a static lower-case string without a trailing period,
 * fit for a field violation; it never repeats the input. On success *why
 * is set to NULL. why may be NULL.
 */
#ifndef NU_DOMAIN_IDENTITY_LOGIN_H
#define NU_DOMAIN_IDENTITY_LOGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NU_LOGIN_MIN 8
#define NU_LOGIN_MAX 64

/* 0 when login (borrowed; NULL is invalid) is 8 to 64 characters of
 * A-Za-z0-9 . _ -; -1 otherwise. */
int nu_login_check(const char *login, const char **why);

#define NU_EMAIL_LOCAL_MAX 64
#define NU_EMAIL_LABEL_MAX 63
/* The longest path SMTP carries (RFC 5321 §4.5.3.1.3 less the brackets). */
#define NU_EMAIL_MAX 254
#define NU_EMAIL_BUF_SIZE (NU_EMAIL_MAX + 1)

/* Checks the address in (borrowed, NUL-terminated; NULL is invalid):
 *   - exactly one @, at most 254 characters in all;
 *   - local part: 1 to 64 characters, a dot-atom (RFC 5322 atext:
 *     letters, digits and !#$%&'*+/=?^_`{|}~- ; dots only between them);
 *     quoted local parts are not accepted;
 *   - domain: a domain holding non-ASCII characters (UTF-8) is first
 *     converted to its A-label form with libidn2 (UTS #46 nontransitional,
 *     NFC: "impôts.gouv.fr" → "xn--impts-8ta.gouv.fr"; not convertible:
 *     invalid); then at least one dot; labels of 1 to 63 ASCII letters,
 *     digits and hyphens, not starting or ending with a hyphen; the
 *     254-character limit applies to the converted address too.
 * On success writes the normalised address to out (domain in A-labels and
 * lower-cased, local part kept as typed, since it may be case-sensitive)
 * and returns 0.
 * out may be NULL to check only; otherwise out_size must hold the result
 * and its NUL (NU_EMAIL_BUF_SIZE always does). Returns -1 when invalid or
 * when out is too small; out is then unspecified. */
int nu_email_normalize(const char *in, char *out, size_t out_size, const char **why);

/* What to look an account up by, from what a person typed where a login
 * or an e-mail is accepted (Login, password reset, terms): an e-mail is
 * normalised as nu_email_normalize stores it (so "agent@impôts.gouv.fr"
 * finds the account stored under its A-label); anything else, including
 * an address that does not normalise, is looked up as typed. Writes it to
 * out (out_size bytes, NU_EMAIL_BUF_SIZE for anything up to
 * NU_EMAIL_MAX); 0, or -1 when it does not fit. */
int nu_login_lookup_form(const char *typed, char *out, size_t out_size);

/* '+' and up to 15 digits, and the NUL. */
#define NU_PHONE_BUF_SIZE 17

/* Normalises a phone number to E.164 ("+33612345678"). Accepted forms:
 *   - international: '+', a country code not starting with 0, 8 to 15
 *     digits in all; for +33 exactly 9 digits after the country code, the
 *     first not 0 (the French trunk 0 is dropped in this form);
 *   - French national: 10 digits, '0' then 1-9, becomes +33 and the last 9.
 * A single space, '.' or '-' may separate two digits ("06 12 34 56 78");
 * nothing else is allowed, not even surrounding spaces. out may be NULL to
 * check only; otherwise out_size must hold the result and its NUL
 * (NU_PHONE_BUF_SIZE always does). Returns 0, or -1 when invalid or when
 * out is too small. */
int nu_phone_normalize(const char *in, char *out, size_t out_size, const char **why);

typedef enum nu_language {
  NU_LANGUAGE_UNSPECIFIED = 0,
  NU_LANGUAGE_FR = 1,
  NU_LANGUAGE_EN = 2,
} nu_language;

/* "fr" or "en" exactly (lower case, as the API documents them) into *out;
 * 0, or -1 for anything else with *out untouched. */
int nu_language_parse(const char *code, nu_language *out);

/* "fr" or "en"; NULL for UNSPECIFIED and unknown values. */
const char *nu_language_code(nu_language language);

#ifdef __cplusplus
}
#endif

#endif
