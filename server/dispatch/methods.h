/*
 * methods.h — the method table: every RPC the server answers, in one place.
 *
 * Each service module (server/rpc/) exports its rows in one notation: path,
 * request and response descriptors, kind, where it runs, validator,
 * handler. Who may call is not in the rows: it is declared on each RPC in
 * the .proto (option (nuage.v1.access), api/nuage/v1/access.proto) and
 * read from the embedded descriptor set when the table is built. A row
 * missing here is UNIMPLEMENTED; a row without a rule in the .proto makes
 * nu_methods_build fail, and the server refuses to start.
 */
#ifndef NU_DISPATCH_METHODS_H
#define NU_DISPATCH_METHODS_H

#include <stdbool.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Room for every row; more rows than this fail nu_methods_build. */
#define NU_MAX_METHODS 512

typedef struct nu_methods_options {
  bool diagnostics; /* serve nuage.v1.DiagnosticsService */
} nu_methods_options;

/* Fills *t with the rows of every service, copied into a static buffer
 * (each call rebuilds it), each with the access its .proto declares
 * (nu_method_access_load over the embedded descriptor set), then checks
 * the table (nu_method_table_check). Returns NULL when the table is sound;
 * else a static description of the first problem, and *bad_path is the
 * path of the method concerned (NULL when none). */
const char *nu_methods_build(const nu_methods_options *opts, nu_method_table *t,
                             const char **bad_path);

/* The distinct service names of t ("grpc.health.v1.Health", …), written to
 * names (up to cap entries, each a static string of at most 128 bytes).
 * Returns how many. */
size_t nu_methods_services(const nu_method_table *t, char names[][128], size_t cap);

#ifdef __cplusplus
}
#endif

#endif
