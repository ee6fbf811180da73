/*
 * diagnostics.c — Sleep: hold a pooled connection in a transaction.
 *
 * Lets operators and tests observe deadlines, cancellation, shutdown and
 * database outages on a real statement.
 */
#include "nuage/v1/diagnostics.pb-c.h"
#include "server/app/app.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/system/system.h"
#include "server/store/core/tx.h"
#include "server/store/system/system_store.h"
#include "server/transport/call.h"
#include "server/validate/validate.h"

#define NU_SLEEP_MAX_MS 60000

typedef struct sleep_arg {
  int duration_ms;
  int slept_ms;
} sleep_arg;

static nu_status do_sleep(nu_conn *c, nu_arena *a, void *p) {
  sleep_arg *s = p;
  return nu_store_sleep(c, a, s->duration_ms, &s->slept_ms);
}

static nu_status validate_sleep(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__SleepRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_int_range(&v, "duration_ms", req->duration_ms, 0, NU_SLEEP_MAX_MS);
  return nu_validator_result(&v);
}

static nu_status sleep_rpc(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **out) {
  const Nuage__V1__SleepRequest *req = (const void *)msg;
  nu_app *app = nu_call_app(call);
  nu_arena *a = nu_call_arena(call);
  sleep_arg arg = {.duration_ms = req->duration_ms};
  nu_tx_options opts = {.deadline_mono_ns = nu_call_deadline(call), .read_only = true};
  nu_status st = nu_tx_run(app->pool, a, &opts, do_sleep, &arg);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__SleepResponse *resp = nu_arena_alloc(a, sizeof(*resp));
  if (resp == NULL) return nu_error(a, NU_RESOURCE_EXHAUSTED, NULL, "out of memory");
  nuage__v1__sleep_response__init(resp);
  resp->slept_ms = arg.slept_ms;
  resp->payload = req->payload; /* both live in the call's arena */
  *out = &resp->base;
  return nu_ok();
}

#define NU_ADVANCE_MAX_S (INT64_C(10) * 366 * 24 * 3600)

static nu_status validate_advance(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__AdvanceClockRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_int_range(&v, "seconds", req->seconds, 0, NU_ADVANCE_MAX_S);
  return nu_validator_result(&v);
}

static nu_status advance_clock(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **out) {
  const Nuage__V1__AdvanceClockRequest *req = (const void *)msg;
  nu_app *app = nu_call_app(call);
  nu_arena *a = nu_call_arena(call);
  if (app->clock_control == NULL) {
    return nu_error(a, NU_FAILED_PRECONDITION, "CLOCK_FIXED",
                    "this server's clock cannot be moved");
  }
  int64_t offset = nu_offset_clock_advance(app->clock_control, req->seconds * NU_NS_PER_S);
  Nuage__V1__AdvanceClockResponse *resp =
      NU_RPC_NEW(a, Nuage__V1__AdvanceClockResponse, nuage__v1__advance_clock_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  resp->now = nu_rpc_timestamp(a, nu_clock_wall_ns(app->clock));
  resp->offset_seconds = offset / NU_NS_PER_S;
  *out = &resp->base;
  return nu_ok();
}

static nu_status validate_set(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__SetClockRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  if (req->time == NULL) nu_validate_fail(&v, "time", "is required");
  return nu_validator_result(&v);
}

static nu_status set_clock(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **out) {
  const Nuage__V1__SetClockRequest *req = (const void *)msg;
  nu_app *app = nu_call_app(call);
  nu_arena *a = nu_call_arena(call);
  if (app->clock_control == NULL) {
    return nu_error(a, NU_FAILED_PRECONDITION, "CLOCK_FIXED",
                    "this server's clock cannot be moved");
  }
  int64_t target = req->time->seconds * NU_NS_PER_S + req->time->nanos;
  int64_t delta = target - nu_clock_wall_ns(app->clock);
  if (delta < 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, "CLOCK_BACKWARDS",
                    "the clock never goes back: the instant is %lld s before it",
                    (long long)(-delta / NU_NS_PER_S));
  }
  if (delta > NU_ADVANCE_MAX_S * NU_NS_PER_S) {
    nu_status st = nu_error(a, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", "time is too far ahead");
    nu_status_add_violation(a, &st, "time", "is more than ten years ahead of the clock");
    return st;
  }
  int64_t offset = nu_offset_clock_advance(app->clock_control, delta);
  Nuage__V1__AdvanceClockResponse *resp =
      NU_RPC_NEW(a, Nuage__V1__AdvanceClockResponse, nuage__v1__advance_clock_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  resp->now = nu_rpc_timestamp(a, nu_clock_wall_ns(app->clock));
  resp->offset_seconds = offset / NU_NS_PER_S;
  *out = &resp->base;
  return nu_ok();
}

const nu_method nu_diagnostics_methods[] = {
    NU_RPC_ROW("DiagnosticsService", "Sleep", sleep_request, sleep_response, validate_sleep,
               sleep_rpc),
    NU_ROW_UNARY("/nuage.v1.DiagnosticsService/AdvanceClock",
                 &nuage__v1__advance_clock_request__descriptor,
                 &nuage__v1__advance_clock_response__descriptor, NU_RUN_INLINE, validate_advance,
                 advance_clock),
    NU_ROW_UNARY("/nuage.v1.DiagnosticsService/SetClock", &nuage__v1__set_clock_request__descriptor,
                 &nuage__v1__advance_clock_response__descriptor, NU_RUN_INLINE, validate_set,
                 set_clock),
};
const size_t nu_diagnostics_methods_count =
    sizeof(nu_diagnostics_methods) / sizeof(nu_diagnostics_methods[0]);
