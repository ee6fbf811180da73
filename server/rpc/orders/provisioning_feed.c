/*
 * provisioning_feed.c — the seller's feed of order events, for provider
 * backends (access key of the seller organisation).
 *
 * Events come from order_event_store: numbered 1, 2, 3… per seller,
 * committed in that order, so "after cursor n" never skips one. Both RPCs
 * read the same pages; each event carries the order as it is when read
 * (at-least-once: a backend compares update_time).
 *
 * WatchOrderEvents runs its loop on a thread of its own (one per open
 * stream, so that idle watchers never hold a worker): read a page after
 * the cursor, send each event and wait for it to be written, or sleep
 * NU_ORDER_EVENTS_POLL_MS when there is none — every server of the
 * cluster sees every commit, so polling PostgreSQL is what keeps several
 * stateless servers right. Each page uses an arena of its own (a stream
 * may live for days). The stream ends when the client goes away, or with
 * UNAVAILABLE SERVER_STOPPING (and the cursor to resume from) as soon as
 * the server begins to stop; the thread then finishes the call and
 * touches nothing after.
 */
#include "server/rpc/orders/provisioning_feed.h"

#include <pthread.h>
#include <string.h>
#include <time.h>

#include "nuage/v1/provisioning.pb-c.h"
#include "server/app/app.h"
#include "server/common/log.h"
#include "server/domain/orders/policy.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/orders/order_view.h"
#include "server/store/core/tx.h"
#include "server/store/orders/order_event_store.h"
#include "server/store/orders/order_store.h"

static Nuage__V1__OrderEventKind kind_to_api(const char *k) {
  if (strcmp(k, "order_created") == 0) {
    return NUAGE__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ORDER_CREATED;
  }
  if (strcmp(k, "order_changed") == 0) {
    return NUAGE__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ORDER_CHANGED;
  }
  if (strcmp(k, "order_admitted") == 0) {
    return NUAGE__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ORDER_ADMITTED;
  }
  if (strcmp(k, "order_contested") == 0) {
    return NUAGE__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ORDER_CONTESTED;
  }
  if (strcmp(k, "order_cancelled") == 0) {
    return NUAGE__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_ORDER_CANCELLED;
  }
  if (strcmp(k, "line_changed") == 0) {
    return NUAGE__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_LINE_CHANGED;
  }
  return NUAGE__V1__ORDER_EVENT_KIND__ORDER_EVENT_KIND_UNSPECIFIED;
}

/* One page of the seller's events after a cursor, as API messages. */
typedef struct page_run {
  const char *seller_id;
  int64_t after;
  int limit;
  Nuage__V1__OrderEvent **events;
  size_t n;
} page_run;

static nu_status page_tx(nu_conn *c, nu_arena *a, void *arg) {
  page_run *r = arg;
  nu_order_event_row *rows = NULL;
  size_t n = 0;
  nu_status st = nu_order_event_list(c, a, r->seller_id, r->after, r->limit, &rows, &n);
  if (!nu_status_is_ok(&st)) return st;
  r->n = 0;
  r->events = n > 0 ? (Nuage__V1__OrderEvent **)nu_rpc_array(a, n) : NULL;
  if (n > 0 && r->events == NULL) return nu_rpc_oom(a);
  /* Orders repeat within a page: read each once. */
  const char *last_id = NULL;
  Nuage__V1__Order *last = NULL;
  for (size_t i = 0; i < n; i++) {
    if (last_id == NULL || strcmp(last_id, rows[i].order_id) != 0) {
      nu_order_row o;
      bool found = false;
      st = nu_order_get(c, a, rows[i].order_id, false, &o, &found);
      if (!nu_status_is_ok(&st)) return st;
      if (!found) return nu_error(a, NU_INTERNAL, NULL, "an event's order is missing");
      last = nu_order_view(a, &o);
      if (last == NULL) return nu_rpc_oom(a);
      last_id = rows[i].order_id;
    }
    Nuage__V1__OrderEvent *e = NU_RPC_NEW(a, Nuage__V1__OrderEvent, nuage__v1__order_event__init);
    if (e == NULL) return nu_rpc_oom(a);
    e->cursor = rows[i].seq;
    e->kind = kind_to_api(rows[i].kind);
    e->event_time = nu_rpc_timestamp(a, rows[i].created_us * 1000);
    e->order = last;
    e->line_id = (char *)rows[i].line_id;
    r->events[r->n++] = e;
  }
  return nu_ok();
}

