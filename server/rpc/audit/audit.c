/*
 * audit.c — AuditService.ListAuditEvents: newest first, filtered by
 * organisation, actor, action, target and time range, keyset-paginated by
 * event id.
 *
 * The row asks for manager on users (the platform operator passes every
 * section check); a manager sees only the organisation they act for, and
 * naming another one is NOT_FOUND, as for one that does not exist.
 */
#include "server/rpc/audit/audit.h"

#include <inttypes.h>

#include "nuage/v1/audit.pb-c.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/store/core/audit_query_store.h"

static int64_t to_us(const Google__Protobuf__Timestamp *t) {
  if (t == NULL) return 0;
  return t->seconds * 1000000 + t->nanos / 1000;
}

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListAuditEventsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_list_validate(&v, call, msg, req->page_size);
  nu_validate_max_len(&v, "organization_id", req->organization_id, 36);
  nu_validate_max_len(&v, "actor_user_id", req->actor_user_id, 36);
  nu_validate_max_len(&v, "action", req->action, 100);
  nu_validate_max_len(&v, "target_type", req->target_type, 100);
  nu_validate_max_len(&v, "target_id", req->target_id, 200);
  if (req->start_time != NULL && req->end_time != NULL &&
      to_us(req->start_time) >= to_us(req->end_time)) {
    nu_validate_fail(&v, "end_time", "must be after start_time");
  }
  return nu_validator_result(&v);
}

static nu_status fetch_events(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                              const void **rows, size_t *n) {
  nu_audit_filter *f = ctx;
  nu_audit_row *r = NULL;
  f->limit = page->limit;
  nu_status st = nu_audit_query(c, a, f, &r, n);
  *rows = r;
  return st;
}

/* The token's position is the event id alone (the sort key is empty). */
static int seek_event(void *ctx, const char *key, const char *id) {
  (void)key;
  return nu_list_int64_parse(id, &((nu_audit_filter *)ctx)->before_id);
}

static int event_position(nu_arena *a, const void *row, const char **key, const char **id) {
  *key = "";
  *id = nu_list_int64_key(a, ((const nu_audit_row *)row)->id);
  return *id != NULL ? 0 : -1;
}

static Google__Protobuf__Timestamp *ts(nu_arena *a, int64_t us) {
  return nu_rpc_timestamp(a, us * 1000);
}

static Nuage__V1__ActorKind actor_kind(const char *k) {
  if (k == NULL) return NUAGE__V1__ACTOR_KIND__ACTOR_KIND_UNSPECIFIED;
  switch (k[0]) {
    case 'a':
      return k[1] == 'n' ? NUAGE__V1__ACTOR_KIND__ACTOR_KIND_ANONYMOUS
                         : NUAGE__V1__ACTOR_KIND__ACTOR_KIND_ACCESS_KEY;
    case 'u': return NUAGE__V1__ACTOR_KIND__ACTOR_KIND_USER;
    case 's': return NUAGE__V1__ACTOR_KIND__ACTOR_KIND_SYSTEM;
    default: return NUAGE__V1__ACTOR_KIND__ACTOR_KIND_UNSPECIFIED;
  }
}

static char *or_empty(const char *s) { return (char *)(s != NULL ? s : ""); }

static Nuage__V1__AuditEvent *event_to_api(nu_arena *a, const nu_audit_row *r) {
  Nuage__V1__AuditEvent *e = NU_RPC_NEW(a, Nuage__V1__AuditEvent, nuage__v1__audit_event__init);
  if (e == NULL) return NULL;
  e->id = nu_arena_sprintf(a, "%" PRId64, r->id);
  e->time = ts(a, r->at_us);
  e->actor_kind = actor_kind(r->actor_kind);
  e->actor_user_id = or_empty(r->actor_user_id);
  e->actor_access_key_id = or_empty(r->actor_access_key_id);
  e->organization_id = or_empty(r->organization_id);
  e->action = or_empty(r->action);
  e->target_type = or_empty(r->target_type);
  e->target_id = or_empty(r->target_id);
  e->request_id = or_empty(r->request_id);
  if (e->id == NULL) return NULL;
  if (r->change_count > 0) {
    e->changes = (Nuage__V1__FieldChange **)nu_rpc_array(a, r->change_count);
    if (e->changes == NULL) return NULL;
  }
  for (size_t i = 0; i < r->change_count; i++) {
    Nuage__V1__FieldChange *f =
        NU_RPC_NEW(a, Nuage__V1__FieldChange, nuage__v1__field_change__init);
    if (f == NULL) return NULL;
    f->field = or_empty(r->changes[i].field);
    f->before = or_empty(r->changes[i].before);
    f->after = or_empty(r->changes[i].after);
    e->changes[i] = f;
  }
  e->n_changes = r->change_count;
  return e;
}

static ProtobufCMessage *event_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__AuditEvent *e = event_to_api(a, row);
  return e != NULL ? &e->base : NULL;
}

static const nu_list_spec kEventList = {
    .row_size = sizeof(nu_audit_row),
    .seek = seek_event,
    .fetch = fetch_events,
    .position_of = event_position,
    .to_api = event_api,
};

static nu_status list_audit_events(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__ListAuditEventsRequest *req = (const void *)msg;
  const nu_principal *p = nu_call_principal(call);
  nu_audit_filter f = {.actor_user_id = req->actor_user_id,
                       .action = req->action,
                       .target_type = req->target_type,
                       .target_id = req->target_id,
                       .start_us = to_us(req->start_time),
                       .end_us = to_us(req->end_time)};
  /* The operator with no organisation named reads the whole log. */
  if (!(p->platform_operator && req->organization_id[0] == '\0')) {
    nu_status st = nu_rpc_scope_org(call, req->organization_id, &f.organization_id);
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_list_run(call, msg, req->page_size, &kEventList, &f, resp);
}

const nu_method nu_audit_methods[] = {
    NU_RPC_ROW("AuditService", "ListAuditEvents", list_audit_events_request,
               list_audit_events_response, validate_list, list_audit_events),
};
const size_t nu_audit_methods_count = sizeof(nu_audit_methods) / sizeof(nu_audit_methods[0]);
