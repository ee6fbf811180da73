// estimate_test.cc — EstimatePrice end to end: each model, VAT per line
// half-up to the cent, totals equal to the sums of lines on many random
// plans, refusals (quotation, inactive plan, short subscriptions, huge
// quantities), and who may estimate what (published products for anyone,
// drafts for their seller).
#include <random>

#include "tests/catalog/pricing/pricing_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::PriceEstimate;
using nuage::v1::PricingPlan;

// A published product with plan p (p.product_id is filled in).
struct Offer {
  std::string product;
  PricingPlan plan;
};

class EstimateTest : public PricingTest {
 protected:
  void SetUp() override {
    PricingTest::SetUp();
    if (seller_.org.empty()) seller_ = Seller();
  }

  Offer Published(PricingPlan p) {
    Offer o;
    o.product = NewProduct(seller_.token);
    p.set_product_id(o.product);
    o.plan = MustCreatePlan(seller_.token, p);
    Publish(seller_.token, o.product);
    return o;
  }

  static Team seller_;
};
PricingTest::Team EstimateTest::seller_;

void ExpectEur(const nuage::v1::Money& m, int64_t cents) {
  EXPECT_EQ(m.currency(), "EUR");
  EXPECT_EQ(m.amount_cents(), cents);
}

TEST_F(EstimateTest, HourlyForAnonymousVisitors) {
  Offer o = Published(Hourly("", 12));
  PriceEstimate e;
  grpc::Status st = Estimate("", o.product, o.plan.id(), 3, 100, 0, &e);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(e.lines_size(), 1);
  const auto& l = e.lines(0);
  EXPECT_EQ(l.description(), "Usage horaire : 3 × 100 h");
  EXPECT_EQ(l.quantity(), 300);
  ExpectEur(l.unit_price(), 12);
  ExpectEur(l.amount_excl_vat(), 3600);
  EXPECT_EQ(l.vat_rate_bp(), 2000);
  ExpectEur(l.vat(), 720);
  ExpectEur(l.amount_incl_vat(), 4320);
  ExpectEur(e.total_excl_vat(), 3600);
  ExpectEur(e.total_vat(), 720);
  ExpectEur(e.total_incl_vat(), 4320);
}

TEST_F(EstimateTest, VatIsHalfUpToTheCentPerLine) {
  PricingPlan p = Hourly("", 25);
  p.set_vat_rate_bp(1000);
  Offer o = Published(p);
  PriceEstimate e;
  ASSERT_TRUE(Estimate("", o.product, o.plan.id(), 1, 1, 0, &e).ok());
  ExpectEur(e.lines(0).vat(), 3);  // 2.5 cents
  ExpectEur(e.total_incl_vat(), 28);
}

TEST_F(EstimateTest, SubscriptionWithUpfrontAndDefaultMonths) {
  Offer o = Published(Subscription("", 1000, 36, 15000));
  PriceEstimate e;
  ASSERT_TRUE(Estimate("", o.product, o.plan.id(), 3, 0, 0, &e).ok());
  ASSERT_EQ(e.lines_size(), 2);
  EXPECT_EQ(e.lines(0).description(), "Abonnement mensuel : 3 × 36 mois");
  EXPECT_EQ(e.lines(0).quantity(), 108);
  ExpectEur(e.lines(0).amount_excl_vat(), 108000);
  EXPECT_EQ(e.lines(1).description(), "Paiement initial : 3");
  ExpectEur(e.lines(1).amount_excl_vat(), 45000);
  ExpectEur(e.total_excl_vat(), 153000);
  ExpectEur(e.total_vat(), 30600);
  ExpectEur(e.total_incl_vat(), 183600);

  ASSERT_TRUE(Estimate("", o.product, o.plan.id(), 1, 0, 48, &e).ok());
  EXPECT_EQ(e.lines(0).quantity(), 48);

  grpc::Status st = Estimate("", o.product, o.plan.id(), 1, 0, 12, &e);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "months"));
}

TEST_F(EstimateTest, FreeAndByolAreOneZeroLine) {
  for (auto m : {nuage::v1::PRICING_MODEL_FREE, nuage::v1::PRICING_MODEL_BYOL}) {
    Offer o = Published(Bare("", m));
    PriceEstimate e;
    ASSERT_TRUE(Estimate("", o.product, o.plan.id(), 4, 0, 0, &e).ok());
    ASSERT_EQ(e.lines_size(), 1);
    EXPECT_EQ(e.lines(0).quantity(), 4);
    ExpectEur(e.lines(0).unit_price(), 0);
    ExpectEur(e.total_incl_vat(), 0);
  }
}

TEST_F(EstimateTest, QuotationAndInactivePlansAreRefused) {
  Offer q = Published(Bare("", nuage::v1::PRICING_MODEL_QUOTATION));
  PriceEstimate e;
  grpc::Status st = Estimate("", q.product, q.plan.id(), 1, 1, 0, &e);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "PRICED_ON_QUOTATION");
  EXPECT_EQ(st.error_message(), "priced on quotation");

  Offer o = Published(Hourly("", 12));
  PricingPlan second = MustCreatePlan(seller_.token, Hourly(o.product, 20));
  PricingPlan off = second;
  off.set_active(false);
  PricingPlan ignored;
  ASSERT_TRUE(UpdatePlan(seller_.token, off, {"active"}, second.etag(), &ignored).ok());
  st = Estimate("", o.product, second.id(), 1, 1, 0, &e);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "PLAN_INACTIVE");
}

