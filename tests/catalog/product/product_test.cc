// product_test.cc — storefronts and products end to end: create (drafts,
// unique codes under concurrency, idempotent), update with etag and mask,
// publish (validated sellers with a plan), unpublish notices, NOT_FOUND
// for other organisations, field violations.
#include <set>
#include <thread>
#include <vector>

#include "tests/catalog/product/product_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::Product;

TEST_F(CatalogWriteTest, CreateMakesADraftWithACodeAndAudits) {
  Team s = Seller();
  Product p = MustCreate(s.token);
  EXPECT_EQ(p.state(), Product::STATE_DRAFT);
  EXPECT_EQ(p.code().rfind("NUP-", 0), 0u) << p.code();
  EXPECT_EQ(p.seller_id(), s.org);
  EXPECT_EQ(p.kind(), nuage::v1::PRODUCT_KIND_MANAGED_SERVICE);
  ASSERT_EQ(p.certifications_size(), 2);
  EXPECT_EQ(p.certifications(0), nuage::v1::CERTIFICATION_HDS);
  ASSERT_EQ(p.regions_size(), 1);
  EXPECT_EQ(p.regions(0), "cloudgouv-eu-west-1");
  EXPECT_FALSE(p.etag().empty());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'product.create' AND target_id = '" +
                  p.id() + "'"),
            1);
}

TEST_F(CatalogWriteTest, TwentyConcurrentCreatesGetTwentyCodes) {
  Team s = Seller();
  std::vector<std::string> codes(20);
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; i++) {
    threads.emplace_back([&, i] {
      auto stub = nuage::v1::CatalogService::NewStub(Connect(server_->address()));
      nuage::v1::CreateProductRequest req;
      *req.mutable_product() = Draft("Produit " + std::to_string(i));
      Product out;
      grpc::Status st = stub->CreateProduct(Ctx(s.token).get(), req, &out);
      if (st.ok()) codes[i] = out.code();
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> unique(codes.begin(), codes.end());
  EXPECT_EQ(unique.size(), 20u);
  EXPECT_EQ(unique.count(""), 0u);
  EXPECT_EQ(Count("SELECT count(*) FROM products WHERE seller_id = '" + s.org + "'"), 20);
}

TEST_F(CatalogWriteTest, CreateIsIdempotentOnRequestId) {
  Team s = Seller();
  Product a, b;
  ASSERT_TRUE(Create(s.token, Draft(), &a, "create-product-1").ok());
  ASSERT_TRUE(Create(s.token, Draft(), &b, "create-product-1").ok());
  EXPECT_EQ(a.id(), b.id());
  EXPECT_EQ(a.code(), b.code());
  EXPECT_EQ(Count("SELECT count(*) FROM products WHERE seller_id = '" + s.org + "'"), 1);
  Product c;
  grpc::Status st = Create(s.token, Draft("Autre chose"), &c, "create-product-1");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(st), "REQUEST_ID_REUSED");
}

TEST_F(CatalogWriteTest, BadInputGetsFieldViolations) {
  Team s = Seller();
  Product p = Draft("");
  p.set_kind(static_cast<nuage::v1::ProductKind>(42));
  p.add_certifications(static_cast<nuage::v1::Certification>(77));
  p.add_capabilities(static_cast<nuage::v1::Capability>(99));
  p.add_regions(std::string(65, 'r'));
  p.add_regions("");
  Product out;
  grpc::Status st = Create(s.token, p, &out);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "product.name"));
  EXPECT_TRUE(HasViolation(st, "product.kind"));
  EXPECT_TRUE(HasViolation(st, "product.certifications[2]"));
  EXPECT_TRUE(HasViolation(st, "product.capabilities[1]"));
  EXPECT_TRUE(HasViolation(st, "product.regions[1]"));
  EXPECT_TRUE(HasViolation(st, "product.regions[2]"));
  EXPECT_FALSE(HasViolation(st, "product.regions[0]"));
}

