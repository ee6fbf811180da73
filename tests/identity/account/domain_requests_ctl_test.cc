// domain_requests_ctl_test.cc — `nuagectl domains requests` against a live
// server: the operator lists the eligible-domain requests (human and JSON,
// by state, across pages), accepts one (the domain is then eligible) and
// refuses one with a reason; usage errors and a caller who is not the
// operator.
#include "tests/identity/account/account_testing.h"
#include "tests/support/nuagectl_runner.h"

namespace nuage::testing {
namespace {

class DomainRequestsCtlTest : public AccountTest {
 protected:
  void SetUp() override {
    AccountTest::SetUp();
    home_ = MakeCtlHome("home-" + UniqueLogin("h"));
    ASSERT_FALSE(home_.empty());
  }

  CtlRun Ctl(const std::vector<std::string>& args, const std::string& token) {
    return RunNuagectl(home_, server_->address(), args, "", token);
  }

  void Ask(const std::string& domain, const std::string& email) {
    grpc::ClientContext ctx;
    nuage::v1::RequestEligibleDomainRequest req;
    req.set_domain(domain);
    req.set_email(email);
    req.set_note("Mairie");
    nuage::v1::RequestEligibleDomainResponse resp;
    grpc::Status st = eligibility_->RequestEligibleDomain(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    ASSERT_EQ(resp.state(), nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_PENDING);
  }

  std::string IdOf(const std::string& domain) {
    return PgQuery(conninfo(), "SELECT id FROM eligible_domain_requests WHERE domain = '" +
                                   domain + "'")[0][0];
  }

  // The lines of s.
  static std::vector<std::string> Lines(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1)
      out.push_back(s.substr(start, nl - start));
    return out;
  }

  std::string home_;
};

TEST_F(DomainRequestsCtlTest, ListAcceptRefuseWithJson) {
  std::string op = OperatorToken();
  Ask("mairie-ctl-un.fr", "dgs@mairie-ctl-un.fr");
  Ask("mairie-ctl-deux.fr", "dgs@mairie-ctl-deux.fr");
  Ask("mairie-ctl-trois.fr", "dgs@mairie-ctl-trois.fr");

  // Human form: one block per request, then the count.
  CtlRun r = Ctl({"domains", "requests", "list", "--state", "pending"}, op);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("domain: mairie-ctl-deux.fr"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("state: pending"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("email: dgs@mairie-ctl-un.fr"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 requests"), std::string::npos) << r.out;

  // JSON: one object per line, newest first; --limit stops early.
  r = Ctl({"--json", "domains", "requests", "list", "--limit", "2"}, op);
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(JsonField(lines[0], "domain"), "mairie-ctl-trois.fr");
  EXPECT_EQ(JsonField(lines[0], "state"), "pending");
  EXPECT_EQ(JsonField(lines[0], "id"), IdOf("mairie-ctl-trois.fr"));
  EXPECT_NE(lines[0].find("\"decide_time\":null"), std::string::npos) << lines[0];

  // Accept one: the domain joins the list.
  r = Ctl({"--json", "domains", "requests", "accept", IdOf("mairie-ctl-un.fr")}, op);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(JsonField(r.out, "state"), "accepted") << r.out;
  EXPECT_NE(r.out.find("\"credits_granted\":0"), std::string::npos) << r.out;
  EXPECT_NE(JsonField(r.out, "decide_time"), "") << r.out;
  grpc::ClientContext cctx;
  nuage::v1::CheckEligibilityRequest creq;
  creq.set_email("agent@mairie-ctl-un.fr");
  nuage::v1::CheckEligibilityResponse cresp;
  ASSERT_TRUE(eligibility_->CheckEligibility(&cctx, creq, &cresp).ok());
  EXPECT_TRUE(cresp.eligible());

  // Refuse another, with its reason (human form).
  r = Ctl({"domains", "requests", "refuse", IdOf("mairie-ctl-deux.fr"), "not a public body"}, op);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("state: refused"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("refusal_reason: not a public body"), std::string::npos) << r.out;

  // Deciding again: the server's refusal, exit 3.
  r = Ctl({"--json", "domains", "requests", "accept", IdOf("mairie-ctl-deux.fr")}, op);
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_EQ(JsonField(r.out, "reason"), "REQUEST_ALREADY_DECIDED") << r.out;

  r = Ctl({"--json", "domains", "requests", "list", "--state", "refused"}, op);
  ASSERT_EQ(r.status, 0) << r.err;
  lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_EQ(JsonField(lines[0], "domain"), "mairie-ctl-deux.fr");
}

TEST_F(DomainRequestsCtlTest, UsageErrorsAndNonOperators) {
  std::string op = OperatorToken();
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"domains", "requests", "list", "extra"},
           {"domains", "requests", "accept"},
           {"domains", "requests", "refuse", "some-id"},
           {"domains", "requests", "erase", "some-id"},
           {"domains", "requests", "accept", "some-id", "--state", "pending"},
           {"domains", "requests", "list", "--state", "open"},
           {"domains", "requests", "list", "--limit", "0"},
       }) {
    CtlRun r = Ctl(args, op);
    EXPECT_EQ(r.status, 2) << args[2] << " " << r.err;
  }
  // A signed-in user who is not the operator.
  std::string login = UniqueLogin("ctl.user.");
  std::string id = SeedUser(conninfo(), login, login + "@example.org", kAccountPassword);
  CtlRun r = Ctl({"--json", "domains", "requests", "list"}, SeedSession(conninfo(), id, ""));
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_EQ(JsonField(r.out, "code"), "PERMISSION_DENIED") << r.out;
  // `domains import` is still the one-word command.
  r = Ctl({"domains", "import"}, op);
  EXPECT_EQ(r.status, 2) << r.err;
}

}  // namespace
}  // namespace nuage::testing
