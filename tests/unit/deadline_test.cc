// deadline_test.cc — a call's time budget: default, client deadline, clamp,
// and the milliseconds left for statement_timeout.
#include <gtest/gtest.h>

#include <cstdint>

#include "server/domain/deadline.h"

namespace {

constexpr int64_t kMs = INT64_C(1000000);
constexpr int64_t kS = 1000 * kMs;
constexpr int64_t kYear = INT64_C(365) * 24 * 3600 * kS;

TEST(DeadlineResolve, DefaultWhenTheClientSetsNone) {
  EXPECT_EQ(nu_deadline_resolve(5 * kS, false, 0, 10 * kS), 15 * kS);
  // Whatever client_remaining_ns says, it is ignored without a deadline.
  EXPECT_EQ(nu_deadline_resolve(5 * kS, false, 1 * kMs, 10 * kS), 15 * kS);
  EXPECT_EQ(nu_deadline_resolve(0, false, -7, 1), 1);
}

TEST(DeadlineResolve, ClientDeadlineHonoured) {
  EXPECT_EQ(nu_deadline_resolve(5 * kS, true, 250 * kMs, 10 * kS), 5 * kS + 250 * kMs);
  // Longer than the default: the default caps nothing.
  EXPECT_EQ(nu_deadline_resolve(5 * kS, true, 60 * kS, 10 * kS), 65 * kS);
}

TEST(DeadlineResolve, AlreadyLate) {
  int64_t d = nu_deadline_resolve(5 * kS, true, -3 * kMs, 10 * kS);
  EXPECT_EQ(d, 5 * kS - 3 * kMs);
  EXPECT_TRUE(nu_deadline_passed(d, 5 * kS));
  d = nu_deadline_resolve(5 * kS, true, 0, 10 * kS);
  EXPECT_TRUE(nu_deadline_passed(d, 5 * kS)) << "no time left is passed";
}

TEST(DeadlineResolve, AbsurdClientDeadlineIsClampedWithoutOverflow) {
  const int64_t now = 1000 * kS;
  EXPECT_EQ(nu_deadline_resolve(now, true, INT64_MAX, 10 * kS), now + kYear);
  EXPECT_EQ(nu_deadline_resolve(now, true, INT64_MAX - now + 1, 10 * kS), now + kYear);
  EXPECT_EQ(nu_deadline_resolve(now, true, kYear + 1, 10 * kS), now + kYear);
  EXPECT_EQ(nu_deadline_resolve(now, true, kYear, 10 * kS), now + kYear);
  EXPECT_EQ(nu_deadline_resolve(now, true, kYear - 1, 10 * kS), now + kYear - 1);
  // A large monotonic reading (a machine up for decades) still does not wrap.
  const int64_t late = INT64_C(50) * kYear;
  EXPECT_EQ(nu_deadline_resolve(late, true, INT64_MAX, 0), late + kYear);
}

TEST(DeadlinePassed, AtAndAfter) {
  EXPECT_FALSE(nu_deadline_passed(100, 99));
  EXPECT_TRUE(nu_deadline_passed(100, 100));
  EXPECT_TRUE(nu_deadline_passed(100, 101));
}

TEST(RemainingMs, RoundsUp) {
  EXPECT_EQ(nu_deadline_remaining_ms(10 * kMs, 0), 10);
  EXPECT_EQ(nu_deadline_remaining_ms(10 * kMs + 1, 0), 11);
  EXPECT_EQ(nu_deadline_remaining_ms(10 * kMs - 1, 0), 10);
  EXPECT_EQ(nu_deadline_remaining_ms(5 * kS + 1500 * kMs, 5 * kS), 1500);
}

TEST(RemainingMs, AtLeastOneWhileTimeIsLeft) {
  EXPECT_EQ(nu_deadline_remaining_ms(1, 0), 1);
  EXPECT_EQ(nu_deadline_remaining_ms(kMs, kMs - 1), 1);
  EXPECT_EQ(nu_deadline_remaining_ms(kMs, 1), 1);
}

TEST(RemainingMs, ZeroOncePassed) {
  EXPECT_EQ(nu_deadline_remaining_ms(100, 100), 0);
  EXPECT_EQ(nu_deadline_remaining_ms(100, 101), 0);
  EXPECT_EQ(nu_deadline_remaining_ms(0, 10 * kS), 0);
  EXPECT_EQ(nu_deadline_remaining_ms(-5 * kS, 10 * kS), 0);
}

TEST(RemainingMs, ResolvedDeadlinesAreUsable) {
  const int64_t now = 42 * kS;
  int64_t d = nu_deadline_resolve(now, false, 0, 10 * kS);
  EXPECT_EQ(nu_deadline_remaining_ms(d, now), 10000);
  d = nu_deadline_resolve(now, true, INT64_MAX, 10 * kS);
  EXPECT_EQ(nu_deadline_remaining_ms(d, now), kYear / kMs);
}

// Regression: streams without a client deadline run until INT64_MAX; the
// signed round-up addition overflowed there, and the subtraction too for a
// clock reading below zero (undefined behaviour: a negative budget).
TEST(RemainingMs, FarDeadlineDoesNotOverflow) {
  EXPECT_EQ(nu_deadline_remaining_ms(INT64_MAX, 0), INT64_MAX / kMs + 1);
  EXPECT_EQ(nu_deadline_remaining_ms(INT64_MAX, 1000 * kS), (INT64_MAX - 1000 * kS) / kMs + 1);
  EXPECT_GT(nu_deadline_remaining_ms(INT64_MAX, INT64_MAX - 1), 0);
  EXPECT_EQ(nu_deadline_remaining_ms(INT64_MAX, INT64_MAX - 1), 1);
  // Fake clocks may read below zero; the difference itself exceeds INT64_MAX.
  EXPECT_EQ(nu_deadline_remaining_ms(INT64_MAX, -1), INT64_MAX / kMs + 1);
  EXPECT_EQ(nu_deadline_remaining_ms(INT64_MAX, INT64_MIN), INT64_C(18446744073710));
}

}  // namespace
