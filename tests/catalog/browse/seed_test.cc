// seed_test.cc — `nuage-server seed-catalog`: the demo catalogue loads
// once (a second load adds nothing), holds the 15 providers of the UGAP
// market with published, priced products, and is browsable anonymously.
#include <set>

#include "tests/catalog/browse/browse_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::ListProductsRequest;

class SeedTest : public BrowseTest {};

TEST_F(SeedTest, LoadsOnceAndIsBrowsable) {
  ServerExit first = ServerProcess::Run({"seed-catalog", "--database-url", Db()});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_NE(first.out.find("15 sellers"), std::string::npos) << first.out;
  ServerExit again = ServerProcess::Run({"seed-catalog", "--database-url", Db()});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.out.find("0 sellers, 0 products, 0 plans"), std::string::npos) << again.out;

  auto sellers = PgQuery(Db(), "SELECT s.name FROM storefronts s JOIN organizations o ON"
                               " o.id = s.organization_id WHERE o.status = 'validated' AND o.is_seller"
                               " AND o.id::text LIKE '5eed0000-%' ORDER BY 1");
  std::set<std::string> names;
  for (const auto& r : sellers) names.insert(r[0]);
  for (const char* n : {"3DS OUTSCALE", "AWS", "CEGEDIM CLOUD", "Clever Cloud", "CLOUD TEMPLE",
                        "Google Cloud", "Microsoft Azure", "Numspot", "ORACLE",
                        "ORANGE BUSINESS SERVICES", "OVHcloud", "PLATFORM SH", "S3NS", "SCALEWAY",
                        "SCALINGO"}) {
    EXPECT_EQ(names.count(n), 1u) << n;
  }
  EXPECT_EQ(names.size(), 15u);

  // Anonymous browsing: every seeded product is published and listed once.
  auto all = All(ListProductsRequest());
  int seeded = std::stoi(PgQuery(Db(), "SELECT count(*) FROM products")[0][0]);
  EXPECT_GE(seeded, 30);
  EXPECT_EQ(int(all.size()), seeded);
  // SecNumCloud and sovereign: Outscale, Cloud Temple, OVHcloud, Numspot…
  ListProductsRequest req;
  req.add_certifications(nuage::v1::CERTIFICATION_SECNUMCLOUD);
  req.set_exclude_extra_eu_law(true);
  std::set<std::string> snc;
  for (const auto& p : All(req)) snc.insert(p.seller_name());
  for (const char* n : {"3DS OUTSCALE", "CLOUD TEMPLE", "OVHcloud", "Numspot"}) {
    EXPECT_EQ(snc.count(n), 1u) << n;
  }
  EXPECT_EQ(snc.count("AWS"), 0u);
  // French search and the plan summary made by the plan store.
  req = ListProductsRequest();
  req.set_query("santé");
  auto health = All(req);
  ASSERT_FALSE(health.empty());
  EXPECT_EQ(health[0].seller_name(), "CEGEDIM CLOUD");
  req = ListProductsRequest();
  req.set_sort(nuage::v1::PRODUCT_SORT_PRICE);
  req.set_page_size(1);
  nuage::v1::ListProductsResponse cheapest;
  ASSERT_TRUE(List(req, &cheapest).ok());
  ASSERT_EQ(cheapest.products_size(), 1);
  EXPECT_TRUE(cheapest.products(0).has_min_monthly_price());
  EXPECT_GT(cheapest.products(0).pricing_models_size(), 0);
}

}  // namespace
}  // namespace nuage::testing
