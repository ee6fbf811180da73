/*
 * cmd_subscription.c — `nuagectl subscription list|show|terminate` and
 * `nuagectl order admit|contest`: the buyer's side after delivery, through
 * SubscriptionService and OrderService.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/ctl/ctl.h"
#include "client/ctl/order_output.h"
#include "nuage/v1/order.pb-c.h"
#include "nuage/v1/subscription.pb-c.h"

#define DEFAULT_TIMEOUT_MS 10000
#define DEFAULT_LIMIT 50
#define MAX_LIMIT 100000

static void out_subscription(nu_out *out, const Nuage__V1__Subscription *s) {
  char status[64], type[64], qty[32], months[16];
  snprintf(qty, sizeof(qty), "%lld", (long long)s->quantity);
  snprintf(months, sizeof(months), "%d", (int)s->duration_months);
  nu_out_begin(out);
  nu_out_str(out, "id", s->id);
  nu_out_str(out, "name", s->name);
  nu_out_str(out, "status",
             nu_out_enum_word(&nuage__v1__subscription_status__descriptor, "SUBSCRIPTION_STATUS_",
                              s->status, status, sizeof(status)));
  nu_out_str(out, "type",
             nu_out_enum_word(&nuage__v1__subscription_type__descriptor, "SUBSCRIPTION_TYPE_",
                              s->type, type, sizeof(type)));
  nu_out_str(out, "product_code", s->product_code);
  nu_out_str(out, "quantity", qty);
  nu_out_str(out, "duration_months", months);
  nu_ctl_out_money(out, "upfront", s->upfront);
  nu_ctl_out_money(out, "monthly_price", s->monthly_price);
  nu_out_str(out, "region", s->region);
  nu_ctl_out_time(out, "start", s->start_time);
  nu_ctl_out_time(out, "end", s->end_time);
  nu_ctl_out_time(out, "termination", s->termination_time);
  nu_out_str(out, "order_number", s->order_number);
  nu_out_str(out, "split_from_id", s->split_from_id);
  nu_out_str(out, "etag", s->etag);
  nu_out_end(out);
}

static int parse_limit(const char *v, long *limit) {
  if (v == NULL) return 0;
  char *end = NULL;
  *limit = strtol(v, &end, 10);
  if (end == v || *end != '\0' || *limit < 1 || *limit > MAX_LIMIT) {
    fprintf(stderr, "nuagectl: --limit '%s': expected 1..%d\n", v, MAX_LIMIT);
    return -1;
  }
  return 0;
}

int nu_ctl_cmd_subscription_list(nu_ctl *ctx) {
  Nuage__V1__ListSubscriptionsRequest req = NUAGE__V1__LIST_SUBSCRIPTIONS_REQUEST__INIT;
  const char *q = nu_ctl_option_value(ctx, "query");
  if (q != NULL) req.query = (char *)q;
  const char *status = nu_ctl_option_value(ctx, "status");
  if (status != NULL) {
    char name[64];
    snprintf(name, sizeof(name), "SUBSCRIPTION_STATUS_%s", status);
    for (char *p = name; *p != '\0'; p++) {
      if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 'a' + 'A');
    }
    const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value_by_name(
        &nuage__v1__subscription_status__descriptor, name);
    if (v == NULL || v->value == 0) {
      fprintf(stderr, "nuagectl: --status '%s': expected subscribed, active, ended or terminated\n",
              status);
      return NU_CTL_EXIT_USAGE;
    }
    req.status = (Nuage__V1__SubscriptionStatus)v->value;
  }
  long limit = DEFAULT_LIMIT;
  if (parse_limit(nu_ctl_option_value(ctx, "limit"), &limit) != 0) return NU_CTL_EXIT_USAGE;
  if (!ctx->json)
    printf("%-36s  %-10s  %8s  %-20s  %s\n", "ID", "STATUS", "QUANTITY", "START", "NAME");
  long shown = 0;
  char *token = NULL;
  int rc = NU_CTL_EXIT_OK;
  while (shown < limit) {
    long want = limit - shown;
    req.page_size = (int32_t)(want > 500 ? 500 : want);
    req.page_token = token;
    ProtobufCMessage *msg = NULL;
    rc = nu_ctl_call(ctx, "/nuage.v1.SubscriptionService/ListSubscriptions", &req.base,
                     &nuage__v1__list_subscriptions_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
    if (rc != 0) break;
    const Nuage__V1__ListSubscriptionsResponse *resp = (const void *)msg;
    for (size_t i = 0; i < resp->n_subscriptions && shown < limit; i++, shown++) {
      const Nuage__V1__Subscription *s = resp->subscriptions[i];
      if (ctx->json) {
        out_subscription(&ctx->out, s);
      } else {
        char st[64], start[40] = "";
        if (s->start_time != NULL) {
          nu_out_format_timestamp(s->start_time->seconds, s->start_time->nanos, start,
                                  sizeof(start));
        }
        printf("%-36s  %-10s  %8lld  %-20s  ", s->id,
               nu_out_enum_word(&nuage__v1__subscription_status__descriptor, "SUBSCRIPTION_STATUS_",
                                s->status, st, sizeof(st)),
               (long long)s->quantity, start);
        nu_out_text(stdout, s->name != NULL ? s->name : "");
        fputc('\n', stdout);
      }
    }
    free(token);
    token = resp->next_page_token != NULL && resp->next_page_token[0] != '\0'
                ? strdup(resp->next_page_token)
                : NULL;
    protobuf_c_message_free_unpacked(msg, NULL);
    if (token == NULL) break;
  }
  if (rc == 0 && !ctx->json) printf("%ld subscription%s\n", shown, shown == 1 ? "" : "s");
  fflush(stdout);
  free(token);
  return rc;
}

static int get_subscription(nu_ctl *ctx, const char *id, Nuage__V1__Subscription **out) {
  Nuage__V1__GetSubscriptionRequest req = NUAGE__V1__GET_SUBSCRIPTION_REQUEST__INIT;
  req.subscription_id = (char *)id;
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, "/nuage.v1.SubscriptionService/GetSubscription", &req.base,
                       &nuage__v1__subscription__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  if (rc == 0) *out = (Nuage__V1__Subscription *)msg;
  return rc;
}

int nu_ctl_cmd_subscription_show(nu_ctl *ctx) {
  Nuage__V1__Subscription *s = NULL;
  int rc = get_subscription(ctx, ctx->argv[0], &s);
  if (rc != 0) return rc;
  out_subscription(&ctx->out, s);
  protobuf_c_message_free_unpacked(&s->base, NULL);
  return NU_CTL_EXIT_OK;
}

/* The idempotency key: --request-id, else one made here and printed on
 * stderr so that a retry can reuse it. */
