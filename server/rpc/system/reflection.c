/*
 * reflection.c — the bidirectional reflection stream: read a request,
 * answer it from the index, repeat until the client closes its side.
 *
 * v1 and v1alpha messages are wire-identical, so both methods decode and
 * encode with the v1alpha types.
 */
#include "server/rpc/system/reflection.h"

#include "grpc/reflection/v1alpha/reflection.pb-c.h"
#include "server/app/app.h"
#include "server/rpc/system/reflection_index.h"
#include "server/transport/call.h"

static void on_request(nu_call *c, void *arg, ProtobufCMessage *msg, nu_status st);

static void on_sent(nu_call *c, void *arg, bool ok) {
  if (!ok || nu_call_recv(c, on_request, NULL) != 0) {
    nu_call_finish(c, nu_error(nu_call_arena(c), NU_CANCELLED, NULL, "the client went away"));
  }
}

static void on_request(nu_call *c, void *arg, ProtobufCMessage *msg, nu_status st) {
  if (!nu_status_is_ok(&st)) {
    nu_call_finish(c, st);
    return;
  }
  if (msg == NULL) { /* the client closed its side: done */
    nu_call_finish(c, nu_ok());
    return;
  }
  nu_app *app = nu_call_app(c);
  Grpc__Reflection__V1alpha__ServerReflectionResponse resp;
  st = nu_reflection_answer(app->reflection, (const void *)msg, nu_call_arena(c), &resp);
  if (!nu_status_is_ok(&st)) {
    nu_call_finish(c, st);
    return;
  }
  if (nu_call_send(c, &resp.base, on_sent, NULL) != 0) {
    nu_call_finish(c, nu_error(nu_call_arena(c), NU_CANCELLED, NULL, "the client went away"));
  }
}

static void reflection_info(nu_call *call, const ProtobufCMessage *unused) {
  if (nu_call_recv(call, on_request, NULL) != 0) {
    nu_call_finish(call, nu_error(nu_call_arena(call), NU_CANCELLED, NULL, "the client went away"));
  }
}

#define NU_REFLECTION_ROW(path_)                                                                   \
  NU_ROW_STREAM(path_, NU_BIDI_STREAMING,                                                          \
                &grpc__reflection__v1alpha__server_reflection_request__descriptor,                 \
                &grpc__reflection__v1alpha__server_reflection_response__descriptor, NU_RUN_INLINE, \
                NULL, reflection_info)

const nu_method nu_reflection_methods[] = {
    NU_REFLECTION_ROW("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"),
    NU_REFLECTION_ROW("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"),
};
const size_t nu_reflection_methods_count =
    sizeof(nu_reflection_methods) / sizeof(nu_reflection_methods[0]);
