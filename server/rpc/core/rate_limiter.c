/*
 * rate_limiter.c — per-address and per-account limits over
 * store/core/rate_limit_store.h.
 */
#include "server/rpc/core/rate_limiter.h"

#include <sodium.h>
#include <string.h>

#include "server/common/keys.h"
#include "server/common/log.h"
#include "server/domain/rate_limit.h"
#include "server/rpc/core/handler.h"
#include "server/store/core/rate_limit_store.h"
#include "server/store/core/tx.h"

#define NU_HOUR_NS (INT64_C(3600) * NU_NS_PER_S)

/* BLAKE2b of "kind\0part\0" under the rate-limit subkey: a bucket names
 * what it counts without storing it, and cannot be guessed without the
 * server's secret. */
static int bucket_of(const nu_app *app, const char *kind, const char *part,
                     uint8_t out[NU_RATE_BUCKET_BYTES]) {
  uint8_t key[NU_KEY_BYTES];
  if (nu_key_derive(app->secret_key, NU_KEY_RATE_LIMIT, key) != 0) return -1;
  crypto_generichash_state h;
  int rc = crypto_generichash_init(&h, key, sizeof(key), NU_RATE_BUCKET_BYTES);
  if (rc == 0) rc = crypto_generichash_update(&h, (const uint8_t *)kind, strlen(kind) + 1);
  if (rc == 0) rc = crypto_generichash_update(&h, (const uint8_t *)part, strlen(part) + 1);
  if (rc == 0) rc = crypto_generichash_final(&h, out, NU_RATE_BUCKET_BYTES);
  sodium_memzero(key, sizeof(key));
  return rc;
}

typedef struct hit_run {
  const uint8_t *bucket;
  nu_rate_window window;
  int64_t now_ns;
  int64_t hits;
} hit_run;

static nu_status run_hit(nu_conn *c, nu_arena *a, void *arg) {
  hit_run *h = arg;
  return nu_rate_limit_hit(c, a, h->bucket, h->window.start_ns, h->window.end_ns, h->now_ns,
                           &h->hits);
}

/* One hit of bucket under policy in a short transaction of its own. */
static nu_status count_hit(nu_app *app, nu_arena *a, int64_t deadline_ns,
                           const nu_rate_policy *policy, const uint8_t *bucket, nu_rate_decision *d,
                           int64_t *hits) {
  int64_t now = nu_clock_wall_ns(app->clock);
  hit_run h = {.bucket = bucket, .window = nu_rate_window_at(policy, now), .now_ns = now};
  nu_tx_options opts = {.deadline_mono_ns = deadline_ns};
  nu_status st = nu_tx_run(app->pool, a, &opts, run_hit, &h);
  if (!nu_status_is_ok(&st)) return st;
  *d = nu_rate_decide(policy, h.hits, now);
  if (hits != NULL) *hits = h.hits;
  return nu_ok();
}

static nu_status check_address(void *ctx, const nu_method *m, const char *client,
                               int64_t deadline_ns, nu_arena *a) {
  nu_app *app = ctx;
  nu_rate_policy policy = {.limit = app->rate_limit_per_address,
                           .window_ns = app->rate_limit_window_ns};
  if (policy.limit <= 0) return nu_ok();
  uint8_t bucket[NU_RATE_BUCKET_BYTES];
  const char *what = nu_arena_sprintf(a, "%s %s", m->path, client != NULL ? client : "");
  if (what == NULL) return nu_rpc_oom(a);
  if (bucket_of(app, "address", what, bucket) != 0) {
    return nu_error(a, NU_INTERNAL, "KEY_DERIVATION_FAILED", "cannot derive the rate-limit key");
  }
  nu_rate_decision d;
  nu_status st = count_hit(app, a, deadline_ns, &policy, bucket, &d, NULL);
  if (!nu_status_is_ok(&st)) return st;
  if (d.allowed) return nu_ok();
  st = nu_error(a, NU_RESOURCE_EXHAUSTED, "RATE_LIMITED",
                "too many calls of this method from this address; retry later");
  st.retry_delay_ns = d.retry_delay_ns;
  return st;
}

void nu_rate_limiter_init(nu_rate_limiter *l, nu_app *app) {
  l->check = check_address;
  l->ctx = app;
}

static nu_rate_policy login_policy(const nu_app *app) {
  nu_rate_policy p = {.limit = app->failed_logins_per_hour, .window_ns = NU_HOUR_NS};
  return p;
}

nu_status nu_rate_login_blocked(nu_call *call, nu_conn *c, const char *account, bool *blocked) {
  nu_app *app = nu_call_app(call);
  nu_arena *a = nu_call_arena(call);
  nu_rate_policy policy = login_policy(app);
  *blocked = false;
  if (policy.limit <= 0) return nu_ok();
  uint8_t bucket[NU_RATE_BUCKET_BYTES];
  if (bucket_of(app, "failed-login", account, bucket) != 0) {
    return nu_error(a, NU_INTERNAL, "KEY_DERIVATION_FAILED", "cannot derive the rate-limit key");
  }
  int64_t now = nu_rpc_now(call);
  int64_t hits = 0;
  nu_status st = nu_rate_limit_peek(c, a, bucket, nu_rate_window_at(&policy, now).start_ns, &hits);
  if (!nu_status_is_ok(&st)) return st;
  *blocked = hits >= policy.limit;
  return nu_ok();
}

nu_status nu_rate_login_failed(nu_call *call, const char *account) {
  nu_app *app = nu_call_app(call);
  nu_arena *a = nu_call_arena(call);
  nu_rate_policy policy = login_policy(app);
  if (policy.limit <= 0) return nu_ok();
  uint8_t bucket[NU_RATE_BUCKET_BYTES];
  if (bucket_of(app, "failed-login", account, bucket) != 0) {
    return nu_error(a, NU_INTERNAL, "KEY_DERIVATION_FAILED", "cannot derive the rate-limit key");
  }
  nu_rate_decision d;
  int64_t hits = 0;
  nu_status st = count_hit(app, a, nu_call_deadline(call), &policy, bucket, &d, &hits);
  if (nu_status_is_ok(&st) && hits == policy.limit) {
    /* Once an hour per account: blocked logins are not counted. */
    nu_log(NU_LOG_WARN, "failed logins of an account reached the hourly limit", "request_id",
           nu_call_request_id(call), NULL);
  }
  return st;
}
