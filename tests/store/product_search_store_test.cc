// product_search_store_test.cc — the ListProducts query built by
// server/store/catalog/product_search_store.c, straight against a real PostgreSQL:
// every filter alone and all together, each sort with its keyset pages
// (NULL prices included), visibility, and text[] literals whose values hold
// quotes, backslashes, commas and braces.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

extern "C" {
#include "server/store/core/db.h"
#include "server/store/core/migrate.h"
#include "server/store/catalog/product_search_store.h"
}
#include "tests/store/store_testing.h"

namespace nuage::testing {
namespace {

// A product row to insert; SQL fragments for the array columns.
struct Product {
  std::string name = "";
  std::string kind = "managed_service";
  std::string status = "published";
  std::string regions = "{}";
  std::string certifications = "{}";
  std::string capabilities = "{}";
  std::string pricing_models = "{}";
  std::string price = "NULL";  // min_monthly_cents
  bool extra_eu_law = false;
  std::string description = "";
  int minutes_ago = 0;  // published_at = now() - minutes_ago
};

class ProductSearchStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = FreshDatabase();
    nu_migrate_result r = {};
    nu_status st = nu_migrate(db_.c_str(), nu_migrations, nu_migrations_count, a_, &r);
    ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
    pool_ = std::make_unique<Pool>(db_, 1);
    st = nu_pool_acquire(*pool_, DeadlineInMs(5000), a_, &c_);
    ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
    seller_ = Org("Vendeur");
    other_ = Org("Autre");
  }
  void TearDown() override {
    if (c_ != nullptr) nu_pool_release(*pool_, c_);
  }

  std::string Org(const std::string& name) {
    std::string user = QueryValue(db_, "INSERT INTO users (login, email, status, created_at, updated_at)"
                                       " VALUES ('" + name + "', '" + name + "@example.org', 'active', now(),"
                                       " now()) RETURNING id");
    return QueryValue(db_, "INSERT INTO organizations (name, is_buyer, is_seller, referent_user_id, created_at,"
                           " updated_at) VALUES ('" + name + "', false, true, '" + user + "', now(), now())"
                           " RETURNING id");
  }

  // Inserts p for seller (seller_ by default); returns its id.
  std::string Insert(const Product& p, const std::string& seller = "") {
    static int code = 0;
    auto q = [](const std::string& s) {
      std::string out = "'";
      for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
      return out + "'";
    };
    std::string published =
        p.status == "draft" ? "NULL" : "now() - interval '" + std::to_string(p.minutes_ago) + " minutes'";
    return QueryValue(
        db_, "INSERT INTO products (code, seller_id, kind, name, description, status, regions,"
             " certifications, capabilities, pricing_models, min_monthly_cents, extra_eu_law,"
             " published_at, created_at, updated_at) VALUES ('NUP-" + std::to_string(++code) + "', '" +
                 (seller.empty() ? seller_ : seller) + "', " + q(p.kind) + ", " + q(p.name) + ", " +
                 q(p.description) + ", " + q(p.status) + ", " + q(p.regions) + ", " + q(p.certifications) +
                 ", " + q(p.capabilities) + ", " + q(p.pricing_models) + ", " + p.price + ", " +
                 (p.extra_eu_law ? "true" : "false") + ", " + published +
                 ", now() - interval '" + std::to_string(p.minutes_ago) + " minutes', now()) RETURNING id");
  }

  // A list borrowed by a search (kept alive by the fixture).
  nu_text_list List(std::vector<std::string> items) {
    lists_.push_back(std::move(items));
    ptrs_.emplace_back();
    for (const auto& s : lists_.back()) ptrs_.back().push_back(s.c_str());
    return {ptrs_.back().data(), ptrs_.back().size()};
  }

  // The names found, in order; fails the test on error.
  std::vector<std::string> Names(const nu_product_search& s, std::vector<nu_product_hit>* hits = nullptr) {
    nu_product_hit* h = nullptr;
    size_t n = 0;
    nu_status st = nu_product_search_run(c_, a_, &s, &h, &n);
    EXPECT_TRUE(nu_status_is_ok(&st)) << Describe(st);
    std::vector<std::string> names;
    for (size_t i = 0; i < n; i++) {
      names.push_back(h[i].row.name);
      if (hits != nullptr) hits->push_back(h[i]);
    }
    return names;
  }

  static nu_product_search Search() {
    nu_product_search s = {};
    s.limit = 100;
    return s;
  }

  // Every page of s (page size s.limit) walked by keyset; the names.
  std::vector<std::string> AllPages(nu_product_search s) {
    std::vector<std::string> all;
    for (int pages = 0; pages < 100; pages++) {
      std::vector<nu_product_hit> hits;
      std::vector<std::string> names = Names(s, &hits);
      all.insert(all.end(), names.begin(), names.end());
      if (hits.size() < static_cast<size_t>(s.limit)) break;
      s.after_key = hits.back().sort_key;
      s.after_id = hits.back().row.id;
    }
    return all;
  }

