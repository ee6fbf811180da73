// subscription_test.cc — reservation start, end, status derived from the
// clock, termination on the first day of the next month, partial
// terminations. Instants are Paris wall times, so the boundaries read as a
// buyer reads them.
#include "server/domain/subscriptions/subscription.h"

#include <gtest/gtest.h>

#include <string>

namespace {

constexpr int64_t kNsPerS = 1000000000;

// The instant of a wall time in Paris.
int64_t Paris(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return nu_paris_day_start(nu_date{y, mo, d}) + (h * 3600 + mi * 60 + s) * kNsPerS;
}

std::string Str(nu_date d) {
  char buf[11];
  if (nu_date_format(d, buf, sizeof buf) < 0) return "invalid";
  return buf;
}

TEST(SubscriptionTest, ReservationsStartTheFirstDayOfTheNextMonth) {
  EXPECT_EQ(Str(nu_reservation_start(Paris(2027, 12, 31, 23, 59, 59))), "2028-01-01");
  EXPECT_EQ(Str(nu_reservation_start(Paris(2028, 1, 1))), "2028-02-01");
  EXPECT_EQ(Str(nu_reservation_start(Paris(2028, 2, 28, 12))), "2028-03-01");
  EXPECT_EQ(Str(nu_reservation_start(Paris(2028, 2, 29, 23, 59, 59))), "2028-03-01");
  EXPECT_EQ(Str(nu_reservation_start(Paris(2027, 2, 28, 23, 59, 59))), "2027-03-01");
  EXPECT_EQ(Str(nu_reservation_start(Paris(2027, 4, 30, 23, 59, 59))), "2027-05-01");
  EXPECT_EQ(Str(nu_reservation_start(Paris(2027, 5, 31, 23, 59, 59))), "2027-06-01");
  // A Paris day, not a UTC one: 31 December 23:30 UTC is already January in
  // Paris (winter, UTC+1); 30 June 22:30 UTC is already July (summer, UTC+2).
  auto utc = [](int y, int mo, int d, int h, int mi) {
    return (nu_date_to_days(nu_date{y, mo, d}) * 86400 + h * 3600 + mi * 60) * kNsPerS;
  };
  EXPECT_EQ(Str(nu_reservation_start(utc(2027, 12, 31, 22, 30))), "2028-01-01");
  EXPECT_EQ(Str(nu_reservation_start(utc(2027, 12, 31, 23, 30))), "2028-02-01");
  EXPECT_EQ(Str(nu_reservation_start(utc(2027, 6, 30, 21, 30))), "2027-07-01");
  EXPECT_EQ(Str(nu_reservation_start(utc(2027, 6, 30, 22, 30))), "2027-08-01");
}

TEST(SubscriptionTest, EndIsStartPlusTheDuration) {
  nu_date end{};
  nu_refusal why{};
  ASSERT_EQ(nu_subscription_end({2028, 1, 1}, 12, &end, &why), 0);
  EXPECT_EQ(Str(end), "2029-01-01");
  ASSERT_EQ(nu_subscription_end({2027, 3, 1}, 36, &end, &why), 0);
  EXPECT_EQ(Str(end), "2030-03-01");
  ASSERT_EQ(nu_subscription_end({2027, 12, 1}, 1, &end, &why), 0);
  EXPECT_EQ(Str(end), "2028-01-01");
  for (int bad : {0, -1, NU_SUBSCRIPTION_MONTHS_MAX + 1}) {
    EXPECT_EQ(nu_subscription_end({2027, 3, 1}, bad, &end, &why), -1);
    EXPECT_STREQ(why.reason, "SUBSCRIPTION_DURATION_INVALID");
  }
  EXPECT_EQ(nu_subscription_end({2027, 2, 29}, 12, &end, &why), -1);
}

nu_subscription_dates Dates(nu_date start, nu_date end) {
  nu_subscription_dates d{};
  d.start = start;
  d.end = end;
  return d;
}

TEST(SubscriptionTest, StatusIsDerivedFromTheClock) {
  auto d = Dates({2028, 3, 1}, {2029, 3, 1});
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2028, 2, 29, 23, 59, 59)),
            NU_SUBSCRIPTION_SUBSCRIBED);
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2028, 3, 1)), NU_SUBSCRIPTION_ACTIVE);
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2029, 2, 28, 23, 59, 59)), NU_SUBSCRIPTION_ACTIVE);
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2029, 3, 1)), NU_SUBSCRIPTION_ENDED);
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2029, 3, 1) - 1), NU_SUBSCRIPTION_ACTIVE);
  d.terminating = true;
  d.terminates_on = {2028, 7, 1};
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2028, 6, 30, 23, 59, 59)), NU_SUBSCRIPTION_ACTIVE);
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2028, 7, 1)), NU_SUBSCRIPTION_TERMINATED);
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2030, 1, 1)), NU_SUBSCRIPTION_TERMINATED);
  // Summer time: 1 July begins at 22:00 UTC on 30 June.
  EXPECT_EQ(nu_paris_day_start({2028, 7, 1}) % (86400 * kNsPerS), 22 * 3600 * kNsPerS);

  auto bad = Dates({2028, 3, 1}, {2028, 3, 1});
  EXPECT_EQ(nu_subscription_state_at(&bad, 0), NU_SUBSCRIPTION_STATE_UNSPECIFIED);
  bad = Dates({2028, 2, 30}, {2029, 3, 1});
  EXPECT_EQ(nu_subscription_state_at(&bad, 0), NU_SUBSCRIPTION_STATE_UNSPECIFIED);
  EXPECT_EQ(nu_subscription_state_at(nullptr, 0), NU_SUBSCRIPTION_STATE_UNSPECIFIED);
}

