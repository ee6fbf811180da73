/*
 * cmd_info.c — `nuagectl info`: which server and which database answer
 * (nuage.v1.SystemService/GetServerInfo).
 */
#include "client/ctl/ctl.h"
#include "nuage/v1/system.pb-c.h"

#define METHOD "/nuage.v1.SystemService/GetServerInfo"
#define DEFAULT_TIMEOUT_MS 10000

/* An unset Timestamp is null in JSON and left out for people. */
static void print_timestamp(nu_out *o, const char *key, const Google__Protobuf__Timestamp *ts) {
  char buf[40];

  if (ts == NULL) {
    nu_out_str(o, key, NULL);
    return;
  }
  if (nu_out_format_timestamp(ts->seconds, ts->nanos, buf, sizeof buf) != 0) {
    nu_out_str(o, key, "(out of range)");
    return;
  }
  nu_out_str(o, key, buf);
}

int nu_ctl_cmd_info(nu_ctl *ctx) {
  Nuage__V1__GetServerInfoRequest req = NUAGE__V1__GET_SERVER_INFO_REQUEST__INIT;
  ProtobufCMessage *msg;
  const Nuage__V1__ServerInfo *info;
  int rc;

  rc = nu_ctl_call(ctx, METHOD, &req.base, &nuage__v1__server_info__descriptor, DEFAULT_TIMEOUT_MS,
                   &msg);
  if (rc != 0) return rc;
  info = (const Nuage__V1__ServerInfo *)msg;
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "server_version", info->server_version);
  nu_out_int(&ctx->out, "schema_version", info->schema_version);
  nu_out_int(&ctx->out, "known_migrations", info->known_migrations);
  nu_out_str(&ctx->out, "database_version", info->database_version);
  print_timestamp(&ctx->out, "database_time", info->database_time);
  print_timestamp(&ctx->out, "start_time", info->start_time);
  nu_out_end(&ctx->out);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}
