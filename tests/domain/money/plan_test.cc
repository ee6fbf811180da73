// plan_test.cc — which pricing plans are well formed, per model, and their
// monthly price for sorting.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "server/domain/money/plan.h"

namespace {

// field → message of every problem.
std::map<std::string, std::string> Problems(const nu_plan_terms &t) {
  nu_plan_problem p[NU_PLAN_MAX_PROBLEMS];
  size_t n = nu_plan_check(&t, p, NU_PLAN_MAX_PROBLEMS);
  EXPECT_LE(n, (size_t)NU_PLAN_MAX_PROBLEMS);
  EXPECT_EQ(nu_plan_check(&t, nullptr, 0), n) << "the count does not depend on cap";
  std::map<std::string, std::string> out;
  for (size_t i = 0; i < n; i++) {
    std::string m = p[i].message;
    EXPECT_FALSE(m.empty());
    EXPECT_NE(m.back(), '.');
    EXPECT_TRUE(islower((unsigned char)m[0])) << m;
    out[p[i].field] = m;
  }
  return out;
}

nu_plan_terms Hourly(int64_t cents) {
  nu_plan_terms t{};
  t.model = NU_PRICING_HOURLY;
  t.has_hourly = true;
  t.hourly_cents = cents;
  t.vat_rate_bp = 2000;
  return t;
}

nu_plan_terms Subscription(int64_t monthly, int32_t commitment) {
  nu_plan_terms t{};
  t.model = NU_PRICING_SUBSCRIPTION;
  t.has_monthly = true;
  t.monthly_cents = monthly;
  t.commitment_months = commitment;
  t.vat_rate_bp = 2000;
  return t;
}

nu_plan_terms Bare(nu_pricing_model m) {
  nu_plan_terms t{};
  t.model = m;
  t.vat_rate_bp = 2000;
  return t;
}

TEST(PlanTest, ModelNames) {
  EXPECT_STREQ(nu_pricing_model_name(NU_PRICING_HOURLY), "hourly");
  EXPECT_STREQ(nu_pricing_model_name(NU_PRICING_FREE), "free");
  EXPECT_STREQ(nu_pricing_model_name(NU_PRICING_BYOL), "byol");
  EXPECT_STREQ(nu_pricing_model_name(NU_PRICING_SUBSCRIPTION), "subscription");
  EXPECT_STREQ(nu_pricing_model_name(NU_PRICING_QUOTATION), "quotation");
  EXPECT_EQ(nu_pricing_model_name(NU_PRICING_UNSPECIFIED), nullptr);
  EXPECT_EQ(nu_pricing_model_name((nu_pricing_model)6), nullptr);
  EXPECT_EQ(nu_pricing_model_name((nu_pricing_model)-1), nullptr);
  for (int m = 1; m <= 5; m++) {
    EXPECT_EQ(nu_pricing_model_parse(nu_pricing_model_name((nu_pricing_model)m)), m);
  }
  EXPECT_EQ(nu_pricing_model_parse("Hourly"), NU_PRICING_UNSPECIFIED);
  EXPECT_EQ(nu_pricing_model_parse(nullptr), NU_PRICING_UNSPECIFIED);
}

TEST(PlanTest, WellFormedPlans) {
  EXPECT_TRUE(Problems(Hourly(12)).empty());
  EXPECT_TRUE(Problems(Hourly(0)).empty()) << "a zero hourly price is a price";
  EXPECT_TRUE(Problems(Subscription(9900, 12)).empty());
  EXPECT_TRUE(Problems(Subscription(9900, 24)).empty());
  EXPECT_TRUE(Problems(Subscription(9900, 36)).empty());
  nu_plan_terms s = Subscription(9900, 36);
  s.has_upfront = true;
  s.upfront_cents = 50000;
  EXPECT_TRUE(Problems(s).empty());
  EXPECT_TRUE(Problems(Bare(NU_PRICING_FREE)).empty());
  EXPECT_TRUE(Problems(Bare(NU_PRICING_BYOL)).empty());
  EXPECT_TRUE(Problems(Bare(NU_PRICING_QUOTATION)).empty());
  EXPECT_TRUE(Problems(Hourly(NU_PLAN_PRICE_MAX_CENTS)).empty());
}

TEST(PlanTest, UnknownModel) {
  auto p = Problems(Bare(NU_PRICING_UNSPECIFIED));
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p.count("model"), 1u);
  EXPECT_EQ(Problems(Bare((nu_pricing_model)9)).count("model"), 1u);
}

