// order_summary_test.cc — an order's VAT table and totals under both
// rounding rules, lines from estimates and from unit × quantity × periods,
// rebates, overflow and bad input.
#include "server/domain/money/order_summary.h"

#include <gtest/gtest.h>

#include <vector>

#include "server/domain/money/estimate.h"

namespace {

nu_money_line Line(int64_t excl, int32_t rate) {
  nu_money_line l{};
  l.excl_cents = excl;
  l.vat_rate_bp = rate;
  return l;
}

TEST(OrderSummaryTest, PricesUnitTimesQuantityTimesPeriods) {
  nu_money_line l{};
  ASSERT_EQ(nu_order_summary_price(3, 12, 4999, 2000, &l), NU_ORDER_SUMMARY_OK);
  EXPECT_EQ(l.quantity, 36);
  EXPECT_EQ(l.unit_cents, 4999);
  EXPECT_EQ(l.excl_cents, 179964);
  EXPECT_EQ(l.vat_cents, 35993);  // 35992.8 rounded half-up
  EXPECT_EQ(l.incl_cents, 215957);
  EXPECT_EQ(nu_order_summary_price(0, 12, 1, 2000, &l), NU_ORDER_SUMMARY_INVALID);
  EXPECT_EQ(nu_order_summary_price(1, 0, 1, 2000, &l), NU_ORDER_SUMMARY_INVALID);
  EXPECT_EQ(nu_order_summary_price(1, 1, 1, 10001, &l), NU_ORDER_SUMMARY_BAD_RATE);
  EXPECT_EQ(nu_order_summary_price(INT64_MAX / 2, 3, 1, 2000, &l), NU_ORDER_SUMMARY_OVERFLOW);
  EXPECT_EQ(nu_order_summary_price(1000, 12, INT64_MAX / 1000, 2000, &l),
            NU_ORDER_SUMMARY_OVERFLOW);
}

TEST(OrderSummaryTest, OneRowPerRateInRateOrder) {
  std::vector<nu_money_line> lines = {Line(10000, 2000), Line(5000, 550), Line(2500, 2000),
                                      Line(1000, 0), Line(333, 1000)};
  nu_order_summary s{};
  ASSERT_EQ(nu_order_summary_of(lines.data(), lines.size(), NU_VAT_PER_RATE, &s),
            NU_ORDER_SUMMARY_OK);
  ASSERT_EQ(s.n_rates, 4u);
  EXPECT_EQ(s.vat[0].rate_bp, 0);
  EXPECT_EQ(s.vat[0].base_cents, 1000);
  EXPECT_EQ(s.vat[0].vat_cents, 0);
  EXPECT_EQ(s.vat[1].rate_bp, 550);
  EXPECT_EQ(s.vat[1].base_cents, 5000);
  EXPECT_EQ(s.vat[1].vat_cents, 275);
  EXPECT_EQ(s.vat[2].rate_bp, 1000);
  EXPECT_EQ(s.vat[2].vat_cents, 33);  // 33.3
  EXPECT_EQ(s.vat[3].rate_bp, 2000);
  EXPECT_EQ(s.vat[3].base_cents, 12500);
  EXPECT_EQ(s.vat[3].vat_cents, 2500);
  EXPECT_EQ(s.totals.excl_cents, 18833);
  EXPECT_EQ(s.totals.vat_cents, 2808);
  EXPECT_EQ(s.totals.incl_cents, 21641);
}

TEST(OrderSummaryTest, TheTwoRoundingRules) {
  // Seven lines of 0.03 at 20 %: 0.006 each.
  std::vector<nu_money_line> lines(7, Line(3, 2000));
  nu_order_summary per_rate{}, per_line{};
  ASSERT_EQ(nu_order_summary_of(lines.data(), lines.size(), NU_VAT_PER_RATE, &per_rate),
            NU_ORDER_SUMMARY_OK);
  ASSERT_EQ(nu_order_summary_of(lines.data(), lines.size(), NU_VAT_PER_LINE, &per_line),
            NU_ORDER_SUMMARY_OK);
  EXPECT_EQ(per_rate.vat[0].base_cents, 21);
  EXPECT_EQ(per_rate.vat[0].vat_cents, 4);  // 4.2
  EXPECT_EQ(per_line.vat[0].vat_cents, 7);  // 1 + 1 + … (0.6 each, up)
  EXPECT_EQ(per_rate.totals.incl_cents, 25);
  EXPECT_EQ(per_line.totals.incl_cents, 28);
  // The line VAT the caller filled in is not trusted: recomputed.
  lines[0].vat_cents = 999;
  ASSERT_EQ(nu_order_summary_of(lines.data(), lines.size(), NU_VAT_PER_LINE, &per_line),
            NU_ORDER_SUMMARY_OK);
  EXPECT_EQ(per_line.vat[0].vat_cents, 7);
  // Half a cent rounds away from zero under both.
  std::vector<nu_money_line> quarter = {Line(25, 1000)};  // 2.5 cents
  nu_order_summary s{};
  ASSERT_EQ(nu_order_summary_of(quarter.data(), 1, NU_VAT_PER_RATE, &s), NU_ORDER_SUMMARY_OK);
  EXPECT_EQ(s.vat[0].vat_cents, 3);
  ASSERT_EQ(nu_order_summary_of(quarter.data(), 1, NU_VAT_PER_LINE, &s), NU_ORDER_SUMMARY_OK);
  EXPECT_EQ(s.vat[0].vat_cents, 3);
}

TEST(OrderSummaryTest, RebatesLowerTheBase) {
  std::vector<nu_money_line> lines = {Line(10000, 2000), Line(-2500, 2000)};
  nu_order_summary s{};
  ASSERT_EQ(nu_order_summary_of(lines.data(), lines.size(), NU_VAT_PER_RATE, &s),
            NU_ORDER_SUMMARY_OK);
  EXPECT_EQ(s.vat[0].base_cents, 7500);
  EXPECT_EQ(s.vat[0].vat_cents, 1500);
  EXPECT_EQ(s.totals.incl_cents, 9000);
  std::vector<nu_money_line> credit = {Line(-3, 2000), Line(-3, 2000), Line(-3, 2000)};
  ASSERT_EQ(nu_order_summary_of(credit.data(), credit.size(), NU_VAT_PER_RATE, &s),
            NU_ORDER_SUMMARY_OK);
  EXPECT_EQ(s.vat[0].vat_cents, -2);  // -1.8
}

TEST(OrderSummaryTest, EstimateLinesFeedTheSummary) {
  // A subscription plan: 2 units × 12 months at 49.99, upfront 100.00 each.
  nu_plan_terms plan{};
  plan.model = NU_PRICING_SUBSCRIPTION;
  plan.has_monthly = true;
  plan.monthly_cents = 4999;
  plan.commitment_months = 12;
  plan.has_upfront = true;
  plan.upfront_cents = 10000;
  plan.vat_rate_bp = 2000;
  nu_estimate_request req{};
  req.quantity = 2;
  nu_estimate e{};
  ASSERT_EQ(nu_estimate_compute(&plan, &req, &e, nullptr, nullptr), NU_ESTIMATE_OK);
  std::vector<nu_money_line> lines;
  for (size_t i = 0; i < e.n; i++) lines.push_back(e.lines[i].money);
  nu_order_summary s{};
  ASSERT_EQ(nu_order_summary_of(lines.data(), lines.size(), NU_VAT_PER_RATE, &s),
            NU_ORDER_SUMMARY_OK);
  ASSERT_EQ(s.n_rates, 1u);
  EXPECT_EQ(s.totals.excl_cents, 2 * 12 * 4999 + 2 * 10000);
  EXPECT_EQ(s.totals.excl_cents, e.totals.excl_cents);
  EXPECT_EQ(s.totals.vat_cents, 27995);  // 139976 × 20 % = 27995.2
}

TEST(OrderSummaryTest, EmptyBadAndTooLarge) {
  nu_order_summary s{};
  ASSERT_EQ(nu_order_summary_of(nullptr, 0, NU_VAT_PER_RATE, &s), NU_ORDER_SUMMARY_OK);
  EXPECT_EQ(s.n_rates, 0u);
  EXPECT_EQ(s.totals.incl_cents, 0);
  std::vector<nu_money_line> bad = {Line(1, -1)};
  EXPECT_EQ(nu_order_summary_of(bad.data(), 1, NU_VAT_PER_RATE, &s), NU_ORDER_SUMMARY_BAD_RATE);
  bad = {Line(1, 10001)};
  EXPECT_EQ(nu_order_summary_of(bad.data(), 1, NU_VAT_PER_LINE, &s), NU_ORDER_SUMMARY_BAD_RATE);
  EXPECT_EQ(nu_order_summary_of(bad.data(), 1, static_cast<nu_vat_rounding>(7), &s),
            NU_ORDER_SUMMARY_INVALID);
  std::vector<nu_money_line> rates;
  for (int i = 0; i <= NU_VAT_TABLE_MAX; i++) rates.push_back(Line(100, i * 100));
  EXPECT_EQ(nu_order_summary_of(rates.data(), rates.size(), NU_VAT_PER_RATE, &s),
            NU_ORDER_SUMMARY_TOO_MANY_RATES);
  rates.pop_back();
  EXPECT_EQ(nu_order_summary_of(rates.data(), rates.size(), NU_VAT_PER_RATE, &s),
            NU_ORDER_SUMMARY_OK);
  std::vector<nu_money_line> huge = {Line(INT64_MAX, 0), Line(1, 0)};
  EXPECT_EQ(nu_order_summary_of(huge.data(), 2, NU_VAT_PER_RATE, &s), NU_ORDER_SUMMARY_OVERFLOW);
  // Each base fits, their sum does not.
  huge = {Line(INT64_MAX, 0), Line(1, 2000)};
  EXPECT_EQ(nu_order_summary_of(huge.data(), 2, NU_VAT_PER_RATE, &s), NU_ORDER_SUMMARY_OVERFLOW);
  // The excl. total fits, adding the VAT does not.
  huge = {Line(INT64_MAX - 10, 2000)};
  EXPECT_EQ(nu_order_summary_of(huge.data(), 1, NU_VAT_PER_RATE, &s), NU_ORDER_SUMMARY_OVERFLOW);
}

}  // namespace
