// browse_test.cc — ListProducts and GetProduct over gRPC: who sees drafts,
// French search with and without accents, filter combinations, sorts,
// keyset pages (every product exactly once while others are inserted),
// page tokens and GetProduct by id or code.
#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "tests/catalog/browse/browse_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;
using nuage::v1::GetProductRequest;
using nuage::v1::ListProductsRequest;
using nuage::v1::ListProductsResponse;
using nuage::v1::Product;

ListProductsRequest OfSeller(const std::string& seller) {
  ListProductsRequest req;
  req.set_seller_id(seller);
  return req;
}

TEST_F(BrowseTest, BuyersAndVisitorsSeePublishedProductsOnly) {
  Team seller = Seller();
  Team buyer = Buyer();
  Insert(seller.org, {.name = "Visible"});
  std::string draft_code;
  std::string draft = Insert(seller.org, {.name = "Brouillon", .status = "draft"}, &draft_code);
  std::string withdrawn = Insert(seller.org, {.name = "Retiré", .status = "unpublished"});

  ListProductsRequest req = OfSeller(seller.org);
  req.set_include_unpublished(true);
  using V = std::vector<std::string>;
  EXPECT_EQ(Names(req), V({"Visible"}));                 // anonymous
  EXPECT_EQ(Names(req, buyer.token), V({"Visible"}));    // another organisation
  EXPECT_EQ(Names(req, seller.token), V({"Brouillon", "Retiré", "Visible"}));
  req.set_include_unpublished(false);
  EXPECT_EQ(Names(req, seller.token), V({"Visible"}));  // only when asked

  // A member of the seller without storefront rights sees no draft either.
  Levels levels = AllLevels(2);
  levels[8] = 0;
  std::string clerk = SeedCaller(Db(), seller.org, Unique("clerk"), levels);
  req.set_include_unpublished(true);
  EXPECT_EQ(Names(req, clerk), V({"Visible"}));

  // GetProduct: a draft is NOT_FOUND for others, byte for byte like an
  // absent product; its seller reads it by id and by code.
  for (const std::string& token : {std::string(), buyer.token, clerk}) {
    for (const std::string& id : {draft, withdrawn}) {
      GetProductRequest get;
      get.set_product_id(id);
      Product p;
      grpc::Status st = stub_->GetProduct(Ctx(token).get(), get, &p);
      EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND) << Describe(st);
      GetProductRequest absent;
      absent.set_product_id("00000000-0000-4000-8000-000000000000");
      grpc::Status st2 = stub_->GetProduct(Ctx(token).get(), absent, &p);
      EXPECT_EQ(st.error_message(), st2.error_message());
      EXPECT_EQ(st2.error_code(), StatusCode::NOT_FOUND);
    }
  }
  GetProductRequest get;
  get.set_code(draft_code);
  Product p;
  grpc::Status st = stub_->GetProduct(Ctx(seller.token).get(), get, &p);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(p.id(), draft);
  EXPECT_EQ(p.state(), Product::STATE_DRAFT);
}

TEST_F(BrowseTest, GetProductByIdOrCodeExactlyOne) {
  Team seller = Seller();
  std::string code;
  std::string id = Insert(seller.org,
                          {.name = "Sauvegarde managée", .description = "Sauvegarde des données",
                           .regions = "{cloudgouv-eu-west-1}", .certifications = "{secnumcloud,hds}"},
                          &code);
  for (int by_code = 0; by_code < 2; by_code++) {
    GetProductRequest req;
    if (by_code) req.set_code(code); else req.set_product_id(id);
    Product p;
    grpc::Status st = stub_->GetProduct(Ctx().get(), req, &p);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(p.id(), id);
    EXPECT_EQ(p.code(), code);
    EXPECT_EQ(p.name(), "Sauvegarde managée");
    EXPECT_EQ(p.seller_id(), seller.org);
    EXPECT_EQ(p.regions_size(), 1);
    EXPECT_EQ(p.certifications_size(), 2);
    EXPECT_EQ(p.state(), Product::STATE_PUBLISHED);
  }
  Product p;
  GetProductRequest both;
  both.set_product_id(id);
  both.set_code(code);
  grpc::Status st = stub_->GetProduct(Ctx().get(), both, &p);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  st = stub_->GetProduct(Ctx().get(), GetProductRequest(), &p);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  // A code in the id field, an unknown code, a malformed id: NOT_FOUND.
  for (auto [field_id, value] : std::vector<std::pair<bool, std::string>>{
           {true, code}, {false, "NUP-99999999"}, {true, "not-a-uuid"}, {false, id}}) {
    GetProductRequest req;
    if (field_id) req.set_product_id(value); else req.set_code(value);
    st = stub_->GetProduct(Ctx().get(), req, &p);
    EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND) << value << ": " << Describe(st);
  }
}

