/*
 * etag.h — the form of an etag, the one place that knows it.
 *
 * An etag is the row's version as a decimal string in quotes ("\"7\""):
 * nu_etag_format writes one, nu_etag_parse reads one back, and accepts
 * nothing else: '"', digits without a leading zero, '"', within int64.
 *
 * The one rule of every update: a malformed etag is INVALID_ARGUMENT with a
 * violation on the field the request carried it in (nu_validate_etag, in
 * the validator); a well-formed one that is not the row's version is
 * FAILED_PRECONDITION ETAG_MISMATCH (nu_rpc_stale_etag, in the handler).
 */
#ifndef NU_VALIDATE_ETAG_H
#define NU_VALIDATE_ETAG_H

#include <stdbool.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The etag of version, in the arena; NULL when out of memory. */
const char *nu_etag_format(nu_arena *a, int64_t version);

/* Reads etag (borrowed; NULL is malformed) into *version: 0, or -1 with
 * *version untouched when it is not exactly what nu_etag_format writes. */
int nu_etag_parse(const char *etag, int64_t *version);

/* Adds a violation on field when etag is not empty and malformed ("is not
 * an etag of this server"), or empty and required ("is required"). */
void nu_validate_etag(nu_validator *v, const char *field, const char *etag, bool required);

#ifdef __cplusplus
}
#endif

#endif
