/*
 * cmd_health.c — `nuagectl health [--watch] [SERVICE]`: the standard gRPC
 * health protocol (grpc.health.v1.Health Check and Watch).
 */
#include <signal.h>
#include <string.h>

#include "client/ctl/ctl.h"
#include "grpc/health/v1/health.pb-c.h"

#define CHECK_METHOD "/grpc.health.v1.Health/Check"
#define WATCH_METHOD "/grpc.health.v1.Health/Watch"
#define DEFAULT_TIMEOUT_MS 10000
/* How often a watch looks up from the stream to notice Ctrl-C. */
#define WATCH_POLL_MS 200

typedef Grpc__Health__V1__HealthCheckResponse HealthCheckResponse;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

static const char *status_name(int status) {
  const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value(
      &grpc__health__v1__health_check_response__serving_status__descriptor, status);
  return v != NULL ? v->name : "UNKNOWN";
}

static void print_status(nu_ctl *ctx, const char *service, int status) {
  if (!ctx->json) {
    nu_out_text(stdout, status_name(status));
    fputc('\n', stdout);
    fflush(stdout);
    return;
  }
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "service", service);
  nu_out_str(&ctx->out, "status", status_name(status));
  nu_out_end(&ctx->out);
}

static int exit_for(int status) {
  return status == GRPC__HEALTH__V1__HEALTH_CHECK_RESPONSE__SERVING_STATUS__SERVING
             ? NU_CTL_EXIT_OK
             : NU_CTL_EXIT_NEGATIVE;
}

static int check(nu_ctl *ctx, Grpc__Health__V1__HealthCheckRequest *req) {
  ProtobufCMessage *msg;
  int rc, status;

  rc = nu_ctl_call(ctx, CHECK_METHOD, &req->base,
                   &grpc__health__v1__health_check_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  status = ((HealthCheckResponse *)msg)->status;
  print_status(ctx, req->service, status);
  protobuf_c_message_free_unpacked(msg, NULL);
  return exit_for(status);
}

/*
 * Prints each status the server streams. Ctrl-C, the end of the stream and
 * the --timeout deadline end a watch normally: it exits with the last
 * status printed. Other failures are errors.
 */
static int watch(nu_ctl *ctx, Grpc__Health__V1__HealthCheckRequest *req) {
  struct sigaction sa, old_int, old_term;
  nu_client_stream *stream = NULL;
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  int last = -1, rc;

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);

  rc = nu_ctl_open_stream(ctx, WATCH_METHOD, &req->base, &stream);
  if (rc != 0) goto done;
  while (!interrupted) {
    ProtobufCMessage *msg;
    int r = nu_client_stream_read(stream, WATCH_POLL_MS,
                                  &grpc__health__v1__health_check_response__descriptor, &msg, &st);
    if (r == NU_CLIENT_STREAM_TIMEOUT) continue;
    if (r == NU_CLIENT_STREAM_MESSAGE) {
      last = ((HealthCheckResponse *)msg)->status;
      print_status(ctx, req->service, last);
      protobuf_c_message_free_unpacked(msg, NULL);
      continue;
    }
    if (st.code != NU_CLIENT_OK && !(st.code == NU_CLIENT_DEADLINE_EXCEEDED && last >= 0)) {
      rc = nu_ctl_report_error(ctx, &st);
      goto done;
    }
    break;
  }
  rc = exit_for(last);
done:
  nu_client_stream_close(stream);
  nu_client_status_clear(&st);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  return rc;
}

int nu_ctl_cmd_health(nu_ctl *ctx) {
  Grpc__Health__V1__HealthCheckRequest req = GRPC__HEALTH__V1__HEALTH_CHECK_REQUEST__INIT;

  if (ctx->argc > 0) req.service = ctx->argv[0];
  if (nu_ctl_option_value(ctx, "watch") != NULL) return watch(ctx, &req);
  return check(ctx, &req);
}
