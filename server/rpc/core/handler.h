/*
 * handler.h — what every RPC handler does the same way.
 *
 * Handlers stay thin: read the request, open a transaction with nu_rpc_tx
 * (or nu_rpc_create_tx for creates carrying a request_id), call the domain
 * and the store, record the change in the audit log, build the reply in the
 * call's arena. Everything allocated here lives in the call's arena.
 */
#ifndef NU_RPC_HANDLER_H
#define NU_RPC_HANDLER_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stdint.h>

#include "google/protobuf/timestamp.pb-c.h"
#include "nuage/v1/common.pb-c.h"
#include "server/app/app.h"
#include "server/auth/auth.h"
#include "server/common/status.h"
#include "server/store/core/audit_store.h"
#include "server/store/core/tx.h"
#include "server/transport/call.h"
#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One row of the method table for a unary nuage.v1 RPC served on the
 * worker pool (anything touching the database): service and method are
 * string literals, req_t/resp_t the protobuf-c names without the
 * nuage__v1__ prefix, val the validator (or NULL), fn the handler, e.g.
 *   NU_RPC_ROW("CatalogService", "GetProduct", get_product_request, product,
 *              validate_get, get_product)
 * Who may call is declared on the RPC in the .proto ((nuage.v1.access));
 * further designated fields (.rate_limit = …) may follow the handler. */
#define NU_RPC_ROW(service, method, req_t, resp_t, val, fn, ...)                   \
  NU_ROW_UNARY("/nuage.v1." service "/" method, &nuage__v1__##req_t##__descriptor, \
               &nuage__v1__##resp_t##__descriptor, NU_RUN_WORKER, val, fn, __VA_ARGS__)

/* RESOURCE_EXHAUSTED "out of memory". */
nu_status nu_rpc_oom(nu_arena *a);

/* Allocates and runs init on one message of type T in the call's arena;
 * NULL when out of memory. Usage:
 *   Nuage__V1__User *u = NU_RPC_NEW(a, Nuage__V1__User, nuage__v1__user__init); */
#define NU_RPC_NEW(a, T, init_fn)                \
  ({                                             \
    T *nu_new_ = nu_arena_alloc((a), sizeof(T)); \
    if (nu_new_ != NULL) init_fn(nu_new_);       \
    nu_new_;                                     \
  })

/* An array of n pointers in the arena (NULL when out of memory, or n == 0). */
void **nu_rpc_array(nu_arena *a, size_t n);

/* A Timestamp for Unix nanoseconds; NULL for 0 (unset) or out of memory. */
Google__Protobuf__Timestamp *nu_rpc_timestamp(nu_arena *a, int64_t unix_ns);

/* A Timestamp as Unix microseconds; 0 for NULL (unset). */
int64_t nu_rpc_time_us(const Google__Protobuf__Timestamp *t);

/* The server's wall clock now (the app's clock: tests can move it). */
int64_t nu_rpc_now(nu_call *call);

/* Runs fn in one transaction bounded by the call's deadline (read
 * committed; retried on serialization failures, see store/core/tx.h). */
nu_status nu_rpc_tx(nu_call *call, bool read_only, nu_tx_fn fn, void *arg);

/* A create or money-moving call with a client request_id (AIP-155): runs
 * fn in a transaction that also records the reply under (caller, method,
 * request_id). A retry with the same request_id and the same request gets
 * the recorded reply without running fn again; the same request_id with a
 * different request is refused (INVALID_ARGUMENT, REQUEST_ID_REUSED). An
 * empty request_id runs fn once, unrecorded. fn sets *resp (arena) on OK.
 *
 * This is the one idempotency path: every method whose request has a
 * request_id goes through it (tests/e2e/idempotency_test walks the method
 * table). What is stored holds no secret: the request is compared by a
 * BLAKE2b digest keyed with the server's idempotency subkey over the
 * request with its secret fields cleared (codec/secret_fields.h), and the
 * reply is recorded with its secret fields cleared, so a replay never
 * carries a secret (it was shown once). */
typedef nu_status (*nu_rpc_create_fn)(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp);
nu_status nu_rpc_create_tx(nu_call *call, const char *request_id, const ProtobufCMessage *req,
                           nu_rpc_create_fn fn, void *arg, ProtobufCMessage **resp);

/* The same, for a create that checks credentials first (re-entering a
 * password and a code): check runs outside any transaction, only when the
 * request is not already recorded, so that a retry is answered from the
 * record without a second code. A failing check answers its own status. */
typedef nu_status (*nu_rpc_check_fn)(nu_call *call, void *arg);
nu_status nu_rpc_create_checked_tx(nu_call *call, const char *request_id,
                                   const ProtobufCMessage *req, nu_rpc_check_fn check,
                                   void *check_arg, nu_rpc_create_fn fn, void *arg,
                                   ProtobufCMessage **resp);

/* The organisation a request names must be the one the caller acts for
 * (any organisation for the platform operator). Otherwise NOT_FOUND, worded
 * exactly as for an organisation that does not exist: existence never leaks
 * across organisations. An empty id means the caller's own organisation;
 * *resolved is the id to use (borrowed). FAILED_PRECONDITION
 * NO_ORGANIZATION when the caller acts for none and names none. */
nu_status nu_rpc_scope_org(nu_call *call, const char *org_id, const char **resolved);

/* NOT_FOUND "<what> not found" with reason NOT_FOUND — the one wording for
 * "absent" and "not yours". */
nu_status nu_rpc_not_found(nu_arena *a, const char *what);

/* Appends to the audit log, in the transaction of the change, with the
 * call's principal as actor, the call's request id and the app's clock.
 * changes may be NULL when n is 0. */
nu_status nu_rpc_audit(nu_call *call, nu_conn *c, const char *organization_id, const char *action,
                       const char *target_type, const char *target_id,
                       const nu_audit_change *changes, size_t n);

/* Queues an e-mail in the outbox, in the transaction of the change that
 * causes it: template_name with the n key/value pairs kv as its variables
 * (a flat JSON object), the call's request id, the app's clock.
 * organization_id may be NULL. */
nu_status nu_rpc_email(nu_call *call, nu_conn *c, const char *recipient, const char *template_name,
                       const char *organization_id, const char *const *kv, size_t n);

/* Levels between the API (Level enum) and the domain (nu_level). Unknown or
 * UNSPECIFIED API values give -1. */
int nu_rpc_level_from_api(Nuage__V1__Level l);
Nuage__V1__Level nu_rpc_level_to_api(nu_level l);

/* Etags (AIP-154): the row's version in quotes. Their form is written once,
 * in validate/etag.h (nu_etag_format, nu_etag_parse; validators check an
 * etag field with nu_validate_etag); these two are the handlers' names for
 * it: nu_rpc_etag writes the etag of a version (arena), nu_rpc_etag_parse
 * reads one back for comparison with the row (-1 when malformed).
 *
 * The one rule of every update: a malformed etag is INVALID_ARGUMENT with a
 * violation on the field the request carried it in (in the validator); a
 * well-formed one that is not the row's version is FAILED_PRECONDITION
 * ETAG_MISMATCH (nu_rpc_stale_etag, in the handler). */
const char *nu_rpc_etag(nu_arena *a, int64_t version);
int nu_rpc_etag_parse(const char *etag, int64_t *version);

/* FAILED_PRECONDITION, reason ETAG_MISMATCH. */
nu_status nu_rpc_stale_etag(nu_arena *a);

/* Lists (page sizes, the page path): server/rpc/core/list.h; page tokens:
 * server/rpc/core/page_token.h. */

#ifdef __cplusplus
}
#endif

#endif
