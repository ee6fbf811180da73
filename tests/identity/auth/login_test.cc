// login_test.cc — Login: sessions for a right password, one identical
// refusal for every wrong case, the 5-failure lockout, rehash on login.
#include <sodium.h>

#include "tests/identity/auth/auth_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class LoginTest : public AuthTest {};

TEST_F(LoginTest, RightPasswordOpensASessionStoredOnlyAsADigest) {
  std::string user_id, org_id;
  std::string login = NewUser("login.ok", &user_id, &org_id);
  nuage::v1::LoginResponse resp;
  grpc::Status st = Login(login, kPassword, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  // "nus_" + 256 random bits in base64url.
  EXPECT_EQ(resp.session_token().rfind("nus_", 0), 0u);
  EXPECT_GE(resp.session_token().size(), 4u + 22u);
  EXPECT_EQ(resp.session().organization_id(), org_id);
  EXPECT_TRUE(resp.session().current());
  EXPECT_TRUE(resp.challenge_token().empty());

  // The token works as a credential.
  grpc::ClientContext ctx;
  WithBearer(&ctx, resp.session_token());
  nuage::v1::ListSessionsResponse list;
  st = auth_->ListSessions(&ctx, nuage::v1::ListSessionsRequest(), &list);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(list.sessions_size(), 1);
  EXPECT_EQ(list.sessions(0).id(), resp.session().id());

  // Only the SHA-256 of the token is in the database.
  unsigned char digest[32];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(resp.session_token().data()),
                     resp.session_token().size());
  char hex[65];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  auto rows = PgQuery(conninfo(), "SELECT encode(token_hash, 'hex') FROM sessions WHERE id = '" +
                                      resp.session().id() + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], hex);
  auto leaks = PgQuery(conninfo(), "SELECT count(*) FROM sessions WHERE position('" +
                                       resp.session_token() + "' in token_hash::text) > 0");
  EXPECT_EQ(leaks[0][0], "0");
  // Audited.
  auto audit = PgQuery(conninfo(), "SELECT count(*) FROM audit_log WHERE action = 'session.create'"
                                   " AND actor_kind = 'anonymous' AND target_id = '" +
                                       resp.session().id() + "'");
  EXPECT_EQ(audit[0][0], "1");
}

TEST_F(LoginTest, EmailWorksAsLoginInAnyCase) {
  std::string login = NewUser("login.mail");
  nuage::v1::LoginResponse resp;
  grpc::Status st = Login("LOGIN." + login.substr(6) + "@EXAMPLE.gouv.fr", kPassword, &resp);
  EXPECT_TRUE(st.ok()) << Describe(st);
  EXPECT_FALSE(resp.session_token().empty());
}

TEST_F(LoginTest, EveryRefusalIsTheSameAnswer) {
  std::string wrong = NewUser("login.wrong");
  std::string disabled_id, locked_id, lockout_id;
  std::string disabled = NewUser("login.disabled", &disabled_id);
  std::string locked = NewUser("login.locked", &locked_id);
  std::string lockedout = NewUser("login.lockout", &lockout_id);
  PgQuery(conninfo(), "UPDATE users SET status = 'disabled' WHERE id = '" + disabled_id + "'");
  PgQuery(conninfo(), "UPDATE users SET status = 'locked' WHERE id = '" + locked_id + "'");
  PgQuery(conninfo(), "UPDATE users SET locked_until = now() + interval '10 minutes' WHERE id = '" +
                          lockout_id + "'");

  struct Case {
    std::string name, login, password;
  } cases[] = {
      {"wrong password", wrong, "Wrong-Password-99!"},
      {"unknown login", "nobody.at.all", kPassword},
      {"unknown e-mail", "nobody@example.gouv.fr", kPassword},
      {"disabled user", disabled, kPassword},
      {"locked user", locked, kPassword},
      {"locked out (right password)", lockedout, kPassword},
  };
  std::string message, reason;
  for (const Case& c : cases) {
    nuage::v1::LoginResponse resp;
    grpc::Status st = Login(c.login, c.password, &resp);
    EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED) << c.name << ": " << Describe(st);
    EXPECT_EQ(Reason(st), "LOGIN_FAILED") << c.name;
    if (message.empty()) message = st.error_message();
    EXPECT_EQ(st.error_message(), message) << c.name;
    EXPECT_TRUE(resp.session_token().empty() && resp.challenge_token().empty()) << c.name;
    // Nothing of the input in the answer.
    EXPECT_EQ(st.error_message().find(c.login), std::string::npos) << c.name;
    EXPECT_EQ(st.error_message().find(c.password), std::string::npos) << c.name;
  }
  // A failure on a known account is audited.
  auto audit = PgQuery(conninfo(), "SELECT count(*) FROM audit_log a JOIN users u"
                                   " ON a.target_id = u.id::text WHERE u.login = '" + wrong +
                                       "' AND a.action = 'user.login_failed'");
  EXPECT_EQ(audit[0][0], "1");
}

