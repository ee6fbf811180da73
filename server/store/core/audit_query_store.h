/*
 * audit_query_store.h — reading the audit log with filters, newest first.
 */
#ifndef NU_STORE_AUDIT_QUERY_STORE_H
#define NU_STORE_AUDIT_QUERY_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Filters; NULL strings and zero times do not filter. */
typedef struct nu_audit_filter {
  const char *organization_id;
  const char *actor_user_id;
  const char *action;
  const char *target_type;
  const char *target_id;
  int64_t start_us;  /* at or after */
  int64_t end_us;    /* before */
  int64_t before_id; /* keyset: ids below this one; 0 for the first page */
  int limit;
} nu_audit_filter;

typedef struct nu_audit_field {
  const char *field;
  const char *before; /* NULL when null or absent */
  const char *after;
} nu_audit_field;

typedef struct nu_audit_row {
  int64_t id;
  int64_t at_us;
  const char *actor_kind;
  const char *actor_user_id;       /* NULL when none */
  const char *actor_access_key_id; /* NULL when none */
  const char *organization_id;     /* NULL when none */
  const char *action;
  const char *target_type;
  const char *target_id;
  const char *request_id;
  nu_audit_field *changes;
  size_t change_count;
} nu_audit_row;

/* Up to f->limit events matching f, newest first, into *rows (arena). */
nu_status nu_audit_query(nu_conn *c, nu_arena *a, const nu_audit_filter *f, nu_audit_row **rows,
                         size_t *n);

#ifdef __cplusplus
}
#endif

#endif
