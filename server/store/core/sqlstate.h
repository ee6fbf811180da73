/*
 * sqlstate.h — PostgreSQL SQLSTATE → status code.
 *
 * 23505 unique_violation → ALREADY_EXISTS; 23503 foreign_key_violation →
 * FAILED_PRECONDITION; 23514/23502/22xxx (check, not-null, data) →
 * INVALID_ARGUMENT; 40001/40P01 → ABORTED; 57014 query_canceled →
 * DEADLINE_EXCEEDED; 08xxx, 57P01..57P03 (connection, shutdown) →
 * UNAVAILABLE; 53xxx (resources) → RESOURCE_EXHAUSTED; else INTERNAL.
 */
#ifndef NU_STORE_SQLSTATE_H
#define NU_STORE_SQLSTATE_H

#include <stdbool.h>

#include "server/common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* sqlstate: five characters, or NULL (no server answer → UNAVAILABLE). */
nu_code nu_sqlstate_code(const char *sqlstate);

/* True for 40001 and 40P01: the transaction may simply be retried. */
bool nu_sqlstate_is_retryable(const char *sqlstate);

/* ErrorInfo reason for a SQLSTATE, e.g. "ALREADY_EXISTS", "DATABASE_UNAVAILABLE". */
const char *nu_sqlstate_reason(const char *sqlstate);

#ifdef __cplusplus
}
#endif

#endif
