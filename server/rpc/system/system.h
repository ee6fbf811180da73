/*
 * system.h — nuage.v1.SystemService and nuage.v1.DiagnosticsService.
 */
#ifndef NU_RPC_SYSTEM_H
#define NU_RPC_SYSTEM_H

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_system_methods[];
extern const size_t nu_system_methods_count;

/* Served only with --enable-diagnostics. */
extern const nu_method nu_diagnostics_methods[];
extern const size_t nu_diagnostics_methods_count;

#ifdef __cplusplus
}
#endif

#endif
