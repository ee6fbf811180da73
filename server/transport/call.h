/*
 * call.h — what a handler sees of the call it serves.
 *
 * The call owns an arena that lives exactly as long as the call; everything
 * a handler allocates for it comes from there. Unary handlers just return.
 * Streaming handlers drive the call with nu_call_send / nu_call_recv and end
 * it once with nu_call_finish; their callbacks run on completion-queue
 * threads, one operation of each direction at a time.
 */
#ifndef NU_TRANSPORT_CALL_H
#define NU_TRANSPORT_CALL_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stdint.h>

#include "server/auth/auth.h"
#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Borrowed views of the call; valid until it ends. */
nu_arena *nu_call_arena(nu_call *c);
const nu_method *nu_call_method(const nu_call *c);
const char *nu_call_request_id(const nu_call *c);
/* The client in gRPC's form ("ipv4:192.0.2.1:5000"): the direct peer, or,
 * when that is a trusted proxy, the client its x-forwarded-for names
 * (without a port: "ipv4:203.0.113.7"). */
const char *nu_call_peer(const nu_call *c);
const nu_principal *nu_call_principal(const nu_call *c);
/* The call's deadline on the monotonic clock of nu_clock_system(). */
int64_t nu_call_deadline(const nu_call *c);
/* The application context given to the server (app/app.h). */
void *nu_call_app(const nu_call *c);

/* Streaming. Each returns 0, or -1 when the call has ended or an operation
 * of that direction is already pending. */

/* Sends one message; on_sent(call, ok) runs when it is written (ok false:
 * the call is gone). msg is packed at once: it may live on the stack. */
typedef void (*nu_call_sent_fn)(nu_call *c, void *arg, bool ok);
int nu_call_send(nu_call *c, const ProtobufCMessage *msg, nu_call_sent_fn on_sent, void *arg);

/* Receives one message of the method's request type. on_msg(call, msg)
 * runs with msg NULL at the end of the client's stream (or when the call is
 * gone), and with st non-OK for a malformed message. */
typedef void (*nu_call_recv_fn)(nu_call *c, void *arg, ProtobufCMessage *msg, nu_status st);
int nu_call_recv(nu_call *c, nu_call_recv_fn on_msg, void *arg);

/* Runs once when the client has gone away or the call is finished
 * (whichever first); lets a handler drop its references. */
typedef void (*nu_call_closed_fn)(nu_call *c, void *arg);
void nu_call_on_closed(nu_call *c, nu_call_closed_fn fn, void *arg);

/* Ends the call with st (details go in grpc-status-details-bin). After all
 * pending operations complete, the call and its arena are freed. Returns
 * -1 if already finished. */
int nu_call_finish(nu_call *c, nu_status st);

#ifdef __cplusplus
}
#endif

#endif
