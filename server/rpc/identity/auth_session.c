/*
 * auth_session.c — a user's own sessions: Logout, ListSessions,
 * RevokeSession, SwitchOrganization.
 *
 * Expiry after 24 hours of inactivity is enforced where tokens are
 * resolved (credential_store); here a session of another user is treated
 * exactly as one that does not exist.
 */
#include "server/rpc/core/list.h"
#include "server/rpc/identity/auth_common.h"
#include "server/store/identity/credential_store.h"
#include "server/validate/ids.h"

typedef struct session_arg {
  nu_call *call;
  const nu_principal *p;
  const char *id; /* the session or organisation named */
  bool found;
  nu_session_row row;
} session_arg;

static nu_status run_logout(nu_conn *c, nu_arena *a, void *arg) {
  session_arg *s = arg;
  nu_status st =
      nu_session_revoke(c, a, s->p->id, s->p->session_id, nu_rpc_now(s->call), &s->found);
  if (!nu_status_is_ok(&st) || !s->found) return st;
  return nu_rpc_audit(s->call, c, s->p->organization_id, "session.revoke", "session",
                      s->p->session_id, NULL, 0);
}

nu_status nu_auth_logout(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **out) {
  (void)msg;
  nu_arena *a = nu_call_arena(call);
  session_arg s = {.call = call};
  nu_status st = nu_auth_require_session(call, &s.p);
  if (nu_status_is_ok(&st)) st = nu_rpc_tx(call, false, run_logout, &s);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__LogoutResponse *resp =
      NU_RPC_NEW(a, Nuage__V1__LogoutResponse, nuage__v1__logout_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  *out = &resp->base;
  return nu_ok();
}

nu_status nu_auth_validate_list_sessions(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListSessionsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

static nu_status fetch_sessions(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                                const void **rows, size_t *n) {
  session_arg *s = ctx;
  nu_session_row *sessions = NULL;
  nu_status st = nu_session_list(c, a, s->p->id, nu_rpc_now(s->call), NU_SESSION_IDLE_NS,
                                 page->after_int64, page->after_id, page->limit, &sessions, n);
  *rows = sessions;
  return st;
}

static ProtobufCMessage *session_api(nu_arena *a, void *ctx, const void *row) {
  session_arg *s = ctx;
  Nuage__V1__Session *out = nu_auth_session_to_api(a, row, s->p->session_id);
  return out != NULL ? &out->base : NULL;
}

static const nu_list_spec kSessionList = {
    .row_size = sizeof(nu_session_row),
    NU_LIST_KEY_INT64(nu_session_row, created_us),
    NU_LIST_ID(nu_session_row, id),
    .fetch = fetch_sessions,
    .to_api = session_api,
};

nu_status nu_auth_list_sessions(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **out) {
  const Nuage__V1__ListSessionsRequest *req = (const void *)msg;
  session_arg s = {.call = call};
  nu_status st = nu_auth_require_session(call, &s.p);
  if (!nu_status_is_ok(&st)) return st;
  return nu_list_run(call, msg, req->page_size, &kSessionList, &s, out);
}

nu_status nu_auth_validate_revoke_session(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__RevokeSessionRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_id(&v, "session_id", req->session_id, "a session id", true);
  return nu_validator_result(&v);
}

static nu_status run_revoke(nu_conn *c, nu_arena *a, void *arg) {
  session_arg *s = arg;
  nu_status st = nu_session_revoke(c, a, s->p->id, s->id, nu_rpc_now(s->call), &s->found);
  if (!nu_status_is_ok(&st) || !s->found) return st;
  return nu_rpc_audit(s->call, c, s->p->organization_id, "session.revoke", "session", s->id, NULL,
                      0);
}

nu_status nu_auth_revoke_session(nu_call *call, const ProtobufCMessage *msg,
                                 ProtobufCMessage **out) {
  const Nuage__V1__RevokeSessionRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  session_arg s = {.call = call, .id = req->session_id};
  nu_status st = nu_auth_require_session(call, &s.p);
  if (nu_status_is_ok(&st)) st = nu_rpc_tx(call, false, run_revoke, &s);
  if (!nu_status_is_ok(&st)) return st;
  if (!s.found) return nu_rpc_not_found(a, "session");
  Nuage__V1__RevokeSessionResponse *resp =
      NU_RPC_NEW(a, Nuage__V1__RevokeSessionResponse, nuage__v1__revoke_session_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  *out = &resp->base;
  return nu_ok();
}

nu_status nu_auth_validate_switch_organization(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__SwitchOrganizationRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_id(&v, "organization_id", req->organization_id, "an organization id", true);
  return nu_validator_result(&v);
}

static nu_status run_switch(nu_conn *c, nu_arena *a, void *arg) {
  session_arg *s = arg;
  bool may = false;
  nu_status st = nu_session_may_act_for(c, a, s->p->id, s->p->platform_operator, s->id, &may);
  if (!nu_status_is_ok(&st) || !may) return st;
  st = nu_session_switch_org(c, a, s->p->id, s->p->session_id, s->id, &s->row, &s->found);
  if (!nu_status_is_ok(&st) || !s->found) return st;
  nu_audit_change ch[] = {{"organization_id", s->p->organization_id, s->id}};
  return nu_rpc_audit(s->call, c, s->id, "session.switch_organization", "session", s->p->session_id,
                      ch, 1);
}

nu_status nu_auth_switch_organization(nu_call *call, const ProtobufCMessage *msg,
                                      ProtobufCMessage **out) {
  const Nuage__V1__SwitchOrganizationRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  session_arg s = {.call = call, .id = req->organization_id};
  nu_status st = nu_auth_require_session(call, &s.p);
  if (nu_status_is_ok(&st)) st = nu_rpc_tx(call, false, run_switch, &s);
  if (!nu_status_is_ok(&st)) return st;
  if (!s.found) return nu_rpc_not_found(a, "organization");
  Nuage__V1__Session *resp = nu_auth_session_to_api(a, &s.row, s.p->session_id);
  if (resp == NULL) return nu_rpc_oom(a);
  *out = &resp->base;
  return nu_ok();
}
