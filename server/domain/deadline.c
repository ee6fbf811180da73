/*
 * deadline.c — default deadline and the remaining budget.
 */
#include "server/domain/deadline.h"

#define NS_PER_MS INT64_C(1000000)

int64_t nu_deadline_resolve(int64_t now_ns, bool has_client_deadline,
                            int64_t client_remaining_ns, int64_t default_ns) {
  if (!has_client_deadline) return now_ns + default_ns;
  /* Clamp absurd client deadlines (years ahead) so the sum cannot overflow. */
  const int64_t cap = INT64_C(365) * 24 * 3600 * 1000 * NS_PER_MS;
  if (client_remaining_ns > cap) client_remaining_ns = cap;
  return now_ns + client_remaining_ns;
}

int64_t nu_deadline_remaining_ms(int64_t deadline_ns, int64_t now_ns) {
  int64_t left = deadline_ns - now_ns;
  if (left <= 0) return 0;
  return (left + NS_PER_MS - 1) / NS_PER_MS;
}
