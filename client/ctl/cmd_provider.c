/*
 * cmd_provider.c — a provider's backend from the command line
 * (nuage.v1.ProvisioningService): `nuagectl provider watch` follows the
 * seller's order feed, `provider events` pages through it, `provider
 * report FILE` sends provisioning reports from a JSON-lines file.
 *
 * The credential is an access key of the seller organisation, given like a
 * session token (--token or NUAGE_TOKEN): the bearer "<id>:<secret>".
 * Access details a report carries are sent, never printed, and the lines
 * that held them are zeroed once sent.
 *
 * The feed is at-least-once: every event printed carries its cursor, and
 * a watch whose stream drops reconnects from the last cursor it printed,
 * after a growing pause, until Ctrl-C or the --timeout deadline.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "client/ctl/ctl.h"
#include "client/ctl/json_line.h"
#include "client/ctl/order_output.h"
#include "nuage/v1/provisioning.pb-c.h"

#define WATCH_METHOD "/nuage.v1.ProvisioningService/WatchOrderEvents"
#define LIST_METHOD "/nuage.v1.ProvisioningService/ListOrderEvents"
#define REPORT_METHOD "/nuage.v1.ProvisioningService/ReportProvisioning"
#define DEFAULT_TIMEOUT_MS 10000
#define REPORT_TIMEOUT_MS 60000 /* a batch of 1000 reports in one transaction */
#define WATCH_POLL_MS 500       /* how often a watch looks for Ctrl-C */
#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 30000
#define MAX_BATCH 1000 /* ReportProvisioningRequest's bound */
#define DEFAULT_EVENTS 100
#define MAX_EVENTS 100000
#define KIND_PREFIX "ORDER_EVENT_KIND_"
#define OUTCOME_PREFIX "REPORT_OUTCOME_"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The option's value as a whole number in min..max into *out (absent
 * leaves it). Returns 0, or NU_CTL_EXIT_USAGE after saying why. */
