// lockout_test.cc — the five-failures, fifteen-minutes rule, on an injected
// time.
#include "server/domain/identity/lockout.h"

#include <gtest/gtest.h>

namespace {

constexpr int64_t kNow = INT64_C(1795000000) * 1000000000;  // some day in 2026
constexpr int64_t kMinute = INT64_C(60) * 1000000000;

TEST(LockoutTest, FourFailuresCountWithoutLocking) {
  int failures = 0;
  for (int i = 1; i <= 4; i++) {
    nu_lockout_decision d = nu_lockout_after_failure(failures, kNow);
    EXPECT_EQ(d.failures, i);
    EXPECT_EQ(d.locked_until_ns, 0);
    failures = d.failures;
  }
}

TEST(LockoutTest, FifthFailureLocksForFifteenMinutesAndRestartsTheCount) {
  nu_lockout_decision d = nu_lockout_after_failure(4, kNow);
  EXPECT_EQ(d.failures, 0);
  EXPECT_EQ(d.locked_until_ns, kNow + 15 * kMinute);
}

TEST(LockoutTest, ACountAlreadyPastTheLimitLocks) {
  // Concurrent failures may have pushed the stored count past the limit.
  EXPECT_EQ(nu_lockout_after_failure(9, kNow).locked_until_ns, kNow + 15 * kMinute);
}

TEST(LockoutTest, NegativeCountsAsZero) {
  nu_lockout_decision d = nu_lockout_after_failure(-3, kNow);
  EXPECT_EQ(d.failures, 1);
  EXPECT_EQ(d.locked_until_ns, 0);
}

TEST(LockoutTest, LockedUntilTheEndExactly) {
  int64_t until = kNow + 15 * kMinute;
  EXPECT_TRUE(nu_lockout_is_locked(until, kNow));
  EXPECT_TRUE(nu_lockout_is_locked(until, until - 1));
  EXPECT_FALSE(nu_lockout_is_locked(until, until));
  EXPECT_FALSE(nu_lockout_is_locked(until, until + kMinute));
}

TEST(LockoutTest, NeverLockedIsNotLocked) {
  EXPECT_FALSE(nu_lockout_is_locked(0, kNow));
  EXPECT_FALSE(nu_lockout_is_locked(0, 0));
}

}  // namespace
