// plan_test.cc — pricing plans end to end: create per model with field
// violations, idempotent create, updates with etag and mask, the product's
// plan summary (pricing_models, min_monthly_cents) kept in step, listing
// (inactive plans and drafts for their seller only), NOT_FOUND across
// organisations, concurrent creates on one product.
#include <thread>
#include <vector>

#include "tests/catalog/pricing/pricing_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::PricingPlan;

TEST_F(PricingTest, CreateHourlyPlanKeepsTheProductSummaryAndAudits) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  EXPECT_EQ(Summary(product), "{} null");
  PricingPlan p = MustCreatePlan(s.token, Hourly(product, 12));
  EXPECT_FALSE(p.id().empty());
  EXPECT_EQ(p.product_id(), product);
  EXPECT_EQ(p.model(), nuage::v1::PRICING_MODEL_HOURLY);
  EXPECT_EQ(p.hourly_price().amount_cents(), 12);
  EXPECT_EQ(p.hourly_price().currency(), "EUR");
  EXPECT_FALSE(p.has_monthly_price());
  EXPECT_FALSE(p.has_upfront());
  EXPECT_EQ(p.vat_rate_bp(), 2000) << "the default rate";
  EXPECT_TRUE(p.active());
  EXPECT_FALSE(p.etag().empty());
  EXPECT_EQ(Summary(product), "{hourly} 8760");  // 0.12 × 730 h
  EXPECT_EQ(One("SELECT count(*) FROM audit_log WHERE action = 'pricing_plan.create'"
                " AND target_id = '" + p.id() + "' AND organization_id = '" + s.org + "'"),
            "1");

  PricingPlan sub = MustCreatePlan(s.token, Subscription(product, 5000, 24, 30000));
  EXPECT_EQ(sub.commitment_months(), 24);
  EXPECT_EQ(sub.upfront().amount_cents(), 30000);
  EXPECT_EQ(Summary(product), "{hourly,subscription} 5000");
  MustCreatePlan(s.token, Bare(product, nuage::v1::PRICING_MODEL_BYOL));
  EXPECT_EQ(Summary(product), "{byol,hourly,subscription} 5000");
}

TEST_F(PricingTest, PlansWithoutPriceLeaveNoMinimum) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  MustCreatePlan(s.token, Bare(product, nuage::v1::PRICING_MODEL_FREE));
  MustCreatePlan(s.token, Bare(product, nuage::v1::PRICING_MODEL_QUOTATION));
  EXPECT_EQ(Summary(product), "{free,quotation} null");
}

TEST_F(PricingTest, ModelRulesAreFieldViolations) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  PricingPlan out;

  PricingPlan hourly = Hourly(product, 12);
  hourly.clear_hourly_price();
  *hourly.mutable_monthly_price() = Eur(100);
  hourly.set_vat_rate_bp(10001);
  hourly.set_name("");
  grpc::Status st = CreatePlan(s.token, hourly, &out);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "plan.hourly_price"));
  EXPECT_TRUE(HasViolation(st, "plan.monthly_price"));
  EXPECT_TRUE(HasViolation(st, "plan.vat_rate_bp"));
  EXPECT_TRUE(HasViolation(st, "plan.name"));

  st = CreatePlan(s.token, Subscription(product, 100, 6), &out);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "plan.commitment_months"));

  PricingPlan sub = Subscription(product, 100, 12);
  sub.clear_monthly_price();
  st = CreatePlan(s.token, sub, &out);
  EXPECT_TRUE(HasViolation(st, "plan.monthly_price"));

  PricingPlan usd = Hourly(product, 12);
  usd.mutable_hourly_price()->set_currency("USD");
  st = CreatePlan(s.token, usd, &out);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "plan.hourly_price.currency"));

  st = CreatePlan(s.token, Hourly(product, -1), &out);
  EXPECT_TRUE(HasViolation(st, "plan.hourly_price"));
  st = CreatePlan(s.token, Subscription(product, 100, 12, -5), &out);
  EXPECT_TRUE(HasViolation(st, "plan.upfront"));

  PricingPlan free = Bare(product, nuage::v1::PRICING_MODEL_FREE);
  *free.mutable_hourly_price() = Eur(1);
  st = CreatePlan(s.token, free, &out);
  EXPECT_TRUE(HasViolation(st, "plan.hourly_price"));

  st = CreatePlan(s.token, Bare(product, nuage::v1::PRICING_MODEL_UNSPECIFIED), &out);
  EXPECT_TRUE(HasViolation(st, "plan.model"));

  EXPECT_EQ(One("SELECT count(*) FROM pricing_plans WHERE product_id = '" + product + "'"), "0");
}

