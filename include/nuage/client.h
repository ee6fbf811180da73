/*
 * client.h — a small synchronous C client for Nuage's gRPC API.
 *
 * Built on gRPC's C core and protobuf-c: callers pass generated protobuf-c
 * messages and descriptors, and get back the decoded response and a status
 * that carries what the server put in `grpc-status-details-bin` (the
 * google.rpc.Status the server sends: ErrorInfo reason/domain/metadata and
 * BadRequest field violations).
 *
 * Threads: a client, and every stream opened on it, is used by one thread at
 * a time. Each client owns its channel and completion queue; open one client
 * per thread if several threads call at once.
 *
 * Lifetime: nu_client_open calls grpc_init and nu_client_close calls
 * grpc_shutdown, so several clients can coexist with other gRPC users in
 * the process. Close every stream before closing its client.
 */
#ifndef NUAGE_CLIENT_H
#define NUAGE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_client nu_client;
typedef struct nu_client_stream nu_client_stream;

/* gRPC status codes, with gRPC's values; nu_client_code_name names them. */
enum {
  NU_CLIENT_OK = 0,
  NU_CLIENT_CANCELLED = 1,
  NU_CLIENT_UNKNOWN = 2,
  NU_CLIENT_INVALID_ARGUMENT = 3,
  NU_CLIENT_DEADLINE_EXCEEDED = 4,
  NU_CLIENT_NOT_FOUND = 5,
  NU_CLIENT_ALREADY_EXISTS = 6,
  NU_CLIENT_PERMISSION_DENIED = 7,
  NU_CLIENT_RESOURCE_EXHAUSTED = 8,
  NU_CLIENT_FAILED_PRECONDITION = 9,
  NU_CLIENT_ABORTED = 10,
  NU_CLIENT_OUT_OF_RANGE = 11,
  NU_CLIENT_UNIMPLEMENTED = 12,
  NU_CLIENT_INTERNAL = 13,
  NU_CLIENT_UNAVAILABLE = 14,
  NU_CLIENT_DATA_LOSS = 15,
  NU_CLIENT_UNAUTHENTICATED = 16,
};

/* A key/value pair: request metadata, ErrorInfo.metadata. */
typedef struct nu_client_pair {
  const char *key;
  const char *value;
} nu_client_pair;

typedef struct nu_client_field_violation {
  char *field;       /* path in the request, e.g. "organization.siret" */
  char *description; /* what is wrong with it */
} nu_client_field_violation;

/*
 * The outcome of a call. code is a gRPC status code (NU_CLIENT_OK,
 * NU_CLIENT_UNAVAILABLE, ...). Every pointer is owned by the status and is
 * NULL when absent (zero counts with NULL arrays): caller frees with
 * nu_client_status_clear. request_id is also set after a successful call.
 *
 * Initialise with NU_CLIENT_STATUS_INIT (or zero it) before the first use;
 * functions that fill a status clear it first, so one status can be reused
 * across calls.
 */
typedef struct nu_client_status {
  int code;
  char *message;            /* grpc-message, or a local explanation */
  char *reason;             /* ErrorInfo.reason, e.g. "ORGANIZATION_NOT_FOUND" */
  char *domain;             /* ErrorInfo.domain, e.g. "nuage.v1" */
  nu_client_pair *metadata; /* ErrorInfo.metadata, strings owned */
  size_t metadata_count;
  nu_client_field_violation *violations; /* BadRequest, in order */
  size_t violation_count;
  char *request_id; /* x-request-id the server answered with */
} nu_client_status;

#define NU_CLIENT_STATUS_INIT \
  { 0, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL }

/* Releases what the status owns and zeroes it (reusable). NULL is ignored. */
void nu_client_status_clear(nu_client_status *status);

/*
 * Per-call options; a NULL options pointer means all defaults.
 *
 * timeout_ms: the call's deadline, from now; 0 or less means none (a server-
 * streaming call then runs until the server ends it or it is closed).
 * metadata: extra request metadata, borrowed: the call copies it before
 * the function that starts it returns.
 * Keys are lower-case ASCII (e.g. "authorization", "x-request-id"); values
 * are printable ASCII, except for keys ending in "-bin", whose values may
 * hold any byte but NUL (they are C strings here).
 */
typedef struct nu_client_options {
  int64_t timeout_ms;
  const nu_client_pair *metadata;
  size_t metadata_count;
} nu_client_options;

/*
 * Opens a client for target ("127.0.0.1:50051", "dns:///host:port"), over
 * an insecure (plaintext) channel. Connecting is lazy: an unreachable server
 * shows as UNAVAILABLE on the first call. Returns 0 and *out, or -1 when out
 * of memory or target is empty. Caller frees with nu_client_close.
 */
