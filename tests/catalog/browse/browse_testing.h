// browse_testing.h — the fixture of the catalogue browsing end-to-end
// tests: the shared catalogue fixture (tests/catalog/catalog_testing.h:
// server, stub, seller and buyer organisations) plus products written
// straight into PostgreSQL (the columns of 0006) and a helper that pages
// through ListProducts to the end.
#ifndef NUAGE_TESTS_CATALOG_BROWSE_BROWSE_TESTING_H
#define NUAGE_TESTS_CATALOG_BROWSE_BROWSE_TESTING_H

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "nuage/v1/catalog.grpc.pb.h"
#include "tests/catalog/catalog_testing.h"

namespace nuage::testing {

// What a seeded product looks like; the defaults make a published managed
// service with no certification and no price.
struct ProductSeed {
  std::string name;
  std::string description = "";
  std::string kind = "managed_service";
  std::string status = "published";
  std::string regions = "{}";         // text[] literal
  std::string certifications = "{}";  // text[] literal
  std::string capabilities = "{}";    // text[] literal
  std::string pricing_models = "{}";  // text[] literal
  std::string min_monthly_cents = "NULL";
  bool extra_eu_law = false;
  std::string published_at = "now()";  // SQL
};

class BrowseTest : public CatalogTest {
 protected:
  // Inserts a product of seller; returns its id (code in *code).
  static std::string Insert(const std::string& seller, const ProductSeed& p, std::string* code = nullptr) {
    std::string published = p.status == "draft" ? "NULL" : p.published_at;
    auto rows = PgQuery(
        Db(),
        "INSERT INTO products (code, seller_id, kind, name, description, regions, certifications,"
        " extra_eu_law, capabilities, pricing_models, min_monthly_cents, status, published_at,"
        " created_at, updated_at) VALUES ('NUP-' || nextval('product_code_seq'), '" +
            seller + "', '" + p.kind + "', " + Lit(p.name) + ", " + Lit(p.description) + ", '" +
            p.regions + "', '" + p.certifications + "', " + (p.extra_eu_law ? "true" : "false") +
            ", '" + p.capabilities + "', '" + p.pricing_models + "', " + p.min_monthly_cents + ", '" +
            p.status + "', " + published + ", now(), now()) RETURNING id, code");
    if (rows.empty()) return "";
    if (code != nullptr) *code = rows[0][1];
    return rows[0][0];
  }

  // A SQL string literal.
  static std::string Lit(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'') out += '\'';
      out += c;
    }
    return out + "'";
  }

  grpc::Status List(const nuage::v1::ListProductsRequest& req, nuage::v1::ListProductsResponse* out,
                    const std::string& token = "") {
    return stub_->ListProducts(Ctx(token).get(), req, out);
  }

  // Every page of req, in order; fails the test on an error.
  std::vector<nuage::v1::Product> All(nuage::v1::ListProductsRequest req, const std::string& token = "") {
    std::vector<nuage::v1::Product> out;
    for (int guard = 0; guard < 10000; guard++) {
      nuage::v1::ListProductsResponse resp;
      grpc::Status st = List(req, &resp, token);
      EXPECT_TRUE(st.ok()) << Describe(st);
      if (!st.ok()) break;
      for (const auto& p : resp.products()) out.push_back(p);
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return out;
  }

  // The names of every product of req, in order.
  std::vector<std::string> Names(const nuage::v1::ListProductsRequest& req, const std::string& token = "") {
    std::vector<std::string> names;
    for (const auto& p : All(req, token)) names.push_back(p.name());
    return names;
  }

};

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_CATALOG_BROWSE_BROWSE_TESTING_H
