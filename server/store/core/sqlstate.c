/*
 * sqlstate.c — PostgreSQL SQLSTATE → status code and ErrorInfo reason.
 *
 * One table, checked in order: exact SQLSTATEs first, then whole classes
 * (the first two characters), so a specific code inside a class can differ
 * from the class. Anything unknown is INTERNAL: the caller did nothing the
 * API lets it fix.
 */
#include "server/store/core/sqlstate.h"

#include <string.h>

typedef struct nu_sqlstate_rule {
  const char *pattern; /* five characters, or a two-character class */
  nu_code code;
  const char *reason;
} nu_sqlstate_rule;

#define NU_REASON_UNAVAILABLE "DATABASE_UNAVAILABLE"

static const nu_sqlstate_rule rules[] = {
    {"23505", NU_ALREADY_EXISTS, "ALREADY_EXISTS"},
    {"23503", NU_FAILED_PRECONDITION, "FOREIGN_KEY_VIOLATION"},
    {"23514", NU_INVALID_ARGUMENT, "CHECK_VIOLATION"},
    {"23502", NU_INVALID_ARGUMENT, "NOT_NULL_VIOLATION"},
    {"40001", NU_ABORTED, "TRANSACTION_CONFLICT"},
    {"40P01", NU_ABORTED, "TRANSACTION_CONFLICT"},
    {"57014", NU_DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED"},
    {"57P01", NU_UNAVAILABLE, NU_REASON_UNAVAILABLE}, /* admin_shutdown */
    {"57P02", NU_UNAVAILABLE, NU_REASON_UNAVAILABLE}, /* crash_shutdown */
    {"57P03", NU_UNAVAILABLE, NU_REASON_UNAVAILABLE}, /* cannot_connect_now */
    /* nextval past a sequence's MAXVALUE: numbers (orders, notes) used up */
    {"2200H", NU_RESOURCE_EXHAUSTED, "SEQUENCE_EXHAUSTED"},
    {"22", NU_INVALID_ARGUMENT, "INVALID_DATA"},
    {"08", NU_UNAVAILABLE, NU_REASON_UNAVAILABLE},
    {"53", NU_RESOURCE_EXHAUSTED, "DATABASE_RESOURCES_EXHAUSTED"},
};

static const nu_sqlstate_rule fallback = {"", NU_INTERNAL, "DATABASE_ERROR"};
static const nu_sqlstate_rule no_answer = {"", NU_UNAVAILABLE, NU_REASON_UNAVAILABLE};

static const nu_sqlstate_rule *find_rule(const char *sqlstate) {
  /* No SQLSTATE means the server never answered (libpq's own error). */
  if (sqlstate == NULL || sqlstate[0] == '\0') return &no_answer;
  for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
    size_t n = strlen(rules[i].pattern);
    if (strncmp(sqlstate, rules[i].pattern, n) == 0 && (n < 5 || sqlstate[5] == '\0')) {
      return &rules[i];
    }
  }
  return &fallback;
}

nu_code nu_sqlstate_code(const char *sqlstate) { return find_rule(sqlstate)->code; }

bool nu_sqlstate_is_retryable(const char *sqlstate) {
  return sqlstate != NULL && (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0);
}

const char *nu_sqlstate_reason(const char *sqlstate) { return find_rule(sqlstate)->reason; }