TEST(PlanTest, HourlyNeedsItsPrice) {
  nu_plan_terms t = Hourly(0);
  t.has_hourly = false;
  EXPECT_EQ(Problems(t)["hourly_price"], "is required");
  EXPECT_EQ(Problems(Hourly(-1))["hourly_price"], "must not be negative");
  EXPECT_EQ(Problems(Hourly(NU_PLAN_PRICE_MAX_CENTS + 1)).count("hourly_price"), 1u);
}

TEST(PlanTest, SubscriptionNeedsMonthlyPriceAndCommitment) {
  nu_plan_terms t = Subscription(0, 0);
  t.has_monthly = false;
  auto p = Problems(t);
  EXPECT_EQ(p["monthly_price"], "is required");
  EXPECT_EQ(p["commitment_months"], "must be 12, 24 or 36");
  for (int32_t c : {-12, 1, 6, 11, 13, 18, 48, 120}) {
    EXPECT_EQ(Problems(Subscription(100, c)).count("commitment_months"), 1u) << c;
  }
  EXPECT_EQ(Problems(Subscription(-5, 12))["monthly_price"], "must not be negative");
  nu_plan_terms u = Subscription(100, 12);
  u.has_upfront = true;
  u.upfront_cents = -1;
  EXPECT_EQ(Problems(u)["upfront"], "must not be negative");
}

TEST(PlanTest, AmountsAModelDoesNotUseAreRefused) {
  nu_plan_terms h = Hourly(10);
  h.has_monthly = true;
  h.commitment_months = 12;
  h.has_upfront = true;
  auto p = Problems(h);
  EXPECT_EQ(p.size(), 3u);
  EXPECT_EQ(p["monthly_price"], "is only for subscription plans");
  EXPECT_EQ(p["commitment_months"], "is only for subscription plans");
  EXPECT_EQ(p["upfront"], "is only for subscription plans");

  nu_plan_terms s = Subscription(10, 12);
  s.has_hourly = true;
  EXPECT_EQ(Problems(s)["hourly_price"], "is only for hourly plans");

  for (nu_pricing_model m : {NU_PRICING_FREE, NU_PRICING_BYOL, NU_PRICING_QUOTATION}) {
    nu_plan_terms f = Bare(m);
    f.has_hourly = true;
    f.has_monthly = true;
    auto q = Problems(f);
    EXPECT_EQ(q.size(), 2u) << m;
    EXPECT_EQ(q.count("hourly_price"), 1u);
    EXPECT_EQ(q.count("monthly_price"), 1u);
  }
}

TEST(PlanTest, VatRate) {
  for (int32_t r : {0, 1, 550, 2000, 10000}) {
    nu_plan_terms t = Bare(NU_PRICING_FREE);
    t.vat_rate_bp = r;
    EXPECT_TRUE(Problems(t).empty()) << r;
  }
  for (int32_t r : {-1, 10001, 20000}) {
    nu_plan_terms t = Bare(NU_PRICING_FREE);
    t.vat_rate_bp = r;
    EXPECT_EQ(Problems(t)["vat_rate_bp"], "must be between 0 and 10000") << r;
  }
}

TEST(PlanTest, CapLimitsWhatIsWrittenNotTheCount) {
  nu_plan_terms h = Hourly(-1);
  h.has_monthly = true;
  h.commitment_months = 12;
  h.vat_rate_bp = -3;
  nu_plan_problem one[1];
  EXPECT_EQ(nu_plan_check(&h, one, 1), 4u);
  EXPECT_STREQ(one[0].field, "hourly_price");
}

TEST(PlanTest, MonthlyPrice) {
  int64_t m = -1;
  nu_plan_terms h = Hourly(12);
  ASSERT_TRUE(nu_plan_monthly_cents(&h, &m));
  EXPECT_EQ(m, 12 * 730);
  nu_plan_terms s = Subscription(9900, 24);
  ASSERT_TRUE(nu_plan_monthly_cents(&s, &m));
  EXPECT_EQ(m, 9900);
  for (nu_pricing_model x : {NU_PRICING_FREE, NU_PRICING_BYOL, NU_PRICING_QUOTATION}) {
    nu_plan_terms f = Bare(x);
    EXPECT_FALSE(nu_plan_monthly_cents(&f, &m));
  }
}

}  // namespace
