/*
 * rate_limit.h — fixed-window counting: which window a moment falls in,
 * whether a count is over its limit, and how long until the window ends.
 *
 * The counts themselves live in PostgreSQL (store/core/rate_limit_store.h), so
 * that every server of one database shares them; this is the arithmetic,
 * on times the caller reads from its (injectable) clock. A fixed window
 * admits at most `limit` hits between its start and its end; across a
 * window boundary a burst of up to twice the limit is possible, the usual
 * price of one counter per window.
 */
#ifndef NU_DOMAIN_RATE_LIMIT_H
#define NU_DOMAIN_RATE_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_rate_policy {
  int64_t limit;     /* hits allowed per window; 0: unlimited */
  int64_t window_ns; /* > 0 */
} nu_rate_policy;

typedef struct nu_rate_window {
  int64_t start_ns; /* now rounded down to a multiple of window_ns (Unix epoch) */
  int64_t end_ns;   /* start_ns + window_ns */
} nu_rate_window;

/* The window now_ns (Unix ns, ≥ 0) falls in. */
nu_rate_window nu_rate_window_at(const nu_rate_policy *p, int64_t now_ns);

typedef struct nu_rate_decision {
  bool allowed;
  int64_t retry_delay_ns; /* when refused: until the window ends (> 0) */
} nu_rate_decision;

/* hits counted in the window of now_ns, this call included: allowed while
 * hits ≤ limit (always with limit 0). */
nu_rate_decision nu_rate_decide(const nu_rate_policy *p, int64_t hits, int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
