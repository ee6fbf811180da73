/*
 * deadline.h — the rules of a call's time budget.
 *
 * A call without a client deadline gets the server's default (10 s). A
 * statement may run only for what is left of the budget. Pure functions of
 * the times passed in.
 */
#ifndef NU_DOMAIN_DEADLINE_H
#define NU_DOMAIN_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The effective deadline on the monotonic clock. has_client_deadline false
 * means the client sent none; client_remaining_ns may be ≤ 0 (already
 * late). The default also caps nothing: a client may ask for longer. */
int64_t nu_deadline_resolve(int64_t now_ns, bool has_client_deadline, int64_t client_remaining_ns,
                            int64_t default_ns);

/* Whole milliseconds left, rounded up, at least 1; 0 when the deadline has
 * passed. Used for statement_timeout (where 0 would mean "no limit"). */
int64_t nu_deadline_remaining_ms(int64_t deadline_ns, int64_t now_ns);

static inline bool nu_deadline_passed(int64_t deadline_ns, int64_t now_ns) {
  return now_ns >= deadline_ns;
}

#ifdef __cplusplus
}
#endif

#endif
