// auth_testing.h — what the AuthService end-to-end tests share: one server
// per binary, stubs, and TOTP codes computed on the test's side with
// liboath from the secret the server returned, for the server's clock.
#ifndef NUAGE_TESTS_IDENTITY_AUTH_AUTH_TESTING_H
#define NUAGE_TESTS_IDENTITY_AUTH_AUTH_TESTING_H

#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "nuage/v1/auth.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {

// A password the policy accepts.
inline const char kPassword[] = "Correct-Horse-42!";

// One server (with diagnostics) for the whole test binary.
class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  const std::string& conninfo() const { return SharedCluster().conninfo(); }

  // Login over gRPC; the reply goes to *resp.
  grpc::Status Login(const std::string& login, const std::string& password,
                     nuage::v1::LoginResponse* resp);
  // Login that must succeed without TOTP: returns the session token.
  std::string LoginToken(const std::string& login, const std::string& password = kPassword);

  // A fresh user (active, kPassword) with a unique login "<prefix>NNN",
  // e-mail "<login>@example.gouv.fr", member of a fresh organisation;
  // *org_id gets it when given. Returns the login; *user_id the id.
  std::string NewUser(const std::string& prefix, std::string* user_id = nullptr,
                      std::string* org_id = nullptr);

  // Enrols and confirms TOTP for the session token; returns the base32
  // secret (recovery codes to *codes when given). The confirming code is
  // the previous step's, so the current step stays usable.
  std::string EnableTotp(const std::string& token, std::vector<std::string>* codes = nullptr);

  // The server's clock (Unix seconds) after moving it forward by advance
  // seconds (DiagnosticsService/AdvanceClock; 0 just reads it).
  int64_t ServerSeconds(int64_t advance);
  // The server's clock (Unix seconds), moved forward first when needed so
  // that now+-5 s stays inside one 30 s step: codes computed here for that
  // time then mean the same step to the server. Never waits.
  int64_t SafeNow();

  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<nuage::v1::AuthService::Stub> auth_;
};

// The 6-digit TOTP code of base32 secret at Unix second t.
std::string TotpCode(const std::string& secret_b32, int64_t t);

// The ErrorInfo reason of a status ("" when none).
std::string Reason(const grpc::Status& st);

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_IDENTITY_AUTH_AUTH_TESTING_H
