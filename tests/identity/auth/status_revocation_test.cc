// status_revocation_test.cc — SetUserStatus and credentials: locking or
// disabling a user ends their sessions for good (re-activating does not
// bring them back), disabling also revokes their access keys, and a
// locked user's keys are refused only while the lock lasts. The
// 5-failure login lockout is another thing and leaves credentials alone.
// The operator's changes follow the user state machine
// (domain/identity/user_status): an account that never finished its
// sign-up or invitation cannot be activated or locked, a disabled one
// cannot be locked.
#include "nuage/v1/user.grpc.pb.h"
#include "tests/identity/auth/auth_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class StatusRevocationTest : public AuthTest {
 protected:
  void SetUp() override {
    AuthTest::SetUp();
    users_ = nuage::v1::UserService::NewStub(channel_);
    static std::atomic<int> n{0};
    std::string login = "revoke.op" + std::to_string(n++);
    std::string op_id = SeedUser(conninfo(), login, login + "@example.gouv.fr", kPassword, true);
    operator_ = SeedSession(conninfo(), op_id, "");
  }
  grpc::Status SetStatus(const std::string& user_id, nuage::v1::UserStatus status) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, operator_);
    nuage::v1::SetUserStatusRequest req;
    req.set_user_id(user_id);
    req.set_status(status);
    req.set_reason("test");
    nuage::v1::User resp;
    return users_->SetUserStatus(&ctx, req, &resp);
  }
  grpc::Status Sessions(const std::string& bearer) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, bearer);
    nuage::v1::ListSessionsResponse resp;
    return auth_->ListSessions(&ctx, nuage::v1::ListSessionsRequest(), &resp);
  }
  grpc::Status Keys(const std::string& bearer, nuage::v1::ListAccessKeysResponse* resp) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, bearer);
    return auth_->ListAccessKeys(&ctx, nuage::v1::ListAccessKeysRequest(), resp);
  }
  // "<id>:<secret>" of a fresh key of the session's user (login, from
  // NewUser), with the code e-mailed by RequestAccessKeyCode.
  std::string NewKey(const std::string& token, const std::string& login) {
    {
      grpc::ClientContext ctx;
      SetDeadline(&ctx, milliseconds(20000));
      WithBearer(&ctx, token);
      nuage::v1::RequestAccessKeyCodeResponse resp;
      grpc::Status st =
          auth_->RequestAccessKeyCode(&ctx, nuage::v1::RequestAccessKeyCodeRequest(), &resp);
      EXPECT_TRUE(st.ok()) << Describe(st);
    }
    std::string code = JsonField(
        LatestOutbox(conninfo(), login + "@example.gouv.fr", "access_key_code"), "code");
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    WithBearer(&ctx, token);
    nuage::v1::CreateAccessKeyRequest req;
    req.set_password(kPassword);
    req.set_code(code);
    req.set_description("backend");
    nuage::v1::CreateAccessKeyResponse resp;
    grpc::Status st = auth_->CreateAccessKey(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return resp.access_key().id() + ":" + resp.secret();
  }

  std::unique_ptr<nuage::v1::UserService::Stub> users_;
  std::string operator_;
};

