// catalog_testing.h — the fixture shared by the catalogue end-to-end tests
// (browse/, pricing/, product/): one server per test suite, a
// CatalogService stub, unique names, contexts with a bearer token,
// organisations whose referent is signed in to them, and shortcuts to read
// error details and query PostgreSQL.
#ifndef NUAGE_TESTS_CATALOG_CATALOG_TESTING_H
#define NUAGE_TESTS_CATALOG_CATALOG_TESTING_H

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "nuage/v1/catalog.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {

class CatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;

  static const std::string& Db() { return SharedCluster().conninfo(); }

  // "prefix" + a number unique in this binary (logins need 8+ characters).
  static std::string Unique(const std::string& prefix);

  // A context with a 10 s deadline and the bearer token (none if empty).
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token = "");

  // An organisation whose referent (manager everywhere) is signed in to it.
  struct Team {
    std::string org;
    std::string referent;  // the referent's user id
    std::string email;     // the referent's e-mail
    std::string token;     // the referent's session, acting for org
  };
  static Team NewTeam(bool buyer, bool seller, const std::string& status = "validated");
  // A seller organisation (not a buyer).
  static Team Seller(const std::string& status = "validated") { return NewTeam(false, true, status); }
  // A validated buyer organisation (not a seller).
  static Team Buyer() { return NewTeam(true, false); }

  // The ErrorInfo reason of st ("" when none).
  static std::string Reason(const grpc::Status& st);
  // Whether st carries a field violation on field.
  static bool HasViolation(const grpc::Status& st, const std::string& field);

  // The first column of the first row of sql ("" when none).
  static std::string One(const std::string& sql);
  // The first column of the first row of sql as a number (-1 when none).
  static int Count(const std::string& sql);

  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<nuage::v1::CatalogService::Stub> stub_;
};

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_CATALOG_CATALOG_TESTING_H
