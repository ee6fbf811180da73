/*
 * clock.c — the system clock and a settable clock for tests.
 */
#include "server/common/clock.h"

#include <time.h>

static int64_t read_clock(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (int64_t)ts.tv_sec * NU_NS_PER_S + ts.tv_nsec;
}

static int64_t system_wall(void *ctx) {
  (void)ctx;
  return read_clock(CLOCK_REALTIME);
}

static int64_t system_mono(void *ctx) {
  (void)ctx;
  return read_clock(CLOCK_MONOTONIC);
}

static const nu_clock system_clock = {system_wall, system_mono, NULL};

const nu_clock *nu_clock_system(void) { return &system_clock; }

static int64_t fake_now(void *ctx) { return ((nu_fake_clock *)ctx)->now_ns; }

void nu_fake_clock_init(nu_fake_clock *fc, int64_t start_ns) {
  fc->clock.wall_ns = fake_now;
  fc->clock.mono_ns = fake_now;
  fc->clock.ctx = fc;
  fc->now_ns = start_ns;
}

static int64_t offset_wall(void *ctx) {
  nu_offset_clock *oc = ctx;
  return read_clock(CLOCK_REALTIME) + __atomic_load_n(&oc->offset_ns, __ATOMIC_RELAXED);
}

void nu_offset_clock_init(nu_offset_clock *oc) {
  oc->clock.wall_ns = offset_wall;
  oc->clock.mono_ns = system_mono;
  oc->clock.ctx = oc;
  oc->offset_ns = 0;
}

int64_t nu_offset_clock_advance(nu_offset_clock *oc, int64_t delta_ns) {
  if (delta_ns < 0) delta_ns = 0;
  return __atomic_add_fetch(&oc->offset_ns, delta_ns, __ATOMIC_RELAXED);
}
