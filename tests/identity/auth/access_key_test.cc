// access_key_test.cc — access keys: created after re-entering password (and
// code), secret shown once and stored hashed, usable as a bearer
// credential, last use recorded, listed without secrets, revocable.
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
  grpc::Status List(const std::string& bearer, nuage::v1::ListAccessKeysResponse* resp) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, bearer);
    return auth_->ListAccessKeys(&ctx, nuage::v1::ListAccessKeysRequest(), resp);
  }
};

TEST_F(AccessKeyTest, CreatedKeyWorksAsACredentialAndIsStoredHashed) {
  std::string user_id, org_id;
  std::string token = LoginToken(NewUser("ak.create", &user_id, &org_id));
  nuage::v1::CreateAccessKeyResponse created;
  grpc::Status st = Create(token, "Wrong-Password-99!", &created);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED);
  st = Create(token, kPassword, &created);
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
  std::string token = LoginToken(NewUser("ak.revoke"));
  nuage::v1::CreateAccessKeyResponse created;
  ASSERT_TRUE(Create(token, kPassword, &created).ok());
  std::string bearer = created.access_key().id() + ":" + created.secret();
  nuage::v1::ListAccessKeysResponse list;
  ASSERT_TRUE(List(bearer, &list).ok());

  grpc::ClientContext ctx;
  WithBearer(&ctx, token);
  nuage::v1::RevokeAccessKeyRequest req;
  req.set_id(created.access_key().id());
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
  EXPECT_EQ(Create(token, kPassword, &created).error_code(), StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Create(token, kPassword, &created, TotpCode(secret, now + 30), "req-1").ok());
  EXPECT_FALSE(created.secret().empty());
  nuage::v1::CreateAccessKeyResponse retried;
  // A retry of the very same request (its code is spent by now) returns
  // the same key, without its secret.
  grpc::Status st = Create(token, kPassword, &retried, TotpCode(secret, now + 30), "req-1");
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(retried.access_key().id(), created.access_key().id());
  EXPECT_TRUE(retried.secret().empty());
}

}  // namespace
}  // namespace nuage::testing
