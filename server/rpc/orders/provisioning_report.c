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
 *
 * The batch costs a fixed number of statements, whatever its size: its
 * orders and their lines are read and locked in one query (in the order
 * of their ids, so concurrent batches queue rather than deadlock), the
 * event ids seen before in another; the reports are then decided in
 * memory, in the request's order, on those locked rows (a later report
 * sees what an earlier one did, as if each came alone); what they decided
 * is written with one statement per table (reports, lines, order
 * statuses, feed events), plus an audit row per status move and the
 * delivery notes.
 */
#include "server/rpc/orders/provisioning_report.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "nuage/v1/provisioning.pb-c.h"
#include "server/app/app.h"
#include "server/domain/orders/order_lines.h"
#include "server/domain/orders/order_status.h"
#include "server/domain/orders/policy.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/orders/access_details.h"
#include "server/rpc/orders/delivery_notes.h"
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

/* A line of the batch's orders, found by id (sorted for bsearch). */
typedef struct line_ref {
  const char *id;
  nu_order_line_row *line;
  nu_order_row *order;
} line_ref;

static int line_ref_cmp(const void *x, const void *y) {
  return strcmp(((const line_ref *)x)->id, ((const line_ref *)y)->id);
}

typedef struct report_run {
  nu_call *call;
  const Nuage__V1__ReportProvisioningRequest *req;
  const char *seller_id;
  Nuage__V1__ReportResult **results;
  /* Read once for the whole batch. */
  line_ref *lines; /* every line of the orders the batch names, sorted by id */
  size_t n_lines;
  bool *seen_before;   /* per report: its event id was recorded by an earlier batch */
  int *same_id_before; /* per report: the previous report with its event id, or -1 */
  bool *recorded;      /* per report: recorded by this batch */
  /* Written once at the end, in one statement each. */
  nu_report_new *records;
  size_t n_records;
  nu_order_line_update *writes; /* per line of lines[]: .line NULL when untouched */
  nu_order_event_new *events;
  size_t n_events;
  bool *status_moved; /* per order of the batch */
  nu_order_row *orders;
  size_t n_orders;
  /* What this batch delivered: one delivery note per order at the end. */
  nu_delivered_line *delivered;
  const nu_order_row **delivered_order;
  size_t n_delivered;
} report_run;

/* Whether an earlier report of this batch with report i's event id was
 * recorded (so report i is a duplicate of it). */
static bool recorded_earlier(const report_run *r, size_t i) {
  for (int j = r->same_id_before[i]; j >= 0; j = r->same_id_before[j]) {
    if (r->recorded[j]) return true;
  }
  return false;
}

static void record(report_run *r, size_t i, const char *line_id, const char *outcome,
                   int64_t at_us) {
  r->records[r->n_records++] = (nu_report_new){.event_id = r->req->reports[i]->event_id,
                                               .line_id = line_id,
                                               .outcome = outcome,
                                               .reported_us = at_us};
  r->recorded[i] = true;
}

