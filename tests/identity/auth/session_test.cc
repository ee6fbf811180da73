// session_test.cc — own sessions: list, revoke, logout, switch
// organisation, the organisation a login acts for, 24 h inactivity, and
// users disabled or locked while signed in.
#include "tests/identity/auth/auth_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class SessionTest : public AuthTest {
 protected:
  grpc::Status List(const std::string& token, nuage::v1::ListSessionsResponse* resp,
                    int page_size = 0, const std::string& page_token = "") {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::ListSessionsRequest req;
    req.set_page_size(page_size);
    req.set_page_token(page_token);
    return auth_->ListSessions(&ctx, req, resp);
  }
  grpc::Status Revoke(const std::string& token, const std::string& id) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::RevokeSessionRequest req;
    req.set_session_id(id);
    nuage::v1::RevokeSessionResponse resp;
    return auth_->RevokeSession(&ctx, req, &resp);
  }
  grpc::Status Switch(const std::string& token, const std::string& org,
                      nuage::v1::Session* resp) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::SwitchOrganizationRequest req;
    req.set_organization_id(org);
    return auth_->SwitchOrganization(&ctx, req, resp);
  }
  std::string SessionId(const std::string& token) {
    nuage::v1::ListSessionsResponse resp;
    EXPECT_TRUE(List(token, &resp).ok());
    for (const auto& s : resp.sessions()) {
      if (s.current()) return s.id();
    }
    ADD_FAILURE() << "no current session";
    return "";
  }
};

TEST_F(SessionTest, ListShowsOwnSessionsNewestFirstWithPages) {
  std::string login = NewUser("sess.list");
  std::string t1 = LoginToken(login), t2 = LoginToken(login), t3 = LoginToken(login);
  std::string other = LoginToken(NewUser("sess.other"));
  nuage::v1::ListSessionsResponse page1, page2;
  ASSERT_TRUE(List(t3, &page1, 2).ok());
  ASSERT_EQ(page1.sessions_size(), 2);
  EXPECT_TRUE(page1.sessions(0).current());
  EXPECT_FALSE(page1.sessions(1).current());
  ASSERT_FALSE(page1.next_page_token().empty());
  ASSERT_TRUE(List(t3, &page2, 2, page1.next_page_token()).ok());
  ASSERT_EQ(page2.sessions_size(), 1);
  EXPECT_TRUE(page2.next_page_token().empty());
  EXPECT_EQ(page2.sessions(0).id(), SessionId(t1));
  // Expiry is 24 h after the last use.
  const auto& s = page1.sessions(0);
  EXPECT_EQ(s.expire_time().seconds() - s.last_use_time().seconds(), 24 * 3600);
}

TEST_F(SessionTest, RevokeOwnSessionEndsIt) {
  std::string login = NewUser("sess.revoke");
  std::string keep = LoginToken(login), gone = LoginToken(login);
  ASSERT_TRUE(Revoke(keep, SessionId(gone)).ok());
  nuage::v1::ListSessionsResponse resp;
  EXPECT_EQ(List(gone, &resp).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(List(keep, &resp).ok());
  EXPECT_EQ(resp.sessions_size(), 1);
  auto audit = PgQuery(conninfo(), "SELECT count(*) FROM audit_log WHERE action = 'session.revoke'"
                                   " AND target_id = '" + resp.sessions(0).id() + "'");
  EXPECT_EQ(audit[0][0], "0");
}

TEST_F(SessionTest, AnotherUsersSessionIsNotFoundLikeAnUnknownOne) {
  std::string mine = LoginToken(NewUser("sess.mine"));
  std::string theirs = LoginToken(NewUser("sess.theirs"));
  grpc::Status st = Revoke(mine, SessionId(theirs));
  EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND);
  grpc::Status unknown = Revoke(mine, "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(unknown.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(st.error_message(), unknown.error_message());
  nuage::v1::ListSessionsResponse resp;
  EXPECT_TRUE(List(theirs, &resp).ok()) << "their session must survive";
  EXPECT_EQ(Revoke(mine, "not-a-uuid").error_code(), StatusCode::INVALID_ARGUMENT);
}

TEST_F(SessionTest, LogoutEndsTheCallingSession) {
  std::string token = LoginToken(NewUser("sess.logout"));
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::LogoutResponse resp;
    ASSERT_TRUE(auth_->Logout(&ctx, nuage::v1::LogoutRequest(), &resp).ok());
  }
  nuage::v1::ListSessionsResponse resp;
  EXPECT_EQ(List(token, &resp).error_code(), StatusCode::UNAUTHENTICATED);
  grpc::ClientContext ctx;
  nuage::v1::LogoutResponse out;
  EXPECT_EQ(auth_->Logout(&ctx, nuage::v1::LogoutRequest(), &out).error_code(),
            StatusCode::UNAUTHENTICATED);
}

