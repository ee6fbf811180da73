// estimate_test.cc — estimates per pricing model, their refusals, and on
// many random plans: totals are the sums of lines, VAT per line half-up.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "server/domain/money/estimate.h"

namespace {

nu_plan_terms Hourly(int64_t cents, int32_t vat = 2000) {
  nu_plan_terms t{};
  t.model = NU_PRICING_HOURLY;
  t.has_hourly = true;
  t.hourly_cents = cents;
  t.vat_rate_bp = vat;
  return t;
}

nu_plan_terms Subscription(int64_t monthly, int32_t commitment, int64_t upfront = -1,
                           int32_t vat = 2000) {
  nu_plan_terms t{};
  t.model = NU_PRICING_SUBSCRIPTION;
  t.has_monthly = true;
  t.monthly_cents = monthly;
  t.commitment_months = commitment;
  t.has_upfront = upfront >= 0;
  t.upfront_cents = upfront >= 0 ? upfront : 0;
  t.vat_rate_bp = vat;
  return t;
}

nu_plan_terms Bare(nu_pricing_model m) {
  nu_plan_terms t{};
  t.model = m;
  t.vat_rate_bp = 2000;
  return t;
}

nu_estimate Estimate(const nu_plan_terms &p, int64_t quantity, int64_t hours, int32_t months) {
  nu_estimate_request r{quantity, hours, months};
  nu_estimate e{};
  const char *field = "x";
  const char *why = "x";
  EXPECT_EQ(nu_estimate_compute(&p, &r, &e, &field, &why), NU_ESTIMATE_OK) << field << ": " << why;
  EXPECT_EQ(field, nullptr);
  EXPECT_EQ(why, nullptr);
  return e;
}

struct Refusal {
  nu_estimate_result result;
  std::string field;
  std::string why;
};

Refusal Refuse(const nu_plan_terms &p, int64_t quantity, int64_t hours, int32_t months) {
  nu_estimate_request r{quantity, hours, months};
  nu_estimate e{};
  const char *field = nullptr;
  const char *why = nullptr;
  nu_estimate_result res = nu_estimate_compute(&p, &r, &e, &field, &why);
  EXPECT_NE(res, NU_ESTIMATE_OK);
  return {res, field ? field : "", why ? why : ""};
}

std::string Describe(const nu_estimate_line &l) {
  char buf[128];
  EXPECT_GT(nu_estimate_line_describe(&l, buf, sizeof buf), 0);
  return buf;
}

TEST(EstimateTest, Hourly) {
  // 3 VMs for 100 h at 0.12 / h: 300 unit-hours, 36.00 + 7.20 VAT.
  nu_estimate e = Estimate(Hourly(12), 3, 100, 0);
  ASSERT_EQ(e.n, 1u);
  const nu_estimate_line &l = e.lines[0];
  EXPECT_EQ(l.kind, NU_LINE_HOURLY);
  EXPECT_EQ(l.money.quantity, 300);
  EXPECT_EQ(l.money.unit_cents, 12);
  EXPECT_EQ(l.money.excl_cents, 3600);
  EXPECT_EQ(l.money.vat_cents, 720);
  EXPECT_EQ(l.money.incl_cents, 4320);
  EXPECT_EQ(e.totals.excl_cents, 3600);
  EXPECT_EQ(e.totals.vat_cents, 720);
  EXPECT_EQ(e.totals.incl_cents, 4320);
  EXPECT_EQ(Describe(l), "Usage horaire : 3 × 100 h");
}

TEST(EstimateTest, HourlyVatRoundsHalfUpToTheCent) {
  // 1 h at 0.25 with 10 %: 2.5 cents of VAT → 3.
  nu_estimate e = Estimate(Hourly(25, 1000), 1, 1, 0);
  EXPECT_EQ(e.lines[0].money.vat_cents, 3);
  EXPECT_EQ(e.totals.incl_cents, 28);
  // 7 h at 0.03 with 20 %: 0.21 → 0.042 → 0.
  e = Estimate(Hourly(3), 1, 7, 0);
  EXPECT_EQ(e.totals.vat_cents, 4);  // 21 × 0.2 = 4.2 → 4
}

TEST(EstimateTest, HourlyNeedsHours) {
  Refusal r = Refuse(Hourly(12), 1, 0, 12);
  EXPECT_EQ(r.result, NU_ESTIMATE_INVALID);
  EXPECT_EQ(r.field, "hours");
  EXPECT_EQ(Refuse(Hourly(12), 1, -5, 0).field, "hours");
}

TEST(EstimateTest, SubscriptionDefaultsToTheCommitment) {
  nu_estimate e = Estimate(Subscription(9900, 12), 2, 0, 0);
  ASSERT_EQ(e.n, 1u);
  EXPECT_EQ(e.lines[0].kind, NU_LINE_SUBSCRIPTION);
  EXPECT_EQ(e.lines[0].months, 12);
  EXPECT_EQ(e.lines[0].money.quantity, 24);
  EXPECT_EQ(e.lines[0].money.unit_cents, 9900);
  EXPECT_EQ(e.totals.excl_cents, 237600);
  EXPECT_EQ(e.totals.vat_cents, 47520);
  EXPECT_EQ(e.totals.incl_cents, 285120);
  EXPECT_EQ(Describe(e.lines[0]), "Abonnement mensuel : 2 × 12 mois");
}

TEST(EstimateTest, SubscriptionLongerThanTheCommitment) {
  nu_estimate e = Estimate(Subscription(1000, 24), 1, 0, 30);
  EXPECT_EQ(e.lines[0].months, 30);
  EXPECT_EQ(e.totals.excl_cents, 30000);
}

TEST(EstimateTest, SubscriptionShorterThanTheCommitmentIsRefused) {
  Refusal r = Refuse(Subscription(1000, 24), 1, 0, 12);
  EXPECT_EQ(r.result, NU_ESTIMATE_INVALID);
  EXPECT_EQ(r.field, "months");
  EXPECT_EQ(r.why, "must be at least the plan's commitment");
  EXPECT_EQ(Refuse(Subscription(1000, 12), 1, 0, -1).field, "months");
}

TEST(EstimateTest, SubscriptionWithUpfront) {
  // 3 seats, 36 months at 10.00, 150.00 upfront each.
  nu_estimate e = Estimate(Subscription(1000, 36, 15000), 3, 0, 0);
  ASSERT_EQ(e.n, 2u);
  EXPECT_EQ(e.lines[1].kind, NU_LINE_UPFRONT);
  EXPECT_EQ(e.lines[1].money.quantity, 3);
  EXPECT_EQ(e.lines[1].money.unit_cents, 15000);
  EXPECT_EQ(e.lines[1].money.excl_cents, 45000);
  EXPECT_EQ(e.totals.excl_cents, 108000 + 45000);
  EXPECT_EQ(e.totals.vat_cents, 21600 + 9000);
  EXPECT_EQ(e.totals.incl_cents, e.totals.excl_cents + e.totals.vat_cents);
  EXPECT_EQ(Describe(e.lines[1]), "Paiement initial : 3");
  // A zero upfront adds no line.
  EXPECT_EQ(Estimate(Subscription(1000, 36, 0), 3, 0, 0).n, 1u);
}

TEST(EstimateTest, FreeAndByolAreOneZeroLine) {
  for (nu_pricing_model m : {NU_PRICING_FREE, NU_PRICING_BYOL}) {
    nu_estimate e = Estimate(Bare(m), 5, 100, 12);
    ASSERT_EQ(e.n, 1u);
    EXPECT_EQ(e.lines[0].kind, m == NU_PRICING_FREE ? NU_LINE_FREE : NU_LINE_BYOL);
    EXPECT_EQ(e.lines[0].money.quantity, 5);
    EXPECT_EQ(e.lines[0].money.unit_cents, 0);
    EXPECT_EQ(e.lines[0].money.incl_cents, 0);
    EXPECT_EQ(e.totals.incl_cents, 0);
  }
  EXPECT_EQ(Describe(Estimate(Bare(NU_PRICING_BYOL), 2, 0, 0).lines[0]),
            "Licence apportée (BYOL) : 2");
}

TEST(EstimateTest, QuotationHasNoPrice) {
  Refusal r = Refuse(Bare(NU_PRICING_QUOTATION), 1, 1, 12);
  EXPECT_EQ(r.result, NU_ESTIMATE_QUOTATION);
  EXPECT_EQ(r.why, "priced on quotation");
}

TEST(EstimateTest, QuantityAtLeastOne) {
  for (int64_t q : {0, -1, -1000}) {
    Refusal r = Refuse(Hourly(12), q, 1, 0);
    EXPECT_EQ(r.result, NU_ESTIMATE_INVALID);
    EXPECT_EQ(r.field, "quantity");
    EXPECT_EQ(Refuse(Bare(NU_PRICING_FREE), q, 0, 0).field, "quantity");
  }
}

TEST(EstimateTest, MalformedPlanIsRefused) {
  nu_plan_terms t = Hourly(12);
  t.has_hourly = false;
  EXPECT_EQ(Refuse(t, 1, 1, 0).result, NU_ESTIMATE_BAD_PLAN);
  EXPECT_EQ(Refuse(Subscription(100, 7), 1, 0, 0).result, NU_ESTIMATE_BAD_PLAN);
}

TEST(EstimateTest, HugeQuantitiesOverflowInsteadOfWrapping) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Refusal r = Refuse(Hourly(12), kMax, 2, 0);  // quantity × hours
  EXPECT_EQ(r.result, NU_ESTIMATE_OVERFLOW);
  EXPECT_EQ(r.field, "quantity");
  EXPECT_EQ(Refuse(Hourly(NU_PLAN_PRICE_MAX_CENTS), 100000000, 1000000, 0).result,
            NU_ESTIMATE_OVERFLOW);  // × price
  EXPECT_EQ(Refuse(Subscription(NU_PLAN_PRICE_MAX_CENTS, 36), kMax / 36, 0, 0).result,
            NU_ESTIMATE_OVERFLOW);
  EXPECT_EQ(Refuse(Subscription(100, 12), kMax / 10, 0, 12).result, NU_ESTIMATE_OVERFLOW);
  // The line fits but its VAT pushes the amount including VAT over.
  EXPECT_EQ(Refuse(Hourly(1, 10000), kMax / 2 + 1, 1, 0).result, NU_ESTIMATE_OVERFLOW);
  // The two lines fit; their sum does not.
  EXPECT_EQ(Refuse(Subscription(NU_PLAN_PRICE_MAX_CENTS, 12, NU_PLAN_PRICE_MAX_CENTS, 0),
                   kMax / 12 / NU_PLAN_PRICE_MAX_CENTS, 0, 12)
                .result,
            NU_ESTIMATE_OVERFLOW);
  // Large but representable: fine, and exact.
  nu_estimate e = Estimate(Hourly(NU_PLAN_PRICE_MAX_CENTS), 1000, 8760, 0);
  EXPECT_EQ(e.totals.excl_cents, NU_PLAN_PRICE_MAX_CENTS * 1000 * 8760);
}

