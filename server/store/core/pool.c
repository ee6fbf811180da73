/*
 * pool.c — a bounded pool of PostgreSQL connections.
 *
 * `size` slots, each empty or holding a connection; a slot is taken (in_use)
 * while a caller holds its connection or while it is being opened. Opening a
 * connection and checking an idle one happen outside the mutex, so a slow
 * database never blocks callers that only give connections back.
 *
 * Every change of a slot wakes all waiters (broadcast): a waiter that gives
 * up at its deadline must not swallow the wake-up another one needed.
 *
 * Fail-fast: after a failed connection attempt no new connection is tried
 * for retry_backoff_ns; callers that need one get UNAVAILABLE at once
 * instead of each waiting for connect_timeout while the database is down.
 */
#include "server/store/core/pool.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/common/log.h"
#include "server/store/core/internal.h"

#define NU_POOL_DEFAULT_BACKOFF_NS (200 * NU_NS_PER_MS)
#define NU_POOL_DEFAULT_APP_NAME "nuage-server"
/* With a clock other than the system's, its deadline cannot be handed to
 * pthread_cond_timedwait: wait in short slices and read the clock again. */
#define NU_POOL_WAIT_SLICE_NS (50 * NU_NS_PER_MS)

struct nu_pool {
  pthread_mutex_t mu;
  pthread_cond_t freed; /* a slot was released */
  char *conninfo;
  char *application_name;
  const nu_clock *clock;
  int64_t retry_backoff_ns;
  int64_t retry_after_ns; /* no new connection before this; guarded by mu */
  bool failed_once;       /* retry_after_ns is meaningful; guarded by mu */
  bool closed;            /* nu_pool_close was called; guarded by mu */
  int size;
  nu_conn *slots;
};

nu_status nu_pool_new(const nu_pool_options *opts, nu_arena *a, nu_pool **out) {
  nu_status st = nu_ok();
  nu_pool *p = NULL;
  bool mu_ok = false, attr_ok = false;
  pthread_condattr_t attr;

  if (opts == NULL || opts->conninfo == NULL || opts->size < 1) {
    st = nu_error(a, NU_INVALID_ARGUMENT, NULL,
                  "pool options need a conninfo and a size of at least 1");
    goto done;
  }
  p = calloc(1, sizeof(*p));
  if (p == NULL) goto oom;
  p->conninfo = strdup(opts->conninfo);
  p->application_name =
      strdup(opts->application_name != NULL ? opts->application_name : NU_POOL_DEFAULT_APP_NAME);
  p->slots = calloc((size_t)opts->size, sizeof(*p->slots));
  if (p->conninfo == NULL || p->application_name == NULL || p->slots == NULL) goto oom;
  p->size = opts->size;
  p->clock = opts->clock != NULL ? opts->clock : nu_clock_system();
  p->retry_backoff_ns =
      opts->retry_backoff_ns > 0 ? opts->retry_backoff_ns : NU_POOL_DEFAULT_BACKOFF_NS;
  for (int i = 0; i < p->size; i++) p->slots[i].pool = p;

  if (pthread_mutex_init(&p->mu, NULL) != 0) goto oom;
  mu_ok = true;
  /* Waits are measured on CLOCK_MONOTONIC, like the deadlines, so a change
   * of the wall clock cannot stretch or cut them. */
  if (pthread_condattr_init(&attr) != 0) goto oom;
  attr_ok = true;
  if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 ||
      pthread_cond_init(&p->freed, &attr) != 0) {
    goto oom;
  }
  *out = p;
  p = NULL;
  goto done;

oom:
  st = nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "cannot create the pool: out of memory");
done:
  if (attr_ok) pthread_condattr_destroy(&attr);
  if (p != NULL) {
    if (mu_ok) pthread_mutex_destroy(&p->mu);
    free(p->slots);
    free(p->application_name);
    free(p->conninfo);
    free(p);
  }
  return st;
}