  std::string db_, seller_, other_;
  Arena a_;
  std::unique_ptr<Pool> pool_;
  nu_conn* c_ = nullptr;
  std::vector<std::vector<std::string>> lists_;
  std::vector<std::vector<const char*>> ptrs_;
};

using NameList = std::vector<std::string>;

TEST_F(ProductSearchStoreTest, EachFilterAloneAndAllTogether) {
  Insert({.name = "A image", .kind = "machine_image", .regions = "{fr-par}", .certifications = "{hds,secnumcloud}",
          .capabilities = "{standard_vms,monitoring}", .pricing_models = "{hourly}", .price = "100"});
  Insert({.name = "B service", .regions = "{fr-lyon}", .certifications = "{hds}",
          .capabilities = "{monitoring}", .pricing_models = "{monthly}", .price = "200", .extra_eu_law = true});
  Insert({.name = "C conseil", .kind = "professional_service", .regions = "{fr-par,de-fra}",
          .pricing_models = "{quotation}"});
  Insert({.name = "D autre vendeur", .kind = "machine_image", .regions = "{fr-par}",
          .certifications = "{hds,secnumcloud}", .capabilities = "{standard_vms,monitoring}",
          .pricing_models = "{hourly}"},
         other_);

  nu_product_search s = Search();
  EXPECT_EQ(Names(s), (NameList{"A image", "B service", "C conseil", "D autre vendeur"}));

  s = Search();
  s.kinds = List({"machine_image", "professional_service"});
  EXPECT_EQ(Names(s), (NameList{"A image", "C conseil", "D autre vendeur"}));
  s = Search();
  s.certifications = List({"hds", "secnumcloud"});  // all of
  EXPECT_EQ(Names(s), (NameList{"A image", "D autre vendeur"}));
  s = Search();
  s.regions = List({"fr-lyon", "de-fra"});  // any of
  EXPECT_EQ(Names(s), (NameList{"B service", "C conseil"}));
  s = Search();
  s.seller_id = other_.c_str();
  EXPECT_EQ(Names(s), (NameList{"D autre vendeur"}));
  s = Search();
  s.pricing_models = List({"monthly", "quotation"});  // any of
  EXPECT_EQ(Names(s), (NameList{"B service", "C conseil"}));
  s = Search();
  s.capabilities = List({"monitoring", "standard_vms"});  // all of
  EXPECT_EQ(Names(s), (NameList{"A image", "D autre vendeur"}));
  s = Search();
  s.exclude_extra_eu_law = true;
  EXPECT_EQ(Names(s), (NameList{"A image", "C conseil", "D autre vendeur"}));
  s = Search();
  s.query = "conseil";
  EXPECT_EQ(Names(s), (NameList{"C conseil"}));

  // Everything at once: each condition is AND-ed, the parameters numbered
  // in the order the SQL uses them.
  s = Search();
  s.query = "image";
  s.kinds = List({"machine_image"});
  s.certifications = List({"hds"});
  s.regions = List({"fr-par"});
  s.seller_id = seller_.c_str();
  s.pricing_models = List({"hourly"});
  s.capabilities = List({"monitoring"});
  s.exclude_extra_eu_law = true;
  for (auto sort : {NU_PRODUCT_SORT_NAME, NU_PRODUCT_SORT_RELEVANCE, NU_PRODUCT_SORT_PRICE,
                    NU_PRODUCT_SORT_NEWEST}) {
    s.sort = sort;
    EXPECT_EQ(Names(s), (NameList{"A image"})) << "sort " << sort;
    // And the keyset condition on top, for each sort: nothing after it.
    std::vector<nu_product_hit> hits;
    Names(s, &hits);
    ASSERT_EQ(hits.size(), 1u);
    nu_product_search next = s;
    next.after_key = hits[0].sort_key;
    next.after_id = hits[0].row.id;
    EXPECT_EQ(Names(next), NameList{}) << "sort " << sort;
  }
}

TEST_F(ProductSearchStoreTest, ArrayLiteralsKeepQuotesBackslashesCommasAndBraces) {
  const std::vector<std::string> odd = {"a\"b", "c\\d", "e,f", "{g}", "h i", "NULL", "", "j'k"};
  for (const auto& r : odd) {
    // Stored through a proper text[] so the row holds exactly r.
    std::string id = Insert({.name = "R " + r});
    std::string lit;
    for (char c : r) lit += c == '\'' ? std::string("''") : std::string(1, c);
    QueryValue(db_, "UPDATE products SET regions = ARRAY['" + lit + "'], pricing_models = ARRAY['" + lit +
                        "'] WHERE id = '" + id + "'");
  }
  Insert({.name = "Z plain", .regions = "{e,f}", .pricing_models = "{e,f}"});  // "e" and "f", not "e,f"
  for (const auto& r : odd) {
    SCOPED_TRACE("value [" + r + "]");
    nu_product_search s = Search();
    s.regions = List({r});
    EXPECT_EQ(Names(s), (NameList{"R " + r}));
    s = Search();
    s.pricing_models = List({"nothing", r});
    EXPECT_EQ(Names(s), (NameList{"R " + r}));
  }
  // Several odd values in one literal.
  nu_product_search s = Search();
  s.regions = List({"e,f", "{g}", "c\\d"});
  NameList found = Names(s);
  EXPECT_EQ(std::set<std::string>(found.begin(), found.end()),
            (std::set<std::string>{"R c\\d", "R e,f", "R {g}"}));
  s = Search();
  s.regions = List({"f"});
  EXPECT_EQ(Names(s), (NameList{"Z plain"}));
  // A value trying to close the literal and add an element finds nothing.
  s = Search();
  s.regions = List({"x\",\"e"});
  EXPECT_EQ(Names(s), NameList{});
  // Kinds go through = ANY() of the same literal.
  s = Search();
  s.kinds = List({"machine_image\",\"managed_service"});
  EXPECT_EQ(Names(s), NameList{});
}

