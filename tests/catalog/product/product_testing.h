// product_testing.h — the fixture of the catalogue write-side end-to-end
// tests: one server per binary, a CatalogService stub, sellers with a
// storefront manager signed in, and shortcuts to make products and plans.
#ifndef NUAGE_TESTS_CATALOG_PRODUCT_PRODUCT_TESTING_H
#define NUAGE_TESTS_CATALOG_PRODUCT_PRODUCT_TESTING_H

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "nuage/v1/catalog.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {

class CatalogWriteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = ServerProcess::Start(SharedCluster().conninfo(), {}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "the server did not start";
    channel_ = Connect(server_->address());
    stub_ = nuage::v1::CatalogService::NewStub(channel_);
  }

  static const std::string& Db() { return SharedCluster().conninfo(); }

  static std::string Unique(const std::string& prefix) {
    static std::atomic<int> n{0};
    return prefix + std::to_string(100000 + n++);
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    SetDeadline(ctx.get(), milliseconds(10000));
    if (!token.empty()) WithBearer(ctx.get(), token);
    return ctx;
  }

  // An organisation whose referent (manager everywhere) is signed in to it.
  struct Team {
    std::string org;
    std::string referent;
    std::string email;
    std::string token;
  };
  static Team NewTeam(bool buyer, bool seller, const std::string& status = "validated") {
    Team t;
    std::string login = Unique("referent");
    t.email = login + "@editeur-test.fr";
    t.referent = SeedUser(Db(), login, t.email, "Str0ng&Password!");
    t.org = SeedOrganization(Db(), Unique("Editeur "), t.referent, buyer, seller, status);
    t.token = SeedSession(Db(), t.referent, t.org);
    return t;
  }
  static Team Seller(const std::string& status = "validated") { return NewTeam(false, true, status); }
  static Team Buyer() { return NewTeam(true, false); }

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
    req.set_id(id);
    req.set_etag(etag);
    return stub_->PublishProduct(Ctx(token).get(), req, out);
  }

  grpc::Status Unpublish(const std::string& token, const std::string& id, nuage::v1::Product* out,
                         const std::string& etag = "") {
    nuage::v1::UnpublishProductRequest req;
    req.set_id(id);
    req.set_etag(etag);
    return stub_->UnpublishProduct(Ctx(token).get(), req, out);
  }

  // A subscription of org to product with status.
  static void Subscribe(const std::string& org, const std::string& product,
                        const std::string& status = "active") {
    PgQuery(Db(), "INSERT INTO subscriptions (organization_id, product_id, status, created_at)"
                  " VALUES ('" + org + "', '" + product + "', '" + status + "', now())");
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

  static std::string Reason(const grpc::Status& st) {
    auto details = StatusDetails(st);
    if (!details) return "";
    auto info = FindErrorInfo(*details);
    return info ? info->reason() : "";
  }

  static bool HasViolation(const grpc::Status& st, const std::string& field) {
    auto details = StatusDetails(st);
    if (!details) return false;
    auto br = FindBadRequest(*details);
    if (!br) return false;
    for (const auto& v : br->field_violations()) {
      if (v.field() == field) return true;
    }
    return false;
  }

  static int Count(const std::string& sql) {
    auto rows = PgQuery(Db(), sql);
    return rows.empty() ? -1 : std::stoi(rows[0][0]);
  }

  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<nuage::v1::CatalogService::Stub> stub_;
};

inline ServerProcess* CatalogWriteTest::server_ = nullptr;

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_CATALOG_PRODUCT_PRODUCT_TESTING_H
