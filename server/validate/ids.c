/*
 * ids.c — uuid text form (RFC 9562 §4: 8-4-4-4-12 hexadecimal digits).
 */
#include "server/validate/ids.h"

#include <string.h>

#define NU_ID_LEN 36

static bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool nu_id_valid(const char *s) {
  if (s == NULL || strlen(s) != NU_ID_LEN) return false;
  for (int i = 0; i < NU_ID_LEN; i++) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

void nu_validate_id(nu_validator *v, const char *field, const char *id, const char *what,
                    bool required) {
  if (id == NULL || id[0] == '\0') {
    if (required) nu_validate_fail(v, field, "is required");
  } else if (!nu_id_valid(id)) {
    nu_validate_fail(v, field, "must be %s (a UUID)", what);
  }
}