static int int_option(const nu_ctl *ctx, const char *name, int64_t min, int64_t max, int64_t *out) {
  const char *s = nu_ctl_option_value(ctx, name);
  char *end = NULL;
  if (s == NULL) return 0;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (s[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
    fprintf(stderr, "nuagectl: %s: --%s '%s': expected a whole number, %" PRId64 "..%" PRId64 "\n",
            ctx->command->name, name, s, min, max);
    return NU_CTL_EXIT_USAGE;
  }
  *out = v;
  return 0;
}

/* ---- the feed ------------------------------------------------------------------------- */

/* One event: a line for people (cursor, time, kind, order, status, line),
 * or a JSON object with the whole order. */
static void print_event(nu_ctl *ctx, const Nuage__V1__OrderEvent *e) {
  char kind[64], when[40] = "-", status[64];
  const Nuage__V1__Order *ord = e->order;
  nu_out_enum_word(&nuage__v1__order_event_kind__descriptor, KIND_PREFIX, e->kind, kind,
                   sizeof kind);
  if (ctx->json) {
    nu_out *o = &ctx->out;
    nu_out_begin(o);
    nu_out_int(o, "cursor", e->cursor);
    nu_out_str(o, "kind", kind);
    nu_ctl_out_time(o, "event_time", e->event_time);
    nu_out_str(o, "line_id", e->line_id != NULL && e->line_id[0] != '\0' ? e->line_id : NULL);
    if (ord != NULL) {
      nu_out_begin_object(o, "order");
      nu_ctl_out_order(o, ord);
      nu_out_end_object(o);
    } else {
      nu_out_str(o, "order", NULL);
    }
    nu_out_end(o);
    return;
  }
  if (e->event_time != NULL) nu_out_format_timestamp(e->event_time->seconds, 0, when, sizeof when);
  printf("%" PRId64 "  %s  %-16s", e->cursor, when, kind);
  if (ord != NULL) {
    printf("  %s  %s  ", ord->number, nu_ctl_order_status_word(ord->status, status, sizeof status));
    nu_out_text(stdout, ord->organization_name);
  }
  if (e->line_id != NULL && e->line_id[0] != '\0') printf("  line %s", e->line_id);
  fputc('\n', stdout);
  fflush(stdout);
}

/* Whether a stream that ended with code is worth opening again: the
 * server going away or restarting, not a refusal. */
static bool transient(int code) {
  return code == NU_CLIENT_OK || code == NU_CLIENT_UNAVAILABLE || code == NU_CLIENT_INTERNAL ||
         code == NU_CLIENT_UNKNOWN || code == NU_CLIENT_ABORTED ||
         code == NU_CLIENT_RESOURCE_EXHAUSTED || code == NU_CLIENT_CANCELLED;
}

/* Sleeps ms, waking for Ctrl-C. */
static void pause_ms(int64_t ms) {
  struct timespec step = {0, 100 * 1000000L};
  for (int64_t slept = 0; slept < ms && !interrupted; slept += 100) nanosleep(&step, NULL);
}

/* Reads one stream until it ends. Returns 0 when it ended (st says how),
 * or an exit status. */
static int follow(nu_ctl *ctx, int64_t *cursor, int64_t *backoff, nu_client_status *st) {
  Nuage__V1__WatchOrderEventsRequest req = NUAGE__V1__WATCH_ORDER_EVENTS_REQUEST__INIT;
  nu_client_stream *stream = NULL;
  req.cursor = *cursor;
  int rc = nu_ctl_open_stream(ctx, WATCH_METHOD, &req.base, &stream);
  if (rc != 0) return rc;
  while (!interrupted) {
    ProtobufCMessage *msg = NULL;
    int r =
        nu_client_stream_read(stream, WATCH_POLL_MS, &nuage__v1__order_event__descriptor, &msg, st);
    if (r == NU_CLIENT_STREAM_TIMEOUT) continue;
    if (r != NU_CLIENT_STREAM_MESSAGE) break;
    const Nuage__V1__OrderEvent *e = (const Nuage__V1__OrderEvent *)msg;
    if (e->resumed)
      fprintf(stderr, "resumed after cursor %" PRId64 " (events may repeat: compare cursors)\n",
              *cursor);
    print_event(ctx, e);
    if (e->cursor > *cursor) *cursor = e->cursor;
    *backoff = BACKOFF_FIRST_MS; /* the stream worked: start the pauses over */
    protobuf_c_message_free_unpacked(msg, NULL);
  }
  nu_client_stream_close(stream);
  return 0;
}

int nu_ctl_cmd_provider_watch(nu_ctl *ctx) {
  struct sigaction sa, old_int, old_term;
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  int64_t cursor = 0, backoff = BACKOFF_FIRST_MS;
  int64_t deadline = ctx->timeout_ms > 0 ? now_ms() + ctx->timeout_ms : 0;
  int rc = int_option(ctx, "cursor", 0, INT64_MAX, &cursor);
  if (rc != 0) return rc;
  if (sodium_init() < 0) return nu_ctl_local_failure(ctx, "cannot initialise libsodium");

  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_int);
  sigaction(SIGTERM, &sa, &old_term);
  while (!interrupted) {
    /* --timeout bounds the whole watch, reconnections included. */
    if (deadline != 0) {
      int64_t left = deadline - now_ms();
      if (left <= 0) break;
      ctx->timeout_ms = left;
    }
    nu_client_status_clear(&st);
    rc = follow(ctx, &cursor, &backoff, &st);
    if (rc != 0 || interrupted) break;
    if (st.code == NU_CLIENT_DEADLINE_EXCEEDED && deadline != 0) break;
    if (!transient(st.code)) {
      rc = nu_ctl_report_error(ctx, &st);
      break;
    }
    /* Full jitter: backends restarted together do not reconnect together. */
    int64_t wait = backoff / 2 + (int64_t)randombytes_uniform((uint32_t)(backoff / 2 + 1));
    fprintf(stderr, "stream ended (%s); reconnecting in %" PRId64 " ms from cursor %" PRId64 "\n",
            nu_client_code_name(st.code), wait, cursor);
    pause_ms(wait);
    backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
  }
  fprintf(stderr, "cursor: %" PRId64 "\n", cursor);
  nu_client_status_clear(&st);
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  return rc;
}

