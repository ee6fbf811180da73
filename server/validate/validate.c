/*
 * validate.c — field checks shared by every service's validators.
 */
#include "server/validate/validate.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

void nu_validator_init(nu_validator *v, nu_arena *a) {
  v->arena = a;
  v->status = nu_ok();
  v->out_of_memory = false;
  v->reason = NULL;
}

void nu_validate_fail(nu_validator *v, const char *field, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *desc = nu_arena_vsprintf(v->arena, fmt, ap);
  va_end(ap);
  if (nu_status_add_violation(v->arena, &v->status, field, "%s", desc != NULL ? desc : fmt) != 0) {
    v->out_of_memory = true;
  }
}

void nu_validate_fail_reason(nu_validator *v, const char *reason, const char *field,
                             const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *desc = nu_arena_vsprintf(v->arena, fmt, ap);
  va_end(ap);
  if (nu_status_add_violation(v->arena, &v->status, field, "%s", desc != NULL ? desc : fmt) != 0) {
    v->out_of_memory = true;
  }
  v->reason = reason;
}

void nu_validate_int_range(nu_validator *v, const char *field, int64_t value, int64_t min,
                           int64_t max) {
  if (value < min || value > max) {
    nu_validate_fail(v, field, "must be between %" PRId64 " and %" PRId64 ", got %" PRId64, min,
                     max, value);
  }
}

void nu_validate_required(nu_validator *v, const char *field, const char *value) {
  if (value == NULL || value[0] == '\0') nu_validate_fail(v, field, "is required");
}

void nu_validate_max_len(nu_validator *v, const char *field, const char *value, size_t max) {
  if (value != NULL && strlen(value) > max) {
    nu_validate_fail(v, field, "must be at most %zu bytes", max);
  }
}

nu_status nu_validator_result(nu_validator *v) {
  if (v->out_of_memory) {
    return nu_error(NULL, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory while validating");
  }
  if (v->status.violations == NULL) return nu_ok();
  size_t n = nu_status_violation_count(&v->status);
  nu_status st = v->status;
  st.code = NU_INVALID_ARGUMENT;
  st.reason = v->reason != NULL ? v->reason : "INVALID_ARGUMENT";
  st.message = n == 1 ? nu_arena_sprintf(v->arena, "invalid %s: %s", st.violations->field,
                                         st.violations->description)
                      : nu_arena_sprintf(v->arena, "%zu fields are invalid", n);
  if (st.message == NULL) st.message = "invalid request";
  return st;
}
