/*
 * ids.h — the one check of an id's text form.
 *
 * Every id the server hands out is a PostgreSQL uuid. What is not a uuid in
 * its canonical text form can name nothing: validators refuse it with a
 * field violation, handlers answer NOT_FOUND without asking the database,
 * and the store never casts it to uuid (which would fail the statement).
 */
#ifndef NU_VALIDATE_IDS_H
#define NU_VALIDATE_IDS_H

#include <stdbool.h>

#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether s (borrowed; NULL is not) is a uuid in its canonical text form:
 * 8-4-4-4-12 hexadecimal digits of either case separated by '-'. */
bool nu_id_valid(const char *s);

/* Adds a violation on field when id is empty and required ("is required"),
 * or not empty and not a uuid ("must be <what> (a UUID)", what as in
 * "a session id"). */
void nu_validate_id(nu_validator *v, const char *field, const char *id, const char *what,
                    bool required);

#ifdef __cplusplus
}
#endif

#endif
