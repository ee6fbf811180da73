// password_test.cc — ChangePassword, RequestPasswordReset / ResetPassword
// (5-minute single-use link, second factor still required, every session
// ends) and RequestLoginReminder; the public ones answer the same whether
// or not the account exists.
#include <chrono>

#include "tests/identity/auth/auth_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

constexpr char kNewPassword[] = "Brand-New-Secret-7?";

class PasswordTest : public AuthTest {
 protected:
  grpc::Status Change(const std::string& token, const std::string& old_pw,
                      const std::string& new_pw, nuage::v1::ChangePasswordResponse* resp) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    WithBearer(&ctx, token);
    nuage::v1::ChangePasswordRequest req;
    req.set_old_password(old_pw);
    req.set_new_password(new_pw);
    return auth_->ChangePassword(&ctx, req, resp);
  }
  grpc::Status RequestReset(const std::string& login) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    nuage::v1::RequestPasswordResetRequest req;
    req.set_login(login);
    nuage::v1::RequestPasswordResetResponse resp;
    return auth_->RequestPasswordReset(&ctx, req, &resp);
  }
  grpc::Status Reset(const std::string& token, const std::string& pw,
                     const std::string& code = "") {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    nuage::v1::ResetPasswordRequest req;
    req.set_token(token);
    req.set_new_password(pw);
    req.set_code(code);
    nuage::v1::ResetPasswordResponse resp;
    return auth_->ResetPassword(&ctx, req, &resp);
  }
  std::string ResetToken(const std::string& email) {
    std::string payload = LatestOutbox(conninfo(), email, "reset_password");
    EXPECT_FALSE(payload.empty()) << "no reset e-mail for " << email;
    return JsonField(payload, "token");
  }
  bool Works(const std::string& token) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::ListSessionsResponse resp;
    return auth_->ListSessions(&ctx, nuage::v1::ListSessionsRequest(), &resp).ok();
  }
};

