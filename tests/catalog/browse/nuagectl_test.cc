// nuagectl_test.cc — `nuagectl catalog list` and `nuagectl catalog show`
// against a live server: the table and --json output, filters from the
// command line, pages fetched up to --limit, show by code and by id with
// plans, drafts for their seller only, usage errors (exit 2) and NOT_FOUND
// (exit 3).
#include "tests/catalog/browse/browse_testing.h"
#include "tests/support/nuagectl_runner.h"

namespace nuage::testing {
namespace {

bool Has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

class CatalogCtlTest : public BrowseTest {
 protected:
  void SetUp() override {
    BrowseTest::SetUp();
    home_ = MakeCtlHome(Unique("home-"));
    ASSERT_FALSE(home_.empty());
  }

  // Runs nuagectl --addr SERVER args... with HOME=home_ (no saved token).
  CtlRun Ctl(const std::vector<std::string>& args, const std::string& token = "") {
    return RunNuagectl(home_, server_->address(), args, "", token);
  }

  std::string home_;
};

TEST_F(CatalogCtlTest, ListAsTableAndJsonWithFilters) {
  Team seller = Seller();
  std::string code;
  Insert(seller.org, {.name = "Cloud de confiance SecNumCloud", .description = "Sécurité qualifiée",
                     .kind = "managed_service", .regions = "{cloudgouv-eu-west-1}",
                     .certifications = "{secnumcloud,hds}", .pricing_models = "{subscription}",
                     .min_monthly_cents = "14900"},
         &code);
  Insert(seller.org, {.name = "Image GitLab", .kind = "machine_image", .pricing_models = "{free}"});
  Insert(seller.org, {.name = "Brouillon", .status = "draft"});

  CtlRun r = Ctl({"catalog", "list", "--seller", seller.org});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "CODE")) << r.out;
  EXPECT_TRUE(Has(r.out, "CERTIFICATIONS")) << r.out;
  EXPECT_TRUE(Has(r.out, code)) << r.out;
  EXPECT_TRUE(Has(r.out, "149.00 EUR")) << r.out;
  EXPECT_TRUE(Has(r.out, "secnumcloud,hds")) << r.out;
  EXPECT_TRUE(Has(r.out, "Image GitLab")) << r.out;
  EXPECT_FALSE(Has(r.out, "Brouillon")) << r.out;
  EXPECT_TRUE(Has(r.out, "2 products")) << r.out;

  // Filters and search from the command line; accents ignored.
  r = Ctl({"catalog", "list", "--seller", seller.org, "--certification", "secnumcloud,hds",
           "--query", "securite", "--sovereign", "--region", "cloudgouv-eu-west-1", "--sort",
           "price", "--kind", "managed_service", "--model", "subscription"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "Cloud de confiance")) << r.out;
  EXPECT_TRUE(Has(r.out, "1 product\n")) << r.out;

  // JSON: one object per product and line.
  r = Ctl({"--json", "catalog", "list", "--seller", seller.org, "--sort", "name"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Lines(r.out), 2) << r.out;
  EXPECT_EQ(r.out.substr(0, 1), "{") << r.out;
  EXPECT_TRUE(Has(r.out, "\"code\":\"" + code + "\"")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"certifications\":[\"secnumcloud\",\"hds\"]")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"min_monthly_price\":{\"amount_cents\":14900,\"currency\":\"EUR\"}"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "\"min_monthly_price\":null")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"kind\":\"machine_image\"")) << r.out;

  // The seller's own drafts with --all.
  r = Ctl({"--json", "catalog", "list", "--seller", seller.org, "--all"}, seller.token);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Lines(r.out), 3) << r.out;
  EXPECT_TRUE(Has(r.out, "\"state\":\"draft\"")) << r.out;
}

