// nuagectl_test.cc — nuagectl against a live server: login with password
// and with TOTP (token saved 0600, or printed), org create, invite, domains
// import of the real Etalab list with progress on stderr, eligibility
// check, human and JSON output.
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "nuage/v1/auth.grpc.pb.h"
#include "tests/identity/account/account_testing.h"
#include "tests/identity/auth/auth_testing.h"
#include "tests/support/nuagectl_runner.h"

namespace nuage::testing {
namespace {

class NuagectlTest : public AccountTest {
 protected:
  void SetUp() override {
    AccountTest::SetUp();
    home_ = MakeCtlHome("home-" + UniqueLogin("h"));
    ASSERT_FALSE(home_.empty());
  }

  // Runs nuagectl --addr SERVER args... with stdin and HOME=home_.
  CtlRun Ctl(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    return RunNuagectl(home_, server_->address(), args, stdin_text);
  }

  std::string home_;
};

TEST_F(NuagectlTest, LoginCreateOrganizationInvite) {
  std::string login = UniqueLogin("ctl.user.");
  SeedUser(conninfo(), login, login + "@example.org", kAccountPassword);

  CtlRun r = Ctl({"login", login}, "wrong password\n");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("UNAUTHENTICATED"), std::string::npos) << r.err;

  r = Ctl({"login", login}, std::string(kAccountPassword) + "\n");
  ASSERT_EQ(r.status, 0) << r.err;
  std::string token_file = home_ + "/.config/nuage/token";
  struct stat st;
  ASSERT_EQ(stat(token_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string token = ReadFile(token_file);
  EXPECT_EQ(token.rfind("nus_", 0), 0u);
  EXPECT_EQ(r.out.find("nus_"), std::string::npos);  // not printed without --print-token
  EXPECT_EQ(r.err.find("nus_"), std::string::npos);

  // The saved token is used by the next commands.
  r = Ctl({"--json", "org", "create", "Mairie-de-" + login});
  ASSERT_EQ(r.status, 0) << r.err;
  std::string org = JsonField(r.out, "id");
  ASSERT_EQ(org.size(), 36u) << r.out;
  EXPECT_EQ(PgQuery(conninfo(), "SELECT name FROM organizations WHERE id = '" + org + "'")[0][0],
            "Mairie-de-" + login);

  std::string invitee = UniqueLogin("ctl.invitee.") + "@example.org";
  r = Ctl({"invite", invitee, "--org", org, "--level", "manager"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("email: " + invitee), std::string::npos) << r.out;
  EXPECT_FALSE(LatestOutbox(conninfo(), invitee, "invitation").empty());

  // Usage errors exit 2.
  r = Ctl({"org", "delete", "x"});
  EXPECT_EQ(r.status, 2);
}

// A time 5 to 20 s into a 30 s TOTP step of the real clock: nuagectl talks
// to a server without diagnostics, so the test cannot move its clock and
// waits (at most 15 s) for a step it can finish in.
int64_t RealClockSafeNow() {
  using namespace std::chrono;
  for (;;) {
    int64_t now = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
    int64_t in_step = now % 30;
    if (in_step >= 5 && in_step <= 20) return now;
    std::this_thread::sleep_for(milliseconds(500));
  }
}

TEST_F(NuagectlTest, LoginWithTotp) {
  std::string login = UniqueLogin("ctl.totp.");
  std::string id = SeedUser(conninfo(), login, login + "@example.org", kAccountPassword);
  std::string session = SeedSession(conninfo(), id, "");
  auto auth = nuage::v1::AuthService::NewStub(channel_);
  nuage::v1::TotpEnrollment enrollment;
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, session);
    ASSERT_TRUE(auth->EnrollTotp(&ctx, nuage::v1::EnrollTotpRequest(), &enrollment).ok());
  }
  int64_t now = RealClockSafeNow();
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, session);
    nuage::v1::ConfirmTotpRequest req;
    req.set_code(TotpCode(enrollment.secret(), now - 30));
    nuage::v1::ConfirmTotpResponse resp;
    grpc::Status s = auth->ConfirmTotp(&ctx, req, &resp);
    ASSERT_TRUE(s.ok()) << Describe(s);
  }
  CtlRun r = Ctl({"--json", "login", "--print-token", login},
                 std::string(kAccountPassword) + "\n" + TotpCode(enrollment.secret(), now) + "\n");
  ASSERT_EQ(r.status, 0) << r.err;
  std::string token = JsonField(r.out, "token");
  ASSERT_EQ(token.rfind("nus_", 0), 0u) << r.out;
  struct stat st;
  EXPECT_NE(stat((home_ + "/.config/nuage/token").c_str(), &st), 0);  // printed, not saved
}

