// pricing_testing.h — the fixture of the pricing end-to-end tests: the
// shared catalogue fixture (tests/catalog/catalog_testing.h: server, stub,
// sellers signed in with storefront manager rights) plus products made
// through CreateProduct and shortcuts for plans and estimates.
#ifndef NUAGE_TESTS_CATALOG_PRICING_PRICING_TESTING_H
#define NUAGE_TESTS_CATALOG_PRICING_PRICING_TESTING_H

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "nuage/v1/catalog.grpc.pb.h"
#include "tests/catalog/catalog_testing.h"

namespace nuage::testing {

class PricingTest : public CatalogTest {
 protected:
  // A draft product of the caller's organisation; its id.
  std::string NewProduct(const std::string& token) {
    nuage::v1::CreateProductRequest req;
    auto* p = req.mutable_product();
    p->set_kind(nuage::v1::PRODUCT_KIND_MACHINE_IMAGE);
    p->set_name(Unique("Image durcie "));
    p->set_description("Une image de machine virtuelle");
    p->add_regions("cloudgouv-eu-west-1");
    nuage::v1::Product out;
    grpc::Status st = stub_->CreateProduct(Ctx(token).get(), req, &out);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return out.id();
  }

  void Publish(const std::string& token, const std::string& product_id) {
    nuage::v1::PublishProductRequest req;
    req.set_product_id(product_id);
    nuage::v1::Product out;
    grpc::Status st = stub_->PublishProduct(Ctx(token).get(), req, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }

  static nuage::v1::Money Eur(int64_t cents) {
    nuage::v1::Money m;
    m.set_amount_cents(cents);
    m.set_currency("EUR");
    return m;
  }

  static nuage::v1::PricingPlan Hourly(const std::string& product, int64_t cents) {
    nuage::v1::PricingPlan p;
    p.set_product_id(product);
    p.set_name("À l'heure");
    p.set_model(nuage::v1::PRICING_MODEL_HOURLY);
    *p.mutable_hourly_price() = Eur(cents);
    return p;
  }

  static nuage::v1::PricingPlan Subscription(const std::string& product, int64_t monthly,
                                             int32_t commitment, int64_t upfront = 0) {
    nuage::v1::PricingPlan p;
    p.set_product_id(product);
    p.set_name(std::to_string(commitment) + " mois");
    p.set_model(nuage::v1::PRICING_MODEL_SUBSCRIPTION);
    *p.mutable_monthly_price() = Eur(monthly);
    p.set_commitment_months(commitment);
    if (upfront != 0) *p.mutable_upfront() = Eur(upfront);
    return p;
  }

  static nuage::v1::PricingPlan Bare(const std::string& product, nuage::v1::PricingModel m) {
    nuage::v1::PricingPlan p;
    p.set_product_id(product);
    p.set_name("Sans prix");
    p.set_model(m);
    return p;
  }

  grpc::Status CreatePlan(const std::string& token, const nuage::v1::PricingPlan& plan,
                          nuage::v1::PricingPlan* out, const std::string& request_id = "") {
    nuage::v1::CreatePricingPlanRequest req;
    *req.mutable_plan() = plan;
    req.set_request_id(request_id);
    return stub_->CreatePricingPlan(Ctx(token).get(), req, out);
  }

  nuage::v1::PricingPlan MustCreatePlan(const std::string& token,
                                        const nuage::v1::PricingPlan& plan) {
    nuage::v1::PricingPlan out;
    grpc::Status st = CreatePlan(token, plan, &out);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return out;
  }

  grpc::Status UpdatePlan(const std::string& token, const nuage::v1::PricingPlan& plan,
                          const std::vector<std::string>& paths, const std::string& etag,
                          nuage::v1::PricingPlan* out) {
    nuage::v1::UpdatePricingPlanRequest req;
    *req.mutable_plan() = plan;
    for (const auto& p : paths) req.mutable_update_mask()->add_paths(p);
    req.mutable_plan()->set_etag(etag);
    return stub_->UpdatePricingPlan(Ctx(token).get(), req, out);
  }

  // The product's plan summary: "{models} min_monthly_cents" ("null").
  static std::string Summary(const std::string& product) {
    return One("SELECT pricing_models::text || ' ' || COALESCE(min_monthly_cents::text, 'null')"
               " FROM products WHERE id = '" + product + "'");
  }

  grpc::Status Estimate(const std::string& token, const std::string& product,
                        const std::string& plan, int64_t quantity, int64_t hours, int32_t months,
                        nuage::v1::PriceEstimate* out) {
    nuage::v1::EstimatePriceRequest req;
    req.set_product_id(product);
    req.set_plan_id(plan);
    req.set_quantity(quantity);
    req.set_hours(hours);
    req.set_months(months);
    return stub_->EstimatePrice(Ctx(token).get(), req, out);
  }

};

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_CATALOG_PRICING_PRICING_TESTING_H
