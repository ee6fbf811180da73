// nuagectl_order_test.cc — `nuagectl order preview|create|list|show` against
// a live server: items as repeatable option groups, the totals of
// PreviewOrder, a create with a generated request id printed and retried
// with it (the same order), show by number with lines, VAT table, totals,
// list with filters, and the usage errors.
#include <algorithm>

#include "tests/identity/identity_testing.h"
#include "tests/orders/order_testing.h"
#include "tests/support/nuagectl_runner.h"

namespace nuage::testing {
namespace {

class NuagectlOrderTest : public OrderTest {
 protected:
  void SetUp() override {
    OrderTest::SetUp();
    home_ = MakeCtlHome("home-" + Unique("order"));
    ASSERT_FALSE(home_.empty());
  }

  CtlRun Ctl(const std::string& token, const std::vector<std::string>& args) {
    return RunNuagectl(home_, server_->address(), args, "", token);
  }

  // A published product of the suite's seller with a 12-month plan at
  // monthly cents (VAT 20 %): {product, plan}.
  std::pair<std::string, std::string> Offer(int64_t monthly) {
    std::string product = DraftProduct(*seller_);
    std::string plan = SubscriptionPlan(*seller_, product, monthly, 12);
    Publish(*seller_, product);
    return {product, plan};
  }

  static std::vector<std::string> Items(const std::string& product, const std::string& plan) {
    return {"--product", product, "--plan", plan, "--quantity", "2", "--region",
            "cloudgouv-eu-west-1", "--product", product, "--region", "cloudgouv-eu-west-1",
            "--plan", plan};
  }

  static std::vector<std::string> Join(std::vector<std::string> a,
                                       const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  }

  std::string home_;
};

TEST_F(NuagectlOrderTest, PreviewShowsLinesVatAndTheServersTotals) {
  Team buyer = BuildBuyer();
  auto [product, plan] = Offer(1000);

  nuage::v1::PreviewOrderRequest req;
  *req.add_items() = Item(product, plan, 2);
  *req.add_items() = Item(product, plan, 1);
  nuage::v1::OrderSummary want;
  ASSERT_TRUE(orders_->PreviewOrder(Ctx(buyer.token).get(), req, &want).ok());

  CtlRun r = Ctl(buyer.token, Join({"--json", "order", "preview"}, Items(product, plan)));
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("\"total_incl_vat\":{\"amount_cents\":" +
                       std::to_string(want.total_incl_vat().amount_cents())),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"vat_table\":[{\"rate_bp\":2000"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"quantity\":2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"quantity\":1"), std::string::npos) << r.out;

  r = Ctl(buyer.token, Join({"order", "preview"}, Items(product, plan)));
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("lines:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vat_table:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("total_excl_vat: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" EUR"), std::string::npos) << r.out;
}

TEST_F(NuagectlOrderTest, CreatePrintsItsRequestIdAndARetryGetsTheSameOrder) {
  Team buyer = BuildBuyer();
  auto [product, plan] = Offer(2500);
  std::vector<std::string> args =
      Join({"--json", "order", "create", "--contact-name", "Camille Durand", "--contact-email",
            "camille.durand@ministere-test.gouv.fr", "--po-ref", "EJ-2026-0042",
            "--service-code", "SERV-DSI"},
           Items(product, plan));

  CtlRun r = Ctl(buyer.token, args);
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  std::string id = JsonField(r.out, "id"), number = JsonField(r.out, "number");
  std::string request_id = JsonField(r.out, "request_id");
  ASSERT_EQ(number.substr(0, 2), "CC") << r.out;
  ASSERT_EQ(request_id.size(), 36u) << r.out;
  EXPECT_NE(r.err.find("request_id: " + request_id), std::string::npos) << r.err;
  EXPECT_EQ(JsonField(r.out, "purchase_order_reference"), "EJ-2026-0042");
  EXPECT_EQ(JsonField(r.out, "status"), "to_deliver");

  // The answer was "lost": the same request id returns the same order.
  args.insert(args.begin(), {"--request-id", request_id});
  r = Ctl(buyer.token, args);
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_EQ(JsonField(r.out, "id"), id);
  EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE organization_id = '" + buyer.org + "'"), 1);

  // Show by number: lines, VAT table, totals, people's form.
  r = Ctl(buyer.token, {"order", "show", number});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("number: " + number), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lines:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("vat_table:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("total_incl_vat: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("has_access_details: false"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("name: Camille Durand"), std::string::npos) << r.out;

  // And by id, as JSON.
  r = Ctl(buyer.token, {"--json", "order", "show", id});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_EQ(JsonField(r.out, "number"), number);

  // Someone else's order: the server's NOT_FOUND, exit 3.
  Team other = BuildBuyer();
  r = Ctl(other.token, {"order", "show", number});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("NOT_FOUND"), std::string::npos) << r.err;
}

TEST_F(NuagectlOrderTest, ListFiltersAndWalksPages) {
  Team buyer = BuildBuyer();
  auto [product, plan] = Offer(1200);
  std::vector<std::string> numbers;
  for (int i = 0; i < 3; i++) {
    nuage::v1::Order o;
    ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 1)}), &o).ok());
    numbers.push_back(o.number());
  }

  CtlRun r = Ctl(buyer.token, {"order", "list"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  for (const auto& n : numbers) EXPECT_NE(r.out.find(n), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 orders"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("to_deliver"), std::string::npos) << r.out;

  // --limit across pages of the page size chosen from it.
  r = Ctl(buyer.token, {"--json", "order", "list", "--limit", "2", "--sort", "create_time_asc"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2) << r.out;
  EXPECT_EQ(JsonField(r.out, "number"), numbers[0]) << r.out;

  r = Ctl(buyer.token, {"--json", "order", "list", "--query", numbers[1]});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find(numbers[1]), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(numbers[0]), std::string::npos) << r.out;

  r = Ctl(buyer.token, {"order", "list", "--status", "admitted"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("0 orders"), std::string::npos) << r.out;

  r = Ctl(buyer.token, {"order", "list", "--from", "2000-01-01", "--to", "2000-01-02T00:00:00Z"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  EXPECT_NE(r.out.find("0 orders"), std::string::npos) << r.out;
}

TEST_F(NuagectlOrderTest, UsageErrorsSendNothing) {
  Team buyer = BuildBuyer();
  CtlRun r = Ctl(buyer.token, {"order", "preview", "--plan", "x"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("before any --product"), std::string::npos) << r.err;
  r = Ctl(buyer.token, {"order", "preview", "--product", "x"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no --plan"), std::string::npos) << r.err;
  r = Ctl(buyer.token, {"order", "preview", "--product", "x", "--plan", "y", "--quantity", "0"});
  EXPECT_EQ(r.status, 2);
  r = Ctl(buyer.token, {"order", "create", "--product", "x", "--plan", "y"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--contact-name"), std::string::npos) << r.err;
  r = Ctl(buyer.token, {"order", "list", "--status", "shipped"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("to_deliver"), std::string::npos) << r.err;
  r = Ctl(buyer.token, {"order", "list", "--from", "yesterday"});
  EXPECT_EQ(r.status, 2);
}

}  // namespace
}  // namespace nuage::testing