int nu_client_open(const char *target, nu_client **out);

/* Closes the channel and the completion queue. NULL is ignored. */
void nu_client_close(nu_client *client);

/*
 * A unary call. method is the full path, e.g. "/grpc.health.v1.Health/Check";
 * request is borrowed; response_desc describes the expected response.
 *
 * Returns status->code: 0 and *response (caller frees with
 * protobuf_c_message_free_unpacked(*response, NULL)), or a gRPC status code
 * > 0 with *response NULL and status filled. Local failures are reported
 * the way gRPC's own clients do: an undecodable response or out of memory
 * as INTERNAL, metadata gRPC refuses as INVALID_ARGUMENT (the message never
 * quotes a metadata value: it may be a credential). Returns -1 only for
 * NULL arguments.
 */
int nu_client_call(nu_client *client, const char *method, const ProtobufCMessage *request,
                   const ProtobufCMessageDescriptor *response_desc,
                   const nu_client_options *options, ProtobufCMessage **response,
                   nu_client_status *status);

/*
 * Opens a server-streaming call ("/grpc.health.v1.Health/Watch") and sends
 * its one request (borrowed). Returns 0 and *out (caller frees with
 * nu_client_stream_close), or -1 for NULL arguments or out of memory.
 * Failures of the call itself (unreachable server, bad metadata) show on
 * the first nu_client_stream_read.
 */
int nu_client_stream_open(nu_client *client, const char *method, const ProtobufCMessage *request,
                          const nu_client_options *options, nu_client_stream **out);

/*
 * Opens a bidirectional stream and sends its first message (borrowed),
 * leaving the client's side open: send the rest with nu_client_stream_write
 * and read answers with nu_client_stream_read. Same returns as
 * nu_client_stream_open.
 */
int nu_client_bidi_open(nu_client *client, const char *method, const ProtobufCMessage *first,
                        const nu_client_options *options, nu_client_stream **out);

/*
 * Sends the next message of a bidirectional stream (borrowed; packed at
 * once), after the previous one has gone; with last non-zero the client's
 * side is closed after it. Returns 0, or -1 when the stream has ended or
 * the message cannot be sent (a read then reports the call's status).
 */
int nu_client_stream_write(nu_client_stream *stream, const ProtobufCMessage *message, int last);

enum {
  NU_CLIENT_STREAM_END = 0,     /* the call is over: see status */
  NU_CLIENT_STREAM_MESSAGE = 1, /* *message is set */
  NU_CLIENT_STREAM_TIMEOUT = 2, /* nothing within timeout_ms; still open */
};

/*
 * Waits for the next message of the stream, at most timeout_ms (< 0: until
 * a message comes or the call ends; the call's own deadline applies in any
 * case).
 *
 * Returns NU_CLIENT_STREAM_MESSAGE and *message (caller frees with
 * protobuf_c_message_free_unpacked(*message, NULL)); NU_CLIENT_STREAM_TIMEOUT
 * when nothing came in time (the read stays armed: call again, e.g. after
 * checking for Ctrl-C); or NU_CLIENT_STREAM_END with status filled (code 0
 * when the server ended the stream normally). After END, further reads
 * return END again with the same status. An undecodable message cancels the
 * call and ends it with INTERNAL. Returns -1 for NULL arguments.
 */
int nu_client_stream_read(nu_client_stream *stream, int64_t timeout_ms,
                          const ProtobufCMessageDescriptor *message_desc,
                          ProtobufCMessage **message, nu_client_status *status);

/* Cancels the call if it is still running, waits for gRPC to release it and
 * frees the stream. NULL is ignored. */
void nu_client_stream_close(nu_client_stream *stream);

/*
 * Decodes a serialized google.rpc.Status (the `grpc-status-details-bin`
 * trailer) into status: reason, domain and metadata from the first
 * google.rpc.ErrorInfo, field violations from every google.rpc.BadRequest,
 * in order. Other detail types are ignored; code and message are left as
 * they are (the trailer's grpc-status and grpc-message are authoritative).
 * Returns 0, or -1 when the bytes are not a google.rpc.Status or memory ran
 * out; status then has no details.
 */
int nu_client_decode_status_details(const uint8_t *data, size_t len, nu_client_status *status);

/* "OK", "INVALID_ARGUMENT", ...; "UNKNOWN_CODE" outside 0..16. Static. */
const char *nu_client_code_name(int code);

#ifdef __cplusplus
}
#endif

#endif
