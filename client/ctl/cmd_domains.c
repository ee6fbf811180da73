/*
 * cmd_domains.c — `nuagectl domains requests`: the platform operator's side
 * of the eligible-domain requests (EligibilityService): list them (all
 * pages, newest first, optionally of one state), accept one (the domain
 * joins the list; earlier accounts under it get their credit) or refuse
 * one with a reason. Each request prints as one record (`key: value`
 * lines, or one JSON object per line with --json).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/ctl/ctl.h"
#include "nuage/v1/eligibility.pb-c.h"

#define DEFAULT_TIMEOUT_MS 20000
#define STATE_PREFIX "ELIGIBLE_DOMAIN_REQUEST_STATE_"
#define MAX_LIMIT 100000

static const char kUsage[] =
    "nuagectl: usage: nuagectl domains requests list [--state STATE] [--limit N]\n"
    "                 nuagectl domains requests accept ID\n"
    "                 nuagectl domains requests refuse ID REASON\n";

static int usage(void) {
  fputs(kUsage, stderr);
  return NU_CTL_EXIT_USAGE;
}

/* "pending", "accepted", "refused" (the enum's names, lower case). */
static const char *state_word(Nuage__V1__EligibleDomainRequestState s, char *buf, size_t size) {
  const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(
      &nuage__v1__eligible_domain_request_state__descriptor, s);
  if (ev == NULL || s == 0) return "unspecified";
  const char *name = ev->name + strlen(STATE_PREFIX);
  size_t n = 0;
  for (; *name != '\0' && n + 1 < size; name++) buf[n++] = (char)tolower((unsigned char)*name);
  buf[n] = '\0';
  return buf;
}

/* The state named word, or -1 after saying which words there are. */
static int parse_state(const char *word) {
  const ProtobufCEnumDescriptor *d = &nuage__v1__eligible_domain_request_state__descriptor;
  char buf[32];
  for (unsigned i = 0; i < d->n_values; i++) {
    if (d->values[i].value == 0) continue;
    if (strcmp(word, state_word(d->values[i].value, buf, sizeof buf)) == 0)
      return d->values[i].value;
  }
  fprintf(stderr, "nuagectl: --state '%s': expected pending, accepted or refused\n", word);
  return -1;
}

static void out_time(nu_out *o, const char *key, const Google__Protobuf__Timestamp *t) {
  char buf[40];
  if (t == NULL || nu_out_format_timestamp(t->seconds, t->nanos, buf, sizeof buf) != 0) {
    nu_out_str(o, key, NULL);
    return;
  }
  nu_out_str(o, key, buf);
}

static const char *or_null(const char *s) { return s != NULL && s[0] != '\0' ? s : NULL; }

static void out_request(nu_out *o, const Nuage__V1__EligibleDomainRequest *r) {
  char buf[32];
  nu_out_begin(o);
  nu_out_str(o, "id", r->id);
  nu_out_str(o, "domain", r->domain);
  nu_out_str(o, "email", r->email);
  nu_out_str(o, "state", state_word(r->state, buf, sizeof buf));
  nu_out_str(o, "note", or_null(r->note));
  nu_out_str(o, "refusal_reason", or_null(r->refusal_reason));
  out_time(o, "create_time", r->create_time);
  out_time(o, "decide_time", r->decide_time);
  nu_out_str(o, "decided_by_user_id", or_null(r->decided_by_user_id));
  if (r->state == NUAGE__V1__ELIGIBLE_DOMAIN_REQUEST_STATE__ELIGIBLE_DOMAIN_REQUEST_STATE_ACCEPTED)
    nu_out_int(o, "credits_granted", r->credits_granted);
  nu_out_end(o);
}