TEST_F(CatalogWriteTest, OnlySellersCreate) {
  Team b = Buyer();
  Product out;
  grpc::Status st = Create(b.token, Draft(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "NOT_A_SELLER");
}

TEST_F(CatalogWriteTest, UpdateWithEtagAndMask) {
  Team s = Seller();
  Product p = MustCreate(s.token);
  nuage::v1::UpdateProductRequest req;
  req.mutable_product()->set_id(p.id());
  req.mutable_product()->set_name("Nouveau nom");
  req.mutable_product()->set_description("ignorée: pas dans le masque");
  req.mutable_product()->add_capabilities(nuage::v1::CAPABILITY_CMDB);
  req.mutable_update_mask()->add_paths("name");
  req.mutable_update_mask()->add_paths("capabilities");
  req.mutable_product()->set_etag(p.etag());
  Product out;
  grpc::Status st = stub_->UpdateProduct(Ctx(s.token).get(), req, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.name(), "Nouveau nom");
  EXPECT_EQ(out.description(), p.description());
  ASSERT_EQ(out.capabilities_size(), 1);
  EXPECT_EQ(out.capabilities(0), nuage::v1::CAPABILITY_CMDB);
  EXPECT_EQ(out.code(), p.code());
  EXPECT_NE(out.etag(), p.etag());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'product.update' AND target_id = '" +
                  p.id() + "'"),
            1);

  // The old etag is stale now.
  st = stub_->UpdateProduct(Ctx(s.token).get(), req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "ETAG_MISMATCH");

  // Unknown paths and an empty name are refused.
  req.mutable_product()->set_etag(out.etag());
  req.mutable_update_mask()->add_paths("code");
  req.mutable_product()->set_name("");
  st = stub_->UpdateProduct(Ctx(s.token).get(), req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "update_mask.paths[2]"));
  EXPECT_TRUE(HasViolation(st, "product.name"));
}

TEST_F(CatalogWriteTest, NonValidatedSellerCannotPublish) {
  Team s = Seller("pending_validation");
  Product p = MustCreate(s.token);
  AddPlan(p.id());
  Product out;
  grpc::Status st = Publish(s.token, p.id(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "ORGANIZATION_NOT_VALIDATED");
  EXPECT_NE(st.error_message().find("pending_validation"), std::string::npos) << st.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM products WHERE id = '" + p.id() + "' AND status = 'draft'"), 1);
}

TEST_F(CatalogWriteTest, PublishNeedsAnActivePlan) {
  Team s = Seller();
  Product p = MustCreate(s.token);
  Product out;
  grpc::Status st = Publish(s.token, p.id(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "NO_ACTIVE_PLAN");
  AddPlan(p.id());
  st = Publish(s.token, p.id(), &out, p.etag());
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.state(), Product::STATE_PUBLISHED);
  EXPECT_TRUE(out.has_publish_time());
  // Publishing again changes nothing.
  Product again;
  ASSERT_TRUE(Publish(s.token, p.id(), &again).ok());
  EXPECT_EQ(again.etag(), out.etag());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'product.publish' AND target_id = '" +
                  p.id() + "'"),
            1);
}

TEST_F(CatalogWriteTest, UnpublishNotifiesExactlyTheSubscribedOrganisations) {
  Team s = Seller();
  Product p = MustCreate(s.token);
  AddPlan(p.id());
  Product out;
  ASSERT_TRUE(Publish(s.token, p.id(), &out).ok());
  Team active = Buyer(), subscribed = Buyer(), ended = Buyer(), other = Buyer();
  Subscribe(active.org, p.id(), "active");
  Subscribe(active.org, p.id(), "subscribed");  // two rows, one notice
  Subscribe(subscribed.org, p.id(), "subscribed");
  Subscribe(ended.org, p.id(), "ended");
  Product elsewhere = MustCreate(s.token);
  Subscribe(other.org, elsewhere.id(), "active");

  grpc::Status st = Unpublish(s.token, p.id(), &out, out.etag());
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.state(), Product::STATE_UNPUBLISHED);
  std::vector<std::string> want = {active.email, subscribed.email};
  std::sort(want.begin(), want.end());
  EXPECT_EQ(Notices(p.id()), want);
  std::string payload = LatestOutbox(Db(), active.email, "product_unpublished");
  EXPECT_EQ(JsonField(payload, "product_code"), p.code());

  // Not published any more: a second unpublish is refused and sends nothing.
  st = Unpublish(s.token, p.id(), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "PRODUCT_NOT_PUBLISHED");
  EXPECT_EQ(Notices(p.id()).size(), 2u);
}