TEST_F(BrowseTest, GetProductCarriesItsPlansInactiveOnesForItsSellerOnly) {
  Team seller = Seller();
  std::string id = Insert(seller.org, {.name = "Calcul"});
  PgQuery(Db(), "INSERT INTO pricing_plans (product_id, name, model, hourly_price_cents, created_at,"
                " updated_at) VALUES ('" + id + "', 'À l''heure', 'hourly', 12, now(), now())");
  PgQuery(Db(), "INSERT INTO pricing_plans (product_id, name, model, monthly_price_cents,"
                " commitment_months, upfront_cents, active, created_at, updated_at) VALUES ('" + id +
                    "', 'Ancien 36 mois', 'subscription', 5000, 36, 10000, false, now(),"
                    " now() + interval '1 second')");
  GetProductRequest req;
  req.set_product_id(id);
  Product p;
  grpc::Status st = stub_->GetProduct(Ctx().get(), req, &p);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(p.pricing_plans_size(), 1);
  EXPECT_EQ(p.pricing_plans(0).name(), "À l'heure");
  EXPECT_EQ(p.pricing_plans(0).model(), nuage::v1::PRICING_MODEL_HOURLY);
  EXPECT_EQ(p.pricing_plans(0).hourly_price().amount_cents(), 12);
  st = stub_->GetProduct(Ctx(seller.token).get(), req, &p);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(p.pricing_plans_size(), 2);
  EXPECT_FALSE(p.pricing_plans(1).active());
  EXPECT_EQ(p.pricing_plans(1).upfront().amount_cents(), 10000);
  // ListProducts leaves the plans out.
  ListProductsResponse resp;
  ASSERT_TRUE(List(OfSeller(seller.org), &resp).ok());
  ASSERT_EQ(resp.products_size(), 1);
  EXPECT_EQ(resp.products(0).pricing_plans_size(), 0);
}

TEST_F(BrowseTest, FrenchSearchIgnoresAccentsBothWays) {
  Team seller = Seller();
  Insert(seller.org, {.name = "Sécurité réseau", .description = "Pare-feu managé"});
  Insert(seller.org, {.name = "Audit", .description = "Tests de securite et conformite"});
  Insert(seller.org, {.name = "Stockage objet", .description = "Compatible S3"});
  Insert(seller.org, {.name = "Backup", .description = "Managed backups with encryption"});
  ListProductsRequest req = OfSeller(seller.org);
  req.set_sort(nuage::v1::PRODUCT_SORT_NAME);
  using V = std::vector<std::string>;
  for (std::string q : {"sécurité", "securite", "SECURITE", "Sécurités"}) {
    req.set_query(q);
    EXPECT_EQ(Names(req), V({"Audit", "Sécurité réseau"})) << q;
  }
  req.set_query("conformité");
  EXPECT_EQ(Names(req), V({"Audit"}));
  req.set_query("stockage -s3");  // websearch syntax: a word excluded
  EXPECT_EQ(Names(req), V({}));
  req.set_query("\"stockage objet\"");
  EXPECT_EQ(Names(req), V({"Stockage objet"}));
  req.set_query("encrypted backup");  // English stems
  EXPECT_EQ(Names(req), V({"Backup"}));
  req.set_query("sécurité OR stockage");
  EXPECT_EQ(Names(req), V({"Audit", "Sécurité réseau", "Stockage objet"}));
}

