// nuagectl_test.cc — `nuagectl catalog estimate` against a live server:
// the table and --json output of hourly and subscription plans, anonymous
// estimates of published products, errors (exit 3) and usage errors
// (exit 2).
#include "tests/catalog/pricing/pricing_testing.h"
#include "tests/support/nuagectl_runner.h"

namespace nuage::testing {
namespace {

class EstimateCtlTest : public PricingTest {
 protected:
  void SetUp() override {
    PricingTest::SetUp();
    home_ = MakeCtlHome(Unique("home-"));
    ASSERT_FALSE(home_.empty());
  }

  // Runs nuagectl --addr SERVER args... with HOME=home_ (no saved token).
  CtlRun Ctl(const std::vector<std::string>& args, const std::string& token = "") {
    return RunNuagectl(home_, server_->address(), args, "", token);
  }

  std::string home_;
};

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST_F(EstimateCtlTest, HourlyTableAndJson) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  nuage::v1::PricingPlan plan = MustCreatePlan(s.token, Hourly(product, 12));
  Publish(s.token, product);

  CtlRun r = Ctl({"catalog", "estimate", product, plan.id(), "--quantity", "3", "--hours", "100"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "DESCRIPTION")) << r.out;
  EXPECT_TRUE(Has(r.out, "INCL. VAT")) << r.out;
  EXPECT_TRUE(Has(r.out, "Usage horaire : 3 × 100 h")) << r.out;
  EXPECT_TRUE(Has(r.out, "20.00 %")) << r.out;
  EXPECT_TRUE(Has(r.out, "36.00")) << r.out;
  EXPECT_TRUE(Has(r.out, "7.20")) << r.out;
  EXPECT_TRUE(Has(r.out, "43.20")) << r.out;
  EXPECT_TRUE(Has(r.out, "TOTAL")) << r.out;
  EXPECT_TRUE(Has(r.out, "currency: EUR")) << r.out;

  r = Ctl({"--json", "catalog", "estimate", product, plan.id(), "--quantity", "3", "--hours",
           "100"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"lines\":[{\"description\":\"Usage horaire : 3 × 100 h\",\"quantity\":300,"
            "\"unit_price_cents\":12,\"amount_excl_vat_cents\":3600,\"vat_rate_bp\":2000,"
            "\"vat_cents\":720,\"amount_incl_vat_cents\":4320}],\"total_excl_vat_cents\":3600,"
            "\"total_vat_cents\":720,\"total_incl_vat_cents\":4320,\"currency\":\"EUR\"}\n");
}

TEST_F(EstimateCtlTest, SubscriptionByCodeWithMonths) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  nuage::v1::PricingPlan plan = MustCreatePlan(s.token, Subscription(product, 1000, 12, 5000));
  std::string code = One("SELECT code FROM products WHERE id = '" + product + "'");

  // A draft: NOT_FOUND for anonymous callers (exit 3), shown to its seller.
  CtlRun r = Ctl({"catalog", "estimate", code, plan.id(), "--months", "24"});
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_TRUE(Has(r.err, "NOT_FOUND")) << r.err;
  r = Ctl({"--json", "catalog", "estimate", code, plan.id(), "--quantity", "2", "--months", "24"},
          s.token);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "\"description\":\"Abonnement mensuel : 2 × 24 mois\",\"quantity\":48"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "\"description\":\"Paiement initial : 2\",\"quantity\":2")) << r.out;
  // 480.00 + 100.00, VAT 96.00 + 20.00
  EXPECT_TRUE(Has(r.out, "\"total_excl_vat_cents\":58000,\"total_vat_cents\":11600,"
                         "\"total_incl_vat_cents\":69600"))
      << r.out;

  // Shorter than the commitment: the server's field violation, exit 3.
  r = Ctl({"catalog", "estimate", code, plan.id(), "--months", "6"}, s.token);
  EXPECT_EQ(r.status, 3);
  EXPECT_TRUE(Has(r.err, "INVALID_ARGUMENT")) << r.err;
  EXPECT_TRUE(Has(r.err, "months")) << r.err;
}

TEST_F(EstimateCtlTest, UsageErrors) {
  CtlRun r = Ctl({"catalog", "estimate", "only-product"});
  EXPECT_EQ(r.status, 2);
  r = Ctl({"catalog", "estimate", "p", "q", "--quantity", "zero"});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(Has(r.err, "--quantity")) << r.err;
  r = Ctl({"catalog", "estimate", "p", "q", "--hours", "-4"});
  EXPECT_EQ(r.status, 2);
  r = Ctl({"help", "catalog estimate"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(Has(r.out, "--quantity")) << r.out;
}

}  // namespace
}  // namespace nuage::testing
