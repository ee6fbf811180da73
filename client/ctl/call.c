/*
 * call.c — how nuagectl commands reach the server: one client per run,
 * the same deadline and credentials on every call, and one way to report
 * a failed call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/ctl/ctl.h"

/* Request metadata for one call; authorization holds the token. */
typedef struct request_options {
  nu_client_options options;
  nu_client_pair metadata[2];
  char *authorization;
} request_options;

static int request_options_init(const nu_ctl *ctx, int64_t timeout_ms, request_options *ro) {
  size_t n = 0;

  memset(ro, 0, sizeof *ro);
  if (ctx->token != NULL) {
    if (asprintf(&ro->authorization, "Bearer %s", ctx->token) < 0) {
      ro->authorization = NULL;
      return -1;
    }
    ro->metadata[n].key = "authorization";
    ro->metadata[n++].value = ro->authorization;
  }
  if (ctx->request_id != NULL) {
    ro->metadata[n].key = "x-request-id";
    ro->metadata[n++].value = ctx->request_id;
  }
  ro->options.timeout_ms = timeout_ms;
  ro->options.metadata = ro->metadata;
  ro->options.metadata_count = n;
  return 0;
}

static void request_options_free(request_options *ro) {
  /* The token should not linger in freed memory. */
  if (ro->authorization != NULL) {
    explicit_bzero(ro->authorization, strlen(ro->authorization));
    free(ro->authorization);
  }
  memset(ro, 0, sizeof *ro);
}

int nu_ctl_report_error(nu_ctl *ctx, const nu_client_status *status) {
  nu_out_error(&ctx->out, stderr, status);
  return NU_CTL_EXIT_RPC;
}

/* A local failure, reported like a call's. */
static int local_error(nu_ctl *ctx, const char *message) {
  nu_client_status st = NU_CLIENT_STATUS_INIT;

  st.code = NU_CLIENT_INTERNAL;
  st.message = (char *)message;
  return nu_ctl_report_error(ctx, &st);
}

/* The client is opened on first use, so `help` needs no channel. */
static int ensure_client(nu_ctl *ctx) {
  if (ctx->client == NULL && nu_client_open(ctx->addr, &ctx->client) != 0)
    return local_error(ctx, "cannot open a channel to the server");
  return 0;
}

int nu_ctl_call(nu_ctl *ctx, const char *method, const ProtobufCMessage *request,
                const ProtobufCMessageDescriptor *response_desc, int64_t default_timeout_ms,
                ProtobufCMessage **response) {
  request_options ro;
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  int rc;

  *response = NULL;
  rc = ensure_client(ctx);
  if (rc != 0) return rc;
  if (request_options_init(ctx, ctx->timeout_ms > 0 ? ctx->timeout_ms : default_timeout_ms, &ro) !=
      0)
    return local_error(ctx, "out of memory");
  rc = nu_client_call(ctx->client, method, request, response_desc, &ro.options, response, &st);
  if (rc != 0) rc = rc < 0 ? local_error(ctx, "invalid call") : nu_ctl_report_error(ctx, &st);
  request_options_free(&ro);
  nu_client_status_clear(&st);
  return rc;
}

int nu_ctl_open_stream(nu_ctl *ctx, const char *method, const ProtobufCMessage *request,
                       nu_client_stream **stream) {
  request_options ro;
  int rc;

  *stream = NULL;
  rc = ensure_client(ctx);
  if (rc != 0) return rc;
  if (request_options_init(ctx, ctx->timeout_ms, &ro) != 0)
    return local_error(ctx, "out of memory");
  if (nu_client_stream_open(ctx->client, method, request, &ro.options, stream) != 0)
    rc = local_error(ctx, "cannot open the stream");
  request_options_free(&ro);
  return rc;
}

int nu_ctl_open_bidi(nu_ctl *ctx, const char *method, const ProtobufCMessage *first,
                     nu_client_stream **stream) {
  request_options ro;
  int rc;

  *stream = NULL;
  rc = ensure_client(ctx);
  if (rc != 0) return rc;
  if (request_options_init(ctx, ctx->timeout_ms, &ro) != 0)
    return local_error(ctx, "out of memory");
  if (nu_client_bidi_open(ctx->client, method, first, &ro.options, stream) != 0)
    rc = local_error(ctx, "cannot open the stream");
  request_options_free(&ro);
  return rc;
}
