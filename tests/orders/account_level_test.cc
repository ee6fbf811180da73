// account_level_test.cc — the account-level rule on CreateOrder end to end
// (issue 10 point 9, issue 11 point 1): discovery browses only, test
// commits up to --test-level-monthly-cents excl. VAT per calendar month
// (Europe/Paris), build is unlimited; a new month starts again (the test
// clock moves 40 days, which is why this test has a binary of its own:
// every session of the server expires).
#include "nuage/v1/auth.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/orders/order_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::Order;
using nuage::v1::OrderSummary;

TEST_F(OrderTest, TheAccountLevelLimitsDirectOrders) {
  std::string product = DraftProduct(*seller_);
  // 1 unit × 12 months × 10.00 € = 120.00 € excl. VAT per order.
  std::string plan = SubscriptionPlan(*seller_, product, 1000, 12);
  std::string big = SubscriptionPlan(*seller_, product, 25000, 12);  // 3000.00 €
  Publish(*seller_, product);
  Order out;

  // Discovery browses: the preview works, the order is refused, nothing written.
  Team discovery = Buyer();
  nuage::v1::PreviewOrderRequest preview;
  *preview.add_items() = Item(product, plan, 1);
  OrderSummary summary;
  EXPECT_TRUE(orders_->PreviewOrder(Ctx(discovery.token).get(), preview, &summary).ok());
  grpc::Status st = Create(discovery.token, Request({Item(product, plan, 1)}), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "ACCOUNT_LEVEL_DISCOVERY");
  EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE organization_id = '" + discovery.org + "'"), 0);

  // Test commits up to 500.00 € excl. VAT in a calendar month: 4 × 120 €
  // pass (480 €), a fifth (600 €) does not; exactly the cap passes.
  Team tester = Buyer();
  SetLevel(tester.org, "test");
  for (int i = 0; i < 4; i++) {
    st = Create(tester.token, Request({Item(product, plan, 1)}), &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  st = Create(tester.token, Request({Item(product, plan, 1)}), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "TEST_LEVEL_CAP_EXCEEDED");
  EXPECT_NE(st.error_message().find("2000 cents"), std::string::npos) << st.error_message();
  std::string exact = SubscriptionPlan(*seller_, product, 166, 12);  // 19.92 €
  // (plans may be added to a published product)
  st = Create(tester.token, Request({Item(product, exact, 1)}), &out);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(Count("SELECT sum(total_excl_vat_cents) FROM orders WHERE organization_id = '" +
                  tester.org + "'"),
            49992);
  // Build is unlimited.
  Team builder = BuildBuyer();
  st = Create(builder.token, Request({Item(product, big, 10)}), &out);
  EXPECT_TRUE(st.ok()) << Describe(st);

  // Next month, the test allowance starts again (test clock; the move
  // expires the sessions, so the referent signs in again).
  AdvanceClock(channel_, 40 * 86400);
  auto auth = nuage::v1::AuthService::NewStub(channel_);
  nuage::v1::LoginRequest login;
  login.set_login(tester.email);
  login.set_password("Str0ng&Password!");
  nuage::v1::LoginResponse signed_in;
  st = auth->Login(Ctx().get(), login, &signed_in);
  ASSERT_TRUE(st.ok()) << Describe(st);
  std::string fresh = signed_in.session_token();
  st = Create(fresh, Request({Item(product, plan, 1)}), &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

}  // namespace
}  // namespace nuage::testing