TEST_F(NuagectlTest, DomainsImportWithProgressAndEligibilityCheck) {
  std::string path = EtalabListPath("tests/identity/account/nuagectl_test.cc");
  ASSERT_FALSE(path.empty());
  std::string op = UniqueLogin("ctl.op.");
  SeedUser(conninfo(), op, op + "@nuage.example", kAccountPassword, true);
  CtlRun r = Ctl({"login", op}, std::string(kAccountPassword) + "\n");
  ASSERT_EQ(r.status, 0) << r.err;

  r = Ctl({"domains", "import", path});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("importing: "), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("lines: 2586"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("accepted: 2579"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("duplicates: 7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("invalid: 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("chu-toulouse.fr"), std::string::npos) << r.out;

  r = Ctl({"--json", "domains", "import", path});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"normalized\":11"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"line\":419"), std::string::npos) << r.out;

  r = Ctl({"--json", "eligibility", "check", "agent@dgfip.finances.gouv.fr"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "matched_domain"), "finances.gouv.fr") << r.out;
  r = Ctl({"eligibility", "check", "someone@gmail.com"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("eligible: false"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace nuage::testing

namespace nuage::testing {
namespace {

// The links of e-mails, used from the command line: an invitation accepted
// with a new password, then a reset link setting another one; each link
// works once, and the passwords they set are the ones login accepts.
TEST_F(NuagectlTest, AcceptInvitationAndSetPasswordFromLinks) {
  std::string admin = UniqueLogin("ctl.admin.");
  std::string admin_id = SeedUser(conninfo(), admin, admin + "@example.org", kAccountPassword);
  std::string org = SeedOrganization(conninfo(), "Links " + admin, admin_id);
  ASSERT_EQ(Ctl({"login", admin}, std::string(kAccountPassword) + "\n").status, 0);
  std::string invitee = UniqueLogin("ctl.joiner.");
  CtlRun r = Ctl({"invite", invitee + "@example.org", "--org", org, "--login", invitee});
  ASSERT_EQ(r.status, 0) << r.err;
  std::string link = JsonField(LatestOutbox(conninfo(), invitee + "@example.org", "invitation"), "link");
  ASSERT_NE(link.find("token=nul_"), std::string::npos) << link;

  // A new account needs a phone.
  r = Ctl({"accept-invitation", link}, "Joiner-Pass-2026!\n");
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("phone_mobile"), std::string::npos) << r.err;
  r = Ctl({"--json", "accept-invitation", "--phone-mobile", "06 12 34 56 78", link},
          "Joiner-Pass-2026!\n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "login"), invitee);
  EXPECT_EQ(JsonField(r.out, "organization_id"), org);
  r = Ctl({"accept-invitation", link}, "Joiner-Pass-2026!\n");
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("INVALID_LINK"), std::string::npos) << r.err;
  EXPECT_EQ(Ctl({"login", invitee}, "Joiner-Pass-2026!\n").status, 0);

  // A reset link, by its bare token this time.
  auto auth = nuage::v1::AuthService::NewStub(channel_);
  {
    grpc::ClientContext ctx;
    nuage::v1::RequestPasswordResetRequest req;
    req.set_login(invitee);
    nuage::v1::RequestPasswordResetResponse resp;
    ASSERT_TRUE(auth->RequestPasswordReset(&ctx, req, &resp).ok());
  }
  std::string reset = JsonField(LatestOutbox(conninfo(), invitee + "@example.org", "reset_password"), "link");
  ASSERT_NE(reset.find("token=nul_"), std::string::npos) << reset;
  r = Ctl({"set-password", TokenFromLink(reset)}, "Joiner-Pass-2027!\n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("password set"), std::string::npos) << r.out;
  EXPECT_EQ(Ctl({"set-password", reset}, "Joiner-Pass-2028!\n").status, 3) << "single use";
  EXPECT_EQ(Ctl({"login", invitee}, "Joiner-Pass-2026!\n").status, 3);
  // The saved token died with the reset: login must not send it.
  r = Ctl({"login", invitee}, "Joiner-Pass-2027!\n");
  EXPECT_EQ(r.status, 0) << r.err;
}

}  // namespace
}  // namespace nuage::testing

namespace nuage::testing {
namespace {

// me (profile and rights), member edit, email change and confirm, human
// and JSON.
TEST_F(NuagectlTest, MeMemberEditAndEmailChange) {
  std::string boss = UniqueLogin("ctl.boss.");
  std::string boss_id = SeedUser(conninfo(), boss, boss + "@example.org", kAccountPassword);
  std::string org = SeedOrganization(conninfo(), "Profiles " + boss, boss_id);
  std::string member_id;
  SeedCaller(conninfo(), org, UniqueLogin("ctl.member."), AllLevels(1), &member_id);
  ASSERT_EQ(Ctl({"login", boss}, std::string(kAccountPassword) + "\n").status, 0);

  CtlRun r = Ctl({"--json", "me"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "login"), boss) << r.out;
  EXPECT_EQ(JsonField(r.out, "acting_organization_id"), org) << r.out;
  EXPECT_NE(r.out.find("\"users\":\"manager\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"organization_id\":\"" + org + "\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"referent\":\"true\""), std::string::npos) << r.out;
  r = Ctl({"me"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("login: " + boss), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("contract: manager"), std::string::npos) << r.out;

  r = Ctl({"--json", "member", "edit", member_id, "--first-name", "Claude", "--civility", "ms",
           "--phone-mobile", "06 55 44 33 22", "--language", "en"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "first_name"), "Claude") << r.out;
  EXPECT_EQ(JsonField(r.out, "civility"), "ms") << r.out;
  EXPECT_EQ(JsonField(r.out, "phone_mobile"), "+33655443322") << r.out;
  EXPECT_EQ(JsonField(r.out, "organization_id"), org) << r.out;
  EXPECT_EQ(PgQuery(conninfo(), "SELECT first_name, language FROM users WHERE id = '" + member_id +
                                    "'")[0],
            (std::vector<std::string>{"Claude", "en"}));
  // Again with the etag it reads anew; nothing to change is a usage error;
  // a bad value is the server's field violation.
  r = Ctl({"member", "edit", member_id, "--last-name", "Bernard"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("last_name: Bernard"), std::string::npos) << r.out;
  EXPECT_EQ(Ctl({"member", "edit", member_id}).status, 2);
  r = Ctl({"member", "edit", member_id, "--language", "de"});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("member.language"), std::string::npos) << r.err;

  std::string fresh = boss + "@nouvelle-adresse.fr";
  r = Ctl({"--json", "email", "change", fresh}, std::string(kAccountPassword) + "\n");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "new_email"), fresh) << r.out;
  std::string link = JsonField(LatestOutbox(conninfo(), fresh, "email_change_confirm"), "link");
  ASSERT_NE(link.find("token=nul_"), std::string::npos) << link;
  r = Ctl({"--json", "email", "confirm", link});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "email"), fresh) << r.out;
  EXPECT_EQ(Ctl({"email", "confirm", link}).status, 3) << "single use";
  r = Ctl({"email", "change", boss + "@autre.fr"}, "wrong password\n");
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("REAUTHENTICATION_FAILED"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace nuage::testing
