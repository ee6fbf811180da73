/*
 * json.c — flat JSON objects of strings, escaped like the log (log.c).
 */
#include "server/common/json.h"

#include <string.h>

#include "server/common/log.h"

const char *nu_json_quote(nu_arena *a, const char *s) {
  if (s == NULL) return nu_arena_strdup(a, "null");
  /* Worst case: every byte becomes \u00XX (6) or U+FFFD (3 bytes), plus
   * the quotes and the NUL. */
  size_t cap = strlen(s) * 6 + 3;
  char *buf = nu_arena_alloc(a, cap);
  if (buf == NULL) return NULL;
  size_t len = 0;
  nu_log_json_string(buf, cap, &len, s);
  buf[len] = '\0';
  return buf;
}

const char *nu_json_object(nu_arena *a, const char *const *kv, size_t n) {
  const char **parts = nu_arena_alloc(a, (2 * n + 1) * sizeof(*parts));
  if (parts == NULL) return NULL;
  size_t total = 3;
  for (size_t i = 0; i < 2 * n; i++) {
    parts[i] = nu_json_quote(a, kv[i]);
    if (parts[i] == NULL) return NULL;
    total += strlen(parts[i]) + 2;
  }
  char *out = nu_arena_alloc(a, total);
  if (out == NULL) return NULL;
  size_t len = 0;
  out[len++] = '{';
  for (size_t i = 0; i < n; i++) {
    if (i > 0) out[len++] = ',';
    size_t k = strlen(parts[2 * i]), v = strlen(parts[2 * i + 1]);
    memcpy(out + len, parts[2 * i], k);
    len += k;
    out[len++] = ':';
    memcpy(out + len, parts[2 * i + 1], v);
    len += v;
  }
  out[len++] = '}';
  out[len] = '\0';
  return out;
}
