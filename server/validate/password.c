/*
 * password.c — the password policy as field violations.
 */
#include "server/validate/password.h"

#include <stdint.h>
#include <string.h>

#include "server/domain/identity/password_policy.h"

void nu_validate_password(nu_validator *v, const char *field, const char *password,
                          const char *login) {
  uint32_t failed = 0;
  size_t len = password != NULL ? strlen(password) : 0;
  if (nu_password_check(password, len, login, &failed) == 0) return;
  for (unsigned i = 0; i < NU_PASSWORD_RULE_COUNT; i++) {
    uint32_t rule = 1u << i;
    if (failed & rule) nu_validate_fail(v, field, "%s", nu_password_rule_message(rule));
  }
}
