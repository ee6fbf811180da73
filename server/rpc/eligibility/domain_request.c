/*
 * domain_request.c — eligible-domain requests: anyone asks for a missing
 * public-body domain (RequestEligibleDomain, public, rate limited); the
 * platform operator lists them, accepts (the domain joins the list, the
 * requester is told, accounts confirmed earlier under that domain get
 * their voucher, once per e-mail) or refuses with a reason (the requester
 * is told). Decisions follow domain/eligibility/domain_request_status.h.
 */
#include "server/rpc/eligibility/domain_request.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "nuage/v1/eligibility.pb-c.h"
#include "server/app/app.h"
#include "server/domain/eligibility/domain_list.h"
#include "server/domain/eligibility/domain_request_status.h"
#include "server/domain/eligibility/policy.h"
#include "server/domain/identity/login.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/store/eligibility/credit_store.h"
#include "server/store/eligibility/domain_request_store.h"
#include "server/store/eligibility/eligibility_store.h"
#include "server/store/identity/user_store.h"
#include "server/validate/email.h"

/* The context's limits: domain/eligibility/policy.h. */
#define NOTE_MAX_LEN NU_DOMAIN_REQUEST_NOTE_MAX_LEN
#define REASON_MAX_LEN NU_DOMAIN_REQUEST_REASON_MAX_LEN

static nu_status not_found(nu_arena *a) { return nu_rpc_not_found(a, "eligible domain request"); }

static Nuage__V1__EligibleDomainRequest *to_api(nu_arena *a, const nu_domain_request_row *r) {
  Nuage__V1__EligibleDomainRequest *out =
      NU_RPC_NEW(a, Nuage__V1__EligibleDomainRequest, nuage__v1__eligible_domain_request__init);
  if (out == NULL) return NULL;
  out->id = (char *)r->id;
  out->domain = (char *)r->domain;
  out->email = (char *)r->email;
  out->note = (char *)r->note;
  /* The API's states are the domain's, value for value. */
  out->state = (Nuage__V1__EligibleDomainRequestState)nu_domain_request_state_parse(r->state);
  out->refusal_reason = (char *)r->refusal_reason;
  out->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  out->decide_time = r->decided_us != 0 ? nu_rpc_timestamp(a, r->decided_us * 1000) : NULL;
  out->decided_by_user_id = (char *)r->decided_by;
  out->credits_granted = r->credits_granted;
  return out;
}

