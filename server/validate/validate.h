/*
 * validate.h — collecting field violations for one request.
 *
 * A validator gathers every problem of a request (not just the first), then
 * yields INVALID_ARGUMENT with one BadRequest.FieldViolation each, or OK.
 */
#ifndef NU_VALIDATE_VALIDATE_H
#define NU_VALIDATE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_validator {
  nu_arena *arena;
  nu_status status;
  bool out_of_memory; /* a violation could not be recorded */
  const char *reason; /* ErrorInfo reason of the result; NULL: "INVALID_ARGUMENT" */
} nu_validator;

void nu_validator_init(nu_validator *v, nu_arena *a);

/* Records a violation of `field` (a request path such as "items[2].name"). */
void nu_validate_fail(nu_validator *v, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like nu_validate_fail, and the result's ErrorInfo reason becomes reason
 * (a literal), e.g. INVALID_PAGE_TOKEN: a problem clients handle apart. */
void nu_validate_fail_reason(nu_validator *v, const char *reason, const char *field,
                             const char *fmt, ...) __attribute__((format(printf, 4, 5)));

void nu_validate_int_range(nu_validator *v, const char *field, int64_t value, int64_t min,
                           int64_t max);
void nu_validate_required(nu_validator *v, const char *field, const char *value);
void nu_validate_max_len(nu_validator *v, const char *field, const char *value, size_t max);

/* OK, or INVALID_ARGUMENT (reason "INVALID_ARGUMENT", or the one given to
 * nu_validate_fail_reason) with the violations;
 * RESOURCE_EXHAUSTED when a violation could not be recorded, so a request
 * is never let through for want of memory. */
nu_status nu_validator_result(nu_validator *v);

#ifdef __cplusplus
}
#endif

#endif
