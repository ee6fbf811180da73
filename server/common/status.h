/*
 * status.h — the outcome of every fallible step of a call.
 *
 * Codes have the numeric values of gRPC's status codes, so the transport can
 * send them as they are, but no layer below transport includes gRPC. An
 * error carries a developer-facing message, an ErrorInfo reason
 * (UPPER_SNAKE_CASE, domain "nuage.v1") and, for bad input, field
 * violations; the transport sends them as google.rpc.Status details.
 *
 * Strings in a status are borrowed: literals, or memory of the call's arena.
 */
#ifndef NU_COMMON_STATUS_H
#define NU_COMMON_STATUS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_code {
  NU_OK = 0,
  NU_CANCELLED = 1,
  NU_UNKNOWN = 2,
  NU_INVALID_ARGUMENT = 3,
  NU_DEADLINE_EXCEEDED = 4,
  NU_NOT_FOUND = 5,
  NU_ALREADY_EXISTS = 6,
  NU_PERMISSION_DENIED = 7,
  NU_RESOURCE_EXHAUSTED = 8,
  NU_FAILED_PRECONDITION = 9,
  NU_ABORTED = 10,
  NU_OUT_OF_RANGE = 11,
  NU_UNIMPLEMENTED = 12,
  NU_INTERNAL = 13,
  NU_UNAVAILABLE = 14,
  NU_DATA_LOSS = 15,
  NU_UNAUTHENTICATED = 16,
} nu_code;

#define NU_ERROR_DOMAIN "nuage.v1"

typedef struct nu_violation {
  const char *field;       /* path in the request, e.g. "organization.siret" */
  const char *description; /* what is wrong, lower-case, no trailing period */
  struct nu_violation *next;
} nu_violation;

typedef struct nu_status {
  nu_code code;
  const char *message;      /* NULL when code is NU_OK */
  const char *reason;       /* ErrorInfo.reason; NULL sends no ErrorInfo */
  nu_violation *violations; /* BadRequest field violations, in order */
  nu_violation *last_violation;
  /* RESOURCE_EXHAUSTED of a rate limit: how long until the caller may try
   * again, sent as a google.rpc.RetryInfo detail; 0 sends none. */
  int64_t retry_delay_ns;
} nu_status;

/* The OK status. */
static inline nu_status nu_ok(void) {
  nu_status s = {NU_OK, NULL, NULL, NULL, NULL, 0};
  return s;
}

static inline bool nu_status_is_ok(const nu_status *s) { return s->code == NU_OK; }

/* An error whose message is formatted into the arena. With no arena, or
 * when it is out of memory, the message is fmt itself (unformatted). */
nu_status nu_error(nu_arena *a, nu_code code, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
nu_status nu_verror(nu_arena *a, nu_code code, const char *reason, const char *fmt, va_list ap);

/* Appends a field violation (strings copied into the arena). Returns 0, or
 * -1 when out of memory. */
int nu_status_add_violation(nu_arena *a, nu_status *s, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

size_t nu_status_violation_count(const nu_status *s);

/* "OK", "INVALID_ARGUMENT", … */
const char *nu_code_name(nu_code code);

#ifdef __cplusplus
}
#endif

#endif