TEST_F(BrowseTest, RelevancePutsNameMatchesFirst) {
  Team seller = Seller();
  Insert(seller.org, {.name = "Hébergement", .description = "Offre avec supervision incluse"});
  Insert(seller.org, {.name = "Supervision", .description = "Supervision des serveurs"});
  ListProductsRequest req = OfSeller(seller.org);
  req.set_query("supervision");  // sort unspecified: relevance when searching
  auto names = Names(req);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "Supervision");
  req.set_sort(nuage::v1::PRODUCT_SORT_RELEVANCE);
  req.set_page_size(1);
  EXPECT_EQ(Names(req), names);
}

TEST_F(BrowseTest, FiltersCombine) {
  Team seller = Seller();
  Team other = Seller();
  Insert(seller.org, {.name = "A", .kind = "machine_image", .regions = "{cloudgouv-eu-west-1}",
                     .certifications = "{secnumcloud,hds,iso_27001}",
                     .capabilities = "{standard_vms,monitoring}", .pricing_models = "{hourly}"});
  Insert(seller.org, {.name = "B", .kind = "managed_service", .regions = "{eu-west-2}",
                     .certifications = "{hds}", .capabilities = "{monitoring}",
                     .pricing_models = "{subscription,free}"});
  Insert(seller.org, {.name = "C", .kind = "professional_service",
                     .regions = "{eu-west-2,cloudgouv-eu-west-1}", .certifications = "{iso_27001}",
                     .capabilities = "{training,professional_services}",
                     .pricing_models = "{quotation}", .extra_eu_law = true});
  Insert(other.org, {.name = "D", .kind = "machine_image", .certifications = "{secnumcloud,hds}"});
  using V = std::vector<std::string>;
  auto names = [&](const std::function<void(ListProductsRequest&)>& set, bool scoped = true) {
    ListProductsRequest req = scoped ? OfSeller(seller.org) : ListProductsRequest();
    req.set_sort(nuage::v1::PRODUCT_SORT_NAME);
    set(req);
    return Names(req);
  };
  EXPECT_EQ(names([](auto&) {}), V({"A", "B", "C"}));
  // kinds: any of
  EXPECT_EQ(names([](auto& r) {
              r.add_kinds(nuage::v1::PRODUCT_KIND_MACHINE_IMAGE);
              r.add_kinds(nuage::v1::PRODUCT_KIND_PROFESSIONAL_SERVICE);
            }),
            V({"A", "C"}));
  // certifications: all of
  EXPECT_EQ(names([](auto& r) { r.add_certifications(nuage::v1::CERTIFICATION_HDS); }), V({"A", "B"}));
  EXPECT_EQ(names([](auto& r) {
              r.add_certifications(nuage::v1::CERTIFICATION_HDS);
              r.add_certifications(nuage::v1::CERTIFICATION_ISO_27001);
            }),
            V({"A"}));
  // regions: any of
  EXPECT_EQ(names([](auto& r) { r.add_regions("eu-west-2"); }), V({"B", "C"}));
  EXPECT_EQ(names([](auto& r) {
              r.add_regions("eu-west-2");
              r.add_regions("cloudgouv-eu-west-1");
            }),
            V({"A", "B", "C"}));
  // pricing models: any of
  EXPECT_EQ(names([](auto& r) {
              r.add_pricing_models(nuage::v1::PRICING_MODEL_FREE);
              r.add_pricing_models(nuage::v1::PRICING_MODEL_QUOTATION);
            }),
            V({"B", "C"}));
  // capabilities: all of
  EXPECT_EQ(names([](auto& r) { r.add_capabilities(nuage::v1::CAPABILITY_MONITORING); }), V({"A", "B"}));
  EXPECT_EQ(names([](auto& r) {
              r.add_capabilities(nuage::v1::CAPABILITY_MONITORING);
              r.add_capabilities(nuage::v1::CAPABILITY_STANDARD_VMS);
            }),
            V({"A"}));
  // extra-EU law
  EXPECT_EQ(names([](auto& r) { r.set_exclude_extra_eu_law(true); }), V({"A", "B"}));
  // combinations
  EXPECT_EQ(names([](auto& r) {
              r.add_regions("cloudgouv-eu-west-1");
              r.add_certifications(nuage::v1::CERTIFICATION_ISO_27001);
              r.set_exclude_extra_eu_law(true);
            }),
            V({"A"}));
  EXPECT_EQ(names([](auto& r) {
              r.add_kinds(nuage::v1::PRODUCT_KIND_MANAGED_SERVICE);
              r.add_certifications(nuage::v1::CERTIFICATION_SECNUMCLOUD);
            }),
            V({}));
  // The seller filter: the other seller's SecNumCloud image is not in it,
  // but appears without it.
  auto all = names([](auto& r) {
    r.add_certifications(nuage::v1::CERTIFICATION_SECNUMCLOUD);
    r.add_kinds(nuage::v1::PRODUCT_KIND_MACHINE_IMAGE);
  }, false);
  EXPECT_NE(std::find(all.begin(), all.end(), "D"), all.end());
  EXPECT_NE(std::find(all.begin(), all.end(), "A"), all.end());
  EXPECT_EQ(std::find(all.begin(), all.end(), "B"), all.end());
}

