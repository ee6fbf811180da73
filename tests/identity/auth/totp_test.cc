// totp_test.cc — the TOTP second factor end to end: enrolment, the
// two-step login, the ±1 step window, replays (50 parallel submissions of
// one code → exactly one session), recovery codes, lockout across both
// steps, disabling, and no plaintext secret in the database.
#include <liboath/oath.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "tests/identity/auth/auth_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class TotpTest : public AuthTest {
 protected:
  // A user with TOTP enabled; returns the login, *secret the base32 secret.
  std::string TotpUser(const std::string& prefix, std::string* secret,
                       std::vector<std::string>* codes = nullptr, std::string* user_id = nullptr) {
    std::string login = NewUser(prefix, user_id);
    *secret = EnableTotp(LoginToken(login), codes);
    return login;
  }
  std::string Challenge(const std::string& login) {
    nuage::v1::LoginResponse resp;
    grpc::Status st = Login(login, kPassword, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    EXPECT_TRUE(resp.session_token().empty());
    EXPECT_EQ(resp.challenge_token().rfind("nuc_", 0), 0u);
    return resp.challenge_token();
  }
  grpc::Status Verify(const std::string& challenge, const std::string& code,
                      nuage::v1::LoginResponse* resp, bool recovery = false) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    nuage::v1::VerifyLoginCodeRequest req;
    req.set_challenge_token(challenge);
    if (recovery) {
      req.set_recovery_code(code);
    } else {
      req.set_code(code);
    }
    return auth_->VerifyLoginCode(&ctx, req, resp);
  }
};

TEST_F(TotpTest, EnrolmentReturnsSecretAndUriAndEnablesOnlyAfterAFirstCode) {
  std::string user_id;
  std::string login = NewUser("totp.enrol", &user_id);
  std::string token = LoginToken(login);
  nuage::v1::TotpEnrollment enrollment;
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    ASSERT_TRUE(auth_->EnrollTotp(&ctx, nuage::v1::EnrollTotpRequest(), &enrollment).ok());
  }
  EXPECT_EQ(enrollment.secret().size(), 32u);  // 160 bits in base32
  EXPECT_EQ(enrollment.uri().rfind("otpauth://totp/Nuage:" + login + "?secret=" +
                                       enrollment.secret(), 0),
            0u)
      << enrollment.uri();
  EXPECT_NE(enrollment.uri().find("issuer=Nuage"), std::string::npos);
  // Not enabled yet: login gives a session directly.
  EXPECT_FALSE(LoginToken(login).empty());

  // A wrong code does not confirm.
  int64_t now = SafeNow();
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::ConfirmTotpRequest req;
    req.set_code(TotpCode(enrollment.secret(), now - 120));
    nuage::v1::ConfirmTotpResponse resp;
    grpc::Status st = auth_->ConfirmTotp(&ctx, req, &resp);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Reason(st), "TOTP_CODE_INVALID");
  }
  grpc::ClientContext ctx;
  WithBearer(&ctx, token);
  nuage::v1::ConfirmTotpRequest req;
  req.set_code(TotpCode(enrollment.secret(), now));
  nuage::v1::ConfirmTotpResponse resp;
  ASSERT_TRUE(auth_->ConfirmTotp(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.recovery_codes_size(), 10);
  // Enabled now: login asks for a code.
  Challenge(login);

  // The database holds neither the base32 nor the raw secret, nor any
  // recovery code.
  auto rows = PgQuery(conninfo(), "SELECT encode(totp_secret, 'hex'), encode(totp_secret, 'escape')"
                                  " FROM users WHERE id = '" + user_id + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][1].find(enrollment.secret()), std::string::npos);
  char* raw = nullptr;
  size_t raw_len = 0;
  ASSERT_EQ(oath_base32_decode(enrollment.secret().data(), enrollment.secret().size(), &raw,
                               &raw_len),
            OATH_OK);
  std::string raw_hex;
  for (size_t i = 0; i < raw_len; i++) {
    char b[3];
    snprintf(b, sizeof(b), "%02x", static_cast<unsigned char>(raw[i]));
    raw_hex += b;
  }
  free(raw);
  EXPECT_EQ(rows[0][0].find(raw_hex), std::string::npos);
  auto dump = PgQuery(conninfo(), "SELECT string_agg(encode(code_hash, 'escape'), '') FROM"
                                  " recovery_codes WHERE user_id = '" + user_id + "'");
  std::string code0 = resp.recovery_codes(0);
  code0.erase(std::remove(code0.begin(), code0.end(), '-'), code0.end());
  EXPECT_EQ(dump[0][0].find(code0), std::string::npos);
}