TEST_F(EstimateTest, BadRequestsGetFieldViolations) {
  Offer o = Published(Hourly("", 12));
  PriceEstimate e;
  grpc::Status st = Estimate("", "", "", 0, -1, -1, &e);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  for (const char* f : {"product_id", "plan_id", "quantity", "hours", "months"}) {
    EXPECT_TRUE(HasViolation(st, f)) << f;
  }
  st = Estimate("", o.product, o.plan.id(), 1, 0, 0, &e);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "hours")) << "an hourly plan needs hours";

  // Big enough to overflow int64 cents: refused, never wrapped.
  st = Estimate("", o.product, o.plan.id(), INT64_C(4000000000000000000), 1000, 0, &e);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(st), "AMOUNT_TOO_LARGE");
  EXPECT_TRUE(HasViolation(st, "quantity"));
}

TEST_F(EstimateTest, DraftsAreEstimatedByTheirSellerOnly) {
  std::string product = NewProduct(seller_.token);
  PricingPlan plan = MustCreatePlan(seller_.token, Hourly(product, 12));
  PriceEstimate e;
  grpc::Status anon = Estimate("", product, plan.id(), 1, 1, 0, &e);
  EXPECT_EQ(anon.error_code(), grpc::StatusCode::NOT_FOUND);
  Team other = Buyer();
  grpc::Status theirs = Estimate(other.token, product, plan.id(), 1, 1, 0, &e);
  grpc::Status absent =
      Estimate(other.token, "00000000-0000-4000-8000-000000000000", plan.id(), 1, 1, 0, &e);
  EXPECT_EQ(theirs.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(theirs.error_message(), absent.error_message());
  EXPECT_EQ(theirs.error_details(), absent.error_details());
  ASSERT_TRUE(Estimate(seller_.token, product, plan.id(), 1, 1, 0, &e).ok());
  ExpectEur(e.total_incl_vat(), 14);
}

TEST_F(EstimateTest, PlanMustBelongToTheProduct) {
  Offer a = Published(Hourly("", 12));
  Offer b = Published(Hourly("", 30));
  PriceEstimate e;
  grpc::Status st = Estimate("", a.product, b.plan.id(), 1, 1, 0, &e);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  st = Estimate("", a.product, "garbage", 1, 1, 0, &e);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(EstimateTest, ProductByCode) {
  Offer o = Published(Hourly("", 12));
  std::string code = One("SELECT code FROM products WHERE id = '" + o.product + "'");
  PriceEstimate e;
  ASSERT_TRUE(Estimate("", code, o.plan.id(), 2, 10, 0, &e).ok());
  ExpectEur(e.total_excl_vat(), 240);
}

// half away from zero of amount × rate / 10000, in 128-bit arithmetic.
int64_t ReferenceVat(int64_t amount, int32_t rate) {
  __int128 x = (__int128)amount * rate;
  __int128 mag = x < 0 ? -x : x;
  __int128 r = (mag + 5000) / 10000;
  return (int64_t)(x < 0 ? -r : r);
}

TEST_F(EstimateTest, TotalsAreTheSumsOfLinesOnRandomPlans) {
  std::mt19937_64 rng(1789);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  std::string product = NewProduct(seller_.token);
  std::vector<PricingPlan> plans;
  for (int i = 0; i < 24; i++) {
    PricingPlan p;
    switch (i % 4) {
      case 0: p = Hourly(product, pick(0, 50000)); break;
      case 1: p = Subscription(product, pick(0, 5000000), 12 * (int32_t)pick(1, 3),
                               i % 8 == 1 ? pick(1, 10000000) : 0); break;
      case 2: p = Bare(product, nuage::v1::PRICING_MODEL_FREE); break;
      default: p = Hourly(product, pick(1, 999)); break;
    }
    p.set_vat_rate_bp((int32_t)(i % 3 == 0 ? 2000 : pick(1, 10000)));
    plans.push_back(MustCreatePlan(seller_.token, p));
  }
  Publish(seller_.token, product);
  int checked = 0;
  for (int k = 0; k < 200; k++) {
    const PricingPlan& plan = plans[k % plans.size()];
    int64_t quantity = pick(1, k % 5 == 0 ? 100000 : 40);
    int64_t hours = pick(1, 8760);
    int32_t months = pick(0, 1) ? 0 : plan.commitment_months() + (int32_t)pick(0, 24);
    PriceEstimate e;
    grpc::Status st = Estimate("", product, plan.id(), quantity, hours, months, &e);
    ASSERT_TRUE(st.ok()) << Describe(st);
    int64_t excl = 0, vat = 0, incl = 0;
    for (const auto& l : e.lines()) {
      ASSERT_EQ(l.amount_excl_vat().amount_cents(), l.quantity() * l.unit_price().amount_cents());
      ASSERT_EQ(l.vat_rate_bp(), plan.vat_rate_bp());
      ASSERT_EQ(l.vat().amount_cents(), ReferenceVat(l.amount_excl_vat().amount_cents(), l.vat_rate_bp()));
      ASSERT_EQ(l.amount_incl_vat().amount_cents(),
                l.amount_excl_vat().amount_cents() + l.vat().amount_cents());
      excl += l.amount_excl_vat().amount_cents();
      vat += l.vat().amount_cents();
      incl += l.amount_incl_vat().amount_cents();
    }
    ASSERT_EQ(e.total_excl_vat().amount_cents(), excl);
    ASSERT_EQ(e.total_vat().amount_cents(), vat);
    ASSERT_EQ(e.total_incl_vat().amount_cents(), incl);
    ASSERT_EQ(incl, excl + vat);
    checked++;
  }
  EXPECT_EQ(checked, 200);
}

}  // namespace
}  // namespace nuage::testing
