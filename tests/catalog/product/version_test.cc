// version_test.cc — versions of a product end to end: create (idempotent,
// unique labels), edit with etag, publish, unpublish, public listing, and
// the notices when the last published version goes.
#include "tests/catalog/product/product_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::Product;
using nuage::v1::ProductVersion;

class VersionTest : public CatalogWriteTest {
 protected:
  grpc::Status NewVersion(const std::string& token, const std::string& product,
                          const std::string& label, ProductVersion* out,
                          const std::string& request_id = "") {
    nuage::v1::CreateProductVersionRequest req;
    req.mutable_version()->set_product_id(product);
    req.mutable_version()->set_label(label);
    req.mutable_version()->set_release_notes("Corrections de sécurité");
    req.set_request_id(request_id);
    return stub_->CreateProductVersion(Ctx(token).get(), req, out);
  }
  grpc::Status PublishV(const std::string& token, const ProductVersion& v, ProductVersion* out) {
    nuage::v1::PublishProductVersionRequest req;
    req.set_product_version_id(v.id());
    req.set_etag(v.etag());
    return stub_->PublishProductVersion(Ctx(token).get(), req, out);
  }
  grpc::Status UnpublishV(const std::string& token, const ProductVersion& v, ProductVersion* out) {
    nuage::v1::UnpublishProductVersionRequest req;
    req.set_product_version_id(v.id());
    req.set_etag(v.etag());
    return stub_->UnpublishProductVersion(Ctx(token).get(), req, out);
  }
  // The labels of every page of ListProductVersions (page_size a page).
  std::vector<std::string> Labels(const std::string& token, const std::string& product,
                                  grpc::Status* st = nullptr, int page_size = 0) {
    nuage::v1::ListProductVersionsRequest req;
    req.set_product_id(product);
    req.set_page_size(page_size);
    std::vector<std::string> out;
    for (int pages = 0; pages < 20; pages++) {
      nuage::v1::ListProductVersionsResponse resp;
      grpc::Status s = stub_->ListProductVersions(Ctx(token).get(), req, &resp);
      if (st != nullptr) *st = s;
      if (page_size > 0) EXPECT_LE(resp.product_versions_size(), page_size);
      for (const auto& v : resp.product_versions()) out.push_back(v.label());
      if (!s.ok() || resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return out;
  }
};

TEST_F(VersionTest, Lifecycle) {
  Team s = Seller();
  Product p = MustCreate(s.token);
  ProductVersion v1, v1b, v2;
  ASSERT_TRUE(NewVersion(s.token, p.id(), "1.0.0", &v1, "v-1").ok());
  ASSERT_TRUE(NewVersion(s.token, p.id(), "1.0.0", &v1b, "v-1").ok());  // a retry
  EXPECT_EQ(v1.id(), v1b.id());
  EXPECT_EQ(v1.state(), ProductVersion::STATE_DRAFT);
  grpc::Status st = NewVersion(s.token, p.id(), "1.0.0", &v2);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Reason(st), "VERSION_LABEL_TAKEN");

  // Edit with etag; the old etag is then stale.
  nuage::v1::UpdateProductVersionRequest up;
  up.mutable_version()->set_id(v1.id());
  up.mutable_version()->set_label("1.0.1");
  up.mutable_version()->set_release_notes("Notes revues");
  up.mutable_version()->set_etag(v1.etag());
  ProductVersion edited;
  ASSERT_TRUE(stub_->UpdateProductVersion(Ctx(s.token).get(), up, &edited).ok());
  EXPECT_EQ(edited.label(), "1.0.1");
  st = stub_->UpdateProductVersion(Ctx(s.token).get(), up, &edited);
  EXPECT_EQ(Reason(st), "ETAG_MISMATCH");

  ProductVersion pub;
  ASSERT_TRUE(PublishV(s.token, edited, &pub).ok());
  EXPECT_EQ(pub.state(), ProductVersion::STATE_PUBLISHED);
  EXPECT_TRUE(pub.has_publish_time());
  ASSERT_TRUE(NewVersion(s.token, p.id(), "2.0.0", &v2).ok());

  // The seller sees drafts; once the product is published, others see the
  // published versions only; before that, nothing at all.
  EXPECT_EQ(Labels(s.token, p.id()), (std::vector<std::string>{"1.0.1", "2.0.0"}));
  // Pages (AIP-158): one version at a time, oldest first.
  EXPECT_EQ(Labels(s.token, p.id(), nullptr, 1), (std::vector<std::string>{"1.0.1", "2.0.0"}));
  Team b = Buyer();
  Labels(b.token, p.id(), &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  AddPlan(p.id());
  Product published;
  ASSERT_TRUE(Publish(s.token, p.id(), &published).ok());
  EXPECT_EQ(Labels("", p.id()), (std::vector<std::string>{"1.0.1"}));

  ProductVersion gone;
  ASSERT_TRUE(UnpublishV(s.token, pub, &gone).ok());
  EXPECT_EQ(gone.state(), ProductVersion::STATE_UNPUBLISHED);
  st = UnpublishV(s.token, gone, &gone);
  EXPECT_EQ(Reason(st), "VERSION_NOT_PUBLISHED");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE target_type = 'product_version'"
                  " AND target_id = '" + v1.id() + "'"),
            4);  // create, update, publish, unpublish
}

TEST_F(VersionTest, UnpublishingTheLastPublishedVersionNotifies) {
  Team s = Seller();
  Product p = MustCreate(s.token);
  Team sub = Buyer(), ended = Buyer();
  Subscribe(sub.org, p.id());
  Subscribe(ended.org, p.id(), "ended");
  ProductVersion a, b, pa, pb, out;
  ASSERT_TRUE(NewVersion(s.token, p.id(), "1", &a).ok());
  ASSERT_TRUE(NewVersion(s.token, p.id(), "2", &b).ok());
  ASSERT_TRUE(PublishV(s.token, a, &pa).ok());
  ASSERT_TRUE(PublishV(s.token, b, &pb).ok());
  ASSERT_TRUE(UnpublishV(s.token, pa, &out).ok());
  EXPECT_TRUE(Notices(p.id()).empty());  // version 2 is still published
  ASSERT_TRUE(UnpublishV(s.token, pb, &out).ok());
  EXPECT_EQ(Notices(p.id()), (std::vector<std::string>{sub.email}));
}

TEST_F(VersionTest, OtherOrganisationsAndBadInput) {
  Team s = Seller();
  Product p = MustCreate(s.token);
  ProductVersion v, out;
  ASSERT_TRUE(NewVersion(s.token, p.id(), "1", &v).ok());
  Team rival = Seller();
  grpc::Status st = NewVersion(rival.token, p.id(), "9", &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  st = PublishV(rival.token, v, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  ProductVersion absent = v;
  absent.set_id("00000000-0000-0000-0000-000000000000");
  EXPECT_EQ(PublishV(rival.token, absent, &out).error_message(), st.error_message());
  st = NewVersion(s.token, p.id(), std::string(65, '1'), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "version.label"));
  st = NewVersion(s.token, p.id(), "", &out);
  EXPECT_TRUE(HasViolation(st, "version.label"));
}

}  // namespace
}  // namespace nuage::testing
