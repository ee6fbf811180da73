/*
 * eligibility_store.h — the eligible-domain list and its imports.
 *
 * An import replaces the whole list in the caller's transaction (delete,
 * insert, record the import), so readers see the old list or the new one,
 * never a mix; concurrent imports queue on a table lock.
 */
#ifndef NU_STORE_ELIGIBILITY_STORE_H
#define NU_STORE_ELIGIBILITY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One import: the parsed list's distinct domains (lower-case, valid:
 * [a-z0-9.-] only) with their first line, and its counts. */
typedef struct nu_domain_import {
  const char *imported_by; /* user id, or NULL */
  const char *source;      /* file path, or the client's name for a stream */
  int64_t now_ns;
  const char *const *names;
  const uint32_t *name_lines;
  size_t count;
  int64_t lines, normalised, duplicates, invalid;
} nu_domain_import;

/* Replaces the imported domains with imp's (domains added by accepted
 * requests stay) and records the import; *import_id
 * is the new import's id (arena). */
nu_status nu_eligibility_replace(nu_conn *c, nu_arena *a, const nu_domain_import *imp,
                                 const char **import_id);

/* Lists domain (normalised) as added by the accepted request request_id;
 * *added false when it is listed already (nothing changes). Later imports
 * keep it. */
nu_status nu_eligibility_add_requested(nu_conn *c, nu_arena *a, const char *domain,
                                       const char *request_id, bool *added);

/* The broadest listed domain equal to domain (lower-case, valid) or a
 * parent of it: *matched (arena) and its *line; *matched NULL when none. */
nu_status nu_eligibility_lookup(nu_conn *c, nu_arena *a, const char *domain, const char **matched,
                                int32_t *line);

#ifdef __cplusplus
}
#endif

#endif