/* Pages through ListEligibleDomainRequests until --limit or the end. */
static int list_requests(nu_ctl *ctx) {
  Nuage__V1__ListEligibleDomainRequestsRequest req =
      NUAGE__V1__LIST_ELIGIBLE_DOMAIN_REQUESTS_REQUEST__INIT;
  const char *state = nu_ctl_option_value(ctx, "state");
  if (state != NULL) {
    int s = parse_state(state);
    if (s < 0) return NU_CTL_EXIT_USAGE;
    req.state = (Nuage__V1__EligibleDomainRequestState)s;
  }
  long limit = MAX_LIMIT;
  const char *v = nu_ctl_option_value(ctx, "limit");
  if (v != NULL) {
    char *end = NULL;
    limit = strtol(v, &end, 10);
    if (end == v || *end != '\0' || limit < 1 || limit > MAX_LIMIT) {
      fprintf(stderr, "nuagectl: --limit '%s': expected 1..%d\n", v, MAX_LIMIT);
      return NU_CTL_EXIT_USAGE;
    }
  }
  long shown = 0;
  char *token = NULL;
  int rc = NU_CTL_EXIT_OK;
  while (shown < limit) {
    long want = limit - shown;
    req.page_size = (int32_t)(want > 500 ? 500 : want);
    req.page_token = token;
    ProtobufCMessage *msg = NULL;
    rc = nu_ctl_call(ctx, "/nuage.v1.EligibilityService/ListEligibleDomainRequests", &req.base,
                     &nuage__v1__list_eligible_domain_requests_response__descriptor,
                     DEFAULT_TIMEOUT_MS, &msg);
    if (rc != 0) break;
    const Nuage__V1__ListEligibleDomainRequestsResponse *resp = (const void *)msg;
    for (size_t i = 0; i < resp->n_eligible_domain_requests && shown < limit; i++, shown++) {
      if (!ctx->json && shown > 0) fputc('\n', stdout);
      out_request(&ctx->out, resp->eligible_domain_requests[i]);
    }
    free(token);
    token = resp->next_page_token != NULL && resp->next_page_token[0] != '\0'
                ? strdup(resp->next_page_token)
                : NULL;
    protobuf_c_message_free_unpacked(msg, NULL);
    if (token == NULL) break;
  }
  if (rc == 0 && !ctx->json) {
    printf("%s%ld request%s%s\n", shown > 0 ? "\n" : "", shown, shown == 1 ? "" : "s",
           token != NULL ? " (more: raise --limit)" : "");
  }
  fflush(stdout);
  free(token);
  return rc;
}

/* Accept (reason NULL) or refuse one request; prints it as it now is. */
static int decide(nu_ctl *ctx, const char *id, const char *reason) {
  ProtobufCMessage *msg = NULL;
  int rc;
  if (reason == NULL) {
    Nuage__V1__AcceptEligibleDomainRequestRequest req =
        NUAGE__V1__ACCEPT_ELIGIBLE_DOMAIN_REQUEST_REQUEST__INIT;
    req.eligible_domain_request_id = (char *)id;
    rc = nu_ctl_call(ctx, "/nuage.v1.EligibilityService/AcceptEligibleDomainRequest", &req.base,
                     &nuage__v1__eligible_domain_request__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  } else {
    Nuage__V1__RefuseEligibleDomainRequestRequest req =
        NUAGE__V1__REFUSE_ELIGIBLE_DOMAIN_REQUEST_REQUEST__INIT;
    req.eligible_domain_request_id = (char *)id;
    req.reason = (char *)reason;
    rc = nu_ctl_call(ctx, "/nuage.v1.EligibilityService/RefuseEligibleDomainRequest", &req.base,
                     &nuage__v1__eligible_domain_request__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  }
  if (rc != 0) return rc;
  out_request(&ctx->out, (const Nuage__V1__EligibleDomainRequest *)msg);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

int nu_ctl_cmd_domain_requests(nu_ctl *ctx) {
  const char *verb = ctx->argv[0];
  if (strcmp(verb, "list") == 0 && ctx->argc == 1) return list_requests(ctx);
  bool filtered =
      nu_ctl_option_value(ctx, "state") != NULL || nu_ctl_option_value(ctx, "limit") != NULL;
  if (filtered) return usage(); /* --state and --limit are list's */
  if (strcmp(verb, "accept") == 0 && ctx->argc == 2) return decide(ctx, ctx->argv[1], NULL);
  if (strcmp(verb, "refuse") == 0 && ctx->argc == 3) return decide(ctx, ctx->argv[1], ctx->argv[2]);
  return usage();
}
