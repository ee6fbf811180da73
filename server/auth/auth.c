/*
 * auth.c — bearer credentials and the per-row permission check.
 */
#include "server/auth/auth.h"

#include <string.h>
#include <strings.h>

#define NU_BEARER "bearer "

nu_status nu_auth_authenticate(const nu_auth *auth, const char *value, size_t value_len,
                               int64_t deadline_ns, nu_arena *a, nu_principal *out) {
  memset(out, 0, sizeof(*out));
  out->kind = NU_PRINCIPAL_ANONYMOUS;
  if (value == NULL) return nu_ok();

  size_t prefix = strlen(NU_BEARER);
  if (value_len <= prefix || strncasecmp(value, NU_BEARER, prefix) != 0) {
    return nu_error(a, NU_UNAUTHENTICATED, "MALFORMED_CREDENTIALS",
                    "authorization metadata must be \"Bearer <token>\"");
  }
  const char *token = value + prefix;
  size_t token_len = value_len - prefix;
  for (size_t i = 0; i < token_len; i++) {
    unsigned char ch = (unsigned char)token[i];
    if (ch <= 0x20 || ch >= 0x7f) {
      return nu_error(a, NU_UNAUTHENTICATED, "MALFORMED_CREDENTIALS",
                      "bearer token holds characters outside printable ASCII");
    }
  }
  if (auth == NULL || auth->authenticate == NULL) {
    return nu_error(a, NU_UNAUTHENTICATED, "INVALID_CREDENTIALS", "invalid or expired credentials");
  }
  return auth->authenticate(auth->ctx, token, token_len, deadline_ns, a, out);
}

nu_status nu_auth_authorize(const nu_method *m, const nu_principal *p, nu_arena *a) {
  if (m->access == NU_ACCESS_PUBLIC) return nu_ok();
  if (m->access != NU_ACCESS_SECTION && m->access != NU_ACCESS_OPERATOR &&
      m->access != NU_ACCESS_AUTHENTICATED) {
    /* Fail closed: an undeclared access opens nothing. */
    return nu_error(a, NU_PERMISSION_DENIED, "UNDECLARED_ACCESS",
                    "this method declares no access rule");
  }
  if (p->kind == NU_PRINCIPAL_ANONYMOUS) {
    return nu_error(a, NU_UNAUTHENTICATED, "CREDENTIALS_REQUIRED",
                    "this method requires credentials");
  }
  if (p->platform_operator || m->access == NU_ACCESS_AUTHENTICATED) return nu_ok();
  if (m->access == NU_ACCESS_OPERATOR) {
    return nu_error(a, NU_PERMISSION_DENIED, "OPERATOR_ONLY",
                    "only the platform operator may call this method");
  }
  if (p->levels[m->section] < m->level) {
    return nu_error(a, NU_PERMISSION_DENIED, "INSUFFICIENT_ROLE",
                    "this method requires level %s on section %s", nu_level_name(m->level),
                    nu_section_name(m->section));
  }
  return nu_ok();
}
