// authorization_test.cc — every RPC of the method table, called with too
// low rights, is refused.
//
// The test does not list the RPCs: it walks the server's own method table
// (nu_methods_build, the table the server serves), so an RPC added later is
// covered without anyone remembering to add it. The access each row must
// have is read here, independently of the server's loader, from the
// (nuage.v1.access) option in the embedded descriptor set with C++
// libprotobuf; the table must agree with it, and the calls below test what
// the option says (what client teams read), not what the table says. For
// each row:
//   SECTION        a member one level short on that section → PERMISSION_DENIED,
//                  and a caller without credentials → UNAUTHENTICATED;
//   OPERATOR       a manager of every section who is not the platform
//                  operator → PERMISSION_DENIED;
//   AUTHENTICATED  no credentials → UNAUTHENTICATED;
//   PUBLIC         must be on the explicit list below: making an RPC public
//                  is a decision this file records.
// A method with no option makes nu_methods_build fail (and the server
// refuses to start; see tests/unit/method_access_test.cc). Requests are empty messages: authorisation
// comes before validation, so their content does not matter.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "nuage/v1/access.pb.h"

#include "server/dispatch/methods.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

extern "C" {
extern const unsigned char nu_descriptor_set[];
extern const size_t nu_descriptor_set_len;
}

namespace nuage::testing {
namespace {

// What a method's (nuage.v1.access) option says, in the table's terms.
struct Declared {
  nu_access access = NU_ACCESS_UNSPECIFIED;
  nu_section section = NU_SECTION_NONE;
  nu_level level = NU_LEVEL_NONE;
};

// Path → declared access, for every method of the embedded set: from the
// option for nuage.v1, PUBLIC for health and reflection (not our .proto
// files; the server lists them as public).
std::map<std::string, Declared> DeclaredAccess() {
  google::protobuf::FileDescriptorSet set;
  EXPECT_TRUE(set.ParseFromArray(nu_descriptor_set, static_cast<int>(nu_descriptor_set_len)));
  std::map<std::string, Declared> out;
  for (const auto& f : set.file()) {
    for (const auto& s : f.service()) {
      for (const auto& m : s.method()) {
        std::string path = "/" + f.package() + "." + s.name() + "/" + m.name();
        Declared d;
        if (f.package() != "nuage.v1") {
          d.access = NU_ACCESS_PUBLIC;
        } else if (m.options().HasExtension(nuage::v1::access)) {
          const nuage::v1::AccessRule& r = m.options().GetExtension(nuage::v1::access);
          switch (r.kind()) {
            case nuage::v1::ACCESS_KIND_PUBLIC: d.access = NU_ACCESS_PUBLIC; break;
            case nuage::v1::ACCESS_KIND_AUTHENTICATED: d.access = NU_ACCESS_AUTHENTICATED; break;
            case nuage::v1::ACCESS_KIND_OPERATOR: d.access = NU_ACCESS_OPERATOR; break;
            case nuage::v1::ACCESS_KIND_SECTION:
              d.access = NU_ACCESS_SECTION;
              // Same numbering for sections; the API's levels start at
              // LEVEL_NONE = 1.
              d.section = static_cast<nu_section>(r.section());
              d.level = static_cast<nu_level>(r.level() - 1);
              break;
            default: break;
          }
        }
        out[path] = d;
      }
    }
  }
  return out;
}

// Every RPC anyone may call without credentials.
const std::set<std::string> kPublic = {
    "/grpc.health.v1.Health/Check",
    "/grpc.health.v1.Health/Watch",
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
    "/nuage.v1.SystemService/GetServerInfo",
    "/nuage.v1.DiagnosticsService/Sleep",
    "/nuage.v1.DiagnosticsService/AdvanceClock",
    "/nuage.v1.DiagnosticsService/SetClock",
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
    // The e-mailed link that confirms a new address may be opened anywhere.
    "/nuage.v1.UserService/ConfirmEmailChange",
    // Anyone may ask whether an e-mail is eligible for the credit.
    "/nuage.v1.EligibilityService/CheckEligibility",
    // Anyone may ask for a missing public-body domain to be listed.
    "/nuage.v1.EligibilityService/RequestEligibleDomain",
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
    const char* bad_path = nullptr;
    problem_ = nu_methods_build(&opts, &table_, &bad_path);
    if (problem_ != nullptr) bad_path_ = bad_path != nullptr ? bad_path : "";
    declared_ = DeclaredAccess();
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

  // The access the option declares for m (UNSPECIFIED when none).
  static Declared Of(const nu_method& m) {
    auto it = declared_.find(m.path);
    return it == declared_.end() ? Declared{} : it->second;
  }

  static nu_method_table table_;
  static const char* problem_;
  static std::string bad_path_;
  static std::map<std::string, Declared> declared_;
  static ServerProcess* server_;
  static std::string tokens_[3];  // callers with every section at none, visitor, manager
  std::shared_ptr<grpc::Channel> channel_;
};

nu_method_table AuthorizationTest::table_;
const char* AuthorizationTest::problem_ = nullptr;
std::string AuthorizationTest::bad_path_;
std::map<std::string, Declared> AuthorizationTest::declared_;
ServerProcess* AuthorizationTest::server_ = nullptr;
std::string AuthorizationTest::tokens_[3];

TEST_F(AuthorizationTest, TheTableDeclaresAnAccessRuleForEveryRow) {
  EXPECT_EQ(problem_, nullptr) << bad_path_ << ": " << (problem_ ? problem_ : "");
  EXPECT_GT(table_.count, 20u) << "the identity services are missing from the table";
}

// The access the server enforces is the one the .proto declares.
TEST_F(AuthorizationTest, EveryRowHasTheAccessItsProtoDeclares) {
  ASSERT_GT(table_.count, 0u);
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    SCOPED_TRACE(m.path);
    Declared d = Of(m);
    EXPECT_NE(d.access, NU_ACCESS_UNSPECIFIED) << "no (nuage.v1.access) option";
    EXPECT_EQ(m.access, d.access);
    EXPECT_EQ(m.section, d.section);
    EXPECT_EQ(m.level, d.level);
  }
}

TEST_F(AuthorizationTest, EveryRpcRefusesTooLowRights) {
  size_t checked = 0;
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    SCOPED_TRACE(m.path);
    const Declared d = Of(m);
    switch (d.access) {
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
        ASSERT_GE(d.level, NU_LEVEL_VISITOR);
        grpc::Status st = Call(m, tokens_[d.level - 1]);
        EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(st);
        if (auto details = StatusDetails(st)) {
          auto info = FindErrorInfo(*details);
          ASSERT_TRUE(info.has_value());
          EXPECT_EQ(info->reason(), "INSUFFICIENT_ROLE");
        }
        // The refusal names the section and level the option declares.
        std::string want = std::string("level ") + nu_level_name(d.level) + " on section " +
                           nu_section_name(d.section);
        EXPECT_NE(st.error_message().find(want), std::string::npos)
            << st.error_message() << " lacks " << want;
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
    const Declared d = Of(m);
    if (d.access != NU_ACCESS_SECTION) continue;
    SCOPED_TRACE(m.path);
    grpc::Status st = Call(m, tokens_[d.level]);
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