static nu_status apply_one(report_run *r, nu_conn *c, nu_arena *a, size_t i) {
  const Nuage__V1__ProvisioningReport *p = r->req->reports[i];
  const char *id = p->event_id;
  Nuage__V1__ReportResult *bad = malformed(a, p);
  if (bad != NULL) {
    r->results[i] = bad;
    return nu_ok();
  }
  line_ref key = {.id = p->line_id};
  line_ref *ref =
      r->n_lines == 0 ? NULL : bsearch(&key, r->lines, r->n_lines, sizeof(*r->lines), line_ref_cmp);
  if (ref == NULL) {
    /* Absent, or another seller's: the same answer. */
    r->results[i] = rejected(a, id, NU_NOT_FOUND, "NOT_FOUND", "line_id", "order line not found");
    return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
  }
  nu_order_row *o = ref->order;
  nu_order_line_row *line = ref->line;
  int64_t at_us = nu_rpc_time_us(p->event_time);
  if (r->seen_before[i] || recorded_earlier(r, i)) {
    r->results[i] = result(a, id, NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_DUPLICATE);
    return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
  }
  if (line->last_report_us != 0 && at_us < line->last_report_us) {
    /* Recorded, so that sending it again is a duplicate. */
    record(r, i, line->id, "stale", at_us);
    r->results[i] = result(a, id, NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_STALE);
    return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
  }
  /* What the report does to the line and the order (domain/orders). The
   * rows in memory are the locked rows as this batch leaves them, so a
   * later report of the batch sees what an earlier one did. */
  nu_order_state from = nu_order_state_parse(o->status);
  nu_order_event ev = NU_ORDER_EVENT_LINE_IN_PROGRESS;
  nu_refusal why = {0};
  const uint8_t *sealed = NULL;
  size_t sealed_len = 0;
  bool raised = false;
  int64_t delivered_before = line->quantity_delivered;
  nu_order_line_row next_line = *line;
  switch (p->state) {
    case NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_IN_PROGRESS:
      next_line.provisioning = "in_progress";
      if (p->expected_delivery_time != NULL) {
        next_line.expected_delivery_us = nu_rpc_time_us(p->expected_delivery_time);
      }
      break;
    case NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_FAILED:
      ev = NU_ORDER_EVENT_LINE_FAILED;
      next_line.provisioning = "failed";
      next_line.failure_reason = p->failure_reason;
      break;
    default: {
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
      next_line.provisioning = "delivered";
      next_line.quantity_delivered = after.delivered;
      next_line.failure_reason = "";
      if (raised) {
        nu_order_line_qty *qs = nu_arena_calloc(a, o->n_lines, sizeof(*qs));
        if (qs == NULL) return nu_rpc_oom(a);
        for (size_t k = 0; k < o->n_lines; k++) {
          const nu_order_line_row *l = &o->lines[k] == line ? &next_line : &o->lines[k];
          qs[k] = (nu_order_line_qty){.ordered = l->quantity,
                                      .delivered = l->quantity_delivered,
                                      .admitted = l->quantity_admitted};
        }
        if (nu_order_delivery_event(qs, o->n_lines, &ev, &why) != 0) {
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
  if (p->state == NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_DELIVERED &&
      p->access_details[0] != '\0') {
    nu_app *app = nu_call_app(r->call);
    if (nu_access_details_seal(a, app->secret_key, p->access_details, strlen(p->access_details),
                               &sealed, &sealed_len) != 0) {
      return nu_rpc_oom(a);
    }
  }
  /* Applied: the line takes the report, written once at the end with the
   * newest access details the batch gave it. */
  next_line.last_report_us = at_us;
  *line = next_line;
  nu_order_line_update *w = &r->writes[ref - r->lines];
  w->line = line;
  if (sealed != NULL) {
    w->access_sealed = sealed;
    w->access_len = sealed_len;
  }
  record(r, i, line->id, "applied", at_us);
  r->events[r->n_events++] =
      (nu_order_event_new){.order_id = o->id, .line_id = line->id, .kind = "line_changed"};
  if (tr.changed) {
    const char *next = nu_order_state_name(tr.to);
    nu_audit_change ch[] = {{"status", o->status, next}};
    nu_status st =
        nu_rpc_audit(r->call, c, o->organization_id, "order.status", "order", o->id, ch, 1);
    if (!nu_status_is_ok(&st)) return st;
    o->status = next;
    r->status_moved[o - r->orders] = true;
    r->events[r->n_events++] =
        (nu_order_event_new){.order_id = o->id, .line_id = NULL, .kind = "order_changed"};
  }
  if (raised) {
    /* A line delivered twice in the batch counts once, with the sum. */
    size_t k = 0;
    while (k < r->n_delivered && strcmp(r->delivered[k].line_id, line->id) != 0) k++;
    if (k == r->n_delivered) {
      r->delivered[k] = (nu_delivered_line){.line_id = line->id, .quantity = 0};
      r->delivered_order[k] = o;
      r->n_delivered++;
    }
    r->delivered[k].quantity += line->quantity_delivered - delivered_before;
  }
  r->results[i] = result(a, id, NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_APPLIED);
  return r->results[i] != NULL ? nu_ok() : nu_rpc_oom(a);
}
/* Reads what the batch needs in three statements: its orders with their
 * lines (locked), and which event ids were recorded before. */
static nu_status read_batch(report_run *r, nu_conn *c, nu_arena *a) {
  size_t n = r->req->n_reports;
  const char **line_ids = nu_arena_calloc(a, n, sizeof(*line_ids));
  const char **event_ids = nu_arena_calloc(a, n, sizeof(*event_ids));
  if (line_ids == NULL || event_ids == NULL) return nu_rpc_oom(a);
  for (size_t i = 0; i < n; i++) {
    line_ids[i] = r->req->reports[i]->line_id;
    event_ids[i] = r->req->reports[i]->event_id;
  }
  nu_status st = nu_order_lock_by_lines(c, a, r->seller_id, line_ids, n, &r->orders, &r->n_orders);
  if (!nu_status_is_ok(&st)) return st;
  r->n_lines = 0;
  for (size_t k = 0; k < r->n_orders; k++) r->n_lines += r->orders[k].n_lines;
  r->lines = nu_arena_calloc(a, r->n_lines + 1, sizeof(*r->lines));
  r->writes = nu_arena_calloc(a, r->n_lines + 1, sizeof(*r->writes));
  r->status_moved = nu_arena_calloc(a, r->n_orders + 1, sizeof(*r->status_moved));
  if (r->lines == NULL || r->writes == NULL || r->status_moved == NULL) return nu_rpc_oom(a);
  size_t m = 0;
  for (size_t k = 0; k < r->n_orders; k++) {
    for (size_t j = 0; j < r->orders[k].n_lines; j++) {
      nu_order_line_row *l = &r->orders[k].lines[j];
      r->lines[m++] = (line_ref){.id = l->id, .line = l, .order = &r->orders[k]};
    }
  }
  if (m > 1) qsort(r->lines, m, sizeof(*r->lines), line_ref_cmp);
  return nu_report_seen_many(c, a, r->seller_id, event_ids, n, r->seen_before);
}

/* Writes what the batch decided to reports, lines and orders, one
 * statement per table (the feed events go last, in report_tx). */
static nu_status write_batch(report_run *r, nu_conn *c, nu_arena *a) {
  int64_t now = nu_rpc_now(r->call);
  size_t recorded = 0;
  nu_status st =
      nu_report_record_many(c, a, r->seller_id, r->records, r->n_records, now, &recorded);
  if (!nu_status_is_ok(&st)) return st;
  if (recorded != r->n_records) {
    /* Another batch with one of these event ids, on a line of another
     * order, committed meanwhile: the provider resends, and this batch
     * then sees the duplicate. */
    return nu_error(a, NU_ABORTED, "CONCURRENT_REPORT", "the same event id arrived twice at once");
  }
  size_t n_writes = 0;
  for (size_t k = 0; k < r->n_lines; k++) {
    if (r->writes[k].line != NULL) r->writes[n_writes++] = r->writes[k];
  }
  st = nu_order_line_write_many(c, a, r->writes, n_writes, now);
  if (!nu_status_is_ok(&st)) return st;
  const char **ids = nu_arena_calloc(a, r->n_orders + 1, sizeof(*ids));
  const char **statuses = nu_arena_calloc(a, r->n_orders + 1, sizeof(*statuses));
  if (ids == NULL || statuses == NULL) return nu_rpc_oom(a);
  size_t n_moved = 0;
  for (size_t k = 0; k < r->n_orders; k++) {
    if (!r->status_moved[k]) continue;
    ids[n_moved] = r->orders[k].id;
    statuses[n_moved++] = r->orders[k].status;
  }
  return nu_order_set_status_many(c, a, ids, statuses, n_moved, now);
}

static nu_status report_tx(nu_conn *c, nu_arena *a, void *arg) {
  report_run *r = arg;
  size_t n = r->req->n_reports;
  /* Retries start over. */
  r->n_delivered = 0;
  r->n_records = 0;
  r->n_events = 0;
  for (size_t i = 0; i < n; i++) {
    r->results[i] = NULL;
    r->recorded[i] = false;
  }
  nu_status st = read_batch(r, c, a);
  if (!nu_status_is_ok(&st)) return st;
  for (size_t i = 0; i < n; i++) {
    st = apply_one(r, c, a, i);
    if (!nu_status_is_ok(&st)) return st;
  }
  st = write_batch(r, c, a);
  if (!nu_status_is_ok(&st)) return st;
  /* One delivery note per order delivered in this batch, with its lines. */
  for (size_t i = 0; i < r->n_delivered; i++) {
    bool first = true;
    for (size_t j = 0; j < i; j++) {
      if (r->delivered_order[j] == r->delivered_order[i]) first = false;
    }
    if (!first) continue;
    nu_delivered_line *mine = nu_arena_calloc(a, r->n_delivered, sizeof(*mine));
    if (mine == NULL) return nu_rpc_oom(a);
    size_t k = 0;
    for (size_t j = i; j < r->n_delivered; j++) {
      if (r->delivered_order[j] == r->delivered_order[i]) mine[k++] = r->delivered[j];
    }
    st = nu_delivery_note_issue(r->call, c, r->delivered_order[i], mine, k, NULL);
    if (!nu_status_is_ok(&st)) return st;
  }
  /* Last: appending takes the seller's feed row until the commit, and
   * every batch of the seller waits for it. */
  int64_t last_seq = 0;
  return nu_order_event_append_many(c, a, r->seller_id, r->events, r->n_events, nu_rpc_now(r->call),
                                    &last_seq);
}

/* An event id and where it sits in the request, to find repeats. */
typedef struct event_pos {
  const char *id;
  size_t i;
} event_pos;

static int event_pos_cmp(const void *x, const void *y) {
  const event_pos *p = x, *q = y;
  int c = strcmp(p->id, q->id);
  if (c != 0) return c;
  return p->i < q->i ? -1 : p->i > q->i;
}

/* same_id_before[i]: the previous report of the request with report i's
 * event id, or -1. */
static int link_repeats(nu_arena *a, const Nuage__V1__ReportProvisioningRequest *req,
                        int *same_id_before) {
  size_t n = req->n_reports;
  event_pos *pos = nu_arena_calloc(a, n + 1, sizeof(*pos));
  if (pos == NULL) return -1;
  for (size_t i = 0; i < n; i++) pos[i] = (event_pos){req->reports[i]->event_id, i};
  if (n > 1) qsort(pos, n, sizeof(*pos), event_pos_cmp);
  for (size_t k = 0; k < n; k++) {
    same_id_before[pos[k].i] =
        k > 0 && strcmp(pos[k - 1].id, pos[k].id) == 0 ? (int)pos[k - 1].i : -1;
  }
  return 0;
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
  size_t n = req->n_reports;
  r.delivered = nu_arena_calloc(a, n, sizeof(*r.delivered));
  r.delivered_order = nu_arena_calloc(a, n, sizeof(*r.delivered_order));
  r.seen_before = nu_arena_calloc(a, n, sizeof(*r.seen_before));
  r.same_id_before = nu_arena_calloc(a, n, sizeof(*r.same_id_before));
  r.recorded = nu_arena_calloc(a, n, sizeof(*r.recorded));
  r.records = nu_arena_calloc(a, n, sizeof(*r.records));
  /* A line_changed per report and an order_changed per status move. */
  r.events = nu_arena_calloc(a, 2 * n, sizeof(*r.events));
  if (r.results == NULL || r.delivered == NULL || r.delivered_order == NULL ||
      r.seen_before == NULL || r.same_id_before == NULL || r.recorded == NULL ||
      r.records == NULL || r.events == NULL || link_repeats(a, req, r.same_id_before) != 0) {
    return nu_rpc_oom(a);
  }
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
