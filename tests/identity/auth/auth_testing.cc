// auth_testing.cc — see auth_testing.h.
#include "tests/identity/auth/auth_testing.h"

#include <liboath/oath.h>

#include <atomic>

#include "nuage/v1/diagnostics.grpc.pb.h"

namespace nuage::testing {

ServerProcess* AuthTest::server_ = nullptr;

void AuthTest::SetUpTestSuite() {
  server_ = ServerProcess::Start(SharedCluster().conninfo(), {"--enable-diagnostics"}).release();
}

void AuthTest::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
}

void AuthTest::SetUp() {
  ASSERT_NE(server_, nullptr) << "the server did not start";
  channel_ = Connect(server_->address());
  auth_ = nuage::v1::AuthService::NewStub(channel_);
}

grpc::Status AuthTest::Login(const std::string& login, const std::string& password,
                             nuage::v1::LoginResponse* resp) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(20000));
  nuage::v1::LoginRequest req;
  req.set_login(login);
  req.set_password(password);
  return auth_->Login(&ctx, req, resp);
}

std::string AuthTest::LoginToken(const std::string& login, const std::string& password) {
  nuage::v1::LoginResponse resp;
  grpc::Status st = Login(login, password, &resp);
  EXPECT_TRUE(st.ok()) << Describe(st);
  EXPECT_TRUE(resp.challenge_token().empty());
  return resp.session_token();
}

std::string AuthTest::NewUser(const std::string& prefix, std::string* user_id,
                              std::string* org_id) {
  static std::atomic<int> counter{0};
  std::string login = prefix + std::to_string(100 + counter++);
  std::string id = SeedUser(conninfo(), login, login + "@example.gouv.fr", kPassword);
  std::string org = SeedOrganization(conninfo(), "Org of " + login, id);
  if (user_id != nullptr) *user_id = id;
  if (org_id != nullptr) *org_id = org;
  return login;
}

std::string AuthTest::EnableTotp(const std::string& token, std::vector<std::string>* codes) {
  nuage::v1::TotpEnrollment enrollment;
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    grpc::Status st = auth_->EnrollTotp(&ctx, nuage::v1::EnrollTotpRequest(), &enrollment);
    EXPECT_TRUE(st.ok()) << Describe(st);
  }
  int64_t now = SafeNow();
  grpc::ClientContext ctx;
  WithBearer(&ctx, token);
  nuage::v1::ConfirmTotpRequest req;
  req.set_code(TotpCode(enrollment.secret(), now - 30));
  nuage::v1::ConfirmTotpResponse resp;
  grpc::Status st = auth_->ConfirmTotp(&ctx, req, &resp);
  EXPECT_TRUE(st.ok()) << Describe(st);
  if (codes != nullptr) codes->assign(resp.recovery_codes().begin(), resp.recovery_codes().end());
  return enrollment.secret();
}

std::string TotpCode(const std::string& secret_b32, int64_t t) {
  static std::once_flag once;
  std::call_once(once, [] { oath_init(); });
  char* secret = nullptr;
  size_t len = 0;
  if (oath_base32_decode(secret_b32.data(), secret_b32.size(), &secret, &len) != OATH_OK) {
    ADD_FAILURE() << "secret is not base32";
    return "";
  }
  char out[7] = {0};
  int rc = oath_totp_generate(secret, len, static_cast<time_t>(t), 30, 0, 6, out);
  free(secret);
  EXPECT_EQ(rc, OATH_OK);
  return out;
}

int64_t AuthTest::ServerSeconds(int64_t advance) {
  auto stub = nuage::v1::DiagnosticsService::NewStub(channel_);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(5000));
  nuage::v1::AdvanceClockRequest req;
  req.set_seconds(advance);
  nuage::v1::AdvanceClockResponse resp;
  grpc::Status st = stub->AdvanceClock(&ctx, req, &resp);
  EXPECT_TRUE(st.ok()) << Describe(st);
  return resp.now().seconds();
}

int64_t AuthTest::SafeNow() {
  int64_t now = ServerSeconds(0);
  int64_t in_step = now % 30;
  if (in_step >= 5 && in_step <= 20) return now;
  // Move the server's clock (forward only) to 5 s into the next step
  // instead of waiting for it.
  return ServerSeconds((35 - in_step) % 30);
}

std::string Reason(const grpc::Status& st) {
  google::rpc::Status details;
  if (!details.ParseFromString(st.error_details())) return "";
  auto info = FindErrorInfo(details);
  return info ? info->reason() : "";
}

}  // namespace nuage::testing