int nu_ctl_cmd_provider_events(nu_ctl *ctx) {
  Nuage__V1__ListOrderEventsRequest req = NUAGE__V1__LIST_ORDER_EVENTS_REQUEST__INIT;
  int64_t cursor = 0, limit = DEFAULT_EVENTS, shown = 0;
  int rc;
  if ((rc = int_option(ctx, "cursor", 0, INT64_MAX, &cursor)) != 0 ||
      (rc = int_option(ctx, "limit", 1, MAX_EVENTS, &limit)) != 0)
    return rc;
  while (shown < limit) {
    ProtobufCMessage *msg = NULL;
    req.cursor = cursor;
    req.page_size = (int32_t)(limit - shown > MAX_BATCH ? MAX_BATCH : limit - shown);
    rc = nu_ctl_call(ctx, LIST_METHOD, &req.base,
                     &nuage__v1__list_order_events_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
    if (rc != 0) return rc;
    const Nuage__V1__ListOrderEventsResponse *resp = (const void *)msg;
    size_t n = resp->n_events;
    for (size_t i = 0; i < n && shown < limit; i++, shown++) {
      print_event(ctx, resp->events[i]);
      cursor = resp->events[i]->cursor;
    }
    protobuf_c_message_free_unpacked(msg, NULL);
    if (n == 0) break;
  }
  /* The cursor to resume from: the last event shown. */
  nu_out_begin(&ctx->out);
  nu_out_int(&ctx->out, "next_cursor", cursor);
  nu_out_end(&ctx->out);
  return NU_CTL_EXIT_OK;
}

/* ---- reports ---------------------------------------------------------------------------- */

/* One line of the file, parsed: the report points into json's storage. */
typedef struct pending {
  long line_no;
  nu_json_line json;
  Nuage__V1__ProvisioningReport report;
  Google__Protobuf__Timestamp event_time, expected;
} pending;

typedef struct tally {
  int64_t applied, duplicate, stale, rejected, done, total;
} tally;

static const char *str_member(const nu_json_line *j, const char *key) {
  const nu_json_member *m = nu_json_line_get(j, key);
  return m != NULL && m->kind == NU_JSON_STRING ? m->text : NULL;
}

/* Fills p->report from p->json. Returns 0, or -1 with *why. */
static int to_report(pending *p, const char **why) {
  static const char *const known[] = {
      "event_id",           "event_time",     "line_id",        "state",
      "quantity_delivered", "access_details", "failure_reason", "expected_delivery_time"};
  Nuage__V1__ProvisioningReport *r = &p->report;
  const nu_json_member *m;
  const char *s;

  for (size_t i = 0; i < p->json.n; i++) {
    bool ok = false;
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
      ok = ok || strcmp(p->json.members[i].key, known[k]) == 0;
    if (!ok) {
      *why =
          "unknown member (expected event_id, event_time, line_id, state, "
          "quantity_delivered, access_details, failure_reason, expected_delivery_time)";
      return -1;
    }
    if (p->json.members[i].kind != NU_JSON_NULL && p->json.members[i].kind != NU_JSON_STRING &&
        strcmp(p->json.members[i].key, "quantity_delivered") != 0) {
      *why = "every member but quantity_delivered is a string";
      return -1;
    }
  }
  nuage__v1__provisioning_report__init(r);
  r->event_id = (char *)str_member(&p->json, "event_id");
  r->line_id = (char *)str_member(&p->json, "line_id");
  r->access_details = (char *)str_member(&p->json, "access_details");
  r->failure_reason = (char *)str_member(&p->json, "failure_reason");
  if ((s = str_member(&p->json, "event_time")) != NULL) {
    google__protobuf__timestamp__init(&p->event_time);
    if (nu_out_parse_timestamp(s, &p->event_time.seconds, &p->event_time.nanos) != 0) {
      *why = "event_time: expected RFC 3339 (2026-11-21T13:51:00Z)";
      return -1;
    }
    r->event_time = &p->event_time;
  }
  if ((s = str_member(&p->json, "expected_delivery_time")) != NULL) {
    google__protobuf__timestamp__init(&p->expected);
    if (nu_out_parse_timestamp(s, &p->expected.seconds, &p->expected.nanos) != 0) {
      *why = "expected_delivery_time: expected RFC 3339 (2026-11-21T13:51:00Z)";
      return -1;
    }
    r->expected_delivery_time = &p->expected;
  }
  if ((s = str_member(&p->json, "state")) != NULL) {
    if (strcmp(s, "in_progress") == 0)
      r->state = NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_IN_PROGRESS;
    else if (strcmp(s, "delivered") == 0)
      r->state = NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_DELIVERED;
    else if (strcmp(s, "failed") == 0)
      r->state = NUAGE__V1__LINE_PROVISIONING__LINE_PROVISIONING_FAILED;
    else {
      *why = "state: expected in_progress, delivered or failed";
      return -1;
    }
  }
  if ((m = nu_json_line_get(&p->json, "quantity_delivered")) != NULL && m->kind != NU_JSON_NULL) {
    char *end = NULL;
    errno = 0;
    long long q = m->kind == NU_JSON_NUMBER ? strtoll(m->text, &end, 10) : 0;
    if (m->kind != NU_JSON_NUMBER || *end != '\0' || errno != 0) {
      *why = "quantity_delivered: expected a whole number";
      return -1;
    }
    r->quantity_delivered = q;
  }
  return 0;
}

/* One result: a line for people, a JSON object for scripts. error NULL
 * unless rejected; code is the gRPC code, or -1 for a line never sent. */
static void print_result(nu_ctl *ctx, long line_no, const char *event_id, const char *outcome,
                         int code, const char *reason, const char *message, const char *field) {
  if (ctx->json) {
    nu_out *o = &ctx->out;
    nu_out_begin(o);
    nu_out_int(o, "line", line_no);
    nu_out_str(o, "event_id", event_id);
    nu_out_str(o, "outcome", outcome);
    if (reason != NULL || message != NULL) {
      nu_out_begin_object(o, "error");
      nu_out_str(o, "code", code >= 0 ? nu_client_code_name(code) : NULL);
      nu_out_str(o, "reason", reason);
      nu_out_str(o, "message", message);
      nu_out_str(o, "field", field);
      nu_out_end_object(o);
    } else {
      nu_out_str(o, "error", NULL);
    }
    nu_out_end(o);
    return;
  }
  printf("line %ld  ", line_no);
  nu_out_text(stdout, event_id != NULL ? event_id : "-");
  printf("  %s", outcome);
  if (reason != NULL || message != NULL) {
    if (code >= 0) printf("  %s", nu_client_code_name(code));
    if (reason != NULL) {
      fputs("  ", stdout);
      nu_out_text(stdout, reason);
    }
    if (message != NULL) {
      fputs(": ", stdout);
      nu_out_text(stdout, message);
    }
    if (field != NULL && field[0] != '\0') {
      fputs(" (field ", stdout);
      nu_out_text(stdout, field);
      fputc(')', stdout);
    }
  }
  fputc('\n', stdout);
}

static void progress(const tally *t, bool tty) {
  if (!tty) {
    fprintf(stderr, "reported %" PRId64 "/%" PRId64 "\n", t->done, t->total);
    return;
  }
  enum { WIDTH = 30 };
  int filled = t->total > 0 ? (int)(t->done * WIDTH / t->total) : WIDTH;
  fputs("\r[", stderr);
  for (int i = 0; i < WIDTH; i++) fputc(i < filled ? '#' : '.', stderr);
  fprintf(stderr, "] %3d%%  %" PRId64 "/%" PRId64,
          t->total > 0 ? (int)(t->done * 100 / t->total) : 100, t->done, t->total);
  if (t->done == t->total) fputc('\n', stderr);
  fflush(stderr);
}

/* Sends the batch and prints its results. Returns 0, or NU_CTL_EXIT_RPC
 * when the call itself failed. */
static int send_batch(nu_ctl *ctx, pending *batch, size_t n, tally *t) {
  Nuage__V1__ReportProvisioningRequest req = NUAGE__V1__REPORT_PROVISIONING_REQUEST__INIT;
  Nuage__V1__ProvisioningReport **reports = calloc(n, sizeof *reports);
  ProtobufCMessage *msg = NULL;
  int rc;
  if (reports == NULL) return nu_ctl_local_failure(ctx, "out of memory");
  for (size_t i = 0; i < n; i++) reports[i] = &batch[i].report;
  req.n_reports = n;
  req.reports = reports;
  rc = nu_ctl_call(ctx, REPORT_METHOD, &req.base,
                   &nuage__v1__report_provisioning_response__descriptor, REPORT_TIMEOUT_MS, &msg);
  free(reports);
  if (rc != 0) return rc;
  const Nuage__V1__ReportProvisioningResponse *resp = (const void *)msg;
  for (size_t i = 0; i < n; i++) {
    const Nuage__V1__ReportResult *res = i < resp->n_results ? resp->results[i] : NULL;
    int outcome = res != NULL ? res->outcome : 0;
    char word[32];
    nu_out_enum_word(&nuage__v1__report_outcome__descriptor, OUTCOME_PREFIX, outcome, word,
                     sizeof word);
    if (outcome == NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_APPLIED)
      t->applied++;
    else if (outcome == NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_DUPLICATE)
      t->duplicate++;
    else if (outcome == NUAGE__V1__REPORT_OUTCOME__REPORT_OUTCOME_STALE)
      t->stale++;
    else
      t->rejected++;
    const Nuage__V1__ReportError *err = res != NULL ? res->error : NULL;
    print_result(ctx, batch[i].line_no, batch[i].report.event_id, res != NULL ? word : "missing",
                 err != NULL ? err->code : -1, err != NULL ? err->reason : NULL,
                 err != NULL ? err->message : (res == NULL ? "no result from the server" : NULL),
                 err != NULL ? err->field : NULL);
  }
  fflush(stdout);
  protobuf_c_message_free_unpacked(msg, NULL);
  return 0;
}

static bool blank(const char *s) {
  for (; *s != '\0'; s++)
    if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n') return false;
  return true;
}

/* Lines that carry a report (not blank). */
static int64_t count_reports(FILE *f) {
  char *line = NULL;
  size_t cap = 0;
  int64_t n = 0;
  while (getline(&line, &cap, f) >= 0) n += !blank(line);
  free(line);
  rewind(f);
  return n;
}

int nu_ctl_cmd_provider_report(nu_ctl *ctx) {
  int64_t batch_size = MAX_BATCH;
  tally t;
  char *line = NULL;
  size_t cap = 0, n = 0;
  ssize_t len;
  long line_no = 0;
  int64_t last_shown = -1;
  pending *batch = NULL;
  int rc = int_option(ctx, "batch", 1, MAX_BATCH, &batch_size);
  if (rc != 0) return rc;
  FILE *f = strcmp(ctx->argv[0], "-") == 0 ? stdin : fopen(ctx->argv[0], "r");
  if (f == NULL) {
    fprintf(stderr, "nuagectl: provider report: cannot open '%s': %s\n", ctx->argv[0],
            strerror(errno));
    return NU_CTL_EXIT_USAGE;
  }
  memset(&t, 0, sizeof t);
  bool tty = isatty(STDERR_FILENO) != 0;
  t.total = f != stdin ? count_reports(f) : 0;
  if ((batch = calloc((size_t)batch_size, sizeof *batch)) == NULL) {
    rc = nu_ctl_local_failure(ctx, "out of memory");
    goto done;
  }
  for (;;) {
    len = getline(&line, &cap, f);
    if (len >= 0) {
      line_no++;
      if (blank(line)) continue;
      if (f == stdin) t.total++;
      pending *p = &batch[n];
      const char *why = NULL;
      memset(p, 0, sizeof *p);
      p->line_no = line_no;
      if (nu_json_line_parse(line, (size_t)len, &p->json, &why) != 0 || to_report(p, &why) != 0) {
        /* Never sent: its own result, and the line's text is not echoed
         * (it may hold access details). */
        const char *id = p->json.n > 0 ? str_member(&p->json, "event_id") : NULL;
        print_result(ctx, line_no, id, "rejected", -1, "MALFORMED_LINE", why, NULL);
        nu_json_line_free(&p->json);
        t.rejected++;
        t.done++;
        continue;
      }
      n++;
    }
    if (n > 0 && (n == (size_t)batch_size || len < 0)) {
      rc = send_batch(ctx, batch, n, &t);
      for (size_t i = 0; i < n; i++) nu_json_line_free(&batch[i].json);
      t.done += (int64_t)n;
      n = 0;
      if (rc != 0) goto done;
      progress(&t, tty);
      last_shown = t.done;
    }
    if (len < 0) break;
  }
  if (t.total > 0 && t.done == t.total && last_shown != t.done) progress(&t, tty);
  if (line != NULL) explicit_bzero(line, cap);
  nu_out_begin(&ctx->out);
  nu_out_int(&ctx->out, "applied", t.applied);
  nu_out_int(&ctx->out, "duplicate", t.duplicate);
  nu_out_int(&ctx->out, "stale", t.stale);
  nu_out_int(&ctx->out, "rejected", t.rejected);
  nu_out_end(&ctx->out);
  rc = t.rejected > 0 ? NU_CTL_EXIT_NEGATIVE : NU_CTL_EXIT_OK;
done:
  for (size_t i = 0; i < n; i++) nu_json_line_free(&batch[i].json);
  free(batch);
  if (line != NULL) explicit_bzero(line, cap);
  free(line);
  if (f != stdin) fclose(f);
  return rc;
}
