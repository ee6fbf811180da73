/*
 * health.c — the standard gRPC health service.
 *
 * Check answers from the status table. Watch sends the current status,
 * then every change; a watcher whose previous message is still being sent
 * gets the latest status once that send completes (changes in between
 * collapse, as the protocol allows).
 */
#include "server/rpc/system/health.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "grpc/health/v1/health.pb-c.h"
#include "server/app/app.h"
#include "server/transport/call.h"
#include "server/validate/validate.h"

typedef struct nu_watcher {
  struct nu_watcher *next;
  nu_health *h;
  nu_call *call;
  char service[NU_HEALTH_MAX_NAME];
  nu_health_status sent; /* last status sent, or -1 before the first */
  bool sending;
  bool done; /* removed from the list */
} nu_watcher;

struct nu_health {
  pthread_mutex_t mu;
  nu_health_state state;
  nu_watcher *watchers;
};

nu_health *nu_health_new(void) {
  nu_health *h = calloc(1, sizeof(*h));
  if (h == NULL) return NULL;
  pthread_mutex_init(&h->mu, NULL);
  nu_health_state_init(&h->state);
  return h;
}

void nu_health_free(nu_health *h) {
  if (h == NULL) return;
  pthread_mutex_destroy(&h->mu);
  free(h);
}

static void send_status(nu_watcher *w, nu_health_status st);
static void unlink_watcher(nu_health *h, nu_watcher *w);

/* With h->mu held: the stream can no longer be written; end it. */
static void drop(nu_watcher *w) {
  if (w->done) return;
  unlink_watcher(w->h, w);
  nu_call_finish(w->call, nu_error(nu_call_arena(w->call), NU_CANCELLED, NULL,
                                   "the stream could not be written"));
}

static void unlink_watcher(nu_health *h, nu_watcher *w) {
  for (nu_watcher **p = &h->watchers; *p != NULL; p = &(*p)->next) {
    if (*p == w) {
      *p = w->next;
      break;
    }
  }
  w->done = true;
}

/* With h->mu held: sends the latest status to w if it changed and no send
 * is in flight, or ends the stream after shutdown. */
static void pump(nu_watcher *w) {
  nu_health *h = w->h;
  if (w->done || w->sending) return;
  nu_health_status now = nu_health_state_get(&h->state, w->service);
  if ((int)now != (int)w->sent) {
    send_status(w, now);
    return;
  }
  if (h->state.shut_down) {
    unlink_watcher(h, w);
    nu_call_finish(w->call, nu_error(nu_call_arena(w->call), NU_UNAVAILABLE, "SHUTTING_DOWN",
                                     "the server is shutting down"));
  }
}

static void on_sent(nu_call *c, void *arg, bool ok) {
  nu_watcher *w = arg;
  nu_health *h = w->h;
  pthread_mutex_lock(&h->mu);
  w->sending = false;
  if (!ok) {
    drop(w);
  } else {
    pump(w);
  }
  pthread_mutex_unlock(&h->mu);
}

static void send_status(nu_watcher *w, nu_health_status st) {
  Grpc__Health__V1__HealthCheckResponse resp;
  grpc__health__v1__health_check_response__init(&resp);
  resp.status = (Grpc__Health__V1__HealthCheckResponse__ServingStatus)st;
  w->sending = true;
  w->sent = st;
  if (nu_call_send(w->call, &resp.base, on_sent, w) != 0) {
    w->sending = false;
    drop(w);
  }
}

static void on_closed(nu_call *c, void *arg) {
  nu_watcher *w = arg;
  nu_health *h = w->h;
  pthread_mutex_lock(&h->mu);
  if (!w->done) {
    unlink_watcher(h, w);
    nu_call_finish(c, nu_error(nu_call_arena(c), NU_CANCELLED, NULL, "the client went away"));
  }
  pthread_mutex_unlock(&h->mu);
}

void nu_health_set(nu_health *h, const char *service, nu_health_status status) {
  pthread_mutex_lock(&h->mu);
  if (nu_health_state_set(&h->state, service, status) == 1) {
    for (nu_watcher *w = h->watchers, *next; w != NULL; w = next) {
      next = w->next;
      if (strcmp(w->service, service) == 0) pump(w);
    }
  }
  pthread_mutex_unlock(&h->mu);
}

void nu_health_shutdown(nu_health *h) {
  pthread_mutex_lock(&h->mu);
  nu_health_state_shutdown(&h->state);
  for (nu_watcher *w = h->watchers, *next; w != NULL; w = next) {
    next = w->next;
    pump(w);
  }
  pthread_mutex_unlock(&h->mu);
}

static nu_status validate_request(nu_call *call, const ProtobufCMessage *msg) {
  const Grpc__Health__V1__HealthCheckRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_max_len(&v, "service", req->service, NU_HEALTH_MAX_NAME - 1);
  return nu_validator_result(&v);
}

static nu_status check(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **out) {
  const Grpc__Health__V1__HealthCheckRequest *req = (const void *)msg;
  nu_app *app = nu_call_app(call);
  nu_arena *a = nu_call_arena(call);
  pthread_mutex_lock(&app->health->mu);
  nu_health_status st = nu_health_state_get(&app->health->state, req->service);
  pthread_mutex_unlock(&app->health->mu);
  if (st == NU_HEALTH_SERVICE_UNKNOWN) {
    /* What the health protocol specifies for Check. */
    return nu_error(a, NU_NOT_FOUND, "SERVICE_UNKNOWN", "unknown service \"%s\"", req->service);
  }
  Grpc__Health__V1__HealthCheckResponse *resp = nu_arena_alloc(a, sizeof(*resp));
  if (resp == NULL) return nu_error(a, NU_RESOURCE_EXHAUSTED, NULL, "out of memory");
  grpc__health__v1__health_check_response__init(resp);
  resp->status = (Grpc__Health__V1__HealthCheckResponse__ServingStatus)st;
  *out = &resp->base;
  return nu_ok();
}

static void watch(nu_call *call, const ProtobufCMessage *msg) {
  const Grpc__Health__V1__HealthCheckRequest *req = (const void *)msg;
  nu_app *app = nu_call_app(call);
  nu_health *h = app->health;
  nu_watcher *w = nu_arena_calloc(nu_call_arena(call), 1, sizeof(*w));
  if (w == NULL) {
    nu_call_finish(call, nu_error(NULL, NU_RESOURCE_EXHAUSTED, NULL, "out of memory"));
    return;
  }
  w->h = h;
  w->call = call;
  w->sent = (nu_health_status)-1;
  strcpy(w->service, req->service); /* length checked by validate_request */
  pthread_mutex_lock(&h->mu);
  w->next = h->watchers;
  h->watchers = w;
  pump(w);
  pthread_mutex_unlock(&h->mu);
  nu_call_on_closed(call, on_closed, w);
}

const nu_method nu_health_methods[] = {
    NU_ROW_UNARY("/grpc.health.v1.Health/Check",
                 &grpc__health__v1__health_check_request__descriptor,
                 &grpc__health__v1__health_check_response__descriptor, NU_RUN_INLINE,
                 validate_request, check),
    NU_ROW_STREAM("/grpc.health.v1.Health/Watch", NU_SERVER_STREAMING,
                  &grpc__health__v1__health_check_request__descriptor,
                  &grpc__health__v1__health_check_response__descriptor, NU_RUN_INLINE,
                  validate_request, watch),
};
const size_t nu_health_methods_count = sizeof(nu_health_methods) / sizeof(nu_health_methods[0]);