TEST_F(CatalogWriteTest, OtherOrganisationsGetNotFound) {
  Team s = Seller();
  Product p = MustCreate(s.token);
  Team rival = Seller();
  // A buyer organisation whose user manages its storefront section.
  Team b = Buyer();
  for (const std::string& token : {rival.token, b.token}) {
    Product out;
    grpc::Status st = Publish(token, p.id(), &out);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
    nuage::v1::UpdateProductRequest req;
    req.mutable_product()->set_id(p.id());
    req.mutable_product()->set_name("volé");
    req.mutable_update_mask()->add_paths("name");
    req.mutable_product()->set_etag(p.etag());
    grpc::Status st2 = stub_->UpdateProduct(Ctx(token).get(), req, &out);
    EXPECT_EQ(st2.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(st2.error_message(), st.error_message());
    // Same answer as for a product that does not exist.
    grpc::Status absent = Publish(token, "00000000-0000-0000-0000-000000000000", &out);
    EXPECT_EQ(absent.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(absent.error_message(), st.error_message());
  }
  Product out;
  grpc::Status anon = Publish("", p.id(), &out);
  EXPECT_EQ(anon.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(CatalogWriteTest, StorefrontUpsertAndPublicGet) {
  Team s = Seller();
  nuage::v1::UpsertStorefrontRequest req;
  req.mutable_storefront()->set_name("Éditeur Souverain");
  req.mutable_storefront()->set_contact_email("contact@editeur-test.fr");
  nuage::v1::Storefront out;
  grpc::Status st = stub_->UpsertStorefront(Ctx(s.token).get(), req, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.organization_id(), s.org);

  // Replacing needs the etag.
  req.mutable_storefront()->set_description("Hébergement certifié");
  nuage::v1::Storefront again;
  st = stub_->UpsertStorefront(Ctx(s.token).get(), req, &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  req.mutable_storefront()->set_etag("\"999\"");
  st = stub_->UpsertStorefront(Ctx(s.token).get(), req, &again);
  EXPECT_EQ(Reason(st), "ETAG_MISMATCH");
  req.mutable_storefront()->set_etag(out.etag());
  st = stub_->UpsertStorefront(Ctx(s.token).get(), req, &again);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(again.description(), "Hébergement certifié");

  // Anyone reads it; products show its name.
  nuage::v1::GetStorefrontRequest get;
  get.set_organization_id(s.org);
  nuage::v1::Storefront seen;
  ASSERT_TRUE(stub_->GetStorefront(Ctx("").get(), get, &seen).ok());
  EXPECT_EQ(seen.name(), "Éditeur Souverain");
  EXPECT_EQ(MustCreate(s.token).seller_name(), "Éditeur Souverain");
  get.set_organization_id("pas-un-uuid");
  EXPECT_EQ(stub_->GetStorefront(Ctx("").get(), get, &seen).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // A buyer organisation has no storefront; another organisation is absent.
  Team b = Buyer();
  req.mutable_storefront()->set_etag("");
  st = stub_->UpsertStorefront(Ctx(b.token).get(), req, &out);
  EXPECT_EQ(Reason(st), "NOT_A_SELLER");
  req.mutable_storefront()->set_organization_id(s.org);
  st = stub_->UpsertStorefront(Ctx(b.token).get(), req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE target_type = 'storefront' AND target_id = '" +
                  s.org + "'"),
            2);
}

}  // namespace
}  // namespace nuage::testing
