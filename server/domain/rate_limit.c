/*
 * rate_limit.c — fixed-window arithmetic of rate limits.
 */
#include "server/domain/rate_limit.h"

nu_rate_window nu_rate_window_at(const nu_rate_policy *p, int64_t now_ns) {
  int64_t w = p->window_ns > 0 ? p->window_ns : 1;
  int64_t t = now_ns > 0 ? now_ns : 0;
  nu_rate_window out = {.start_ns = t - t % w};
  out.end_ns = out.start_ns + w;
  return out;
}

nu_rate_decision nu_rate_decide(const nu_rate_policy *p, int64_t hits, int64_t now_ns) {
  nu_rate_decision d = {.allowed = true};
  if (p->limit <= 0 || hits <= p->limit) return d;
  nu_rate_window w = nu_rate_window_at(p, now_ns);
  d.allowed = false;
  d.retry_delay_ns = w.end_ns - (now_ns > 0 ? now_ns : 0);
  if (d.retry_delay_ns <= 0) d.retry_delay_ns = 1;
  return d;
}