static nu_status reply(nu_arena *a, const nu_domain_request_row *r, ProtobufCMessage **resp) {
  Nuage__V1__EligibleDomainRequest *out = to_api(a, r);
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- RequestEligibleDomain (public) ------------------------------------------ */

static nu_status validate_request(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__RequestEligibleDomainRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const char *domain = NULL;
  const char *problem = nu_domain_name_normalise(v.arena, req->domain, &domain);
  if (problem != NULL) nu_validate_fail(&v, "domain", "is not a domain name: %s", problem);
  nu_validate_email(&v, "email", req->email, true);
  nu_validate_max_len(&v, "note", req->note, NOTE_MAX_LEN);
  return nu_validator_result(&v);
}

typedef struct request_run {
  nu_call *call;
  const char *domain;
  const char *email;
  const char *note;
  const char *matched;
  nu_domain_request_row row;
} request_run;

static nu_status request_tx(nu_conn *c, nu_arena *a, void *arg) {
  request_run *r = arg;
  int32_t line = 0;
  nu_status st = nu_eligibility_lookup(c, a, r->domain, &r->matched, &line);
  if (!nu_status_is_ok(&st) || r->matched != NULL) return st;
  bool created = false;
  st = nu_domain_request_insert(c, a, r->domain, r->email, r->note, nu_rpc_now(r->call), &r->row,
                                &created);
  if (!nu_status_is_ok(&st) || !created) return st;
  nu_audit_change ch[] = {{"domain", NULL, r->domain}, {"email", NULL, r->email}};
  return nu_rpc_audit(r->call, c, NULL, "eligible_domain_request.create", "eligible_domain_request",
                      r->row.id, ch, 2);
}

static nu_status request_domain(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__RequestEligibleDomainRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  request_run r = {.call = call, .note = req->note};
  char *email = nu_arena_alloc(a, NU_EMAIL_BUF_SIZE);
  if (email == NULL) return nu_rpc_oom(a);
  if (nu_domain_name_normalise(a, req->domain, &r.domain) != NULL ||
      nu_email_normalize(req->email, email, NU_EMAIL_BUF_SIZE, NULL) != 0) {
    return nu_error(a, NU_INTERNAL, NULL, "normalisation failed after validation");
  }
  r.email = email;
  nu_status st = nu_rpc_tx(call, false, request_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__RequestEligibleDomainResponse *out =
      NU_RPC_NEW(a, Nuage__V1__RequestEligibleDomainResponse,
                 nuage__v1__request_eligible_domain_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  out->domain = (char *)r.domain;
  out->already_eligible = r.matched != NULL;
  out->state =
      r.matched != NULL
          ? NUAGE__V1__ELIGIBLE_DOMAIN_REQUEST_STATE__ELIGIBLE_DOMAIN_REQUEST_STATE_UNSPECIFIED
          : NUAGE__V1__ELIGIBLE_DOMAIN_REQUEST_STATE__ELIGIBLE_DOMAIN_REQUEST_STATE_PENDING;
  *resp = &out->base;
  return nu_ok();
}

/* ---- Accept / Refuse (operator) ------------------------------------------------ */

static nu_status validate_accept(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__AcceptEligibleDomainRequestRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "eligible_domain_request_id", req->eligible_domain_request_id);
  return nu_validator_result(&v);
}

static nu_status validate_refuse(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__RefuseEligibleDomainRequestRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "eligible_domain_request_id", req->eligible_domain_request_id);
  nu_validate_required(&v, "reason", req->reason);
  nu_validate_max_len(&v, "reason", req->reason, REASON_MAX_LEN);
  return nu_validator_result(&v);
}

typedef struct decide_run {
  nu_call *call;
  const char *id;
  nu_domain_request_event event;
  const char *reason; /* refusals */
  nu_domain_request_row result;
} decide_run;

/* The voucher of every account confirmed earlier under the domain that has
 * none yet (credit_store grants once per e-mail); *granted of them. */
static nu_status grant_earlier(decide_run *r, nu_conn *c, nu_arena *a, const char *domain,
                               int32_t *granted) {
  *granted = 0;
  nu_app *app = nu_call_app(r->call);
  if (app->voucher_cents <= 0) return nu_ok(); /* vouchers switched off */
  nu_user_voucher_candidate *users = NULL;
  size_t n = 0;
  nu_status st = nu_user_confirmed_under_domain(c, a, domain, &users, &n);
  if (!nu_status_is_ok(&st)) return st;
  const char *amount = nu_arena_sprintf(a, "%" PRId64, app->voucher_cents);
  if (amount == NULL) return nu_rpc_oom(a);
  for (size_t i = 0; i < n; i++) {
    if (users[i].organization_id == NULL) continue;
    bool ok = false;
    st = nu_credit_grant_voucher(c, a, users[i].organization_id, users[i].email, app->voucher_cents,
                                 nu_rpc_now(r->call), &ok);
    if (!nu_status_is_ok(&st)) return st;
    if (!ok) continue;
    (*granted)++;
    nu_audit_change ch[] = {{"nature", NULL, "eligibility_voucher"},
                            {"amount_cents", NULL, amount},
                            {"email", NULL, users[i].email},
                            {"eligible_domain_request_id", NULL, r->id}};
    st = nu_rpc_audit(r->call, c, users[i].organization_id, "credit.grant", "organization",
                      users[i].organization_id, ch, 4);
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
}

static nu_status decide_tx(nu_conn *c, nu_arena *a, void *arg) {
  decide_run *r = arg;
  nu_domain_request_row row;
  bool found = false;
  nu_status st = nu_domain_request_get(c, a, r->id, true, &row, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return not_found(a);
  nu_domain_request_state to;
  nu_refusal why;
  if (nu_domain_request_next(nu_domain_request_state_parse(row.state), r->event, &to, &why) != 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, why.reason, "%s", why.message);
  }
  row.state = nu_domain_request_state_name(to);
  row.decided_by = nu_call_principal(r->call)->id;
  const char *kv[4] = {"domain", row.domain, "reason", r->reason};
  const char *template_name = "eligible_domain_refused";
  if (to == NU_DOMAIN_REQUEST_STATE_ACCEPTED) {
    template_name = "eligible_domain_accepted";
    bool added = false;
    st = nu_eligibility_add_requested(c, a, row.domain, row.id, &added);
    if (!nu_status_is_ok(&st)) return st;
    st = grant_earlier(r, c, a, row.domain, &row.credits_granted);
    if (!nu_status_is_ok(&st)) return st;
  } else {
    row.refusal_reason = r->reason;
  }
  st = nu_domain_request_decide(c, a, &row, nu_rpc_now(r->call), &r->result);
  if (!nu_status_is_ok(&st)) return st;
  const char *granted = nu_arena_sprintf(a, "%" PRId32, r->result.credits_granted);
  if (granted == NULL) return nu_rpc_oom(a);
  nu_audit_change ch[] = {{"state", "pending", r->result.state},
                          {"refusal_reason", NULL, r->reason},
                          {"credits_granted", NULL, granted}};
  st = nu_rpc_audit(r->call, c, NULL,
                    to == NU_DOMAIN_REQUEST_STATE_ACCEPTED ? "eligible_domain_request.accept"
                                                           : "eligible_domain_request.refuse",
                    "eligible_domain_request", row.id, ch, 3);
  if (!nu_status_is_ok(&st)) return st;
  return nu_rpc_email(r->call, c, row.email, template_name, NULL, kv,
                      to == NU_DOMAIN_REQUEST_STATE_ACCEPTED ? 1 : 2);
}

static nu_status decide(nu_call *call, const char *id, nu_domain_request_event ev,
                        const char *reason, ProtobufCMessage **resp) {
  decide_run r = {.call = call, .id = id, .event = ev, .reason = reason};
  nu_status st = nu_rpc_tx(call, false, decide_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  return reply(nu_call_arena(call), &r.result, resp);
}

static nu_status accept_request(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__AcceptEligibleDomainRequestRequest *req = (const void *)msg;
  return decide(call, req->eligible_domain_request_id, NU_DOMAIN_REQUEST_EVENT_ACCEPT, NULL, resp);
}

static nu_status refuse_request(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__RefuseEligibleDomainRequestRequest *req = (const void *)msg;
  return decide(call, req->eligible_domain_request_id, NU_DOMAIN_REQUEST_EVENT_REFUSE, req->reason,
                resp);
}

/* ---- ListEligibleDomainRequests (operator) ------------------------------------- */

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListEligibleDomainRequestsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  if (req->state !=
          NUAGE__V1__ELIGIBLE_DOMAIN_REQUEST_STATE__ELIGIBLE_DOMAIN_REQUEST_STATE_UNSPECIFIED &&
      nu_domain_request_state_name((nu_domain_request_state)req->state) == NULL) {
    nu_validate_fail(&v, "state", "is not a request state");
  }
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

static nu_status fetch_requests(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                                const void **rows, size_t *n) {
  const char *const *state = ctx; /* NULL: every state */
  nu_domain_request_row *found = NULL;
  nu_status st = nu_domain_request_list(c, a, *state, page->after_int64, page->after_id,
                                        page->limit, &found, n);
  *rows = found;
  return st;
}

static ProtobufCMessage *request_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__EligibleDomainRequest *r = to_api(a, row);
  return r != NULL ? &r->base : NULL;
}

static const nu_list_spec kRequestList = {
    .row_size = sizeof(nu_domain_request_row),
    NU_LIST_KEY_INT64(nu_domain_request_row, created_us),
    NU_LIST_ID(nu_domain_request_row, id),
    .fetch = fetch_requests,
    .to_api = request_api,
};

static nu_status list_requests(nu_call *call, const ProtobufCMessage *msg,
                               ProtobufCMessage **resp) {
  const Nuage__V1__ListEligibleDomainRequestsRequest *req = (const void *)msg;
  const char *state = nu_domain_request_state_name((nu_domain_request_state)req->state);
  return nu_list_run(call, msg, req->page_size, &kRequestList, &state, resp);
}

/* ---- rows ---------------------------------------------------------------------- */

const nu_method nu_domain_request_methods[] = {
    NU_RPC_ROW("EligibilityService", "RequestEligibleDomain", request_eligible_domain_request,
               request_eligible_domain_response, validate_request, request_domain,
               .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("EligibilityService", "ListEligibleDomainRequests",
               list_eligible_domain_requests_request, list_eligible_domain_requests_response,
               validate_list, list_requests),
    NU_RPC_ROW("EligibilityService", "AcceptEligibleDomainRequest",
               accept_eligible_domain_request_request, eligible_domain_request, validate_accept,
               accept_request),
    NU_RPC_ROW("EligibilityService", "RefuseEligibleDomainRequest",
               refuse_eligible_domain_request_request, eligible_domain_request, validate_refuse,
               refuse_request),
};
const size_t nu_domain_request_methods_count =
    sizeof(nu_domain_request_methods) / sizeof(nu_domain_request_methods[0]);