TEST_F(TotpTest, TwoStepLoginWithACurrentCode) {
  std::string secret;
  std::string login = TotpUser("totp.login", &secret);
  std::string challenge = Challenge(login);
  nuage::v1::LoginResponse resp;
  grpc::Status st = Verify(challenge, TotpCode(secret, SafeNow()), &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(resp.session_token().rfind("nus_", 0), 0u);
  // The challenge is spent.
  st = Verify(challenge, TotpCode(secret, SafeNow() + 30), &resp);
  EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED);
}

TEST_F(TotpTest, OneStepEitherSideIsAcceptedTwoStepsAreRefused) {
  // Refusals first: they leave the last accepted step where it is.
  std::string secret;
  std::string user_id;
  std::string login = TotpUser("totp.window", &secret, nullptr, &user_id);
  int64_t now = SafeNow();
  for (int64_t offset : {-60, +60}) {
    nuage::v1::LoginResponse resp;
    grpc::Status st = Verify(Challenge(login), TotpCode(secret, now + offset), &resp);
    EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED) << "T" << offset / 30;
    EXPECT_EQ(Reason(st), "LOGIN_FAILED");
  }
  // Confirmation used T-1 already: the current step is T. Accept T, then
  // T+1 (later steps only).
  nuage::v1::LoginResponse resp;
  grpc::Status st = Verify(Challenge(login), TotpCode(secret, now), &resp);
  EXPECT_TRUE(st.ok()) << "T: " << Describe(st);
  st = Verify(Challenge(login), TotpCode(secret, now + 30), &resp);
  EXPECT_TRUE(st.ok()) << "T+1: " << Describe(st);

  // T-1 on a user whose last accepted step is older.
  std::string secret2;
  std::string login2 = TotpUser("totp.window", &secret2);
  int64_t now2 = SafeNow();
  PgQuery(conninfo(), "UPDATE users SET totp_last_step = totp_last_step - 5 WHERE login = '" +
                          login2 + "'");
  st = Verify(Challenge(login2), TotpCode(secret2, now2 - 30), &resp);
  EXPECT_TRUE(st.ok()) << "T-1: " << Describe(st);
}

TEST_F(TotpTest, AReplayedCodeIsRefused) {
  std::string secret;
  std::string login = TotpUser("totp.replay", &secret);
  std::string code = TotpCode(secret, SafeNow());
  nuage::v1::LoginResponse resp;
  ASSERT_TRUE(Verify(Challenge(login), code, &resp).ok());
  grpc::Status st = Verify(Challenge(login), code, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Reason(st), "LOGIN_FAILED");
}

TEST_F(TotpTest, FiftyParallelSubmissionsOfOneCodeGiveExactlyOneSession) {
  std::string secret;
  std::string login = TotpUser("totp.race", &secret);
  constexpr int kN = 50;
  std::vector<std::string> challenges;
  for (int i = 0; i < kN; i++) challenges.push_back(Challenge(login));
  std::string code = TotpCode(secret, SafeNow());
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kN; i++) {
    threads.emplace_back([&, i] {
      auto stub = nuage::v1::AuthService::NewStub(Connect(server_->address()));
      while (!go) std::this_thread::yield();
      grpc::ClientContext ctx;
      SetDeadline(&ctx, milliseconds(30000));
      nuage::v1::VerifyLoginCodeRequest req;
      req.set_challenge_token(challenges[i]);
      req.set_code(code);
      nuage::v1::LoginResponse resp;
      grpc::Status st = stub->VerifyLoginCode(&ctx, req, &resp);
      if (st.ok()) {
        ok++;
      } else if (st.error_code() == StatusCode::UNAUTHENTICATED) {
        refused++;
      } else {
        other++;
      }
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), kN - 1);
  EXPECT_EQ(other.load(), 0);
  auto rows = PgQuery(conninfo(), "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
                                  " WHERE u.login = '" + login + "'");
  // One session from the enrolment's plain login, one from the race.
  EXPECT_EQ(rows[0][0], "2");
}

