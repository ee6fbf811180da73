/*
 * deadline.c — default deadline and the remaining budget.
 */
#include "server/domain/deadline.h"

#define NS_PER_MS INT64_C(1000000)

int64_t nu_deadline_resolve(int64_t now_ns, bool has_client_deadline, int64_t client_remaining_ns,
                            int64_t default_ns) {
  if (!has_client_deadline) return now_ns + default_ns;
  /* Clamp absurd client deadlines (years ahead) so the sum cannot overflow. */
  const int64_t cap = INT64_C(365) * 24 * 3600 * 1000 * NS_PER_MS;
  if (client_remaining_ns > cap) client_remaining_ns = cap;
  return now_ns + client_remaining_ns;
}

int64_t nu_deadline_remaining_ms(int64_t deadline_ns, int64_t now_ns) {
  if (deadline_ns <= now_ns) return 0;
  /* Unsigned, and rounded up without adding first: streams without a client
   * deadline end at INT64_MAX, where the signed sum would overflow. */
  uint64_t left = (uint64_t)deadline_ns - (uint64_t)now_ns;
  return (int64_t)(left / NS_PER_MS + (left % NS_PER_MS != 0));
}
