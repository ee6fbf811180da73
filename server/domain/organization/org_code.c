/*
 * org_code.c — the syntax of organisation codes.
 */
#include "server/domain/organization/org_code.h"

#include <string.h>

bool nu_org_code_valid(const char *s) {
  size_t prefix = strlen(NU_ORG_CODE_PREFIX);
  if (s == NULL || strncmp(s, NU_ORG_CODE_PREFIX, prefix) != 0) return false;
  for (int i = 0; i < NU_ORG_CODE_DIGITS; i++) {
    char ch = s[prefix + (size_t)i];
    if (ch < '0' || ch > '9') return false;
  }
  return s[prefix + NU_ORG_CODE_DIGITS] == '\0';
}
