// access_key_test.cc — access keys: created after re-entering the password
// and a second factor (the TOTP code when enabled, else a code e-mailed on
// request: 10 minutes, single use, the newest only, five wrong codes kill
// it, stored as a keyed hash), secret shown once and stored hashed, usable
// as a bearer credential, last use recorded, listed without secrets,
// revocable.
#include <sodium.h>

#include "tests/identity/auth/auth_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class AccessKeyTest : public AuthTest {
 protected:
  grpc::Status Create(const std::string& token, const std::string& password,
                      nuage::v1::CreateAccessKeyResponse* resp, const std::string& code = "",
                      const std::string& request_id = "") {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    WithBearer(&ctx, token);
    nuage::v1::CreateAccessKeyRequest req;
    req.set_password(password);
    req.set_code(code);
    req.set_request_id(request_id);
    req.set_description("provider backend");
    return auth_->CreateAccessKey(&ctx, req, resp);
  }
  grpc::Status RequestCode(const std::string& token, nuage::v1::RequestAccessKeyCodeResponse* resp) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    WithBearer(&ctx, token);
    return auth_->RequestAccessKeyCode(&ctx, nuage::v1::RequestAccessKeyCodeRequest(), resp);
  }
  // Requests a code for the session of login (NewUser's e-mail) and reads
  // it from the outbox.
  std::string EmailedCode(const std::string& token, const std::string& login) {
    nuage::v1::RequestAccessKeyCodeResponse resp;
    grpc::Status st = RequestCode(token, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    std::string code = JsonField(LatestOutbox(conninfo(), login + "@example.gouv.fr", "access_key_code"), "code");
    EXPECT_EQ(code.size(), 6u);
    return code;
  }
  int CodeRows(const std::string& user_id) {
    return std::stoi(PgQuery(conninfo(), "SELECT count(*) FROM access_key_codes WHERE user_id = '" +
                                             user_id + "'")[0][0]);
  }
  grpc::Status List(const std::string& bearer, nuage::v1::ListAccessKeysResponse* resp) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, bearer);
    return auth_->ListAccessKeys(&ctx, nuage::v1::ListAccessKeysRequest(), resp);
  }
};

TEST_F(AccessKeyTest, CreatedKeyWorksAsACredentialAndIsStoredHashed) {
  std::string user_id, org_id;
  std::string login = NewUser("ak.create", &user_id, &org_id);
  std::string token = LoginToken(login);
  std::string code = EmailedCode(token, login);
  nuage::v1::CreateAccessKeyResponse created;
  grpc::Status st = Create(token, "Wrong-Password-99!", &created, code);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  st = Create(token, kPassword, &created, code);
  ASSERT_TRUE(st.ok()) << Describe(st);
  const auto& key = created.access_key();
  EXPECT_EQ(key.id().rfind("NUAK", 0), 0u);
  EXPECT_EQ(key.organization_id(), org_id);
  EXPECT_EQ(created.secret().rfind("nusk_", 0), 0u);
  EXPECT_FALSE(key.has_last_use_time());

  auto rows = PgQuery(conninfo(), "SELECT encode(secret_hash, 'hex') FROM access_keys WHERE id = '" +
                                      key.id() + "'");
  ASSERT_EQ(rows.size(), 1u);
  unsigned char digest[32];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(created.secret().data()),
                     created.secret().size());
  char hex[65];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  EXPECT_EQ(rows[0][0], hex);

  // As a credential: "<id>:<secret>"; last use recorded.
  std::string bearer = key.id() + ":" + created.secret();
  nuage::v1::ListAccessKeysResponse list;
  st = List(bearer, &list);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(list.access_keys_size(), 1);
  auto used = PgQuery(conninfo(), "SELECT last_used_at IS NOT NULL FROM access_keys WHERE id = '" +
                                      key.id() + "'");
  EXPECT_EQ(used[0][0], "t");
  ASSERT_TRUE(List(token, &list).ok());
  EXPECT_TRUE(list.access_keys(0).has_last_use_time());
  // The listing never carries the secret.
  EXPECT_EQ(list.SerializeAsString().find(created.secret()), std::string::npos);

  // A wrong secret is refused.
  EXPECT_EQ(List(key.id() + ":nusk_wrong", &list).error_code(), StatusCode::UNAUTHENTICATED);
  // A key cannot manage sessions.
  grpc::ClientContext ctx;
  WithBearer(&ctx, bearer);
  nuage::v1::ListSessionsResponse sessions;
  st = auth_->ListSessions(&ctx, nuage::v1::ListSessionsRequest(), &sessions);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
}

