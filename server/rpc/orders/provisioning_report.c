/*
 * provisioning_report.c — ReportProvisioning: a batch of up to 1000
 * per-line reports from the seller's backend, applied in one transaction,
 * one result per report in the request's order.
 *
 * For each report, in order:
 *   - malformed (no event id, no time, a bad state, a quantity out of
 *     bounds…): REJECTED INVALID_ARGUMENT on its field, nothing recorded;
 *   - a line that is not one of the seller's orders: REJECTED NOT_FOUND,
 *     worded exactly as for a line that does not exist;
 *   - an event id the seller sent before (in an earlier batch or earlier
 *     in this one): DUPLICATE, nothing changes;
 *   - older than the newest report applied to the line: STALE (recorded,
 *     so that sending it again is a DUPLICATE), nothing changes;
 *   - a closed order (cancelled, admitted) or a delivered quantity below
 *     what the buyer already admitted: REJECTED FAILED_PRECONDITION;
 *   - otherwise APPLIED: the line takes the report; the order's status
 *     follows its lines; the feed gets LINE_CHANGED (and ORDER_CHANGED
 *     when the status moved).
 * Each order that received units in the batch gets one delivery note
 * (BL + 6 digits) listing what this batch delivered, and whoever placed it
 * is told.
 * Access details are sealed before they reach the database and never
 * logged. A report's rejection never rolls back the others; a database
 * failure fails the whole batch (nothing applied, the provider resends).
 */
#include "server/rpc/orders/provisioning_report.h"

#include <inttypes.h>
#include <string.h>

#include "nuage/v1/provisioning.pb-c.h"
#include "server/app/app.h"
#include "server/domain/orders/order_lines.h"
#include "server/domain/orders/order_status.h"
#include "server/domain/orders/policy.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/orders/access_details.h"
#include "server/rpc/orders/delivery_notes.h"
#include "server/store/identity/user_store.h"
#include "server/store/orders/order_event_store.h"
#include "server/store/orders/order_store.h"
#include "server/store/orders/report_store.h"
#include "server/validate/ids.h"

static Nuage__V1__ReportResult *result(nu_arena *a, const char *event_id,
                                       Nuage__V1__ReportOutcome outcome) {
  Nuage__V1__ReportResult *r =
      NU_RPC_NEW(a, Nuage__V1__ReportResult, nuage__v1__report_result__init);
  if (r == NULL) return NULL;
  r->event_id = (char *)event_id;
  r->outcome = outcome;
  return r;
}

static Nuage__V1__ReportResult *rejected(nu_arena *a, const char *event_id, nu_code code,
                                         const char *reason, const char *field,
                                         const char *message) {
  Nuage__V1__ReportResult *r =
      result(a, event_id, NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_REJECTED);
  Nuage__V1__ReportError *e = NU_RPC_NEW(a, Nuage__V1__ReportError, nuage__v1__report_error__init);
  if (r == NULL || e == NULL) return NULL;
  e->code = (int32_t)code;
  e->reason = (char *)reason;
  e->message = (char *)message;
  e->field = (char *)(field != NULL ? field : "");
  r->error = e;
  return r;
}