// The definition, in 128-bit arithmetic.
int64_t ReferenceVat(int64_t amount, int32_t rate) {
  __int128 x = (__int128)amount * rate;
  __int128 mag = x < 0 ? -x : x;
  __int128 r = (mag + 5000) / 10000;
  return (int64_t)(x < 0 ? -r : r);
}

TEST(EstimateTest, RandomPlansTotalsAreSumsOfLines) {
  std::mt19937_64 rng(4);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  const int32_t commitments[] = {12, 24, 36};
  int estimated = 0;
  for (int i = 0; i < 100000; i++) {
    nu_plan_terms p{};
    int32_t vat = (int32_t)(i % 4 == 0 ? 2000 : pick(0, 10000));
    int64_t big = i % 10 == 0 ? NU_PLAN_PRICE_MAX_CENTS : 100000;
    switch (pick(1, 4)) {
      case 1: p = Hourly(pick(0, big), vat); break;
      case 2: p = Subscription(pick(0, big), commitments[pick(0, 2)],
                               pick(0, 1) ? pick(0, big) : -1, vat); break;
      case 3: p = Bare(NU_PRICING_FREE); p.vat_rate_bp = vat; break;
      default: p = Bare(NU_PRICING_BYOL); p.vat_rate_bp = vat; break;
    }
    nu_estimate_request r{pick(1, i % 7 == 0 ? 1000000 : 50), pick(1, 10000),
                          (int32_t)(pick(0, 1) ? 0 : p.commitment_months + pick(0, 24))};
    nu_estimate e{};
    nu_estimate_result res = nu_estimate_compute(&p, &r, &e, nullptr, nullptr);
    ASSERT_TRUE(res == NU_ESTIMATE_OK || res == NU_ESTIMATE_OVERFLOW) << res;
    if (res != NU_ESTIMATE_OK) continue;
    estimated++;
    ASSERT_GE(e.n, 1u);
    __int128 excl = 0, vat_sum = 0, incl = 0;
    for (size_t k = 0; k < e.n; k++) {
      const nu_money_line &l = e.lines[k].money;
      ASSERT_EQ((__int128)l.quantity * l.unit_cents, (__int128)l.excl_cents);
      ASSERT_EQ(l.vat_rate_bp, vat);
      ASSERT_EQ(l.vat_cents, ReferenceVat(l.excl_cents, vat));
      ASSERT_EQ(l.incl_cents, l.excl_cents + l.vat_cents);
      excl += l.excl_cents;
      vat_sum += l.vat_cents;
      incl += l.incl_cents;
    }
    ASSERT_EQ((__int128)e.totals.excl_cents, excl);
    ASSERT_EQ((__int128)e.totals.vat_cents, vat_sum);
    ASSERT_EQ((__int128)e.totals.incl_cents, incl);
    ASSERT_EQ(e.totals.incl_cents, e.totals.excl_cents + e.totals.vat_cents);
    if (p.model == NU_PRICING_HOURLY) {
      ASSERT_EQ(e.lines[0].money.quantity, r.quantity * r.hours);
    } else if (p.model == NU_PRICING_SUBSCRIPTION) {
      int32_t months = r.months == 0 ? p.commitment_months : r.months;
      ASSERT_EQ(e.lines[0].money.quantity, r.quantity * months);
      ASSERT_EQ(e.n, p.has_upfront && p.upfront_cents > 0 ? 2u : 1u);
    } else {
      ASSERT_EQ(e.totals.incl_cents, 0);
    }
  }
  EXPECT_GT(estimated, 90000);
}

}  // namespace
