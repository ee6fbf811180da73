/*
 * audit.h — nuage.v1.AuditService: listing the audit log. The platform
 * operator reads every event; managers of the users section read the
 * events of their organisation.
 */
#ifndef NU_RPC_AUDIT_H
#define NU_RPC_AUDIT_H

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_audit_methods[];
extern const size_t nu_audit_methods_count;

#ifdef __cplusplus
}
#endif

#endif
