// nuagectl_org_test.cc — `nuagectl org show|list|rename|refs` against a live
// server: the code shown, show by id or code, list --query, the referent's
// rename and REF1-3 (another manager refused), human and JSON output.
#include "tests/identity/org/org_testing.h"
#include "tests/support/nuagectl_runner.h"

namespace nuage::testing {
namespace {

class NuagectlOrgTest : public OrgTest {
 protected:
  void SetUp() override {
    OrgTest::SetUp();
    home_ = MakeCtlHome("home-" + Unique("org"));
    ASSERT_FALSE(home_.empty());
  }

  CtlRun Ctl(const std::string& token, const std::vector<std::string>& args) {
    return RunNuagectl(home_, server_->address(), args, "", token);
  }

  static std::string CodeOf(const std::string& org) {
    return PgQuery(Db(), "SELECT code FROM organizations WHERE id = '" + org + "'")[0][0];
  }

  std::string home_;
};

TEST_F(NuagectlOrgTest, ShowByIdOrCode) {
  Team t = NewTeam();
  std::string code = CodeOf(t.org);

  CtlRun r = Ctl(t.token, {"org", "show"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("code: " + code), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("id: " + t.org), std::string::npos) << r.out;

  r = Ctl(t.token, {"--json", "org", "show", code});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "id"), t.org) << r.out;
  EXPECT_EQ(JsonField(r.out, "code"), code) << r.out;

  r = Ctl(t.token, {"--json", "org", "show", t.org});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "code"), code) << r.out;

  // A malformed code: the server's field violation, exit 3.
  r = Ctl(t.token, {"org", "show", "ORG-12"});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("INVALID_ARGUMENT"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("organization_code"), std::string::npos) << r.err;

  // A contract visitor: details withheld.
  std::string visitor = SeedCaller(Db(), t.org, Unique("visitor"), AllLevels(1));
  r = Ctl(visitor, {"--json", "org", "show"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("\"company_details_withheld\":\"true\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"billing_details\":null"), std::string::npos) << r.out;
}

TEST_F(NuagectlOrgTest, ListWithQuery) {
  Team a = NewTeam();
  Team b = NewTeam();
  std::string word = Unique("Quimperlé");
  PgQuery(Db(), "UPDATE organizations SET name = 'Mairie de " + word + "' WHERE id = '" + a.org +
                    "'");
  std::string op = Operator();

  CtlRun r = Ctl(op, {"org", "list", "--query", "quimperle"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(CodeOf(a.org)), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(CodeOf(b.org)), std::string::npos) << r.out;

  r = Ctl(op, {"--json", "org", "list", "--query", CodeOf(b.org)});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "id"), b.org) << r.out;
  EXPECT_EQ(r.out.find(a.org), std::string::npos) << r.out;
}

TEST_F(NuagectlOrgTest, RenameAndRefsAreTheReferents) {
  Team t = NewTeam();
  std::string manager = SeedCaller(Db(), t.org, Unique("manager"), AllLevels(2));

  CtlRun r = Ctl(manager, {"org", "rename", "Mairie renommée"});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("PERMISSION_DENIED"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("REFERENT_ONLY"), std::string::npos) << r.err;
  r = Ctl(manager, {"org", "refs", "--ref1", "BC-1"});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("REFERENT_ONLY"), std::string::npos) << r.err;

  r = Ctl(t.token, {"--json", "org", "rename", "Mairie renommée"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "name"), "Mairie renommée") << r.out;

  r = Ctl(t.token, {"org", "refs", "--org", CodeOf(t.org), "--ref1", "Service financier",
                    "--ref3", "BC-2026-042"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("invoice_reference_3: BC-2026-042"), std::string::npos) << r.out;
  auto refs = PgQuery(Db(), "SELECT invoice_reference_1, invoice_reference_2, invoice_reference_3"
                            " FROM organizations WHERE id = '" + t.org + "'");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0][0], "Service financier");
  EXPECT_EQ(refs[0][1], "");
  EXPECT_EQ(refs[0][2], "BC-2026-042");

  // Too long: the field violation; nothing given: a usage error.
  r = Ctl(t.token, {"org", "refs", "--ref2", std::string(41, 'R')});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("organization.invoice_reference_2"), std::string::npos) << r.err;
  r = Ctl(t.token, {"org", "refs"});
  EXPECT_EQ(r.status, 2);
}

}  // namespace
}  // namespace nuage::testing
