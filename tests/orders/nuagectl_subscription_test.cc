// nuagectl_subscription_test.cc — `nuagectl order admit|contest` and
// `nuagectl subscription list|show|terminate` against a live server: a
// delivered order admitted from the command line, its subscription listed
// and shown, partly terminated (split), another order contested; human
// and JSON output, usage errors.
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/orders/order_testing.h"
#include "tests/support/nuagectl_runner.h"

namespace nuage::testing {
namespace {

class NuagectlSubscriptionTest : public OrderTest {
 protected:
  void SetUp() override {
    OrderTest::SetUp();
    home_ = MakeCtlHome("home-" + Unique("sub"));
    ASSERT_FALSE(home_.empty());
  }
  CtlRun Ctl(const std::string& token, const std::vector<std::string>& args) {
    return RunNuagectl(home_, server_->address(), args, "", token);
  }
  // An order of 4 units, delivered in full by its provider.
  nuage::v1::Order Delivered(const Team& buyer) {
    Team seller = Seller();
    std::string key = AccessKey(seller);
    std::string product = DraftProduct(seller, Unique("Bureau virtuel "));
    std::string plan = SubscriptionPlan(seller, product, 3000, 12);
    Publish(seller, product);
    nuage::v1::Order o;
    EXPECT_TRUE(Create(buyer.token, Request({Item(product, plan, 4)}), &o).ok());
    nuage::v1::ReportProvisioningResponse resp;
    EXPECT_TRUE(SendReports(key,
                            {Report(Unique("evt-"), 1800000000, o.lines(0).id(),
                                    nuage::v1::LINE_PROVISIONING_DELIVERED, 4)},
                            &resp)
                    .ok());
    return o;
  }
  std::string home_;
};

TEST_F(NuagectlSubscriptionTest, AdmitListShowTerminate) {
  Team buyer = BuildBuyer();
  nuage::v1::Order o = Delivered(buyer);
  CtlRun r = Ctl(buyer.token, {"--json", "order", "admit", o.id(), "--idempotency-key", "ctl-admit-1"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "status"), "admitted") << r.out;
  EXPECT_EQ(JsonField(r.out, "number"), o.number());
  // The same request id again answers the same.
  r = Ctl(buyer.token, {"--json", "order", "admit", o.id(), "--idempotency-key", "ctl-admit-1"});
  EXPECT_EQ(r.status, 0) << r.err;

  r = Ctl(buyer.token, {"subscription", "list"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("Bureau virtuel"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 subscription"), std::string::npos) << r.out;
  r = Ctl(buyer.token, {"--json", "subscription", "list", "--status", "subscribed"});
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  std::string id = JsonField(r.out, "id");
  ASSERT_FALSE(id.empty()) << r.out;
  EXPECT_EQ(JsonField(r.out, "quantity"), "4");
  EXPECT_EQ(JsonField(r.out, "order_number"), o.number());

  r = Ctl(buyer.token, {"subscription", "show", id});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("monthly_price: 30.00 EUR"), std::string::npos) << r.out;

  r = Ctl(buyer.token, {"--json", "subscription", "terminate", id, "--quantity", "1"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"split_from_id\":\"" + id + "\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"quantity\":\"3\""), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("request id: "), std::string::npos) << r.err;

  // Usage errors exit 2; server refusals exit 3.
  EXPECT_EQ(Ctl(buyer.token, {"subscription", "list", "--status", "gone"}).status, 2);
  EXPECT_EQ(Ctl(buyer.token, {"subscription", "terminate", id, "--quantity", "0"}).status, 2);
  EXPECT_EQ(Ctl(buyer.token, {"order", "admit", o.id(), "--line", o.lines(0).id()}).status, 2);
  r = Ctl(buyer.token, {"subscription", "terminate", id, "--quantity", "9"});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("quantity"), std::string::npos) << r.err;
}

TEST_F(NuagectlSubscriptionTest, ContestOpensAnIncident) {
  Team buyer = BuildBuyer();
  nuage::v1::Order o = Delivered(buyer);
  CtlRun r = Ctl(buyer.token, {"--json", "order", "contest", o.id(), "Il manque une instance."});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "status"), "disputed") << r.out;
  EXPECT_FALSE(JsonField(r.out, "incident_id").empty()) << r.out;
  EXPECT_EQ(Count("SELECT count(*) FROM incidents WHERE kind = 'incomplete_order' AND id = '" +
                  JsonField(r.out, "incident_id") + "'"),
            1);
  r = Ctl(buyer.token, {"--json", "order", "contest", o.id(), "Identifiants refusés.", "--kind",
                        "credentials"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(Count("SELECT count(*) FROM incidents WHERE kind = 'credentials' AND id = '" +
                  JsonField(r.out, "incident_id") + "'"),
            1);
  r = Ctl(buyer.token, {"order", "contest", o.id(), "?", "--kind", "cancel"});
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("--kind"), std::string::npos) << r.err;
  // Another organisation: NOT_FOUND, exit 3.
  Team stranger = BuildBuyer();
  r = Ctl(stranger.token, {"order", "contest", o.id(), "?"});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("NOT_FOUND"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace nuage::testing
