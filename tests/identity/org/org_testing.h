// org_testing.h — the fixture of the OrganizationService end-to-end tests:
// one server (with diagnostics, to move its clock) per test binary, a
// stub, unique names, and a few shortcuts to call as someone.
#ifndef NUAGE_TESTS_IDENTITY_ORG_ORG_TESTING_H
#define NUAGE_TESTS_IDENTITY_ORG_ORG_TESTING_H

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "nuage/v1/organization.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {

class OrgTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = ServerProcess::Start(SharedCluster().conninfo(), {"--enable-diagnostics"}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "the server did not start";
    channel_ = Connect(server_->address());
    stub_ = nuage::v1::OrganizationService::NewStub(channel_);
  }

  static const std::string& Db() { return SharedCluster().conninfo(); }

  // "prefix" + a number unique in this binary (logins need 8+ characters).
  static std::string Unique(const std::string& prefix) {
    static std::atomic<int> n{0};
    return prefix + std::to_string(100000 + n++);
  }

  // A context with a 10 s deadline and the bearer token (none if empty).
  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& token,
                                                  const std::string& request_id = "") {
    auto ctx = std::make_unique<grpc::ClientContext>();
    SetDeadline(ctx.get(), milliseconds(10000));
    if (!token.empty()) WithBearer(ctx.get(), token);
    if (!request_id.empty()) ctx->AddMetadata("x-request-id", request_id);
    return ctx;
  }

  // An organisation with a referent signed in to it; *org and *user get ids.
  struct Team {
    std::string org;
    std::string referent;
    std::string token;  // the referent's session, acting for org
  };
  static Team NewTeam(const std::string& status = "validated") {
    Team t;
    std::string login = Unique("referent");
    t.referent = SeedUser(Db(), login, login + "@mairie-test.fr", "Str0ng&Password!");
    t.org = SeedOrganization(Db(), Unique("Mairie "), t.referent, true, false, status);
    t.token = SeedSession(Db(), t.referent, t.org);
    return t;
  }

  // A platform operator's session acting for no organisation.
  static std::string Operator() {
    std::string login = Unique("operator");
    std::string id = SeedUser(Db(), login, login + "@nuage.gouv.fr", "Str0ng&Password!", true);
    return SeedSession(Db(), id, "");
  }

  static std::string Reason(const grpc::Status& st) {
    auto details = StatusDetails(st);
    if (!details) return "";
    auto info = FindErrorInfo(*details);
    return info ? info->reason() : "";
  }

  // Whether the status carries a field violation on field.
  static bool HasViolation(const grpc::Status& st, const std::string& field) {
    auto details = StatusDetails(st);
    if (!details) return false;
    auto br = FindBadRequest(*details);
    if (!br) return false;
    for (const auto& v : br->field_violations()) {
      if (v.field() == field) return true;
    }
    return false;
  }

  static int Count(const std::string& sql) {
    auto rows = PgQuery(Db(), sql);
    return rows.empty() ? -1 : std::stoi(rows[0][0]);
  }

  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<nuage::v1::OrganizationService::Stub> stub_;
};

inline ServerProcess* OrgTest::server_ = nullptr;

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_IDENTITY_ORG_ORG_TESTING_H
