/*
 * system.c — GetServerInfo: which server, which schema, which database.
 */
#include "server/rpc/system/system.h"

#include "google/protobuf/timestamp.pb-c.h"
#include "nuage/v1/system.pb-c.h"
#include "server/app/app.h"
#include "server/rpc/core/handler.h"
#include "server/store/core/tx.h"
#include "server/store/system/system_store.h"
#include "server/transport/call.h"

static Google__Protobuf__Timestamp *timestamp(nu_arena *a, int64_t unix_ns) {
  Google__Protobuf__Timestamp *t = nu_arena_alloc(a, sizeof(*t));
  if (t == NULL) return NULL;
  google__protobuf__timestamp__init(t);
  t->seconds = unix_ns / NU_NS_PER_S;
  t->nanos = (int32_t)(unix_ns % NU_NS_PER_S);
  if (t->nanos < 0) {
    t->nanos += (int32_t)NU_NS_PER_S;
    t->seconds -= 1;
  }
  return t;
}

static nu_status read_info(nu_conn *c, nu_arena *a, void *arg) {
  return nu_store_server_info(c, a, arg);
}

static nu_status get_server_info(nu_call *call, const ProtobufCMessage *req,
                                 ProtobufCMessage **out) {
  nu_app *app = nu_call_app(call);
  nu_arena *a = nu_call_arena(call);
  nu_server_info_row row = {0};
  nu_tx_options opts = {.deadline_mono_ns = nu_call_deadline(call), .read_only = true};
  nu_status st = nu_tx_run(app->pool, a, &opts, read_info, &row);
  if (!nu_status_is_ok(&st)) return st;

  Nuage__V1__ServerInfo *info = nu_arena_alloc(a, sizeof(*info));
  if (info == NULL) return nu_error(a, NU_RESOURCE_EXHAUSTED, NULL, "out of memory");
  nuage__v1__server_info__init(info);
  info->server_version = (char *)app->server_version;
  info->schema_version = row.schema_version;
  info->known_migrations = app->known_migrations;
  info->database_version = (char *)row.database_version;
  info->database_time = timestamp(a, row.database_time_us * 1000);
  info->start_time = timestamp(a, app->start_wall_ns);
  *out = &info->base;
  return nu_ok();
}

const nu_method nu_system_methods[] = {
    NU_RPC_ROW("SystemService", "GetServerInfo", get_server_info_request, server_info, NULL,
               get_server_info),
};
const size_t nu_system_methods_count = sizeof(nu_system_methods) / sizeof(nu_system_methods[0]);
