/*
 * password_policy.h — may this password be set for this login?
 *
 * The platform's password rules (DOMAIN.md §1): at least 12 characters
 * (Unicode code points; any language welcome), at least one lower-case and
 * one upper-case ASCII letter, one ASCII digit and one special character
 * (anything else, space and accented letters included), not the login
 * (ignoring case), at most 1024 bytes, valid UTF-8 without NUL. Every
 * failed rule is reported, not just the first, so the API can return one
 * field violation per rule. Messages are fixed strings chosen by the rule
 * alone: the password never appears in them.
 */
#ifndef NU_DOMAIN_IDENTITY_PASSWORD_POLICY_H
#define NU_DOMAIN_IDENTITY_PASSWORD_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "server/domain/identity/policy.h" /* NU_PASSWORD_MIN_CHARS, NU_PASSWORD_MAX_BYTES */

#ifdef __cplusplus
extern "C" {
#endif

/* One bit per rule, set when the rule fails. */
enum nu_password_rule {
  NU_PASSWORD_TOO_SHORT = 1u << 0,
  NU_PASSWORD_TOO_LONG = 1u << 1,
  NU_PASSWORD_HAS_NUL = 1u << 2,
  NU_PASSWORD_NOT_UTF8 = 1u << 3,
  NU_PASSWORD_NO_LOWER = 1u << 4,
  NU_PASSWORD_NO_UPPER = 1u << 5,
  NU_PASSWORD_NO_DIGIT = 1u << 6,
  NU_PASSWORD_NO_SPECIAL = 1u << 7,
  NU_PASSWORD_SAME_AS_LOGIN = 1u << 8,
};
#define NU_PASSWORD_RULE_COUNT 9
#define NU_PASSWORD_ALL_RULES ((1u << NU_PASSWORD_RULE_COUNT) - 1)

/* Checks the len bytes at password (borrowed; need not be NUL-terminated,
 * may be NULL when len is 0) against every rule. login (borrowed,
 * NUL-terminated) is the account's login, or NULL when it has none yet
 * (the "not the login" rule is then skipped). *failed receives the set of
 * failed rules (0 when none). Returns 0 when the password is acceptable,
 * -1 when at least one rule failed. */
int nu_password_check(const char *password, size_t len, const char *login, uint32_t *failed);

/* The lower-case description of one rule ("must be at least 12
 * characters"), a static string; NULL unless rule is exactly one bit of
 * enum nu_password_rule. */
const char *nu_password_rule_message(uint32_t rule);

#ifdef __cplusplus
}
#endif

#endif
