/*
 * method.h — one row of the method table.
 *
 * Every RPC the server answers is a row: its path, request and response
 * descriptors, how it streams, the section and level a caller needs, where
 * it runs, its validator and its handler. The transport registers exactly
 * the rows of the table; anything else is UNIMPLEMENTED. Authorisation is
 * audited in this one table (nu_auth_authorize in auth/auth.h checks a row).
 */
#ifndef NU_DISPATCH_METHOD_H
#define NU_DISPATCH_METHOD_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>

#include "server/common/status.h"
#include "server/domain/identity/principal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_call nu_call; /* transport/call.h */

/* Who may call. PUBLIC needs no credentials; AUTHENTICATED any signed-in
 * caller, whatever its rights (sign-in housekeeping: own sessions, own
 * profile, creating an organisation); SECTION needs a principal with at
 * least `level` on `section` in the organisation it acts for (the platform
 * operator passes every SECTION check); OPERATOR is the platform operator
 * only. Rows never set these: the .proto declares them (option
 * (nuage.v1.access), api/nuage/v1/access.proto) and nu_method_access_load
 * fills them at start (dispatch/access.h). The zero value is no declaration
 * at all: a row left without one fails nu_method_table_check instead of
 * being silently public. */
typedef enum nu_access {
  NU_ACCESS_UNSPECIFIED = 0,
  NU_ACCESS_PUBLIC = 1,
  NU_ACCESS_SECTION = 2,
  NU_ACCESS_OPERATOR = 3,
  NU_ACCESS_AUTHENTICATED = 4,
} nu_access;

typedef enum nu_method_kind {
  NU_UNARY = 0,
  NU_SERVER_STREAMING = 1,
  NU_BIDI_STREAMING = 2,
} nu_method_kind;

/* Where the handler runs: INLINE on the completion-queue thread (only for
 * handlers that never block), WORKER on the worker pool (anything touching
 * the database). */
typedef enum nu_run_on {
  NU_RUN_WORKER = 0,
  NU_RUN_INLINE = 1,
} nu_run_on;

/* Which per-address rate limit counts calls of the method (configured with
 * --rate-limit-per-address and --rate-limit-window-s). PUBLIC_WRITE: the
 * public calls that write, send mail or check a secret (sign-up, password
 * reset, login, …), counted per method and client address in PostgreSQL
 * before anything else of the call runs. */
typedef enum nu_rate_class {
  NU_RATE_NONE = 0,
  NU_RATE_PUBLIC_WRITE = 1,
} nu_rate_class;

/* Checks a decoded request; returns INVALID_ARGUMENT with field violations. */
typedef nu_status (*nu_validate_fn)(nu_call *call, const ProtobufCMessage *req);

/* Unary handler: on OK, *resp is the reply, allocated in the call's arena. */
typedef nu_status (*nu_unary_fn)(nu_call *call, const ProtobufCMessage *req,
                                 ProtobufCMessage **resp);

/* Streaming handler: takes over the call (see transport/call.h) and ends it
 * with nu_call_finish. For server streaming, req is the decoded request;
 * for bidi streaming, req is NULL and the handler reads with nu_call_recv. */
typedef void (*nu_stream_fn)(nu_call *call, const ProtobufCMessage *req);

typedef struct nu_method {
  const char *path; /* "/package.Service/Method" */
  const ProtobufCMessageDescriptor *request;
  const ProtobufCMessageDescriptor *response;
  nu_method_kind kind;
  nu_access access;   /* from the .proto, filled by nu_method_access_load */
  nu_section section; /* idem */
  nu_level level;     /* idem */
  nu_run_on run_on;
  nu_rate_class rate_limit; /* NU_RATE_NONE: not limited per address */
  nu_validate_fn validate;  /* NULL: nothing to check beyond decoding */
  nu_unary_fn unary;        /* for NU_UNARY */
  nu_stream_fn stream;      /* for the streaming kinds */
} nu_method;

/* The one notation of a row: path, request and response descriptors (by
 * address), where it runs, validator (or NULL), handler. Access is not
 * written here (see nu_access). */
#define NU_ROW_UNARY(path_, req_desc, resp_desc, run_on_, val, fn, ...)          \
  {                                                                              \
    .path = path_, .request = req_desc, .response = resp_desc, .kind = NU_UNARY, \
    .run_on = run_on_, .validate = val, .unary = fn, __VA_ARGS__                 \
  }
#define NU_ROW_STREAM(path_, kind_, req_desc, resp_desc, run_on_, val, fn)                       \
  {                                                                                              \
    .path = path_, .request = req_desc, .response = resp_desc, .kind = kind_, .run_on = run_on_, \
    .validate = val, .stream = fn,                                                               \
  }

typedef struct nu_method_table {
  const nu_method *rows;
  size_t count;
} nu_method_table;

/* The row for a path, or NULL. */
const nu_method *nu_method_find(const nu_method_table *t, const char *path);

/* "grpc.health.v1.Health" for "/grpc.health.v1.Health/Check", written into
 * buf (cap bytes); returns 0, or -1 when the path is malformed or too long. */
int nu_method_service_name(const char *path, char *buf, size_t cap);

/* Checks the table itself: unique well-formed paths, enum fields within
 * their enums, a handler of the right kind, a declared permission (a
 * SECTION row names a section and a level).
 * Returns NULL when sound, else a static description of the first problem
 * and *bad the offending row. */
const char *nu_method_table_check(const nu_method_table *t, const nu_method **bad);

#ifdef __cplusplus
}
#endif

#endif