TEST_F(LoginTest, FiveFailuresLockTheLoginForFifteenMinutes) {
  std::string user_id;
  std::string login = NewUser("login.five", &user_id);
  for (int i = 0; i < 5; i++) {
    nuage::v1::LoginResponse resp;
    EXPECT_EQ(Login(login, "Wrong-Password-99!", &resp).error_code(), StatusCode::UNAUTHENTICATED);
  }
  auto rows = PgQuery(conninfo(), "SELECT round(extract(epoch FROM locked_until - now()) / 60)"
                                  " FROM users WHERE id = '" + user_id + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "15");
  // The right password is refused while locked, with the same answer.
  nuage::v1::LoginResponse resp;
  grpc::Status st = Login(login, kPassword, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Reason(st), "LOGIN_FAILED");
  // Fifteen minutes later (aged in the database), it works again.
  PgQuery(conninfo(), "UPDATE users SET locked_until = locked_until - interval '15 minutes'"
                      " WHERE id = '" + user_id + "'");
  EXPECT_FALSE(LoginToken(login).empty());
}

TEST_F(LoginTest, FourFailuresThenSuccessStartTheCountAgain) {
  std::string user_id;
  std::string login = NewUser("login.four", &user_id);
  nuage::v1::LoginResponse resp;
  for (int i = 0; i < 4; i++) Login(login, "Wrong-Password-99!", &resp);
  EXPECT_FALSE(LoginToken(login).empty());
  auto rows = PgQuery(conninfo(), "SELECT failed_attempts, locked_until IS NULL FROM users"
                                  " WHERE id = '" + user_id + "'");
  EXPECT_EQ(rows[0][0], "0");
  EXPECT_EQ(rows[0][1], "t");
  for (int i = 0; i < 4; i++) Login(login, "Wrong-Password-99!", &resp);
  EXPECT_FALSE(LoginToken(login).empty());
}

TEST_F(LoginTest, AHashWithOtherParametersIsReplacedOnLogin) {
  std::string user_id;
  std::string login = NewUser("login.rehash", &user_id);
  ASSERT_EQ(sodium_init() >= 0, true);
  char old_hash[crypto_pwhash_STRBYTES];
  // Stronger than the server's interactive level: verifies, but needs a rehash.
  ASSERT_EQ(crypto_pwhash_str(old_hash, kPassword, strlen(kPassword), 3,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE),
            0);
  PgQuery(conninfo(), "UPDATE users SET password_hash = '" + std::string(old_hash) +
                          "' WHERE id = '" + user_id + "'");
  EXPECT_FALSE(LoginToken(login).empty());
  auto rows = PgQuery(conninfo(), "SELECT password_hash FROM users WHERE id = '" + user_id + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0][0], old_hash);
  EXPECT_NE(rows[0][0].find("$argon2id$"), std::string::npos);
  EXPECT_NE(rows[0][0].find("t=2,"), std::string::npos) << rows[0][0];
  // And the new hash still opens the account.
  EXPECT_FALSE(LoginToken(login).empty());
}

TEST_F(LoginTest, EmptyFieldsAreInvalidArgumentNotALoginFailure) {
  nuage::v1::LoginResponse resp;
  grpc::Status st = Login("", "", &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details);
  auto bad = FindBadRequest(*details);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->field_violations_size(), 2);
}

}  // namespace
}  // namespace nuage::testing