void nu_pool_free(nu_pool *p) {
  if (p == NULL) return;
  for (int i = 0; i < p->size; i++) {
    if (p->slots[i].cancel != NULL) PQfreeCancel(p->slots[i].cancel);
    if (p->slots[i].pg != NULL) PQfinish(p->slots[i].pg);
  }
  pthread_cond_destroy(&p->freed);
  pthread_mutex_destroy(&p->mu);
  free(p->slots);
  free(p->application_name);
  free(p->conninfo);
  free(p);
}

const nu_clock *nu_pool_clock(const nu_pool *p) { return p->clock; }

/* An idle connection should receive nothing: we never LISTEN. Data waiting
 * on its socket is, in practice, the server's goodbye (FATAL 57P01 when it
 * shuts down or the session is terminated) followed by EOF, which libpq only
 * notices on a later read. Rather than guess, such a connection is replaced;
 * the price is one poll() that does not block. */
static bool idle_conn_alive(PGconn *pg) {
  if (PQstatus(pg) != CONNECTION_OK) return false;
  struct pollfd pfd = {.fd = PQsocket(pg), .events = POLLIN};
  if (pfd.fd < 0) return false;
  int r = poll(&pfd, 1, 0);
  if (r < 0) return errno == EINTR;
  return r == 0;
}

/* Sleeps on the condition variable until it is signalled, or until the
 * deadline (read on the pool's clock) or a slice of it has passed. */
static void wait_for_release(nu_pool *p, int64_t deadline_mono_ns) {
  int64_t remaining = deadline_mono_ns - nu_clock_mono_ns(p->clock);
  if (remaining <= 0) return;
  if (p->clock != nu_clock_system() && remaining > NU_POOL_WAIT_SLICE_NS) {
    remaining = NU_POOL_WAIT_SLICE_NS;
  }
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  /* Clamp so a far-away deadline (INT64_MAX) cannot overflow time_t. */
  if (remaining > 3600 * NU_NS_PER_S) remaining = 3600 * NU_NS_PER_S;
  int64_t abs_ns = (int64_t)now.tv_sec * NU_NS_PER_S + now.tv_nsec + remaining;
  struct timespec until = {.tv_sec = (time_t)(abs_ns / NU_NS_PER_S),
                           .tv_nsec = (long)(abs_ns % NU_NS_PER_S)};
  pthread_cond_timedwait(&p->freed, &p->mu, &until);
}

/* Gives a slot back, empty; called with mu held. The caller frees the
 * connection and its cancel handle (taken out first) after unlocking. */
static void free_slot_locked(nu_pool *p, nu_conn *slot) {
  slot->pg = NULL;
  slot->cancel = NULL;
  slot->in_use = false;
  slot->sqlstate[0] = '\0';
  pthread_cond_broadcast(&p->freed);
}

static nu_status unavailable(nu_arena *a) {
  return nu_error(a, NU_UNAVAILABLE, "DATABASE_UNAVAILABLE",
                  "database unavailable: last connection attempt failed, retrying shortly");
}