TEST_F(TotpTest, RecoveryCodesWorkOnceEach) {
  std::string secret;
  std::vector<std::string> codes;
  std::string login = TotpUser("totp.recovery", &secret, &codes);
  ASSERT_EQ(codes.size(), 10u);
  std::string typed = codes[3];
  for (char& ch : typed) ch = static_cast<char>(toupper(ch));
  nuage::v1::LoginResponse resp;
  grpc::Status st = Verify(Challenge(login), typed, &resp, true);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_FALSE(resp.session_token().empty());
  st = Verify(Challenge(login), codes[3], &resp, true);
  EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED);
  st = Verify(Challenge(login), codes[4], &resp, true);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

TEST_F(TotpTest, FailuresOfBothStepsCountTowardTheLockout) {
  std::string secret;
  std::string user_id;
  std::string login = TotpUser("totp.lock", &secret, nullptr, &user_id);
  nuage::v1::LoginResponse resp;
  for (int i = 0; i < 3; i++) Login(login, "Wrong-Password-99!", &resp);
  std::string challenge = Challenge(login);
  int64_t now = SafeNow();
  Verify(challenge, TotpCode(secret, now - 300), &resp);
  Verify(challenge, TotpCode(secret, now - 330), &resp);
  // Five failures: even a right code on a live challenge is refused now.
  grpc::Status st = Verify(challenge, TotpCode(secret, now), &resp);
  EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Reason(st), "LOGIN_FAILED");
  auto rows = PgQuery(conninfo(), "SELECT locked_until > now() FROM users WHERE id = '" + user_id +
                                      "'");
  EXPECT_EQ(rows[0][0], "t");
}

TEST_F(TotpTest, AnExpiredChallengeIsRefused) {
  std::string secret;
  std::string login = TotpUser("totp.expired", &secret);
  std::string challenge = Challenge(login);
  PgQuery(conninfo(), "UPDATE login_challenges SET expires_at = now() - interval '1 second'"
                      " WHERE user_id = (SELECT id FROM users WHERE login = '" + login + "')");
  nuage::v1::LoginResponse resp;
  EXPECT_EQ(Verify(challenge, TotpCode(secret, SafeNow()), &resp).error_code(),
            StatusCode::UNAUTHENTICATED);
}

TEST_F(TotpTest, DisablingNeedsPasswordAndCode) {
  std::string secret;
  std::string login = TotpUser("totp.disable", &secret);
  nuage::v1::LoginResponse first;
  ASSERT_TRUE(Verify(Challenge(login), TotpCode(secret, SafeNow()), &first).ok());
  std::string token = first.session_token();
  auto disable = [&](const std::string& password, const std::string& code) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::DisableTotpRequest req;
    req.set_password(password);
    req.set_code(code);
    nuage::v1::DisableTotpResponse resp;
    return auth_->DisableTotp(&ctx, req, &resp);
  };
  int64_t now = SafeNow();
  grpc::Status st = disable("Wrong-Password-99!", TotpCode(secret, now + 30));
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(st), "REAUTHENTICATION_FAILED");
  st = disable(kPassword, TotpCode(secret, now - 300));
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  st = disable(kPassword, TotpCode(secret, now + 30));
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_FALSE(LoginToken(login).empty());
}

}  // namespace
}  // namespace nuage::testing