TEST_F(PasswordTest, ChangeNeedsTheOldPasswordAndEndsOtherSessions) {
  std::string login = NewUser("pw.change");
  std::string current = LoginToken(login), other = LoginToken(login);
  nuage::v1::ChangePasswordResponse resp;
  grpc::Status st = Change(current, "Wrong-Password-99!", kNewPassword, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(st), "REAUTHENTICATION_FAILED");
  // Policy violations, one per rule, on new_password.
  st = Change(current, kPassword, "short", &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details);
  auto bad = FindBadRequest(*details);
  ASSERT_TRUE(bad);
  EXPECT_GE(bad->field_violations_size(), 3);
  for (const auto& v : bad->field_violations()) EXPECT_EQ(v.field(), "new_password");

  st = Change(current, kPassword, kNewPassword, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(resp.ended_sessions(), 1);
  EXPECT_TRUE(Works(current));
  EXPECT_FALSE(Works(other));
  nuage::v1::LoginResponse login_resp;
  EXPECT_EQ(Login(login, kPassword, &login_resp).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_FALSE(LoginToken(login, kNewPassword).empty());
  EXPECT_FALSE(LatestOutbox(conninfo(), login + "@example.gouv.fr", "password_changed").empty());
}

// Passwords are bytes: long ones and non-ASCII ones work as typed, and the
// length rule counts characters, not bytes.
TEST_F(PasswordTest, LongAndNonAsciiPasswordsAreAcceptedAsBytes) {
  std::string login = NewUser("pw.bytes");
  std::string token = LoginToken(login);
  nuage::v1::ChangePasswordResponse resp;
  // 1000 bytes: an accented phrase repeated (é, ü and ß are two bytes each).
  std::string long_pw = "Äb1!";
  while (long_pw.size() < 990) long_pw += "élève-über-straße ";
  grpc::Status changed = Change(token, kPassword, long_pw, &resp);
  ASSERT_TRUE(changed.ok()) << Describe(changed) << " " << (StatusDetails(changed) ? StatusDetails(changed)->DebugString() : "");
  EXPECT_FALSE(LoginToken(login, long_pw).empty());
  std::string token2 = LoginToken(login, long_pw);
  // Twelve characters but more bytes: é counts once.
  std::string accented = "Éléphant-9aé";  // 12 characters, 15 bytes
  ASSERT_TRUE(Change(token2, long_pw, accented, &resp).ok()) << "12 characters are enough";
  EXPECT_FALSE(LoginToken(login, accented).empty());
  nuage::v1::LoginResponse login_resp;
  EXPECT_EQ(Login(login, "Elephant-9ae", &login_resp).error_code(), StatusCode::UNAUTHENTICATED)
      << "bytes are compared, not a folded form";
  // Eleven characters in fourteen bytes are too short.
  grpc::Status st = Change(LoginToken(login, accented), accented, "Éléphant-9é", &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
}

TEST_F(PasswordTest, ResetLinkWorksOnceAndEndsEverySession) {
  std::string login = NewUser("pw.reset");
  std::string email = login + "@example.gouv.fr";
  std::string session = LoginToken(login);
  ASSERT_TRUE(RequestReset(login).ok());
  std::string token = ResetToken(email);
  ASSERT_EQ(token.rfind("nul_", 0), 0u);
  std::string link = JsonField(LatestOutbox(conninfo(), email, "reset_password"), "link");
  EXPECT_NE(link.find("token=" + token), std::string::npos);

  // A bad new password leaves the link usable.
  EXPECT_EQ(Reset(token, "weak").error_code(), StatusCode::INVALID_ARGUMENT);
  grpc::Status st = Reset(token, kNewPassword);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_FALSE(Works(session));
  EXPECT_FALSE(LoginToken(login, kNewPassword).empty());
  // Single use.
  st = Reset(token, "Another-Secret-8#");
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "INVALID_LINK");
}

TEST_F(PasswordTest, ResetLinkExpiresAfterFiveMinutes) {
  std::string login = NewUser("pw.expire");
  ASSERT_TRUE(RequestReset(login + "@example.gouv.fr").ok());  // by e-mail
  std::string token = ResetToken(login + "@example.gouv.fr");
  auto rows = PgQuery(conninfo(), "SELECT extract(epoch FROM l.expires_at - l.created_at)::int"
                                  " FROM user_links l JOIN users u ON u.id = l.user_id"
                                  " WHERE u.login = '" + login + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "300");
  PgQuery(conninfo(), "UPDATE user_links SET expires_at = now() - interval '1 second',"
                      " created_at = now() - interval '301 seconds'"
                      " WHERE user_id = (SELECT id FROM users WHERE login = '" + login + "')");
  grpc::Status st = Reset(token, kNewPassword);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "INVALID_LINK");
}

TEST_F(PasswordTest, ResetStillNeedsTheSecondFactor) {
  std::string login = NewUser("pw.totp");
  std::string secret = EnableTotp(LoginToken(login));
  ASSERT_TRUE(RequestReset(login).ok());
  std::string token = ResetToken(login + "@example.gouv.fr");
  grpc::Status st = Reset(token, kNewPassword);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(st), "TOTP_CODE_REQUIRED");
  int64_t now = SafeNow();
  st = Reset(token, kNewPassword, TotpCode(secret, now - 600));
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  st = Reset(token, kNewPassword, TotpCode(secret, now));
  ASSERT_TRUE(st.ok()) << Describe(st);
  nuage::v1::LoginResponse resp;
  ASSERT_TRUE(Login(login, kNewPassword, &resp).ok());
  EXPECT_FALSE(resp.challenge_token().empty());
}

TEST_F(PasswordTest, ResetAndReminderAnswerTheSameForUnknownAccounts) {
  std::string login = NewUser("pw.same");
  std::string email = login + "@example.gouv.fr";
  auto timed_reset = [&](const std::string& who, grpc::Status* st) {
    auto start = Clock::now();
    *st = RequestReset(who);
    return MsSince(start);
  };
  grpc::Status known, unknown;
  // Warm up (the dummy hash is made on first use).
  timed_reset("nobody.warmup", &unknown);
  int64_t t_known = timed_reset(login, &known);
  int64_t t_unknown = timed_reset("nobody.at.all", &unknown);
  EXPECT_TRUE(known.ok());
  EXPECT_TRUE(unknown.ok());
  // Both pay one Argon2id check (tens of ms); the difference is queries.
  EXPECT_LT(std::abs(t_known - t_unknown), 200) << t_known << " vs " << t_unknown;
  EXPECT_FALSE(LatestOutbox(conninfo(), email, "reset_password").empty());

  for (const std::string& who : {email, std::string("nobody@example.gouv.fr")}) {
    grpc::ClientContext ctx;
    nuage::v1::RequestLoginReminderRequest req;
    req.set_email(who);
    nuage::v1::RequestLoginReminderResponse resp;
    grpc::Status st = auth_->RequestLoginReminder(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << who << ": " << Describe(st);
    EXPECT_EQ(resp.ByteSizeLong(), 0u);
  }
  EXPECT_EQ(JsonField(LatestOutbox(conninfo(), email, "login_reminder"), "login"), login);
  EXPECT_TRUE(LatestOutbox(conninfo(), "nobody@example.gouv.fr", "login_reminder").empty());
}

}  // namespace
}  // namespace nuage::testing
