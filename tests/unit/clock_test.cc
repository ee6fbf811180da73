// clock_test.cc — the fake clock tests move by hand, and the system clock.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <ctime>

#include "server/common/clock.h"

namespace {

TEST(FakeClock, BothReadingsStartWhereTold) {
  nu_fake_clock fc;
  nu_fake_clock_init(&fc, INT64_C(1700000000) * NU_NS_PER_S);
  EXPECT_EQ(nu_clock_wall_ns(&fc.clock), INT64_C(1700000000) * NU_NS_PER_S);
  EXPECT_EQ(nu_clock_mono_ns(&fc.clock), INT64_C(1700000000) * NU_NS_PER_S);
}

TEST(FakeClock, MovesOnlyWhenMoved) {
  nu_fake_clock fc;
  nu_fake_clock_init(&fc, 0);
  EXPECT_EQ(nu_clock_mono_ns(&fc.clock), 0);
  EXPECT_EQ(nu_clock_mono_ns(&fc.clock), 0);
  fc.now_ns += 1500 * NU_NS_PER_MS;
  EXPECT_EQ(nu_clock_mono_ns(&fc.clock), 1500 * NU_NS_PER_MS);
  EXPECT_EQ(nu_clock_wall_ns(&fc.clock), 1500 * NU_NS_PER_MS);
  fc.now_ns = -5;  // tests may even go back
  EXPECT_EQ(nu_clock_wall_ns(&fc.clock), -5);
}

TEST(FakeClock, TwoFakeClocksAreIndependent) {
  nu_fake_clock a, b;
  nu_fake_clock_init(&a, 1);
  nu_fake_clock_init(&b, 2);
  a.now_ns = 10;
  EXPECT_EQ(nu_clock_mono_ns(&a.clock), 10);
  EXPECT_EQ(nu_clock_mono_ns(&b.clock), 2);
}

TEST(FakeClock, UsableThroughAConstPointer) {
  nu_fake_clock fc;
  nu_fake_clock_init(&fc, 7);
  const nu_clock *c = &fc.clock;
  fc.now_ns = 8;
  EXPECT_EQ(nu_clock_mono_ns(c), 8);
}

TEST(SystemClock, WallIsNowAndMonotonicNeverGoesBack) {
  const nu_clock *c = nu_clock_system();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c, nu_clock_system());
  int64_t wall_s = nu_clock_wall_ns(c) / NU_NS_PER_S;
  int64_t now_s = static_cast<int64_t>(time(nullptr));
  EXPECT_LE(std::llabs(wall_s - now_s), 2);
  int64_t prev = nu_clock_mono_ns(c);
  for (int i = 0; i < 1000; i++) {
    int64_t t = nu_clock_mono_ns(c);
    ASSERT_GE(t, prev);
    prev = t;
  }
}

TEST(OffsetClock, MovesWallTimeForwardOnlyAndLeavesMonotonicAlone) {
  nu_offset_clock oc;
  nu_offset_clock_init(&oc);
  const nu_clock *sys = nu_clock_system();
  int64_t before = nu_clock_wall_ns(sys);
  EXPECT_GE(nu_clock_wall_ns(&oc.clock), before);
  const int64_t day = INT64_C(86400) * NU_NS_PER_S;
  EXPECT_EQ(nu_offset_clock_advance(&oc, day), day);
  EXPECT_EQ(nu_offset_clock_advance(&oc, -5 * day), day) << "never back";
  int64_t moved = nu_clock_wall_ns(&oc.clock) - nu_clock_wall_ns(sys);
  EXPECT_GE(moved, day - NU_NS_PER_S);
  EXPECT_LE(moved, day + NU_NS_PER_S);
  int64_t mono = nu_clock_mono_ns(&oc.clock) - nu_clock_mono_ns(sys);
  EXPECT_LE(std::llabs(mono), NU_NS_PER_S) << "deadlines must not move";
}

TEST(Clock, Units) {
  EXPECT_EQ(NU_NS_PER_MS, 1000000);
  EXPECT_EQ(NU_NS_PER_S, 1000000000);
}

}  // namespace
