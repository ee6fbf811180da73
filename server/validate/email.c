/*
 * email.c — e-mail fields as field violations.
 */
#include "server/validate/email.h"

#include "server/domain/identity/login.h"

const char *nu_email_normalized(nu_arena *a, const char *email) {
  char *out = nu_arena_alloc(a, NU_EMAIL_BUF_SIZE);
  if (out == NULL || nu_email_normalize(email, out, NU_EMAIL_BUF_SIZE, NULL) != 0) return NULL;
  return out;
}

void nu_validate_email(nu_validator *v, const char *field, const char *email, bool required) {
  if (email == NULL || email[0] == '\0') {
    if (required) nu_validate_fail(v, field, "is required");
    return;
  }
  const char *why = NULL;
  if (nu_email_normalize(email, NULL, 0, &why) != 0) {
    nu_validate_fail(v, field, "%s", why != NULL ? why : "is not an e-mail address");
  }
}
