/*
 * app.h — what handlers share: the pool, the clock, health, reflection.
 *
 * One per server process, built by main and handed to the transport; each
 * handler reaches it through nu_call_app.
 */
#ifndef NU_APP_APP_H
#define NU_APP_APP_H

#include <stdint.h>

#include "server/common/clock.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_health nu_health;
typedef struct nu_reflection_index nu_reflection_index;

typedef struct nu_password_hasher nu_password_hasher;

typedef struct nu_app {
  nu_pool *pool;
  /* The wall clock every rule reads (expiry, TOTP steps, lockouts). The
   * system clock, shifted by DiagnosticsService/AdvanceClock when
   * diagnostics are enabled (tests move time with it). */
  const nu_clock *clock;
  nu_offset_clock *clock_control; /* the same clock, movable; NULL without diagnostics */
  nu_password_hasher *hasher;     /* Argon2id, bounded concurrency */
  /* 32 bytes from --secret-key: seals TOTP secrets at rest and keys the
   * recovery-code hashes. */
  const uint8_t *secret_key;
  const char *public_url; /* base of e-mailed links, no trailing slash */
  int64_t voucher_cents;  /* eligibility credit, default 15000 */
  /* What account level test may commit per calendar month, excl. VAT
   * (nu_account_commitment_check); default 50000. */
  int64_t test_level_monthly_cents;
  /* Rate limits (rpc/core/rate_limiter.h): calls of each NU_RATE_PUBLIC_WRITE
   * method per client address and window, and failed logins per account
   * and hour; 0 disables either. */
  int64_t rate_limit_per_address;
  int64_t rate_limit_window_ns;
  int64_t failed_logins_per_hour;
  /* Absolute path of --import-dir, where ImportEligibleDomainsFromFile
   * reads; NULL when none is configured (that RPC is then refused). */
  const char *import_dir;
  nu_health *health;
  /* Set once the server begins to stop (SIGTERM/SIGINT): long-lived
   * streams (the provider feed) end at once, telling the client to
   * reconnect, instead of holding the shutdown for its whole grace. Read
   * and written with __atomic builtins. */
  bool stopping;
  const nu_reflection_index *reflection;
  const char *server_version;
  int known_migrations;
  int64_t start_wall_ns;
} nu_app;

#ifdef __cplusplus
}
#endif

#endif
