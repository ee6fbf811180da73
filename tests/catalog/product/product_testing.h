// product_testing.h — the fixture of the catalogue write-side end-to-end
// tests: the shared catalogue fixture (tests/catalog/catalog_testing.h:
// server, stub, sellers with a storefront manager signed in) plus
// shortcuts to make products and plans, subscriptions and notices.
#ifndef NUAGE_TESTS_CATALOG_PRODUCT_PRODUCT_TESTING_H
#define NUAGE_TESTS_CATALOG_PRODUCT_PRODUCT_TESTING_H

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "nuage/v1/catalog.grpc.pb.h"
#include "tests/catalog/catalog_testing.h"

namespace nuage::testing {

class CatalogWriteTest : public CatalogTest {
 protected:
  static nuage::v1::Product Draft(const std::string& name = "Base PostgreSQL managée") {
    nuage::v1::Product p;
    p.set_kind(nuage::v1::PRODUCT_KIND_MANAGED_SERVICE);
    p.set_name(name);
    p.set_description("Une base de données hébergée en France");
    p.set_category("Bases de données");
    p.add_regions("cloudgouv-eu-west-1");
    p.add_certifications(nuage::v1::CERTIFICATION_HDS);
    p.add_certifications(nuage::v1::CERTIFICATION_SECNUMCLOUD);
    p.add_capabilities(nuage::v1::CAPABILITY_MONITORING);
    return p;
  }

  grpc::Status Create(const std::string& token, const nuage::v1::Product& p,
                      nuage::v1::Product* out, const std::string& request_id = "") {
    nuage::v1::CreateProductRequest req;
    *req.mutable_product() = p;
    req.set_request_id(request_id);
    return stub_->CreateProduct(Ctx(token).get(), req, out);
  }

  nuage::v1::Product MustCreate(const std::string& token) {
    nuage::v1::Product out;
    grpc::Status st = Create(token, Draft(), &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return out;
  }

  // An active hourly plan, written straight into the table (plans have
  // their own RPCs and tests).
  static void AddPlan(const std::string& product_id) {
    PgQuery(Db(), "INSERT INTO pricing_plans (product_id, name, model, hourly_price_cents,"
                  " created_at, updated_at) VALUES ('" + product_id +
                      "', 'Standard', 'hourly', 12, now(), now())");
  }

  grpc::Status Publish(const std::string& token, const std::string& id, nuage::v1::Product* out,
                       const std::string& etag = "") {
    nuage::v1::PublishProductRequest req;
    req.set_product_id(id);
    req.set_etag(etag);
    return stub_->PublishProduct(Ctx(token).get(), req, out);
  }

  grpc::Status Unpublish(const std::string& token, const std::string& id, nuage::v1::Product* out,
                         const std::string& etag = "") {
    nuage::v1::UnpublishProductRequest req;
    req.set_product_id(id);
    req.set_etag(etag);
    return stub_->UnpublishProduct(Ctx(token).get(), req, out);
  }

  // A subscription of org to product in status ("subscribed": starts
  // tomorrow; "active": started yesterday, ends in a year; "ended": ended
  // yesterday), dated from the database's clock, which the server's shares
  // in these tests (no AdvanceClock here).
  static void Subscribe(const std::string& org, const std::string& product,
                        const std::string& status = "active") {
    std::string starts = status == "subscribed" ? "now() + interval '1 day'"
                         : status == "ended"    ? "now() - interval '13 months'"
                                                : "now() - interval '1 day'";
    std::string ends = status == "ended" ? "now() - interval '1 day'" : "now() + interval '1 year'";
    PgQuery(Db(),
            "INSERT INTO subscriptions (organization_id, product_id, created_at, updated_at,"
            " starts_at, ends_at) VALUES ('" +
                org + "', '" + product + "', now(), now(), " + starts + ", " + ends + ")");
  }

  // Outbox e-mails of template for product, recipients sorted.
  static std::vector<std::string> Notices(const std::string& product_id) {
    std::vector<std::string> out;
    for (const auto& row :
         PgQuery(Db(), "SELECT recipient FROM outbox WHERE template = 'product_unpublished'"
                       " AND payload->>'product_id' = '" + product_id + "' ORDER BY recipient")) {
      out.push_back(row[0]);
    }
    return out;
  }

};

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_CATALOG_PRODUCT_PRODUCT_TESTING_H