static const char *request_id(nu_ctl *ctx, char *buf, size_t size) {
  const char *v = nu_ctl_option_value(ctx, "idempotency-key");
  if (v != NULL) return v;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  snprintf(buf, size, "nuagectl-%lld-%ld-%d", (long long)ts.tv_sec, ts.tv_nsec, rand());
  fprintf(stderr, "request id: %s (give it with --idempotency-key to retry)\n", buf);
  return buf;
}

int nu_ctl_cmd_subscription_terminate(nu_ctl *ctx) {
  Nuage__V1__Subscription *cur = NULL;
  int rc = get_subscription(ctx, ctx->argv[0], &cur);
  if (rc != 0) return rc;
  Nuage__V1__TerminateSubscriptionRequest req = NUAGE__V1__TERMINATE_SUBSCRIPTION_REQUEST__INIT;
  req.subscription_id = ctx->argv[0];
  req.etag = cur->etag;
  const char *q = nu_ctl_option_value(ctx, "quantity");
  if (q != NULL) {
    char *end = NULL;
    long long n = strtoll(q, &end, 10);
    if (end == q || *end != '\0' || n < 1) {
      fprintf(stderr, "nuagectl: --quantity '%s': expected a number of units, 1 or more\n", q);
      protobuf_c_message_free_unpacked(&cur->base, NULL);
      return NU_CTL_EXIT_USAGE;
    }
    req.quantity = n;
  }
  char rid[96];
  req.request_id = (char *)request_id(ctx, rid, sizeof(rid));
  ProtobufCMessage *msg = NULL;
  rc = nu_ctl_call(ctx, "/nuage.v1.SubscriptionService/TerminateSubscription", &req.base,
                   &nuage__v1__terminate_subscription_response__descriptor, DEFAULT_TIMEOUT_MS,
                   &msg);
  protobuf_c_message_free_unpacked(&cur->base, NULL);
  if (rc != 0) return rc;
  const Nuage__V1__TerminateSubscriptionResponse *resp = (const void *)msg;
  if (resp->terminated != NULL) out_subscription(&ctx->out, resp->terminated);
  if (resp->remaining != NULL) out_subscription(&ctx->out, resp->remaining);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

/* ---- order admit, order contest ------------------------------------------------ */

static void out_order_state(nu_out *out, const Nuage__V1__Order *o) {
  char status[64];
  nu_out_begin(out);
  nu_out_str(out, "id", o->id);
  nu_out_str(out, "number", o->number);
  nu_out_str(out, "status",
             nu_out_enum_word(&nuage__v1__order_status__descriptor, "ORDER_STATUS_", o->status,
                              status, sizeof(status)));
  nu_out_str(out, "admissions",
             o->n_admissions > 0 ? o->admissions[o->n_admissions - 1]->id : NULL);
  nu_out_str(out, "incident_id", o->incident_id);
  nu_out_end(out);
}

int nu_ctl_cmd_order_admit(nu_ctl *ctx) {
  Nuage__V1__AdmitDeliveryRequest req = NUAGE__V1__ADMIT_DELIVERY_REQUEST__INIT;
  req.order_id = ctx->argv[0];
  Nuage__V1__AdmittedLine line = NUAGE__V1__ADMITTED_LINE__INIT;
  Nuage__V1__AdmittedLine *lines[] = {&line};
  const char *l = nu_ctl_option_value(ctx, "line");
  const char *q = nu_ctl_option_value(ctx, "quantity");
  if ((l == NULL) != (q == NULL)) {
    fprintf(stderr, "nuagectl: order admit: --line and --quantity go together\n");
    return NU_CTL_EXIT_USAGE;
  }
  if (l != NULL) {
    char *end = NULL;
    long long n = strtoll(q, &end, 10);
    if (end == q || *end != '\0' || n < 1) {
      fprintf(stderr, "nuagectl: --quantity '%s': expected a number of units, 1 or more\n", q);
      return NU_CTL_EXIT_USAGE;
    }
    line.line_id = (char *)l;
    line.quantity = n;
    req.lines = lines;
    req.n_lines = 1;
  }
  char rid[96];
  req.request_id = (char *)request_id(ctx, rid, sizeof(rid));
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, "/nuage.v1.OrderService/AdmitDelivery", &req.base,
                       &nuage__v1__order__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  out_order_state(&ctx->out, (const Nuage__V1__Order *)msg);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

int nu_ctl_cmd_order_contest(nu_ctl *ctx) {
  Nuage__V1__ContestDeliveryRequest req = NUAGE__V1__CONTEST_DELIVERY_REQUEST__INIT;
  req.order_id = ctx->argv[0];
  req.reason = ctx->argv[1];
  const char *kind = nu_ctl_option_value(ctx, "kind");
  if (kind == NULL || strcmp(kind, "incomplete") == 0) {
    req.kind = NUAGE__V1__INCIDENT_KIND__INCIDENT_KIND_INCOMPLETE_ORDER;
  } else if (strcmp(kind, "credentials") == 0) {
    req.kind = NUAGE__V1__INCIDENT_KIND__INCIDENT_KIND_CREDENTIALS;
  } else {
    fprintf(stderr, "nuagectl: --kind '%s': expected incomplete or credentials\n", kind);
    return NU_CTL_EXIT_USAGE;
  }
  char rid[96];
  req.request_id = (char *)request_id(ctx, rid, sizeof(rid));
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, "/nuage.v1.OrderService/ContestDelivery", &req.base,
                       &nuage__v1__order__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  out_order_state(&ctx->out, (const Nuage__V1__Order *)msg);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}