// Termination requested at `at` on a subscription running 2027-01-01 to
// 2029-01-01: its effective day.
std::string Effective(int64_t at) {
  auto d = Dates({2027, 1, 1}, {2029, 1, 1});
  nu_date on{};
  nu_refusal why{};
  if (nu_subscription_terminate(&d, at, &on, &why) != 0) return why.reason;
  return Str(on);
}

TEST(SubscriptionTest, TerminationTakesEffectTheFirstDayOfTheNextMonth) {
  // On the 31st, to the last second: the next day.
  EXPECT_EQ(Effective(Paris(2027, 1, 31)), "2027-02-01");
  EXPECT_EQ(Effective(Paris(2027, 1, 31, 23, 59, 59)), "2027-02-01");
  EXPECT_EQ(Effective(Paris(2027, 12, 31, 23, 59, 59)), "2028-01-01");
  // On the 1st, from its first second: a month later.
  EXPECT_EQ(Effective(Paris(2027, 2, 1)), "2027-03-01");
  EXPECT_EQ(Effective(Paris(2027, 2, 1, 0, 0, 1)), "2027-03-01");
  EXPECT_EQ(Effective(Paris(2028, 1, 1)), "2028-02-01");
  // February, leap and not; 30-day months.
  EXPECT_EQ(Effective(Paris(2027, 2, 28, 23, 59, 59)), "2027-03-01");
  EXPECT_EQ(Effective(Paris(2028, 2, 28, 23, 59, 59)), "2028-03-01");
  EXPECT_EQ(Effective(Paris(2028, 2, 29)), "2028-03-01");
  EXPECT_EQ(Effective(Paris(2028, 2, 29, 23, 59, 59)), "2028-03-01");
  EXPECT_EQ(Effective(Paris(2027, 4, 30, 23, 59, 59)), "2027-05-01");
  EXPECT_EQ(Effective(Paris(2027, 9, 30)), "2027-10-01");
  // The last second of a Paris month is not the last second of a UTC one:
  // 31 March 2027 23:59:59 in Paris is 21:59:59 UTC.
  EXPECT_EQ(Effective(Paris(2027, 3, 31, 23, 59, 59)), "2027-04-01");
  EXPECT_EQ(Effective(Paris(2027, 4, 1)), "2027-05-01");
  // In the subscription's last month, it ends first.
  EXPECT_EQ(Effective(Paris(2028, 12, 1)), "SUBSCRIPTION_ENDS_FIRST");
  EXPECT_EQ(Effective(Paris(2028, 11, 30, 23, 59, 59)), "2028-12-01");
  EXPECT_EQ(Effective(Paris(2029, 1, 1)), "SUBSCRIPTION_ENDED");
}

TEST(SubscriptionTest, TerminationBeforeTheStartTakesEffectAtTheStart) {
  // Ordered on 10 January, starting 1 February, terminated on 20 January:
  // effective 1 February, it is never active.
  auto d = Dates({2027, 2, 1}, {2028, 2, 1});
  nu_date on{};
  ASSERT_EQ(nu_subscription_terminate(&d, Paris(2027, 1, 20), &on, nullptr), 0);
  EXPECT_EQ(Str(on), "2027-02-01");
  d.terminating = true;
  d.terminates_on = on;
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2027, 1, 31, 23, 59, 59)),
            NU_SUBSCRIPTION_SUBSCRIBED);
  EXPECT_EQ(nu_subscription_state_at(&d, Paris(2027, 2, 1)), NU_SUBSCRIPTION_TERMINATED);
}

