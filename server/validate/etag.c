/*
 * etag.c — etags: a row version in quotes.
 */
#include "server/validate/etag.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char *nu_etag_format(nu_arena *a, int64_t version) {
  char buf[32];
  snprintf(buf, sizeof(buf), "\"%" PRId64 "\"", version);
  return nu_arena_strdup(a, buf);
}

int nu_etag_parse(const char *etag, int64_t *version) {
  if (etag == NULL) return -1;
  size_t n = strlen(etag);
  /* Weak validators (W/"7") are not ours; quotes are. Only what
   * nu_etag_format writes: digits without leading zeros, within int64. */
  if (n < 3 || etag[0] != '"' || etag[n - 1] != '"') return -1;
  if (etag[1] == '0' && n != 3) return -1;
  int64_t v = 0;
  for (size_t i = 1; i + 1 < n; i++) {
    if (etag[i] < '0' || etag[i] > '9') return -1;
    int d = etag[i] - '0';
    if (v > (INT64_MAX - d) / 10) return -1;
    v = v * 10 + d;
  }
  *version = v;
  return 0;
}

void nu_validate_etag(nu_validator *v, const char *field, const char *etag, bool required) {
  int64_t version;
  if (etag == NULL || etag[0] == '\0') {
    if (required) nu_validate_fail(v, field, "is required");
  } else if (nu_etag_parse(etag, &version) != 0) {
    nu_validate_fail(v, field, "is not an etag of this server");
  }
}