TEST_F(AccessKeyTest, RevokedKeyIsRefused) {
  std::string login = NewUser("ak.revoke");
  std::string token = LoginToken(login);
  nuage::v1::CreateAccessKeyResponse created;
  ASSERT_TRUE(Create(token, kPassword, &created, EmailedCode(token, login)).ok());
  std::string bearer = created.access_key().id() + ":" + created.secret();
  nuage::v1::ListAccessKeysResponse list;
  ASSERT_TRUE(List(bearer, &list).ok());

  grpc::ClientContext ctx;
  WithBearer(&ctx, token);
  nuage::v1::RevokeAccessKeyRequest req;
  req.set_access_key_id(created.access_key().id());
  nuage::v1::AccessKey revoked;
  ASSERT_TRUE(auth_->RevokeAccessKey(&ctx, req, &revoked).ok());
  EXPECT_TRUE(revoked.has_revoke_time());
  EXPECT_EQ(List(bearer, &list).error_code(), StatusCode::UNAUTHENTICATED);

  // Another user's key is NOT_FOUND, like an unknown one.
  std::string other = LoginToken(NewUser("ak.other"));
  grpc::ClientContext ctx2;
  WithBearer(&ctx2, other);
  EXPECT_EQ(auth_->RevokeAccessKey(&ctx2, req, &revoked).error_code(), StatusCode::NOT_FOUND);
}

TEST_F(AccessKeyTest, CodeRequiredWithTotpAndRetryGivesNoSecret) {
  std::string login = NewUser("ak.totp");
  std::string secret = EnableTotp(LoginToken(login));
  nuage::v1::LoginResponse challenge;
  ASSERT_TRUE(Login(login, kPassword, &challenge).ok());
  grpc::ClientContext vctx;
  nuage::v1::VerifyLoginCodeRequest vreq;
  vreq.set_challenge_token(challenge.challenge_token());
  int64_t now = SafeNow();
  vreq.set_code(TotpCode(secret, now));
  nuage::v1::LoginResponse session;
  ASSERT_TRUE(auth_->VerifyLoginCode(&vctx, vreq, &session).ok());
  std::string token = session.session_token();

  nuage::v1::CreateAccessKeyResponse created;
  EXPECT_EQ(Create(token, kPassword, &created).error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Create(token, kPassword, &created, "000000").error_code(), StatusCode::PERMISSION_DENIED);
  // With TOTP on, no code is e-mailed: the TOTP code is the factor.
  nuage::v1::RequestAccessKeyCodeResponse ignored;
  grpc::Status st = RequestCode(token, &ignored);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "TOTP_ENABLED");
  ASSERT_TRUE(Create(token, kPassword, &created, TotpCode(secret, now + 30), "req-1").ok());
  EXPECT_FALSE(created.secret().empty());
  nuage::v1::CreateAccessKeyResponse retried;
  // A retry of the very same request (its code is spent by now) returns
  // the same key, without its secret.
  st = Create(token, kPassword, &retried, TotpCode(secret, now + 30), "req-1");
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(retried.access_key().id(), created.access_key().id());
  EXPECT_TRUE(retried.secret().empty());
}

