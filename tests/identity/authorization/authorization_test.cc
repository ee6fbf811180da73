// authorization_test.cc — every RPC of the method table, called with too
// low rights, is refused.
//
// The test does not list the RPCs: it walks the server's own method table
// (nu_methods_build, the table the server serves), so an RPC added later is
// covered without anyone remembering to add it. For each row:
//   SECTION        a member one level short on that section → PERMISSION_DENIED,
//                  and a caller without credentials → UNAUTHENTICATED;
//   OPERATOR       a manager of every section who is not the platform
//                  operator → PERMISSION_DENIED;
//   AUTHENTICATED  no credentials → UNAUTHENTICATED;
//   PUBLIC         must be on the explicit list below: making an RPC public
//                  is a decision this file records.
// A row with no declared access fails nu_method_table_check (and the
// server refuses to start). Requests are empty messages: authorisation
// comes before validation, so their content does not matter.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "server/rpc/methods.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

// Every RPC anyone may call without credentials.
const std::set<std::string> kPublic = {
    "/grpc.health.v1.Health/Check",
    "/grpc.health.v1.Health/Watch",
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
    "/nuage.v1.SystemService/GetServerInfo",
    "/nuage.v1.DiagnosticsService/Sleep",
    "/nuage.v1.DiagnosticsService/AdvanceClock",
    // Signing in and recovering access.
    "/nuage.v1.AuthService/Login",
    "/nuage.v1.AuthService/VerifyLoginCode",
    "/nuage.v1.AuthService/RequestPasswordReset",
    "/nuage.v1.AuthService/ResetPassword",
    "/nuage.v1.AuthService/RequestLoginReminder",
    // Joining: invitation links, self-service sign-up.
    "/nuage.v1.OrganizationService/AcceptInvitation",
    "/nuage.v1.UserService/SignUp",
    "/nuage.v1.UserService/ResendConfirmationEmail",
    "/nuage.v1.UserService/ConfirmEmail",
    "/nuage.v1.UserService/AcceptTerms",
    // Anyone may ask whether an e-mail is eligible for the credit.
    "/nuage.v1.EligibilityService/CheckEligibility",
    // The catalogue is browsed by anonymous visitors too (drafts stay
    // visible to their seller only).
    "/nuage.v1.CatalogService/GetStorefront",
    "/nuage.v1.CatalogService/GetProduct",
    "/nuage.v1.CatalogService/ListProducts",
    "/nuage.v1.CatalogService/ListPricingPlans",
    "/nuage.v1.CatalogService/ListProductVersions",
    "/nuage.v1.CatalogService/EstimatePrice",
};

class AuthorizationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    nu_methods_options opts = {.diagnostics = true};
    nu_methods_build(&opts, &table_);
    const std::string& db = SharedCluster().conninfo();
    server_ = ServerProcess::Start(db, {"--enable-diagnostics"}).release();
    std::string referent = SeedUser(db, "referent.authz", "referent@authz.example", "Correct-Horse-42!");
    std::string org = SeedOrganization(db, "Authz Org", referent, true, true);
    for (int level = 0; level <= 2; level++) {
      tokens_[level] = SeedCaller(db, org, "level" + std::to_string(level) + ".authz", AllLevels(level));
    }
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  grpc::Status Call(const nu_method& m, const std::string& token) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    if (!token.empty()) WithBearer(&ctx, token);
    return RawUnary(channel_, m.path, "", &ctx);
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    channel_ = Connect(server_->address());
  }

  static nu_method_table table_;
  static ServerProcess* server_;
  static std::string tokens_[3];  // callers with every section at none, visitor, manager
  std::shared_ptr<grpc::Channel> channel_;
};

nu_method_table AuthorizationTest::table_;
ServerProcess* AuthorizationTest::server_ = nullptr;
std::string AuthorizationTest::tokens_[3];

TEST_F(AuthorizationTest, TheTableDeclaresAnAccessRuleForEveryRow) {
  const nu_method* bad = nullptr;
  const char* problem = nu_method_table_check(&table_, &bad);
  EXPECT_EQ(problem, nullptr) << (bad != nullptr ? bad->path : "") << ": " << (problem ? problem : "");
  EXPECT_GT(table_.count, 20u) << "the identity services are missing from the table";
}

TEST_F(AuthorizationTest, EveryRpcRefusesTooLowRights) {
  size_t checked = 0;
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    SCOPED_TRACE(m.path);
    switch (m.access) {
      case NU_ACCESS_PUBLIC:
        EXPECT_EQ(kPublic.count(m.path), 1u) << m.path << " is public but not on the list of public RPCs";
        break;
      case NU_ACCESS_AUTHENTICATED: {
        grpc::Status st = Call(m, "");
        EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(st);
        break;
      }
      case NU_ACCESS_OPERATOR: {
        grpc::Status st = Call(m, tokens_[NU_LEVEL_MANAGER]);
        EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(st);
        st = Call(m, "");
        EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(st);
        break;
      }
      case NU_ACCESS_SECTION: {
        ASSERT_GE(m.level, NU_LEVEL_VISITOR);
        grpc::Status st = Call(m, tokens_[m.level - 1]);
        EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(st);
        if (auto d = StatusDetails(st)) {
          auto info = FindErrorInfo(*d);
          ASSERT_TRUE(info.has_value());
          EXPECT_EQ(info->reason(), "INSUFFICIENT_ROLE");
        }
        st = Call(m, "");
        EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(st);
        break;
      }
      default:
        ADD_FAILURE() << m.path << " declares no access rule";
    }
    checked++;
  }
  EXPECT_EQ(checked, table_.count);
}

// The check is not vacuous: the same callers with enough rights get past
// authorisation (whatever the handler then answers).
TEST_F(AuthorizationTest, EnoughRightsPassTheCheck) {
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    if (m.access != NU_ACCESS_SECTION) continue;
    SCOPED_TRACE(m.path);
    grpc::Status st = Call(m, tokens_[m.level]);
    EXPECT_NE(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(st);
    EXPECT_NE(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(st);
  }
}

TEST_F(AuthorizationTest, PublicListHasNoStaleEntries) {
  std::set<std::string> served;
  for (size_t i = 0; i < table_.count; i++) served.insert(table_.rows[i].path);
  for (const auto& p : kPublic) EXPECT_EQ(served.count(p), 1u) << p << " is listed but not served";
}

}  // namespace
}  // namespace nuage::testing