nu_status nu_pool_acquire(nu_pool *p, int64_t deadline_mono_ns, nu_arena *a, nu_conn **out) {
  nu_status st = nu_ok();
  nu_conn *slot = NULL;
  PGconn *stale = NULL, *pg = NULL;

  pthread_mutex_lock(&p->mu);
  for (;;) {
    if (p->closed) {
      st = nu_error(a, NU_UNAVAILABLE, "SHUTTING_DOWN", "the server is shutting down");
      break;
    }
    if (nu_clock_mono_ns(p->clock) >= deadline_mono_ns) {
      st = nu_error(a, NU_DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED",
                    "deadline exceeded waiting for a database connection");
      break;
    }
    /* An open idle connection first; else an empty slot to open one in. */
    nu_conn *empty = NULL;
    for (int i = 0; i < p->size && slot == NULL; i++) {
      nu_conn *s = &p->slots[i];
      if (s->in_use) continue;
      if (s->pg != NULL) {
        slot = s;
      } else if (empty == NULL) {
        empty = s;
      }
    }
    if (slot == NULL && empty != NULL) {
      if (p->failed_once && nu_clock_mono_ns(p->clock) < p->retry_after_ns) {
        st = unavailable(a);
        break;
      }
      slot = empty;
    }
    if (slot != NULL) {
      slot->in_use = true;
      slot->sqlstate[0] = '\0';
      break;
    }
    wait_for_release(p, deadline_mono_ns);
  }
  pthread_mutex_unlock(&p->mu);
  if (slot == NULL) goto done;

  if (slot->pg != NULL) {
    if (idle_conn_alive(slot->pg)) goto done;
    /* Dead: open a new one in its place, unless the fail-fast window says
     * the database was unreachable a moment ago. */
    stale = slot->pg;
    pthread_mutex_lock(&p->mu);
    PGcancel *stale_cancel = slot->cancel;
    slot->pg = NULL;
    slot->cancel = NULL;
    bool backoff = p->failed_once && nu_clock_mono_ns(p->clock) < p->retry_after_ns;
    if (backoff) free_slot_locked(p, slot);
    pthread_mutex_unlock(&p->mu);
    if (stale_cancel != NULL) PQfreeCancel(stale_cancel);
    PQfinish(stale);
    if (backoff) {
      slot = NULL;
      st = unavailable(a);
      goto done;
    }
  }

  st = nu_store_connect(p->conninfo, p->application_name, a, &pg);
  /* libpq wants the cancel handle made by the thread that owns the
   * connection; nu_pool_close may use it from any thread afterwards. */
  PGcancel *cancel = nu_status_is_ok(&st) ? PQgetCancel(pg) : NULL;
  pthread_mutex_lock(&p->mu);
  if (nu_status_is_ok(&st)) {
    slot->pg = pg;
    slot->cancel = cancel;
    p->failed_once = false;
  } else {
    p->failed_once = true;
    p->retry_after_ns = nu_clock_mono_ns(p->clock) + p->retry_backoff_ns;
    free_slot_locked(p, slot);
    slot = NULL;
  }
  pthread_mutex_unlock(&p->mu);

done:
  if (slot != NULL) *out = slot;
  return st;
}

void nu_pool_release(nu_pool *p, nu_conn *c) {
  if (c == NULL) return;
  PGconn *broken = NULL;
  PGcancel *broken_cancel = NULL;
  /* A connection left inside a transaction (or a failed one, or a COPY)
   * would leak that state into the next call: close it instead. */
  if (c->pg != NULL &&
      (PQstatus(c->pg) != CONNECTION_OK || PQtransactionStatus(c->pg) != PQTRANS_IDLE)) {
    broken = c->pg;
  }
  pthread_mutex_lock(&p->mu);
  if (broken != NULL) {
    broken_cancel = c->cancel;
    free_slot_locked(p, c);
  } else {
    c->in_use = false;
    c->sqlstate[0] = '\0';
    pthread_cond_broadcast(&p->freed);
  }
  pthread_mutex_unlock(&p->mu);
  if (broken_cancel != NULL) PQfreeCancel(broken_cancel);
  if (broken != NULL) PQfinish(broken);
}

void nu_pool_close(nu_pool *p) {
  pthread_mutex_lock(&p->mu);
  p->closed = true;
  /* Under the mutex, so no cancel handle is freed while in use; PQcancel
   * is one short round trip to the local server per running statement. */
  for (int i = 0; i < p->size; i++) {
    nu_conn *s = &p->slots[i];
    if (!s->in_use || s->cancel == NULL) continue;
    char err[256];
    if (!PQcancel(s->cancel, err, sizeof(err))) {
      nu_log(NU_LOG_WARN, "cannot cancel a running statement", "error", err, NULL);
    }
  }
  pthread_cond_broadcast(&p->freed);
  pthread_mutex_unlock(&p->mu);
}