TEST_F(AccessKeyTest, WithoutTotpTheEmailedCodeIsRequiredAndWorksOnce) {
  std::string user_id;
  std::string login = NewUser("ak.mail", &user_id);
  std::string token = LoginToken(login);
  nuage::v1::CreateAccessKeyResponse created;
  // The password alone is not enough.
  grpc::Status st = Create(token, kPassword, &created);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_EQ(Create(token, kPassword, &created, "123456").error_code(), StatusCode::PERMISSION_DENIED);

  nuage::v1::RequestAccessKeyCodeResponse resp;
  ASSERT_TRUE(RequestCode(token, &resp).ok());
  EXPECT_TRUE(resp.has_expire_time());
  std::string code = JsonField(LatestOutbox(conninfo(), login + "@example.gouv.fr", "access_key_code"), "code");
  ASSERT_EQ(code.size(), 6u);
  // Stored as a keyed hash only: neither the code nor its plain digests.
  auto rows = PgQuery(conninfo(), "SELECT encode(code_hash, 'hex') FROM access_key_codes WHERE user_id = '" +
                                      user_id + "'");
  ASSERT_EQ(rows.size(), 1u);
  unsigned char plain[32];
  crypto_generichash(plain, sizeof(plain), reinterpret_cast<const unsigned char*>(code.data()), code.size(),
                     nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof(hex), plain, sizeof(plain));
  EXPECT_NE(rows[0][0], hex);
  crypto_hash_sha256(plain, reinterpret_cast<const unsigned char*>(code.data()), code.size());
  sodium_bin2hex(hex, sizeof(hex), plain, sizeof(plain));
  EXPECT_NE(rows[0][0], hex);
  EXPECT_EQ(rows[0][0].find(code), std::string::npos);

  ASSERT_TRUE(Create(token, kPassword, &created, code).ok());
  EXPECT_FALSE(created.secret().empty());
  // Single use.
  EXPECT_EQ(CodeRows(user_id), 0);
  EXPECT_EQ(Create(token, kPassword, &created, code).error_code(), StatusCode::PERMISSION_DENIED);
}

TEST_F(AccessKeyTest, EmailedCodeLivesTenMinutes) {
  std::string login = NewUser("ak.expiry");
  std::string token = LoginToken(login);
  nuage::v1::CreateAccessKeyResponse created;
  std::string code = EmailedCode(token, login);
  AdvanceClock(channel_, 10 * 60);
  EXPECT_EQ(Create(token, kPassword, &created, code).error_code(), StatusCode::PERMISSION_DENIED);
  code = EmailedCode(token, login);
  AdvanceClock(channel_, 10 * 60 - 5);
  grpc::Status st = Create(token, kPassword, &created, code);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

TEST_F(AccessKeyTest, ANewRequestKillsThePreviousCode) {
  std::string login = NewUser("ak.newer");
  std::string token = LoginToken(login);
  std::string first = EmailedCode(token, login);
  std::string second = EmailedCode(token, login);
  nuage::v1::CreateAccessKeyResponse created;
  if (first != second) {
    EXPECT_EQ(Create(token, kPassword, &created, first).error_code(), StatusCode::PERMISSION_DENIED);
  }
  grpc::Status st = Create(token, kPassword, &created, second);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

TEST_F(AccessKeyTest, FifthWrongCodeKillsIt) {
  std::string user_id;
  std::string login = NewUser("ak.wrong", &user_id);
  std::string token = LoginToken(login);
  std::string code = EmailedCode(token, login);
  std::string wrong = code == "000000" ? "111111" : "000000";
  nuage::v1::CreateAccessKeyResponse created;
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(Create(token, kPassword, &created, wrong).error_code(), StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(CodeRows(user_id), 1) << "after " << i + 1 << " wrong codes";
  }
  EXPECT_EQ(Create(token, kPassword, &created, wrong).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CodeRows(user_id), 0) << "the fifth wrong code kills it";
}

TEST_F(AccessKeyTest, FourWrongCodesLeaveTheRightOneWorking) {
  std::string login = NewUser("ak.four");
  std::string token = LoginToken(login);
  std::string code = EmailedCode(token, login);
  std::string wrong = code == "000000" ? "111111" : "000000";
  nuage::v1::CreateAccessKeyResponse created;
  for (int i = 0; i < 4; i++) {
    EXPECT_EQ(Create(token, kPassword, &created, wrong).error_code(), StatusCode::PERMISSION_DENIED);
  }
  grpc::Status st = Create(token, kPassword, &created, code);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

TEST_F(AccessKeyTest, AnAccessKeyCannotAskForACode) {
  std::string login = NewUser("ak.bykey");
  std::string token = LoginToken(login);
  nuage::v1::CreateAccessKeyResponse created;
  ASSERT_TRUE(Create(token, kPassword, &created, EmailedCode(token, login)).ok());
  nuage::v1::RequestAccessKeyCodeResponse resp;
  grpc::Status st = RequestCode(created.access_key().id() + ":" + created.secret(), &resp);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reason(st), "SESSION_REQUIRED");
}

}  // namespace
}  // namespace nuage::testing
