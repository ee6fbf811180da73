/*
 * lockout.h — when repeated sign-in failures lock a login (DOMAIN.md §1).
 *
 * Failed passwords and failed TOTP or recovery codes count together. The
 * fifth failure in a row locks the login for 15 minutes and starts the
 * count again; a completed sign-in resets it. While locked, every attempt
 * is refused without being looked at (even the right password), and it is
 * not counted, so a lock is never prolonged by the attacker it stops.
 *
 * Pure: times are Unix nanoseconds passed in (the app's clock), nothing
 * here reads a clock. The store applies the decision in one UPDATE so that
 * concurrent failures are all counted.
 */
#ifndef NU_DOMAIN_IDENTITY_LOCKOUT_H
#define NU_DOMAIN_IDENTITY_LOCKOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "server/domain/identity/policy.h" /* NU_LOCKOUT_MAX_FAILURES, NU_LOCKOUT_DURATION_NS */

#ifdef __cplusplus
extern "C" {
#endif

/* Whether a login whose lock ends at locked_until_ns (0: never locked) is
 * locked at now_ns. The lock ends exactly at locked_until_ns. */
bool nu_lockout_is_locked(int64_t locked_until_ns, int64_t now_ns);

/* What one more failure does to a login that had `failures` consecutive
 * failures (negative counts as 0). */
typedef struct nu_lockout_decision {
  int failures;            /* the count to store */
  int64_t locked_until_ns; /* when the lock ends; 0: no new lock */
} nu_lockout_decision;

nu_lockout_decision nu_lockout_after_failure(int failures, int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