TEST_F(StatusRevocationTest, LockThenActivateLeavesTheOldTokenRevoked) {
  std::string user_id;
  std::string login = NewUser("revoke.lock", &user_id);
  std::string token = LoginToken(login);
  ASSERT_TRUE(Sessions(token).ok());
  ASSERT_TRUE(SetStatus(user_id, nuage::v1::USER_STATUS_LOCKED).ok());
  EXPECT_EQ(Sessions(token).error_code(), StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(SetStatus(user_id, nuage::v1::USER_STATUS_ACTIVE).ok());
  EXPECT_EQ(Sessions(token).error_code(), StatusCode::UNAUTHENTICATED)
      << "the session must stay revoked after the user is active again";
  auto open = PgQuery(conninfo(), "SELECT count(*) FROM sessions WHERE revoked_at IS NULL"
                                  " AND user_id = '" + user_id + "'");
  EXPECT_EQ(open[0][0], "0");
  auto audit = PgQuery(conninfo(), "SELECT count(*) FROM audit_log WHERE action = 'user.set_status'"
                                   " AND target_id = '" + user_id + "'"
                                   " AND changes::text LIKE '%sessions_revoked%'");
  EXPECT_EQ(audit[0][0], "1");
  // A new login works.
  EXPECT_TRUE(Sessions(LoginToken(login)).ok());
}

TEST_F(StatusRevocationTest, DisableThenActivateLeavesSessionsAndKeysRevoked) {
  std::string user_id;
  std::string login = NewUser("revoke.disable", &user_id);
  std::string token = LoginToken(login);
  std::string key = NewKey(token, login);
  nuage::v1::ListAccessKeysResponse list;
  ASSERT_TRUE(Keys(key, &list).ok());
  ASSERT_TRUE(SetStatus(user_id, nuage::v1::USER_STATUS_DISABLED).ok());
  EXPECT_EQ(Keys(key, &list).error_code(), StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(SetStatus(user_id, nuage::v1::USER_STATUS_ACTIVE).ok());
  EXPECT_EQ(Sessions(token).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Keys(key, &list).error_code(), StatusCode::UNAUTHENTICATED)
      << "the key must stay revoked after the user is active again";
  ASSERT_TRUE(Keys(LoginToken(login), &list).ok());
  ASSERT_EQ(list.access_keys_size(), 1);
  EXPECT_TRUE(list.access_keys(0).has_revoke_time()) << "listed as revoked";
}

TEST_F(StatusRevocationTest, ALockedUsersKeyIsRefusedWhileLockedAndWorksAfter) {
  std::string user_id;
  std::string login = NewUser("revoke.lockkey", &user_id);
  std::string token = LoginToken(login);
  std::string key = NewKey(token, login);
  nuage::v1::ListAccessKeysResponse list;
  ASSERT_TRUE(Keys(key, &list).ok());
  ASSERT_TRUE(SetStatus(user_id, nuage::v1::USER_STATUS_LOCKED).ok());
  EXPECT_EQ(Keys(key, &list).error_code(), StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(SetStatus(user_id, nuage::v1::USER_STATUS_ACTIVE).ok());
  grpc::Status st = Keys(key, &list);
  EXPECT_TRUE(st.ok()) << "a lock does not revoke keys: " << Describe(st);
}

TEST_F(StatusRevocationTest, TheFailedLoginLockoutLeavesSessionsAlone) {
  std::string login = NewUser("revoke.lockout");
  std::string token = LoginToken(login);
  nuage::v1::LoginResponse resp;
  for (int i = 0; i < 5; i++) {
    EXPECT_EQ(Login(login, "Wrong-Password-99!", &resp).error_code(), StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(Login(login, kPassword, &resp).error_code(), StatusCode::UNAUTHENTICATED)
      << "locked out after five failures";
  EXPECT_TRUE(Sessions(token).ok()) << "a lockout does not end open sessions";
}

TEST_F(StatusRevocationTest, AnAccountThatNeverEnrolledCannotBeActivatedOrLocked) {
  for (const char* state : {"pending", "invited"}) {
    std::string user_id;
    NewUser(std::string("revoke.") + state, &user_id);
    PgQuery(conninfo(), std::string("UPDATE users SET status = '") + state + "' WHERE id = '" +
                            user_id + "'");
    for (auto to : {nuage::v1::USER_STATUS_ACTIVE, nuage::v1::USER_STATUS_LOCKED}) {
      grpc::Status st = SetStatus(user_id, to);
      EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << state << ": " << Describe(st);
      EXPECT_EQ(Reason(st), "USER_NOT_ENROLLED") << state;
    }
    auto now = PgQuery(conninfo(), "SELECT status FROM users WHERE id = '" + user_id + "'");
    EXPECT_EQ(now[0][0], state) << "a refusal changes nothing";
    // Disabling stays possible: an operator can always close an account.
    EXPECT_TRUE(SetStatus(user_id, nuage::v1::USER_STATUS_DISABLED).ok()) << state;
  }
}

TEST_F(StatusRevocationTest, ADisabledAccountCannotBeLocked) {
  std::string user_id;
  NewUser("revoke.disabledlock", &user_id);
  ASSERT_TRUE(SetStatus(user_id, nuage::v1::USER_STATUS_DISABLED).ok());
  grpc::Status st = SetStatus(user_id, nuage::v1::USER_STATUS_LOCKED);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "USER_DISABLED");
  auto now = PgQuery(conninfo(), "SELECT status FROM users WHERE id = '" + user_id + "'");
  EXPECT_EQ(now[0][0], "disabled");
  EXPECT_TRUE(SetStatus(user_id, nuage::v1::USER_STATUS_ACTIVE).ok()) << "activating it is fine";
}

}  // namespace
}  // namespace nuage::testing
