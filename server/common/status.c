/*
 * status.c — building error statuses in a call's arena.
 */
#include "server/common/status.h"

#include <stdio.h>

nu_status nu_verror(nu_arena *a, nu_code code, const char *reason, const char *fmt, va_list ap) {
  nu_status s = nu_ok();
  s.code = code;
  s.reason = reason;
  s.message = fmt;
  if (a != NULL) {
    char *m = nu_arena_vsprintf(a, fmt, ap);
    if (m != NULL) s.message = m;
  }
  return s;
}

nu_status nu_error(nu_arena *a, nu_code code, const char *reason, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nu_status s = nu_verror(a, code, reason, fmt, ap);
  va_end(ap);
  return s;
}

int nu_status_add_violation(nu_arena *a, nu_status *s, const char *field, const char *fmt, ...) {
  nu_violation *v = nu_arena_calloc(a, 1, sizeof(*v));
  if (v == NULL) return -1;
  va_list ap;
  va_start(ap, fmt);
  v->description = nu_arena_vsprintf(a, fmt, ap);
  va_end(ap);
  v->field = nu_arena_strdup(a, field);
  if (v->description == NULL || v->field == NULL) return -1;
  if (s->last_violation != NULL) {
    s->last_violation->next = v;
  } else {
    s->violations = v;
  }
  s->last_violation = v;
  return 0;
}

size_t nu_status_violation_count(const nu_status *s) {
  size_t n = 0;
  for (const nu_violation *v = s->violations; v != NULL; v = v->next) n++;
  return n;
}

const char *nu_code_name(nu_code code) {
  static const char *const names[] = {
      "OK",
      "CANCELLED",
      "UNKNOWN",
      "INVALID_ARGUMENT",
      "DEADLINE_EXCEEDED",
      "NOT_FOUND",
      "ALREADY_EXISTS",
      "PERMISSION_DENIED",
      "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION",
      "ABORTED",
      "OUT_OF_RANGE",
      "UNIMPLEMENTED",
      "INTERNAL",
      "UNAVAILABLE",
      "DATA_LOSS",
      "UNAUTHENTICATED",
  };
  if ((unsigned)code < sizeof(names) / sizeof(names[0])) return names[code];
  return "UNKNOWN";
}
