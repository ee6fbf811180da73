/*
 * audit_store.h — the audit log: every change, who made it, before/after.
 *
 * Rows are appended in the transaction of the change they record, so the
 * log holds exactly the changes that happened. Reading it (with filters)
 * belongs to the audit service.
 */
#ifndef NU_STORE_AUDIT_STORE_H
#define NU_STORE_AUDIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/domain/identity/principal.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One changed field. before/after are the values as text (NULL: absent or
 * null). Secrets are never passed here: record "password" with NULL values,
 * or a fixed "(set)" marker. */
typedef struct nu_audit_change {
  const char *field;
  const char *before;
  const char *after;
} nu_audit_change;

typedef struct nu_audit_event {
  int64_t at_ns;               /* Unix nanoseconds, from the app's clock */
  const nu_principal *actor;   /* NULL: the system itself */
  const char *organization_id; /* the organisation concerned, or NULL */
  const char *action;          /* "organization.create", "session.create", … */
  const char *target_type;     /* "organization", "user", … */
  const char *target_id;
  const nu_audit_change *changes;
  size_t change_count;
  const char *request_id; /* the call's x-request-id */
} nu_audit_event;

nu_status nu_audit_append(nu_conn *c, nu_arena *a, const nu_audit_event *e);

#ifdef __cplusplus
}
#endif

#endif
