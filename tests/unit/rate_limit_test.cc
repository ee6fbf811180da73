// rate_limit_test.cc — fixed-window arithmetic (server/domain/rate_limit.h)
// on times given by the test.
#include "server/domain/rate_limit.h"

#include <gtest/gtest.h>

namespace {

constexpr int64_t kS = 1000000000;

TEST(RateLimitTest, WindowsAreAlignedOnTheirLength) {
  nu_rate_policy p = {.limit = 3, .window_ns = 60 * kS};
  nu_rate_window w = nu_rate_window_at(&p, 1000 * kS + 5);
  EXPECT_EQ(w.start_ns, 960 * kS);
  EXPECT_EQ(w.end_ns, 1020 * kS);
  w = nu_rate_window_at(&p, 960 * kS);
  EXPECT_EQ(w.start_ns, 960 * kS);
  w = nu_rate_window_at(&p, 1020 * kS - 1);
  EXPECT_EQ(w.start_ns, 960 * kS);
}

TEST(RateLimitTest, AllowsUpToTheLimitThenGivesTheTimeLeft) {
  nu_rate_policy p = {.limit = 3, .window_ns = 60 * kS};
  int64_t now = 1000 * kS;
  for (int hits = 1; hits <= 3; hits++) EXPECT_TRUE(nu_rate_decide(&p, hits, now).allowed);
  nu_rate_decision d = nu_rate_decide(&p, 4, now);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_delay_ns, 20 * kS);
  d = nu_rate_decide(&p, 100, 1020 * kS - 1);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_delay_ns, 1);
}

TEST(RateLimitTest, LimitZeroIsUnlimited) {
  nu_rate_policy p = {.limit = 0, .window_ns = kS};
  EXPECT_TRUE(nu_rate_decide(&p, 1000000, 5 * kS).allowed);
}

}  // namespace