/* What is wrong with a report on its own, or NULL. */
static Nuage__V1__ReportResult *malformed(nu_arena *a, const Nuage__V1__ProvisioningReport *p) {
  const char *id = p->event_id;
#define BAD(field, msg) rejected(a, id, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", field, msg)
  if (p->event_id[0] == '\0') return BAD("event_id", "event_id is required");
  if (strlen(p->event_id) > NU_PROVISIONING_EVENT_ID_MAX_LEN) {
    return BAD("event_id", "event_id is longer than 128 bytes");
  }
  if (p->event_time == NULL) return BAD("event_time", "event_time is required");
  if (!nu_id_valid(p->line_id)) return BAD("line_id", "line_id must be an order line id (a UUID)");
  switch (p->state) {
    case NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_IN_PROGRESS: break;
    case NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_DELIVERED:
      if (p->quantity_delivered < 1) {
        return BAD("quantity_delivered", "quantity_delivered must be at least 1 when delivered");
      }
      if (strlen(p->access_details) > NU_PROVISIONING_ACCESS_MAX_LEN) {
        return BAD("access_details", "access_details is longer than 16384 bytes");
      }
      break;
    case NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_FAILED:
      if (p->failure_reason[0] == '\0') {
        return BAD("failure_reason", "failure_reason is required when failed");
      }
      if (strlen(p->failure_reason) > NU_PROVISIONING_REASON_MAX_LEN) {
        return BAD("failure_reason", "failure_reason is longer than 2000 bytes");
      }
      break;
    default: return BAD("state", "state must be IN_PROGRESS, DELIVERED or FAILED");
  }
  if (p->state != NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_DELIVERED &&
      (p->quantity_delivered != 0 || p->access_details[0] != '\0')) {
    return BAD("quantity_delivered", "quantity_delivered and access_details go with DELIVERED");
  }
#undef BAD
  return NULL;
}

typedef struct report_run {
  nu_call *call;
  const Nuage__V1__ReportProvisioningRequest *req;
  const char *seller_id;
  Nuage__V1__ReportResult **results;
  /* What this batch delivered: one delivery note per order at the end. */
  nu_delivered_line *delivered;
  const nu_order_row **delivered_order;
  size_t n_delivered;
} report_run;

/* Records the event id as received. The order's lock serialises the
 * reports on its lines, so a report seen as new above is still new here. */
static nu_status record(report_run *r, nu_conn *c, nu_arena *a, const char *event_id,
                        const char *line_id, const char *outcome, int64_t at_us) {
  bool first = false;
  nu_status st = nu_report_record(c, a, r->seller_id, event_id, line_id, outcome, at_us,
                                  nu_rpc_now(r->call), &first);
  if (!nu_status_is_ok(&st)) return st;
  if (!first) {
    /* Another batch with the same id on another line of ours committed
     * meanwhile: retry the batch, which then sees the duplicate. */
    return nu_error(a, NU_ABORTED, "CONCURRENT_REPORT", "the same event id arrived twice at once");
  }
  return nu_ok();
}