TEST_F(ProductSearchStoreTest, KeysetPagesGiveEveryRowOnceInEachSort) {
  // Ties on every key (same names folded, same prices, same times) and
  // NULL prices, so that the id breaks ties and NULLS LAST is crossed.
  std::set<std::string> all;
  for (int i = 0; i < 23; i++) {
    std::string name = std::string(i % 2 ? "É" : "e") + "lan " + std::to_string(i % 4);
    Insert({.name = name,
            .price = i % 3 == 0 ? "NULL" : std::to_string(100 * (i % 5)),
            .description = "nuage souverain",
            .minutes_ago = i % 6});
    all.insert(name);
  }
  for (auto sort : {NU_PRODUCT_SORT_NAME, NU_PRODUCT_SORT_RELEVANCE, NU_PRODUCT_SORT_PRICE,
                    NU_PRODUCT_SORT_NEWEST}) {
    for (int size : {1, 4, 7, 100}) {
      SCOPED_TRACE("sort " + std::to_string(sort) + " page size " + std::to_string(size));
      nu_product_search s = Search();
      s.sort = sort;
      s.query = sort == NU_PRODUCT_SORT_RELEVANCE ? "souverain" : nullptr;
      s.limit = size;
      std::vector<std::string> paged = AllPages(s);
      s.limit = 100;
      std::vector<std::string> whole = Names(s);
      EXPECT_EQ(whole.size(), 23u);
      EXPECT_EQ(paged, whole);
    }
  }
  // The sorts mean what they say.
  nu_product_search s = Search();
  s.sort = NU_PRODUCT_SORT_PRICE;
  std::vector<nu_product_hit> hits;
  Names(s, &hits);
  ASSERT_EQ(hits.size(), 23u);
  bool seen_null = false;
  int64_t last = -1;
  for (const auto& h : hits) {
    if (!h.row.has_min_monthly) {
      seen_null = true;
      EXPECT_EQ(h.sort_key, nullptr);
      continue;
    }
    EXPECT_FALSE(seen_null) << "a priced row after an unpriced one";
    EXPECT_GE(h.row.min_monthly_cents, last);
    last = h.row.min_monthly_cents;
  }
  // Names fold accents: "Élan" and "elan" share a key.
  s.sort = NU_PRODUCT_SORT_NAME;
  hits.clear();
  Names(s, &hits);
  for (const auto& h : hits) EXPECT_EQ(std::string(h.sort_key).rfind("elan ", 0), 0u) << h.sort_key;
  s.sort = NU_PRODUCT_SORT_NEWEST;
  hits.clear();
  Names(s, &hits);
  for (size_t i = 1; i < hits.size(); i++) {
    EXPECT_GE(std::stoll(hits[i - 1].sort_key), std::stoll(hits[i].sort_key));
  }
  // Relevance without a query sorts by name.
  s.sort = NU_PRODUCT_SORT_RELEVANCE;
  EXPECT_EQ(nu_product_search_effective_sort(&s), NU_PRODUCT_SORT_NAME);
}

TEST_F(ProductSearchStoreTest, VisibilityAndDrafts) {
  Insert({.name = "P published"});
  Insert({.name = "Q draft", .status = "draft"});
  Insert({.name = "R other draft", .status = "draft"}, other_);
  Insert({.name = "S unpublished", .status = "unpublished"});
  nu_product_search s = Search();
  EXPECT_EQ(Names(s), (NameList{"P published"}));
  s.visibility = NU_PRODUCT_OWNER;
  s.owner_id = seller_.c_str();
  EXPECT_EQ(Names(s), (NameList{"P published", "Q draft", "S unpublished"}));
  s.visibility = NU_PRODUCT_ALL;
  EXPECT_EQ(Names(s), (NameList{"P published", "Q draft", "R other draft", "S unpublished"}));
  // Drafts sort by creation time under NEWEST, and page through it.
  s.sort = NU_PRODUCT_SORT_NEWEST;
  s.limit = 1;
  EXPECT_EQ(AllPages(s).size(), 4u);
}

}  // namespace
}  // namespace nuage::testing