TEST_F(PricingTest, CreateIsIdempotentOnRequestId) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  PricingPlan a, b, c;
  ASSERT_TRUE(CreatePlan(s.token, Hourly(product, 12), &a, "plan-1").ok());
  ASSERT_TRUE(CreatePlan(s.token, Hourly(product, 12), &b, "plan-1").ok());
  EXPECT_EQ(a.id(), b.id());
  EXPECT_EQ(One("SELECT count(*) FROM pricing_plans WHERE product_id = '" + product + "'"), "1");
  grpc::Status st = CreatePlan(s.token, Hourly(product, 13), &c, "plan-1");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(st), "REQUEST_ID_REUSED");
}

TEST_F(PricingTest, OtherOrganisationsSeeNotFoundAsForAbsentProducts) {
  Team s = Seller();
  Team other = Seller();
  std::string product = NewProduct(s.token);
  PricingPlan plan = MustCreatePlan(s.token, Hourly(product, 12));
  PricingPlan out;
  grpc::Status theirs = CreatePlan(other.token, Hourly(product, 12), &out);
  grpc::Status absent =
      CreatePlan(other.token, Hourly("00000000-0000-4000-8000-000000000000", 12), &out);
  grpc::Status garbage = CreatePlan(other.token, Hourly("not-a-product", 12), &out);
  EXPECT_EQ(theirs.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(theirs.error_message(), absent.error_message());
  EXPECT_EQ(theirs.error_details(), absent.error_details());
  EXPECT_EQ(garbage.error_message(), absent.error_message());

  nuage::v1::UpdatePricingPlanRequest req;
  req.mutable_plan()->set_id(plan.id());
  req.mutable_plan()->set_name("Volé");
  req.mutable_update_mask()->add_paths("name");
  req.mutable_plan()->set_etag(plan.etag());
  grpc::Status upd = stub_->UpdatePricingPlan(Ctx(other.token).get(), req, &out);
  EXPECT_EQ(upd.error_code(), grpc::StatusCode::NOT_FOUND);
  req.mutable_plan()->set_id("00000000-0000-4000-8000-000000000000");
  grpc::Status upd_absent = stub_->UpdatePricingPlan(Ctx(other.token).get(), req, &out);
  EXPECT_EQ(upd.error_message(), upd_absent.error_message());

  // Without credentials: UNAUTHENTICATED before anything else.
  EXPECT_EQ(CreatePlan("", Hourly(product, 12), &out).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // A storefront visitor of the seller: PERMISSION_DENIED.
  std::string visitor_token;
  {
    Levels l = AllLevels(2);
    l[8] = 1;
    visitor_token = SeedCaller(Db(), s.org, Unique("visiteur"), l);
  }
  EXPECT_EQ(CreatePlan(visitor_token, Hourly(product, 12), &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(PricingTest, UpdateWithEtagAndMask) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  PricingPlan plan = MustCreatePlan(s.token, Hourly(product, 12));
  PricingPlan change = plan;
  change.set_name("Heure pleine");
  *change.mutable_hourly_price() = Eur(20);
  change.set_vat_rate_bp(1000);
  PricingPlan after;
  grpc::Status st = UpdatePlan(s.token, change, {"name", "hourly_price"},
                           plan.etag(), &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.name(), "Heure pleine");
  EXPECT_EQ(after.hourly_price().amount_cents(), 20);
  EXPECT_EQ(after.vat_rate_bp(), 2000) << "not in the mask";
  EXPECT_NE(after.etag(), plan.etag());
  EXPECT_EQ(Summary(product), "{hourly} 14600");
  EXPECT_EQ(One("SELECT count(*) FROM audit_log WHERE action = 'pricing_plan.update'"
                " AND target_id = '" + plan.id() + "'"),
            "1");

  // The old etag is stale now.
  PricingPlan ignored;
  st = UpdatePlan(s.token, change, {"name"}, plan.etag(), &ignored);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "ETAG_MISMATCH");

  // 0 % VAT can be set explicitly by an update.
  st = UpdatePlan(s.token, change, {"vat_rate_bp"}, after.etag(), &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.vat_rate_bp(), 1000);

  // Clearing the hourly price breaks the hourly model.
  PricingPlan cleared = after;
  cleared.clear_hourly_price();
  st = UpdatePlan(s.token, cleared, {"hourly_price"}, after.etag(), &ignored);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "plan.hourly_price"));
  // So does a commitment on an hourly plan, and an unknown path.
  PricingPlan committed = after;
  committed.set_commitment_months(12);
  st = UpdatePlan(s.token, committed, {"commitment_months"}, after.etag(), &ignored);
  EXPECT_TRUE(HasViolation(st, "plan.commitment_months"));
  st = UpdatePlan(s.token, committed, {"model"}, after.etag(), &ignored);
  EXPECT_TRUE(HasViolation(st, "update_mask.paths[0]"));
  // The etag is the plan's own (AIP-154): required.
  st = UpdatePlan(s.token, committed, {"name"}, "", &ignored);
  EXPECT_TRUE(HasViolation(st, "plan.etag"));

  // The same values again: nothing written, the same etag.
  PricingPlan same;
  st = UpdatePlan(s.token, after, {"name"}, after.etag(), &same);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(same.etag(), after.etag());
}

TEST_F(PricingTest, DeactivatingAPlanTakesItOutOfTheSummary) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  PricingPlan hourly = MustCreatePlan(s.token, Hourly(product, 12));
  MustCreatePlan(s.token, Bare(product, nuage::v1::PRICING_MODEL_FREE));
  EXPECT_EQ(Summary(product), "{free,hourly} 8760");
  PricingPlan off = hourly;
  off.set_active(false);
  PricingPlan after;
  ASSERT_TRUE(UpdatePlan(s.token, off, {"active"}, hourly.etag(), &after).ok());
  EXPECT_FALSE(after.active());
  EXPECT_EQ(Summary(product), "{free} null");
  PricingPlan on = after;
  on.set_active(true);
  ASSERT_TRUE(UpdatePlan(s.token, on, {"active"}, after.etag(), &after).ok());
  EXPECT_EQ(Summary(product), "{free,hourly} 8760");
}