static nu_status apply_one(report_run *r, nu_conn *c, nu_arena *a, size_t i) {
  const Nuage__V1__ProvisioningReport *p = r->req->reports[i];
  const char *id = p->event_id;
  Nuage__V1__ReportResult *bad = malformed(a, p);
  if (bad != NULL) {
    r->results[i] = bad;
    return nu_ok();
  }
  nu_order_row o;
  bool found = false;
  nu_status st = nu_order_get_by_line(c, a, p->line_id, true, &o, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || strcmp(o.seller_id, r->seller_id) != 0) {
    r->results[i] = rejected(a, id, NU_NOT_FOUND, "NOT_FOUND", "line_id", "order line not found");
    return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
  }
  nu_order_line_row *line = NULL;
  for (size_t k = 0; k < o.n_lines; k++) {
    if (strcmp(o.lines[k].id, p->line_id) == 0) line = &o.lines[k];
  }
  if (line == NULL) return nu_error(a, NU_INTERNAL, NULL, "the line's order lacks the line");
  int64_t at_us = nu_rpc_time_us(p->event_time);
  bool seen = false;
  st = nu_report_seen(c, a, r->seller_id, id, &seen);
  if (!nu_status_is_ok(&st)) return st;
  if (seen) {
    r->results[i] = result(a, id, NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_DUPLICATE);
    return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
  }
  if (line->last_report_us != 0 && at_us < line->last_report_us) {
    /* Recorded, so that sending it again is a duplicate. */
    st = record(r, c, a, id, line->id, "stale", at_us);
    if (!nu_status_is_ok(&st)) return st;
    r->results[i] = result(a, id, NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_STALE);
    return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
  }
  /* What the report does to the line and the order (domain/orders). */
  nu_order_state from = nu_order_state_parse(o.status);
  nu_order_event ev = NU_ORDER_EVENT_LINE_IN_PROGRESS;
  nu_refusal why = {0};
  const uint8_t *sealed = NULL;
  size_t sealed_len = 0;
  bool raised = false;
  int64_t delivered_before = line->quantity_delivered;
  switch (p->state) {
    case NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_IN_PROGRESS:
      line->provisioning = "in_progress";
      if (p->expected_delivery_time != NULL) {
        line->expected_delivery_us = nu_rpc_time_us(p->expected_delivery_time);
      }
      break;
    case NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_FAILED:
      ev = NU_ORDER_EVENT_LINE_FAILED;
      line->provisioning = "failed";
      line->failure_reason = p->failure_reason;
      break;
    default: {
      delivered_before = line->quantity_delivered;
      nu_order_line_qty q = {.ordered = line->quantity,
                             .delivered = line->quantity_delivered,
                             .admitted = line->quantity_admitted};
      nu_order_line_qty after;
      if (nu_order_line_deliver(&q, p->quantity_delivered, &after, &raised, &why) != 0) {
        bool too_many = strcmp(why.reason, "DELIVERED_QUANTITY_EXCEEDS_ORDERED") == 0;
        r->results[i] = rejected(a, id, too_many ? NU_INVALID_ARGUMENT : NU_FAILED_PRECONDITION,
                                 why.reason, "quantity_delivered", why.message);
        return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
      }
      line->provisioning = "delivered";
      line->quantity_delivered = after.delivered;
      line->failure_reason = "";
      if (p->access_details[0] != '\0') {
        nu_app *app = nu_call_app(r->call);
        if (nu_access_details_seal(a, app->secret_key, p->access_details, strlen(p->access_details),
                                   &sealed, &sealed_len) != 0) {
          return nu_rpc_oom(a);
        }
      }
      if (raised) {
        nu_order_line_qty *qs = nu_arena_calloc(a, o.n_lines, sizeof(*qs));
        if (qs == NULL) return nu_rpc_oom(a);
        for (size_t k = 0; k < o.n_lines; k++) {
          qs[k] = (nu_order_line_qty){.ordered = o.lines[k].quantity,
                                      .delivered = o.lines[k].quantity_delivered,
                                      .admitted = o.lines[k].quantity_admitted};
        }
        if (nu_order_delivery_event(qs, o.n_lines, &ev, &why) != 0) {
          return nu_error(a, NU_INTERNAL, why.reason, "%s", why.message);
        }
      }
      break;
    }
  }
  nu_order_transition tr = {.to = from};
  bool moves = p->state != NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_DELIVERED || raised;
  if (moves && nu_order_status_next(from, ev, NULL, &tr, &why) != 0) {
    r->results[i] = rejected(a, id, NU_FAILED_PRECONDITION, why.reason, NULL, why.message);
    return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
  }
  line->last_report_us = at_us;
  int64_t now = nu_rpc_now(r->call);
  st = record(r, c, a, id, line->id, "applied", at_us);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_order_line_write(c, a, line, sealed, sealed_len, now);
  if (!nu_status_is_ok(&st)) return st;
  int64_t seq = 0;
  st = nu_order_event_append(c, a, o.seller_id, o.id, line->id, "line_changed", now, &seq);
  if (!nu_status_is_ok(&st)) return st;
  if (tr.changed) {
    const char *next = nu_order_state_name(tr.to);
    st = nu_order_set_status(c, a, o.id, next, now);
    if (!nu_status_is_ok(&st)) return st;
    st = nu_order_event_append(c, a, o.seller_id, o.id, NULL, "order_changed", now, &seq);
    if (!nu_status_is_ok(&st)) return st;
    nu_audit_change ch[] = {{"status", o.status, next}};
    st = nu_rpc_audit(r->call, c, o.organization_id, "order.status", "order", o.id, ch, 1);
    if (!nu_status_is_ok(&st)) return st;
  }
  if (raised) {
    /* A line delivered twice in the batch counts once, with the sum. */
    size_t k = 0;
    while (k < r->n_delivered && strcmp(r->delivered[k].line_id, line->id) != 0) k++;
    if (k == r->n_delivered) {
      r->delivered[k] = (nu_delivered_line){.line_id = line->id, .quantity = 0};
      nu_order_row *copy = nu_arena_alloc(a, sizeof(*copy));
      if (copy == NULL) return nu_rpc_oom(a);
      *copy = o;
      r->delivered_order[k] = copy;
      r->n_delivered++;
    }
    r->delivered[k].quantity += line->quantity_delivered - delivered_before;
  }
  r->results[i] = result(a, id, NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_APPLIED);
  return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
}

