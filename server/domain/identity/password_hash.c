/*
 * password_hash.c — Argon2id through libsodium, behind a counting semaphore
 * (mutex + condition variable on CLOCK_MONOTONIC) that bounds the memory of
 * concurrent computations.
 */
#include "server/domain/identity/password_hash.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/common/clock.h"

struct nu_password_hasher {
  nu_password_hash_params params;
  pthread_mutex_t mu;
  pthread_cond_t slot_freed; /* waits on CLOCK_MONOTONIC */
  unsigned in_use;           /* slots taken, under mu */
  atomic_uint running;       /* computations in progress (instrumentation) */
  atomic_uint peak;          /* most of them at once */
};

void nu_password_hash_params_default(nu_password_hash_params *p) {
  p->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  p->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  p->max_concurrent = 0;
}

static unsigned online_cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (unsigned)n : 1u;
}

int nu_password_hasher_create(const nu_password_hash_params *p, nu_password_hasher **out) {
  if (p == NULL || out == NULL) return NU_PASSWORD_HASH_ERR_ARGUMENT;
  *out = NULL;
  if (p->opslimit < crypto_pwhash_OPSLIMIT_INTERACTIVE ||
      p->opslimit > crypto_pwhash_OPSLIMIT_MAX ||
      p->memlimit < crypto_pwhash_MEMLIMIT_INTERACTIVE || p->memlimit > crypto_pwhash_MEMLIMIT_MAX)
    return NU_PASSWORD_HASH_ERR_ARGUMENT;
  if (sodium_init() < 0) return NU_PASSWORD_HASH_ERR_LIBRARY;

  int rc = NU_PASSWORD_HASH_ERR_LIBRARY;
  bool mu_ready = false, cond_ready = false;
  pthread_condattr_t attr;
  bool attr_ready = false;
  nu_password_hasher *h = calloc(1, sizeof *h);
  if (h == NULL) goto done;
  h->params = *p;
  if (h->params.max_concurrent == 0) h->params.max_concurrent = online_cores();
  atomic_init(&h->running, 0);
  atomic_init(&h->peak, 0);

  if (pthread_mutex_init(&h->mu, NULL) != 0) goto done;
  mu_ready = true;
  if (pthread_condattr_init(&attr) != 0) goto done;
  attr_ready = true;
  /* Deadlines are monotonic: a wall-clock step must not shorten or stretch
   * the wait. */
  if (pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0) goto done;
  if (pthread_cond_init(&h->slot_freed, &attr) != 0) goto done;
  cond_ready = true;
  *out = h;
  h = NULL;
  rc = NU_PASSWORD_HASH_OK;

done:
  if (attr_ready) pthread_condattr_destroy(&attr);
  if (h != NULL) {
    if (cond_ready) pthread_cond_destroy(&h->slot_freed);
    if (mu_ready) pthread_mutex_destroy(&h->mu);
    free(h);
  }
  return rc;
}

void nu_password_hasher_free(nu_password_hasher *h) {
  if (h == NULL) return;
  assert(h->in_use == 0);
  pthread_cond_destroy(&h->slot_freed);
  pthread_mutex_destroy(&h->mu);
  free(h);
}

/* Takes a slot, waiting until deadline_ns (CLOCK_MONOTONIC) at most. */
static int acquire_slot(nu_password_hasher *h, int64_t deadline_ns) {
  struct timespec until;
  if (deadline_ns < 0) deadline_ns = 0;
  until.tv_sec = (time_t)(deadline_ns / NU_NS_PER_S);
  until.tv_nsec = (long)(deadline_ns % NU_NS_PER_S);

  int rc = NU_PASSWORD_HASH_OK;
  pthread_mutex_lock(&h->mu);
  while (h->in_use >= h->params.max_concurrent) {
    /* Only a timeout ends the wait; spurious wake-ups loop. */
    if (pthread_cond_timedwait(&h->slot_freed, &h->mu, &until) == ETIMEDOUT &&
        h->in_use >= h->params.max_concurrent) {
      rc = NU_PASSWORD_HASH_ERR_BUSY;
      goto done;
    }
  }
  h->in_use++;
done:
  pthread_mutex_unlock(&h->mu);
  return rc;
}

static void release_slot(nu_password_hasher *h) {
  pthread_mutex_lock(&h->mu);
  assert(h->in_use > 0);
  h->in_use--;
  pthread_cond_signal(&h->slot_freed);
  pthread_mutex_unlock(&h->mu);
}

/* Brackets one Argon2 computation for nu_password_hasher_peak_concurrency. */
static void computation_starts(nu_password_hasher *h) {
  unsigned now = atomic_fetch_add(&h->running, 1) + 1;
  unsigned peak = atomic_load(&h->peak);
  while (now > peak && !atomic_compare_exchange_weak(&h->peak, &peak, now)) {
  }
}

static void computation_ends(nu_password_hasher *h) { atomic_fetch_sub(&h->running, 1); }

int nu_password_hash(const char *pw, size_t len, nu_password_hasher *h, int64_t deadline_ns,
                     char out[crypto_pwhash_STRBYTES]) {
  if (h == NULL || out == NULL || (pw == NULL && len > 0) || len > NU_PASSWORD_HASH_MAX_BYTES)
    return NU_PASSWORD_HASH_ERR_ARGUMENT;
  int rc = acquire_slot(h, deadline_ns);
  if (rc != NU_PASSWORD_HASH_OK) return rc;

  computation_starts(h);
  /* libsodium refuses a NULL pointer only when it would read it. */
  int r = crypto_pwhash_str(out, len > 0 ? pw : "", len, h->params.opslimit, h->params.memlimit);
  computation_ends(h);
  release_slot(h);
  /* Fails only when the memlimit cannot be allocated. */
  return r == 0 ? NU_PASSWORD_HASH_OK : NU_PASSWORD_HASH_ERR_LIBRARY;
}

int nu_password_verify(const char *stored, const char *pw, size_t len, nu_password_hasher *h,
                       int64_t deadline_ns, bool *needs_rehash) {
  if (needs_rehash != NULL) *needs_rehash = false;
  if (stored == NULL || h == NULL || needs_rehash == NULL || (pw == NULL && len > 0))
    return NU_PASSWORD_HASH_ERR_ARGUMENT;
  /* libsodium reads stored as a crypto_pwhash_STRBYTES array: make sure the
   * NUL is inside it. */
  if (strnlen(stored, crypto_pwhash_STRBYTES) >= crypto_pwhash_STRBYTES)
    return NU_PASSWORD_HASH_MISMATCH;
  if (len > NU_PASSWORD_HASH_MAX_BYTES) return NU_PASSWORD_HASH_MISMATCH;

  int rc = acquire_slot(h, deadline_ns);
  if (rc != NU_PASSWORD_HASH_OK) return rc;
  computation_starts(h);
  int r = crypto_pwhash_str_verify(stored, len > 0 ? pw : "", len);
  computation_ends(h);
  release_slot(h);
  if (r != 0) return NU_PASSWORD_HASH_MISMATCH;

  /* 1: other parameters; -1: not an Argon2id string (an older algorithm
   * that still verified). Both are rehashed. */
  *needs_rehash =
      crypto_pwhash_str_needs_rehash(stored, h->params.opslimit, h->params.memlimit) != 0;
  return NU_PASSWORD_HASH_OK;
}

unsigned nu_password_hasher_peak_concurrency(const nu_password_hasher *h) {
  return atomic_load(&((nu_password_hasher *)h)->peak);
}