TEST_F(SessionTest, LoginActsForTheMostRecentlyJoinedOrganizationAndSwitches) {
  std::string user_id, first_org;
  std::string login = NewUser("sess.orgs", &user_id, &first_org);
  std::string owner_id;
  NewUser("sess.owner", &owner_id);
  std::string second_org = SeedOrganization(conninfo(), "Second org", owner_id);
  PgQuery(conninfo(), "UPDATE memberships SET created_at = now() - interval '1 day'"
                      " WHERE user_id = '" + user_id + "'");
  SeedMember(conninfo(), second_org, user_id, AllLevels(1));
  nuage::v1::LoginResponse login_resp;
  ASSERT_TRUE(Login(login, kPassword, &login_resp).ok());
  EXPECT_EQ(login_resp.session().organization_id(), second_org);

  std::string token = login_resp.session_token();
  nuage::v1::Session switched;
  ASSERT_TRUE(Switch(token, first_org, &switched).ok());
  EXPECT_EQ(switched.organization_id(), first_org);
  EXPECT_TRUE(switched.current());
  nuage::v1::ListSessionsResponse resp;
  ASSERT_TRUE(List(token, &resp).ok());
  EXPECT_EQ(resp.sessions(0).organization_id(), first_org);

  // Not a member: NOT_FOUND, worded as for an organisation that does not exist.
  std::string foreign_owner;
  NewUser("sess.foreign", &foreign_owner);
  std::string foreign = SeedOrganization(conninfo(), "Foreign org", foreign_owner);
  grpc::Status st = Switch(token, foreign, &switched);
  EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND);
  grpc::Status unknown = Switch(token, "00000000-0000-4000-8000-000000000000", &switched);
  EXPECT_EQ(unknown.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(st.error_message(), unknown.error_message());
}

TEST_F(SessionTest, ASessionUnusedFor24HoursEnds) {
  std::string login = NewUser("sess.idle");
  std::string fresh = LoginToken(login), idle = LoginToken(login);
  std::string fresh_id = SessionId(fresh), idle_id = SessionId(idle);
  PgQuery(conninfo(), "UPDATE sessions SET last_used_at = now() - interval '23 hours 50 minutes'"
                      " WHERE id = '" + fresh_id + "'");
  PgQuery(conninfo(), "UPDATE sessions SET last_used_at = now() - interval '24 hours 1 minute'"
                      " WHERE id = '" + idle_id + "'");
  nuage::v1::ListSessionsResponse resp;
  EXPECT_EQ(List(idle, &resp).error_code(), StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(List(fresh, &resp).ok());
  // Using it pushed its expiry forward; the idle one is not listed.
  ASSERT_EQ(resp.sessions_size(), 1);
  EXPECT_EQ(resp.sessions(0).id(), fresh_id);
  EXPECT_TRUE(List(fresh, &resp).ok());
}

TEST_F(SessionTest, DisabledOrLockedUsersAreRefusedOnTheirNextCall) {
  for (const char* status : {"disabled", "locked"}) {
    std::string user_id;
    std::string token = LoginToken(NewUser(std::string("sess.") + status, &user_id));
    nuage::v1::ListSessionsResponse resp;
    ASSERT_TRUE(List(token, &resp).ok());
    PgQuery(conninfo(), "UPDATE users SET status = '" + std::string(status) + "' WHERE id = '" +
                            user_id + "'");
    EXPECT_EQ(List(token, &resp).error_code(), StatusCode::UNAUTHENTICATED) << status;
  }
}

}  // namespace
}  // namespace nuage::testing
