/*
 * auth_session.c — a user's own sessions: Logout, ListSessions,
 * RevokeSession, SwitchOrganization.
 *
 * Expiry after 24 hours of inactivity is enforced where tokens are
 * resolved (credential_store); here a session of another user is treated
 * exactly as one that does not exist.
 */
#include <stdio.h>
#include <stdlib.h>

#include "server/rpc/core/page_token.h"
#include "server/rpc/identity/auth_common.h"
#include "server/store/identity/credential_store.h"
#include "server/validate/ids.h"

typedef struct session_arg {
  nu_call *call;
  const nu_principal *p;
  const char *id; /* the session or organisation named */
  bool found;
  nu_session_row row;
  /* ListSessions */
  int limit;
  int64_t after_us;
  const char *after_id;
  nu_session_row *rows;
  size_t n;
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
  nu_page_token_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

static nu_status run_list(nu_conn *c, nu_arena *a, void *arg) {
  session_arg *s = arg;
  /* One more row than asked tells whether there is a next page. */
  return nu_session_list(c, a, s->p->id, nu_rpc_now(s->call), NU_SESSION_IDLE_NS, s->after_us,
                         s->after_id, s->limit + 1, &s->rows, &s->n);
}

nu_status nu_auth_list_sessions(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **out) {
  const Nuage__V1__ListSessionsRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  session_arg s = {.call = call, .limit = nu_rpc_page_size(req->page_size)};
  nu_status st = nu_auth_require_session(call, &s.p);
  if (!nu_status_is_ok(&st)) return st;
  const char *key = NULL;
  st = nu_page_token_open(call, msg, &key, &s.after_id);
  if (!nu_status_is_ok(&st)) return st;
  if (key != NULL) s.after_us = strtoll(key, NULL, 10);
  st = nu_rpc_tx(call, true, run_list, &s);
  if (!nu_status_is_ok(&st)) return st;

  Nuage__V1__ListSessionsResponse *resp =
      NU_RPC_NEW(a, Nuage__V1__ListSessionsResponse, nuage__v1__list_sessions_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  size_t shown = s.n > (size_t)s.limit ? (size_t)s.limit : s.n;
  resp->sessions = (Nuage__V1__Session **)nu_rpc_array(a, shown);
  for (size_t i = 0; i < shown; i++) {
    resp->sessions[i] = nu_auth_session_to_api(a, &s.rows[i], s.p->session_id);
    if (resp->sessions[i] == NULL) return nu_rpc_oom(a);
  }
  resp->n_sessions = shown;
  if (s.n > shown) {
    char k[24];
    snprintf(k, sizeof(k), "%lld", (long long)s.rows[shown - 1].created_us);
    resp->next_page_token = (char *)nu_page_token_seal(call, msg, k, s.rows[shown - 1].id);
    if (resp->next_page_token == NULL) return nu_rpc_oom(a);
  }
  *out = &resp->base;
  return nu_ok();
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