static nu_status report_tx(nu_conn *c, nu_arena *a, void *arg) {
  report_run *r = arg;
  r->n_delivered = 0; /* retries start over */
  for (size_t i = 0; i < r->req->n_reports; i++) {
    r->results[i] = NULL;
    nu_status st = apply_one(r, c, a, i);
    if (!nu_status_is_ok(&st)) return st;
  }
  /* One delivery note per order delivered in this batch, with its lines. */
  for (size_t i = 0; i < r->n_delivered; i++) {
    bool first = true;
    for (size_t j = 0; j < i; j++) {
      if (strcmp(r->delivered_order[j]->id, r->delivered_order[i]->id) == 0) first = false;
    }
    if (!first) continue;
    nu_delivered_line *mine = nu_arena_calloc(a, r->n_delivered, sizeof(*mine));
    if (mine == NULL) return nu_rpc_oom(a);
    size_t n = 0;
    for (size_t j = i; j < r->n_delivered; j++) {
      if (strcmp(r->delivered_order[j]->id, r->delivered_order[i]->id) == 0)
        mine[n++] = r->delivered[j];
    }
    nu_status st = nu_delivery_note_issue(r->call, c, r->delivered_order[i], mine, n, NULL);
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
}

static nu_status validate_report(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ReportProvisioningRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  if (req->n_reports == 0) nu_validate_fail(&v, "reports", "is required: at least one report");
  if (req->n_reports > NU_PROVISIONING_BATCH_MAX) {
    nu_validate_fail(&v, "reports", "has %zu reports; a batch holds at most %d", req->n_reports,
                     NU_PROVISIONING_BATCH_MAX);
  }
  return nu_validator_result(&v);
}

static nu_status report(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__ReportProvisioningRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  const char *seller = nu_call_principal(call)->organization_id;
  if (seller == NULL) {
    return nu_error(a, NU_FAILED_PRECONDITION, "NO_ORGANIZATION",
                    "the caller acts for no organization: use an access key of the seller");
  }
  report_run r = {.call = call, .req = req, .seller_id = seller};
  r.results = (Nuage__V1__ReportResult **)nu_rpc_array(a, req->n_reports);
  r.delivered = nu_arena_calloc(a, req->n_reports, sizeof(*r.delivered));
  r.delivered_order = nu_arena_calloc(a, req->n_reports, sizeof(*r.delivered_order));
  if (r.results == NULL || r.delivered == NULL || r.delivered_order == NULL) return nu_rpc_oom(a);
  nu_status st = nu_rpc_tx(call, false, report_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__ReportProvisioningResponse *out = NU_RPC_NEW(
      a, Nuage__V1__ReportProvisioningResponse, nuage__v1__report_provisioning_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  out->results = r.results;
  out->n_results = req->n_reports;
  *resp = &out->base;
  return nu_ok();
}

const nu_method nu_provisioning_report_methods[] = {
    NU_RPC_ROW("ProvisioningService", "ReportProvisioning", report_provisioning_request,
               report_provisioning_response, validate_report, report),
};
const size_t nu_provisioning_report_methods_count =
    sizeof(nu_provisioning_report_methods) / sizeof(nu_provisioning_report_methods[0]);