TEST_F(CatalogCtlTest, ListFetchesPagesUpToLimit) {
  Team seller = Seller();
  PgQuery(Db(), "INSERT INTO products (code, seller_id, kind, name, status, published_at, created_at,"
                " updated_at) SELECT 'NUP-' || nextval('product_code_seq'), '" + seller.org +
                    "', 'managed_service', 'Offre ' || i, 'published', now(), now(), now()"
                    " FROM generate_series(1, 620) i");
  CtlRun r = Ctl({"--json", "catalog", "list", "--seller", seller.org, "--limit", "600"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Lines(r.out), 600);
  r = Ctl({"--json", "catalog", "list", "--seller", seller.org, "--limit", "100000"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Lines(r.out), 620);
  r = Ctl({"catalog", "list", "--seller", seller.org});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "50 products (more: raise --limit)")) << r.out;
}

TEST_F(CatalogCtlTest, ShowByCodeOrIdWithPlans) {
  Team seller = Seller();
  std::string code;
  std::string id = Insert(seller.org, {.name = "Sauvegarde", .description = "Copies chiffrées",
                                      .regions = "{eu-west-2,cloudgouv-eu-west-1}"},
                          &code);
  PgQuery(Db(), "INSERT INTO pricing_plans (product_id, name, model, monthly_price_cents,"
                " commitment_months, upfront_cents, created_at, updated_at) VALUES ('" + id +
                    "', 'Engagement 36 mois', 'subscription', 9000, 36, 50000, now(), now())");
  CtlRun r = Ctl({"catalog", "show", code});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "code: " + code)) << r.out;
  EXPECT_TRUE(Has(r.out, "name: Sauvegarde")) << r.out;
  EXPECT_TRUE(Has(r.out, "regions: eu-west-2, cloudgouv-eu-west-1")) << r.out;
  EXPECT_TRUE(Has(r.out, "pricing_plans:")) << r.out;
  EXPECT_TRUE(Has(r.out, "monthly_price: 90.00 EUR")) << r.out;
  EXPECT_TRUE(Has(r.out, "upfront: 500.00 EUR")) << r.out;
  EXPECT_TRUE(Has(r.out, "commitment_months: 36")) << r.out;

  r = Ctl({"--json", "catalog", "show", id});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Lines(r.out), 1) << r.out;
  EXPECT_TRUE(Has(r.out, "\"id\":\"" + id + "\"")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"pricing_plans\":[{")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"model\":\"subscription\"")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"monthly_price\":{\"amount_cents\":9000,\"currency\":\"EUR\"}")) << r.out;
}

TEST_F(CatalogCtlTest, ErrorsAndUsage) {
  Team seller = Seller();
  std::string code;
  Insert(seller.org, {.name = "Brouillon", .status = "draft"}, &code);
  CtlRun r = Ctl({"catalog", "show", code});
  EXPECT_EQ(r.status, 3) << r.out << r.err;
  EXPECT_TRUE(Has(r.err, "NOT_FOUND")) << r.err;
  r = Ctl({"catalog", "show", code}, seller.token);
  EXPECT_EQ(r.status, 0) << r.err;
  r = Ctl({"--json", "catalog", "show", "NUP-0"});
  EXPECT_EQ(r.status, 3);
  EXPECT_TRUE(Has(r.out, "\"code\":\"NOT_FOUND\"")) << r.out;

  r = Ctl({"catalog", "list", "--certification", "secnumcloud,nope"});
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(Has(r.err, "'nope' is not one of:")) << r.err;
  EXPECT_TRUE(Has(r.err, "secnumcloud")) << r.err;
  r = Ctl({"catalog", "list", "--sort", "cheap"});
  EXPECT_EQ(r.status, 2);
  r = Ctl({"catalog", "list", "--limit", "0"});
  EXPECT_EQ(r.status, 2);
  r = Ctl({"catalog", "show"});
  EXPECT_EQ(r.status, 2);
  r = Ctl({"catalog", "list", "--seller", "nobody"});
  EXPECT_EQ(r.status, 3);
  EXPECT_TRUE(Has(r.err, "seller_id")) << r.err;
}

}  // namespace
}  // namespace nuage::testing