TEST_F(BrowseTest, SortsByNamePriceAndNewest) {
  Team seller = Seller();
  Insert(seller.org, {.name = "bêta", .min_monthly_cents = "5000",
                     .published_at = "now() - interval '3 days'"});
  Insert(seller.org, {.name = "Alpha", .min_monthly_cents = "NULL",
                     .published_at = "now() - interval '1 day'"});
  Insert(seller.org, {.name = "Gamma", .min_monthly_cents = "1200",
                     .published_at = "now() - interval '2 days'"});
  Insert(seller.org, {.name = "delta", .min_monthly_cents = "NULL",
                     .published_at = "now() - interval '4 days'"});
  using V = std::vector<std::string>;
  ListProductsRequest req = OfSeller(seller.org);
  for (int size : {0, 1, 2, 3}) {  // the same order whatever the page size
    req.set_page_size(size);
    req.set_sort(nuage::v1::PRODUCT_SORT_NAME);
    EXPECT_EQ(Names(req), V({"Alpha", "bêta", "delta", "Gamma"})) << size;
    req.set_sort(nuage::v1::PRODUCT_SORT_UNSPECIFIED);  // no query: by name
    EXPECT_EQ(Names(req), V({"Alpha", "bêta", "delta", "Gamma"})) << size;
    req.set_sort(nuage::v1::PRODUCT_SORT_PRICE);  // unpriced last, by id
    auto names = Names(req);
    ASSERT_EQ(names.size(), 4u);
    EXPECT_EQ(V(names.begin(), names.begin() + 2), V({"Gamma", "bêta"})) << size;
    EXPECT_EQ(std::set<std::string>(names.begin() + 2, names.end()),
              std::set<std::string>({"Alpha", "delta"}));
    req.set_sort(nuage::v1::PRODUCT_SORT_NEWEST);
    EXPECT_EQ(Names(req), V({"Alpha", "Gamma", "bêta", "delta"})) << size;
  }
  auto products = All(OfSeller(seller.org));
  for (const auto& p : products) {
    if (p.name() == "Gamma") {
      EXPECT_EQ(p.min_monthly_price().amount_cents(), 1200);
    }
    if (p.name() == "Alpha") {
      EXPECT_FALSE(p.has_min_monthly_price());
    }
  }
}