TEST_F(PricingTest, ListShowsInactivePlansAndDraftsToTheSellerOnly) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  PricingPlan a = MustCreatePlan(s.token, Hourly(product, 12));
  PricingPlan b = MustCreatePlan(s.token, Subscription(product, 900, 12));
  PricingPlan off = b;
  off.set_active(false);
  PricingPlan ignored;
  ASSERT_TRUE(UpdatePlan(s.token, off, {"active"}, b.etag(), &ignored).ok());

  nuage::v1::ListPricingPlansRequest req;
  req.set_product_id(product);
  nuage::v1::ListPricingPlansResponse resp;
  grpc::Status st = stub_->ListPricingPlans(Ctx("").get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << "a draft is the seller's";
  Team other = Buyer();
  st = stub_->ListPricingPlans(Ctx(other.token).get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);

  ASSERT_TRUE(stub_->ListPricingPlans(Ctx(s.token).get(), req, &resp).ok());
  ASSERT_EQ(resp.pricing_plans_size(), 2);
  EXPECT_EQ(resp.pricing_plans(0).id(), a.id());
  EXPECT_EQ(resp.pricing_plans(1).id(), b.id());
  EXPECT_FALSE(resp.pricing_plans(1).active());
  EXPECT_TRUE(resp.next_page_token().empty());
  // Pages (AIP-158): one plan at a time, in creation order.
  nuage::v1::ListPricingPlansRequest paged = req;
  paged.set_page_size(1);
  resp.Clear();
  ASSERT_TRUE(stub_->ListPricingPlans(Ctx(s.token).get(), paged, &resp).ok());
  ASSERT_EQ(resp.pricing_plans_size(), 1);
  EXPECT_EQ(resp.pricing_plans(0).id(), a.id());
  ASSERT_FALSE(resp.next_page_token().empty());
  paged.set_page_token(resp.next_page_token());
  resp.Clear();
  ASSERT_TRUE(stub_->ListPricingPlans(Ctx(s.token).get(), paged, &resp).ok());
  ASSERT_EQ(resp.pricing_plans_size(), 1);
  EXPECT_EQ(resp.pricing_plans(0).id(), b.id());
  EXPECT_TRUE(resp.next_page_token().empty());
  paged.set_page_token("not a token");
  st = stub_->ListPricingPlans(Ctx(s.token).get(), paged, &resp);
  EXPECT_TRUE(HasViolation(st, "page_token"));

  Publish(s.token, product);
  resp.Clear();
  ASSERT_TRUE(stub_->ListPricingPlans(Ctx("").get(), req, &resp).ok());
  ASSERT_EQ(resp.pricing_plans_size(), 1) << "inactive plans are history";
  EXPECT_EQ(resp.pricing_plans(0).id(), a.id());
  EXPECT_EQ(resp.pricing_plans(0).hourly_price().amount_cents(), 12);
  resp.Clear();
  ASSERT_TRUE(stub_->ListPricingPlans(Ctx(other.token).get(), req, &resp).ok());
  EXPECT_EQ(resp.pricing_plans_size(), 1);

  req.set_product_id("");
  st = stub_->ListPricingPlans(Ctx("").get(), req, &resp);
  EXPECT_TRUE(HasViolation(st, "product_id"));
}

TEST_F(PricingTest, ConcurrentCreatesKeepTheSummaryExact) {
  Team s = Seller();
  std::string product = NewProduct(s.token);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 12; i++) {
    threads.emplace_back([&, i] {
      auto stub = nuage::v1::CatalogService::NewStub(Connect(server_->address()));
      nuage::v1::CreatePricingPlanRequest req;
      *req.mutable_plan() = i % 2 == 0 ? Hourly(product, 100 + i) : Subscription(product, 70000 + i, 12);
      PricingPlan out;
      if (stub->CreatePricingPlan(Ctx(s.token).get(), req, &out).ok()) ok++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 12);
  // min(hourly 1.00 × 730 = 73000, monthly 700.01) = 70001
  EXPECT_EQ(Summary(product), "{hourly,subscription} 70001");
}

}  // namespace
}  // namespace nuage::testing
