// bootstrap_test.cc — `nuage-server create-operator`: migrations applied, an
// operator created, the set-password link printed on stdout and nowhere
// else, the link usable with AuthService.ResetPassword, re-runs idempotent.
#include "nuage/v1/auth.grpc.pb.h"
#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

std::string LinkToken(const std::string& out) {
  size_t at = out.find("token=");
  if (at == std::string::npos) return "";
  size_t end = out.find_first_of(" \n", at);
  return out.substr(at + 6, end == std::string::npos ? std::string::npos : end - at - 6);
}

TEST(BootstrapTest, CreateOperatorPrintsASetPasswordLinkOnStdoutOnly) {
  const std::string& db = SharedCluster().conninfo();
  ServerExit ex = ServerProcess::Run({"create-operator", "--login", "root.operator",
                                      "--email", "Root@Nuage.Example", "--database-url", db,
                                      "--public-url", "https://nuage.example"});
  ASSERT_FALSE(ex.timed_out);
  ASSERT_EQ(ex.status, 0) << ex.err;
  EXPECT_NE(ex.out.find("https://nuage.example/reset-password?token=nul_"), std::string::npos)
      << ex.out;
  std::string token = LinkToken(ex.out);
  ASSERT_EQ(token.rfind("nul_", 0), 0u) << ex.out;
  EXPECT_EQ(ex.err.find(token), std::string::npos);
  auto rows = PgQuery(db, "SELECT status, platform_operator, password_hash IS NULL, email"
                          " FROM users WHERE login = 'root.operator'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"active", "t", "t", "Root@nuage.example"}));

  // A re-run gives a new link (the first stops working) and no second user.
  ServerExit again = ServerProcess::Run({"create-operator", "--login",
                                         "root.operator", "--email", "root@nuage.example",
                                         "--database-url", db});
  ASSERT_EQ(again.status, 0) << again.err;
  std::string token2 = LinkToken(again.out);
  ASSERT_FALSE(token2.empty());
  EXPECT_NE(token2, token);
  EXPECT_EQ(PgQuery(db, "SELECT count(*) FROM users WHERE login = 'root.operator'")[0][0], "1");
  // Someone else's e-mail is refused.
  ServerExit clash = ServerProcess::Run({"create-operator", "--login",
                                         "other.operator", "--email", "root@nuage.example",
                                         "--database-url", db});
  EXPECT_NE(clash.status, 0);

  // The link sets the password; the operator can then sign in.
  auto server = ServerProcess::Start(db);
  ASSERT_NE(server, nullptr);
  auto auth = nuage::v1::AuthService::NewStub(Connect(server->address()));
  {
    grpc::ClientContext ctx;
    nuage::v1::ResetPasswordRequest req;
    req.set_token(token2);
    req.set_new_password(kAccountPassword);
    nuage::v1::ResetPasswordResponse resp;
    grpc::Status st = auth->ResetPassword(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  grpc::ClientContext ctx;
  nuage::v1::LoginRequest req;
  req.set_login("root.operator");
  req.set_password(kAccountPassword);
  nuage::v1::LoginResponse resp;
  grpc::Status st = auth->Login(&ctx, req, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_FALSE(resp.session_token().empty());
}

TEST(BootstrapTest, UsageErrors) {
  ServerExit ex = ServerProcess::Run({"create-operator", "--login", "x"});
  EXPECT_EQ(ex.status, 2);
}

}  // namespace
}  // namespace nuage::testing
