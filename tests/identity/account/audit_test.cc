// audit_test.cc — ListAuditEvents: the operator reads everything, managers
// of users read their organisation's events, filters and pagination.
#include <set>

#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class AuditTest : public AccountTest {
 protected:
  grpc::Status List(const std::string& token, const nuage::v1::ListAuditEventsRequest& req,
                    nuage::v1::ListAuditEventsResponse* resp) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    return audit_->ListAuditEvents(&ctx, req, resp);
  }
};

TEST_F(AuditTest, ManagersSeeTheirOrganizationAndTheOperatorEverything) {
  // Two signed-up organisations: each sign-up is an audited change.
  std::string a = UniqueLogin("audita.");
  std::string a_id = ActiveSignedUpUser(a, a + "@example.org");
  std::string b = UniqueLogin("auditb.");
  std::string b_id = ActiveSignedUpUser(b, b + "@example.org");
  std::string org_a = PgQuery(conninfo(), "SELECT id FROM organizations WHERE referent_user_id = '" +
                                              a_id + "'")[0][0];
  std::string org_b = PgQuery(conninfo(), "SELECT id FROM organizations WHERE referent_user_id = '" +
                                              b_id + "'")[0][0];
  std::string manager = SeedSession(conninfo(), a_id, org_a);

  nuage::v1::ListAuditEventsResponse resp;
  grpc::Status st = List(manager, nuage::v1::ListAuditEventsRequest(), &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_GE(resp.audit_events_size(), 1);
  for (const auto& e : resp.audit_events()) EXPECT_EQ(e.organization_id(), org_a);
  bool signup = false;
  for (const auto& e : resp.audit_events()) {
    if (e.action() != "user.sign_up") continue;
    signup = true;
    EXPECT_EQ(e.target_id(), a_id);
    EXPECT_EQ(e.actor_kind(), nuage::v1::ACTOR_KIND_ANONYMOUS);
    EXPECT_FALSE(e.request_id().empty());
    bool login_field = false;
    for (const auto& c : e.changes()) {
      if (c.field() == "login") {
        login_field = true;
        EXPECT_EQ(c.after(), a);
      }
    }
    EXPECT_TRUE(login_field);
  }
  EXPECT_TRUE(signup);
  // The whole sign-up is the organisation's: confirmation and terms too.
  std::set<std::string> actions;
  for (const auto& e : resp.audit_events()) {
    if (e.target_id() == a_id) actions.insert(e.action());
  }
  EXPECT_EQ(actions.count("user.confirm_email"), 1u);
  EXPECT_EQ(actions.count("user.accept_terms"), 1u);

  // Another organisation: as if it did not exist.
  nuage::v1::ListAuditEventsRequest other;
  other.set_organization_id(org_b);
  st = List(manager, other, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND) << Describe(st);

  // A visitor of users may not read the log.
  std::string visitor = SeedCaller(conninfo(), org_a, UniqueLogin("auditv."), AllLevels(1));
  st = List(visitor, nuage::v1::ListAuditEventsRequest(), &resp);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);

  // The operator reads both, and filters.
  std::string op = OperatorToken();
  nuage::v1::ListAuditEventsRequest by_action;
  by_action.set_action("user.sign_up");
  by_action.set_page_size(500);
  st = List(op, by_action, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  bool saw_a = false, saw_b = false;
  for (const auto& e : resp.audit_events()) {
    EXPECT_EQ(e.action(), "user.sign_up");
    saw_a |= e.target_id() == a_id;
    saw_b |= e.target_id() == b_id;
  }
  EXPECT_TRUE(saw_a);
  EXPECT_TRUE(saw_b);
  nuage::v1::ListAuditEventsRequest by_target;
  by_target.set_target_type("user");
  by_target.set_target_id(b_id);
  st = List(op, by_target, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_GE(resp.audit_events_size(), 3);  // sign-up, confirmation, terms
  EXPECT_EQ(resp.audit_events(0).action(), "user.accept_terms");  // newest first
  // A time range in the future holds nothing.
  nuage::v1::ListAuditEventsRequest future;
  future.mutable_start_time()->set_seconds(4102444800);  // 2100
  st = List(op, future, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(resp.audit_events_size(), 0);
}

TEST_F(AuditTest, PagesCoverEveryEventOnce) {
  std::string op = OperatorToken();
  for (int i = 0; i < 3; i++) {
    std::string l = UniqueLogin("auditp.");
    ASSERT_TRUE(SignUp(l, l + "@example.org").ok());
  }
  auto total = PgQuery(conninfo(), "SELECT count(*) FROM audit_log")[0][0];
  std::set<std::string> ids;
  std::string token;
  int pages = 0;
  do {
    nuage::v1::ListAuditEventsRequest req;
    req.set_page_size(2);
    req.set_page_token(token);
    nuage::v1::ListAuditEventsResponse resp;
    grpc::Status st = List(op, req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    for (const auto& e : resp.audit_events()) EXPECT_TRUE(ids.insert(e.id()).second);
    token = resp.next_page_token();
    pages++;
  } while (!token.empty() && pages < 1000);
  EXPECT_EQ(std::to_string(ids.size()), total);
}

}  // namespace
}  // namespace nuage::testing
