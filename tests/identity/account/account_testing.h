// account_testing.h — what the account end-to-end tests share (sign-up,
// eligibility, credits, audit, outbox): one server per binary, the stubs,
// sign-up helpers that read the confirmation link from the outbox, and the
// Etalab list from shared/data.
#ifndef NUAGE_TESTS_IDENTITY_ACCOUNT_ACCOUNT_TESTING_H
#define NUAGE_TESTS_IDENTITY_ACCOUNT_ACCOUNT_TESTING_H

#include <gtest/gtest.h>
#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "nuage/v1/audit.grpc.pb.h"
#include "nuage/v1/eligibility.grpc.pb.h"
#include "nuage/v1/user.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {

// A password the policy accepts.
inline const char kAccountPassword[] = "Correct-Horse-42!";

class AccountTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  const std::string& conninfo() const { return SharedCluster().conninfo(); }

  // A fresh unique login "<prefix>NNN".
  static std::string UniqueLogin(const std::string& prefix);

  // SignUp of a company account; returns the RPC status.
  grpc::Status SignUp(const std::string& login, const std::string& email,
                      const std::string& password = kAccountPassword);
  // The newest confirmation link token e-mailed to email ("" if none).
  std::string ConfirmToken(const std::string& email);
  // ConfirmEmail with a mobile phone (the account needs one; "" for none).
  grpc::Status Confirm(const std::string& token, nuage::v1::ConfirmEmailResponse* resp = nullptr,
                       const std::string& mobile = "07 11 22 33 44");
  grpc::Status AcceptTerms(const std::string& login, const std::string& password,
                           nuage::v1::User* user = nullptr);
  // Sign-up, confirmation and terms: an active user; returns its id.
  std::string ActiveSignedUpUser(const std::string& login, const std::string& email);

  // An operator and a session of theirs.
  std::string OperatorToken();

  // Imports text through the stream as operator; summary to *out.
  grpc::Status ImportText(const std::string& token, const std::string& text,
                          nuage::v1::EligibleDomainImport* out, size_t chunk = 4096,
                          int* progress_messages = nullptr);

  static ServerProcess* server_;
  // The server's --import-dir, a fresh directory of this binary.
  static std::string import_dir_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<nuage::v1::UserService::Stub> users_;
  std::unique_ptr<nuage::v1::EligibilityService::Stub> eligibility_;
  std::unique_ptr<nuage::v1::AuditService::Stub> audit_;
};

// The ErrorInfo reason of a status ("" when none).
std::string ReasonOf(const grpc::Status& st);

// The Etalab list in shared/data (see tests/domain/eligibility); "" with a
// test failure when it cannot be found. self is this test's source file,
// relative to the workspace, whose runfiles symlink leads to the checkout.
std::string EtalabListPath(const std::string& self);
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& text);
// A fresh directory "<name>-XXXXXX" under TEST_TMPDIR.
std::string TempDir(const std::string& name);

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_IDENTITY_ACCOUNT_ACCOUNT_TESTING_H