TEST(SubscriptionTest, OneTerminationPerSubscription) {
  auto d = Dates({2027, 1, 1}, {2029, 1, 1});
  d.terminating = true;
  d.terminates_on = {2027, 6, 1};
  nu_date on{};
  nu_refusal why{};
  EXPECT_EQ(nu_subscription_terminate(&d, Paris(2027, 5, 2), &on, &why), -1);
  EXPECT_STREQ(why.reason, "SUBSCRIPTION_ALREADY_TERMINATING");
  EXPECT_EQ(nu_subscription_terminate(&d, Paris(2027, 6, 2), &on, &why), -1);
  EXPECT_STREQ(why.reason, "SUBSCRIPTION_ALREADY_TERMINATING");
  d.terminates_on = {2027, 6, 31};
  EXPECT_EQ(nu_subscription_terminate(&d, Paris(2027, 5, 2), &on, &why), -1);
  EXPECT_STREQ(why.reason, "SUBSCRIPTION_DATES_INVALID");
}

TEST(SubscriptionTest, PartialTerminationSplitsTheQuantity) {
  nu_subscription_split s{};
  nu_refusal why{};
  ASSERT_EQ(nu_subscription_split_quantity(10, 3, &s, &why), 0);
  EXPECT_EQ(s.kept, 7);
  EXPECT_EQ(s.terminated, 3);
  ASSERT_EQ(nu_subscription_split_quantity(10, 10, &s, &why), 0);
  EXPECT_EQ(s.kept, 0);  // the whole subscription: no split
  for (int64_t bad : {0, -1, 11}) {
    EXPECT_EQ(nu_subscription_split_quantity(10, bad, &s, &why), -1);
    EXPECT_STREQ(why.reason, "TERMINATED_QUANTITY_INVALID");
  }
}

TEST(SubscriptionTest, SplitAmountsAlwaysAddUp) {
  nu_subscription_split s{};
  ASSERT_EQ(nu_subscription_split_quantity(3, 1, &s, nullptr), 0);
  int64_t kept = 0, term = 0;
  ASSERT_EQ(nu_subscription_split_amount(1000, &s, &kept, &term), 0);
  EXPECT_EQ(term, 333);  // 333.33… rounds down
  EXPECT_EQ(kept, 667);
  ASSERT_EQ(nu_subscription_split_quantity(4, 1, &s, nullptr), 0);
  ASSERT_EQ(nu_subscription_split_amount(2, &s, &kept, &term), 0);
  EXPECT_EQ(term, 1);  // 0.5 rounds away from zero
  EXPECT_EQ(kept, 1);
  ASSERT_EQ(nu_subscription_split_amount(-2, &s, &kept, &term), 0);
  EXPECT_EQ(term, -1);
  EXPECT_EQ(kept, -1);
  ASSERT_EQ(nu_subscription_split_quantity(7, 7, &s, nullptr), 0);
  ASSERT_EQ(nu_subscription_split_amount(12345, &s, &kept, &term), 0);
  EXPECT_EQ(term, 12345);
  EXPECT_EQ(kept, 0);
  ASSERT_EQ(nu_subscription_split_quantity(INT64_MAX, 1, &s, nullptr), 0);
  ASSERT_EQ(nu_subscription_split_amount(INT64_MAX, &s, &kept, &term), 0);
  EXPECT_EQ(term, 1);
  EXPECT_EQ(kept, INT64_MAX - 1);
  for (int64_t q = 1; q <= 13; q++) {
    for (int64_t k = 1; k <= q; k++) {
      for (int64_t amount : {INT64_C(0), INT64_C(1), INT64_C(99), INT64_C(-7), INT64_C(100001)}) {
        ASSERT_EQ(nu_subscription_split_quantity(q, k, &s, nullptr), 0);
        ASSERT_EQ(nu_subscription_split_amount(amount, &s, &kept, &term), 0);
        ASSERT_EQ(kept + term, amount);
      }
    }
  }
  nu_subscription_split bad{1, 0};
  EXPECT_EQ(nu_subscription_split_amount(10, &bad, &kept, &term), -1);
  EXPECT_EQ(nu_subscription_split_amount(10, nullptr, &kept, &term), -1);
}

TEST(SubscriptionTest, StateNames) {
  for (int i = 1; i < NU_SUBSCRIPTION_STATE_COUNT; i++) {
    auto s = static_cast<nu_subscription_state>(i);
    EXPECT_EQ(nu_subscription_state_parse(nu_subscription_state_name(s)), s);
  }
  EXPECT_STREQ(nu_subscription_state_name(NU_SUBSCRIPTION_TERMINATED), "terminated");
  EXPECT_EQ(nu_subscription_state_name(NU_SUBSCRIPTION_STATE_UNSPECIFIED), nullptr);
  EXPECT_EQ(nu_subscription_state_parse("Active"), NU_SUBSCRIPTION_STATE_UNSPECIFIED);
}

}  // namespace
