/*
 * clock.h — time as a value passed in, so tests can move it.
 *
 * Two clocks: wall time (Unix nanoseconds, for dates the domain reasons
 * about) and monotonic time (for deadlines and durations). Domain code never
 * reads the system clock itself; it receives an nu_clock.
 */
#ifndef NU_COMMON_CLOCK_H
#define NU_COMMON_CLOCK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_clock {
  int64_t (*wall_ns)(void *ctx);
  int64_t (*mono_ns)(void *ctx);
  void *ctx;
} nu_clock;

/* The process clock (CLOCK_REALTIME and CLOCK_MONOTONIC). */
const nu_clock *nu_clock_system(void);

static inline int64_t nu_clock_wall_ns(const nu_clock *c) { return c->wall_ns(c->ctx); }
static inline int64_t nu_clock_mono_ns(const nu_clock *c) { return c->mono_ns(c->ctx); }

/* A clock for tests: both readings return *now_ns. */
typedef struct nu_fake_clock {
  nu_clock clock;
  int64_t now_ns;
} nu_fake_clock;

void nu_fake_clock_init(nu_fake_clock *fc, int64_t start_ns);

/* The system clock whose wall time can be moved forward at run time
 * (DiagnosticsService/AdvanceClock, for end-to-end tests of expiries).
 * Monotonic time, and so every deadline, is left alone. Thread-safe. */
typedef struct nu_offset_clock {
  nu_clock clock;
  int64_t offset_ns; /* read and written with __atomic builtins only */
} nu_offset_clock;

void nu_offset_clock_init(nu_offset_clock *oc);
/* Adds delta_ns (≥ 0: time never goes back) and returns the new offset. */
int64_t nu_offset_clock_advance(nu_offset_clock *oc, int64_t delta_ns);

#define NU_NS_PER_MS INT64_C(1000000)
#define NU_NS_PER_S INT64_C(1000000000)

#ifdef __cplusplus
}
#endif

#endif