static nu_status require_org(nu_call *call) {
  if (nu_call_principal(call)->organization_id != NULL) return nu_ok();
  return nu_error(nu_call_arena(call), NU_FAILED_PRECONDITION, "NO_ORGANIZATION",
                  "the caller acts for no organization: use an access key of the seller");
}

/* ---- ListOrderEvents ------------------------------------------------------- */

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListOrderEventsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  if (req->cursor < 0) nu_validate_fail(&v, "cursor", "must be 0 or a cursor received");
  if (req->page_size < 0) nu_validate_fail(&v, "page_size", "must not be negative");
  return nu_validator_result(&v);
}

static nu_status list_events(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__ListOrderEventsRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  nu_status st = require_org(call);
  if (!nu_status_is_ok(&st)) return st;
  int limit = req->page_size == 0                         ? NU_ORDER_EVENTS_PAGE_DEFAULT
              : req->page_size > NU_ORDER_EVENTS_PAGE_MAX ? NU_ORDER_EVENTS_PAGE_MAX
                                                          : req->page_size;
  page_run r = {
      .seller_id = nu_call_principal(call)->organization_id, .after = req->cursor, .limit = limit};
  st = nu_rpc_tx(call, true, page_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__ListOrderEventsResponse *out = NU_RPC_NEW(a, Nuage__V1__ListOrderEventsResponse,
                                                       nuage__v1__list_order_events_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  out->events = r.events;
  out->n_events = r.n;
  out->next_cursor = r.n > 0 ? r.events[r.n - 1]->cursor : req->cursor;
  *resp = &out->base;
  return nu_ok();
}

/* ---- WatchOrderEvents -------------------------------------------------------- */

typedef struct watcher {
  nu_call *call;
  nu_pool *pool;
  const bool *stopping;  /* the app's: the server is stopping */
  const char *seller_id; /* the call's arena */
  int64_t cursor;
  bool resumed;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool closed;  /* the client went away (or the call ended) */
  bool sending; /* a message is being written */
  bool send_ok;
} watcher;

static void on_closed(nu_call *c, void *arg) {
  (void)c;
  watcher *w = arg;
  pthread_mutex_lock(&w->mu);
  w->closed = true;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
}

static void on_sent(nu_call *c, void *arg, bool ok) {
  (void)c;
  watcher *w = arg;
  pthread_mutex_lock(&w->mu);
  w->sending = false;
  w->send_ok = ok;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
}

/* Sends one event and waits until it is written; false when the stream
 * is gone. */
static bool send_one(watcher *w, const Nuage__V1__OrderEvent *e) {
  pthread_mutex_lock(&w->mu);
  if (w->closed) {
    pthread_mutex_unlock(&w->mu);
    return false;
  }
  w->sending = true;
  pthread_mutex_unlock(&w->mu);
  if (nu_call_send(w->call, &e->base, on_sent, w) != 0) return false;
  pthread_mutex_lock(&w->mu);
  while (w->sending) pthread_cond_wait(&w->cv, &w->mu);
  bool ok = w->send_ok && !w->closed;
  pthread_mutex_unlock(&w->mu);
  return ok;
}

/* Sleeps up to ms, waking early when the stream closes; false if closed. */
static bool idle(watcher *w, int ms) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_nsec += (long)ms * 1000000L;
  until.tv_sec += until.tv_nsec / 1000000000L;
  until.tv_nsec %= 1000000000L;
  pthread_mutex_lock(&w->mu);
  while (!w->closed) {
    if (pthread_cond_timedwait(&w->cv, &w->mu, &until) != 0) break;
  }
  bool open = !w->closed;
  pthread_mutex_unlock(&w->mu);
  return open;
}

static void *watch_loop(void *arg) {
  watcher *w = arg;
  nu_status end = nu_ok();
  for (;;) {
    nu_arena *a = nu_arena_new();
    if (a == NULL) {
      end = nu_error(NULL, NU_RESOURCE_EXHAUSTED, NULL, "out of memory");
      break;
    }
    page_run r = {
        .seller_id = w->seller_id, .after = w->cursor, .limit = NU_ORDER_EVENTS_PAGE_DEFAULT};
    nu_tx_options opts = {.deadline_mono_ns = nu_call_deadline(w->call), .read_only = true};
    nu_status st = nu_tx_run(w->pool, a, &opts, page_tx, &r);
    bool open = true;
    if (!nu_status_is_ok(&st)) {
      /* The database is away: say so and let the backend reconnect with
       * its cursor (nothing is lost). */
      end =
          nu_error(nu_call_arena(w->call),
                   st.code == NU_DEADLINE_EXCEEDED ? st.code : NU_UNAVAILABLE, "FEED_UNAVAILABLE",
                   "the feed cannot be read now: reconnect with cursor %lld", (long long)w->cursor);
      open = false;
    }
    for (size_t i = 0; open && i < r.n; i++) {
      r.events[i]->resumed = w->resumed;
      w->resumed = false;
      open = send_one(w, r.events[i]);
      if (open) w->cursor = r.events[i]->cursor;
    }
    nu_arena_free(a);
    if (!open) break;
    if (__atomic_load_n(w->stopping, __ATOMIC_ACQUIRE)) {
      end = nu_error(nu_call_arena(w->call), NU_UNAVAILABLE, "SERVER_STOPPING",
                     "the server is stopping: reconnect with cursor %lld", (long long)w->cursor);
      break;
    }
    if (r.n == 0 && !idle(w, NU_ORDER_EVENTS_POLL_MS)) break;
  }
  pthread_mutex_lock(&w->mu);
  bool closed = w->closed;
  pthread_mutex_unlock(&w->mu);
  if (closed) end = nu_error(nu_call_arena(w->call), NU_CANCELLED, NULL, "the client went away");
  /* Last touch of the call: after this, it and w may be freed. */
  nu_call_finish(w->call, end);
  return NULL;
}

static nu_status validate_watch(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__WatchOrderEventsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  if (req->cursor < 0) nu_validate_fail(&v, "cursor", "must be 0 or a cursor received");
  return nu_validator_result(&v);
}

static void destroy_watcher(void *arg) {
  watcher *w = arg;
  pthread_cond_destroy(&w->cv);
  pthread_mutex_destroy(&w->mu);
}

static void watch_events(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__WatchOrderEventsRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  nu_status st = require_org(call);
  if (!nu_status_is_ok(&st)) {
    nu_call_finish(call, st);
    return;
  }
  nu_app *app = nu_call_app(call);
  watcher *w = nu_arena_calloc(a, 1, sizeof(*w));
  if (w == NULL) {
    nu_call_finish(call, nu_rpc_oom(a));
    return;
  }
  w->call = call;
  w->pool = app->pool;
  w->stopping = &app->stopping;
  w->seller_id = nu_call_principal(call)->organization_id;
  w->cursor = req->cursor;
  w->resumed = req->cursor > 0;
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
  if (nu_arena_add_cleanup(a, destroy_watcher, w) != 0) {
    destroy_watcher(w);
    nu_call_finish(call, nu_rpc_oom(a));
    return;
  }
  nu_call_on_closed(call, on_closed, w);
  pthread_attr_t attr;
  pthread_t t;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int rc = pthread_create(&t, &attr, watch_loop, w);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    nu_log(NU_LOG_ERROR, "cannot start a feed thread", NULL);
    nu_call_finish(call, nu_error(a, NU_RESOURCE_EXHAUSTED, "TOO_MANY_STREAMS",
                                  "the server cannot open another stream now; retry later"));
  }
}

/* ---- rows ------------------------------------------------------------------- */

const nu_method nu_provisioning_feed_methods[] = {
    NU_ROW_STREAM("/nuage.v1.ProvisioningService/WatchOrderEvents", NU_SERVER_STREAMING,
                  &nuage__v1__watch_order_events_request__descriptor,
                  &nuage__v1__order_event__descriptor, NU_RUN_WORKER, validate_watch, watch_events),
    NU_RPC_ROW("ProvisioningService", "ListOrderEvents", list_order_events_request,
               list_order_events_response, validate_list, list_events),
};
const size_t nu_provisioning_feed_methods_count =
    sizeof(nu_provisioning_feed_methods) / sizeof(nu_provisioning_feed_methods[0]);