TEST_F(BrowseTest, PagesReturnEveryProductExactlyOnceWhileOthersAreInserted) {
  Team seller = Seller();
  const int kBefore = 240;
  std::set<std::string> before;
  PgQuery(Db(),
          "INSERT INTO products (code, seller_id, kind, name, min_monthly_cents, status, published_at,"
          " created_at, updated_at)"
          " SELECT 'NUP-' || nextval('product_code_seq'), '" + seller.org + "', 'managed_service',"
          " 'Produit ' || lpad(i::text, 4, '0'), CASE WHEN i % 3 = 0 THEN NULL ELSE (i * 7919) % 1000 END,"
          " 'published', now() - (i % 17) * interval '1 minute', now(), now()"
          " FROM generate_series(1, " + std::to_string(kBefore) + ") i");
  for (const auto& r : PgQuery(Db(), "SELECT id FROM products WHERE seller_id = '" + seller.org + "'")) {
    before.insert(r[0]);
  }
  ASSERT_EQ(before.size(), size_t(kBefore));

  for (auto sort : {nuage::v1::PRODUCT_SORT_NAME, nuage::v1::PRODUCT_SORT_PRICE,
                    nuage::v1::PRODUCT_SORT_NEWEST}) {
    std::atomic<bool> stop{false};
    std::atomic<int> inserted{0};
    std::atomic<bool> writer_done{false};
    // Inserts products that sort everywhere: before, between and after
    // the ones being paged through, published just now or long ago.
    std::thread writer([&] {
      for (int i = 0; !stop && i < 400; i++) {
        std::string name = std::string(1, "APZ"[i % 3]) + "roduit " + std::to_string(i % 300) + " w";
        Insert(seller.org, {.name = name,
                           .min_monthly_cents = i % 2 ? std::to_string(i % 1000) : "NULL",
                           .published_at = "now() - " + std::to_string(i % 20) + " * interval '1 minute'"});
        inserted++;
      }
      writer_done = true;
    });
    ListProductsRequest req = OfSeller(seller.org);
    req.set_sort(sort);
    req.set_page_size(7);
    std::map<std::string, int> seen;
    for (int pages = 0; pages < 1000; pages++) {
      ListProductsResponse resp;
      grpc::Status st = List(req, &resp);
      ASSERT_TRUE(st.ok()) << Describe(st);
      for (const auto& p : resp.products()) seen[p.id()]++;
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
      // Let the writer add a row between any two pages.
      int mark = inserted.load();
      auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      while (inserted.load() == mark && !writer_done && std::chrono::steady_clock::now() < until) {
        std::this_thread::yield();
      }
    }
    stop = true;
    writer.join();
    EXPECT_GT(inserted.load(), 0);
    for (const auto& id : before) EXPECT_EQ(seen[id], 1) << "sort " << sort << " product " << id;
    for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << "sort " << sort << " product " << id;
    // Start each sort from the same rows: drop what the writer added.
    PgQuery(Db(), "DELETE FROM products WHERE seller_id = '" + seller.org + "' AND name LIKE '% w'");
  }
}

TEST_F(BrowseTest, PageTokensBelongToTheirFiltersAndSizesAreBounded) {
  Team seller = Seller();
  for (int i = 0; i < 5; i++) Insert(seller.org, {.name = "Offre " + std::to_string(i)});
  ListProductsRequest req = OfSeller(seller.org);
  req.set_page_size(2);
  ListProductsResponse resp;
  ASSERT_TRUE(List(req, &resp).ok());
  ASSERT_EQ(resp.products_size(), 2);
  ASSERT_FALSE(resp.next_page_token().empty());
  std::string token = resp.next_page_token();
  // Same filters, another page size: fine.
  req.set_page_token(token);
  req.set_page_size(10);
  ASSERT_TRUE(List(req, &resp).ok());
  EXPECT_EQ(resp.products_size(), 3);
  EXPECT_TRUE(resp.next_page_token().empty());
  // Other filters or another sort: refused.
  ListProductsRequest other = req;
  other.set_exclude_extra_eu_law(true);
  grpc::Status st = List(other, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "page_token"));
  other = req;
  other.set_sort(nuage::v1::PRODUCT_SORT_PRICE);
  st = List(other, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  // Garbage.
  for (std::string bad : {std::string("garbage"), std::string("AAAA"), token.substr(0, token.size() / 2)}) {
    req.set_page_token(bad);
    st = List(req, &resp);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << bad << ": " << Describe(st);
    EXPECT_TRUE(HasViolation(st, "page_token")) << bad;
  }
  // Sizes: negative refused, above 500 capped.
  req.set_page_token("");
  req.set_page_size(-1);
  st = List(req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "page_size"));
  req.set_page_size(100000);
  EXPECT_TRUE(List(req, &resp).ok());
  EXPECT_EQ(resp.products_size(), 5);
}

TEST_F(BrowseTest, BadFiltersAreFieldViolations) {
  ListProductsRequest req;
  req.add_kinds(nuage::v1::PRODUCT_KIND_UNSPECIFIED);
  req.add_certifications(static_cast<nuage::v1::Certification>(99));
  req.set_seller_id("nobody");
  req.add_regions("");
  ListProductsResponse resp;
  grpc::Status st = List(req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  for (const char* f : {"kinds[0]", "certifications[0]", "seller_id", "regions[0]"}) {
    EXPECT_TRUE(HasViolation(st, f)) << f;
  }
}

}  // namespace
}  // namespace nuage::testing
