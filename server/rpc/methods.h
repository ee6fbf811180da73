/*
 * methods.h — the method table: every RPC the server answers, in one place.
 *
 * Each service module exports its rows; this file gathers them. A row
 * missing here is UNIMPLEMENTED; a row with no declared permission fails
 * nu_method_table_check at start and in the tests.
 */
#ifndef NU_RPC_METHODS_H
#define NU_RPC_METHODS_H

#include <stdbool.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_methods_options {
  bool diagnostics; /* serve nuage.v1.DiagnosticsService */
} nu_methods_options;

/* Fills *t with rows copied into a static buffer sized for every service. */
void nu_methods_build(const nu_methods_options *opts, nu_method_table *t);

/* The distinct service names of t ("grpc.health.v1.Health", …), written to
 * names (up to cap entries, each a static string of at most 128 bytes).
 * Returns how many. */
size_t nu_methods_services(const nu_method_table *t, char names[][128], size_t cap);

#ifdef __cplusplus
}
#endif

#endif
