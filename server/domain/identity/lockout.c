/*
 * lockout.c — the five-failures, fifteen-minutes rule.
 */
#include "server/domain/identity/lockout.h"

bool nu_lockout_is_locked(int64_t locked_until_ns, int64_t now_ns) {
  return locked_until_ns > 0 && now_ns < locked_until_ns;
}

nu_lockout_decision nu_lockout_after_failure(int failures, int64_t now_ns) {
  nu_lockout_decision d = {0, 0};
  int n = (failures > 0 ? failures : 0) + 1;
  if (n >= NU_LOCKOUT_MAX_FAILURES) {
    /* Start the count again: after the lock, five more tries. */
    d.failures = 0;
    d.locked_until_ns = now_ns + NU_LOCKOUT_DURATION_NS;
  } else {
    d.failures = n;
  }
  return d;
}
