// idn_test.cc — e-mail domains in Unicode (issue 10, point 11): the real
// Etalab list holds "xn--impts-8ta.gouv.fr"; an agent signing up as
// agent@impôts.gouv.fr is recognised as eligible, stored with the A-label
// form of the domain and gets the credit; the list import converts Unicode
// lines the same way; an address libidn2 cannot convert is a field
// violation.
#include "nuage/v1/auth.grpc.pb.h"
#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

// "impôts.gouv.fr" in UTF-8, and its A-label form as the Etalab list has it.
const char kUnicodeDomain[] = "imp\xc3\xb4ts.gouv.fr";
const char kALabelDomain[] = "xn--impts-8ta.gouv.fr";

class IdnTest : public AccountTest {
 protected:
  void SetUp() override {
    AccountTest::SetUp();
    static bool imported = false;
    if (!imported) {
      std::string text = ReadFile(EtalabListPath("tests/identity/account/idn_test.cc"));
      ASSERT_NE(text.find(std::string("\n") + kALabelDomain + "\n"), std::string::npos);
      nuage::v1::EligibleDomainImport summary;
      grpc::Status st = ImportText(OperatorToken(), text, &summary);
      ASSERT_TRUE(st.ok()) << Describe(st);
      imported = true;
    }
  }

  grpc::Status Check(const std::string& email, nuage::v1::CheckEligibilityResponse* resp) {
    grpc::ClientContext ctx;
    nuage::v1::CheckEligibilityRequest req;
    req.set_email(email);
    return eligibility_->CheckEligibility(&ctx, req, resp);
  }

  // The field of the only violation of st ("" when not exactly one).
  static std::string ViolationField(const grpc::Status& st) {
    auto details = StatusDetails(st);
    if (!details) return "";
    auto bad = FindBadRequest(*details);
    if (!bad || bad->field_violations_size() != 1) return "";
    return bad->field_violations(0).field();
  }
};

TEST_F(IdnTest, AUnicodeDomainIsEligibleUnderItsALabel) {
  nuage::v1::CheckEligibilityResponse resp;
  grpc::Status st = Check(std::string("agent@") + kUnicodeDomain, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_TRUE(resp.eligible());
  EXPECT_EQ(resp.matched_domain(), kALabelDomain);
  // Upper case in Unicode folds too.
  st = Check("agent@IMP\xc3\x94TS.gouv.fr", &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(resp.matched_domain(), kALabelDomain);
}

TEST_F(IdnTest, SignUpStoresTheALabelFormAndGrantsTheCredit) {
  std::string login = UniqueLogin("agent.idn.");
  std::string unicode = login + "@" + kUnicodeDomain;
  std::string stored = login + "@" + kALabelDomain;
  grpc::Status st = SignUp(login, unicode);
  ASSERT_TRUE(st.ok()) << Describe(st);
  auto rows = PgQuery(conninfo(), "SELECT email FROM users WHERE login = '" + login + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], stored);

  // A new link asked for with the Unicode form finds the same account.
  std::string first = ConfirmToken(stored);
  ASSERT_FALSE(first.empty());
  grpc::ClientContext rctx;
  nuage::v1::ResendConfirmationEmailRequest rreq;
  rreq.set_email(unicode);
  nuage::v1::ResendConfirmationEmailResponse rresp;
  ASSERT_TRUE(users_->ResendConfirmationEmail(&rctx, rreq, &rresp).ok());
  std::string token = ConfirmToken(stored);
  EXPECT_NE(token, first);

  nuage::v1::ConfirmEmailResponse resp;
  st = Confirm(token, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_TRUE(resp.eligible());
  EXPECT_EQ(resp.matched_domain(), kALabelDomain);
  EXPECT_TRUE(resp.credit_granted());
  EXPECT_EQ(PgQuery(conninfo(), "SELECT count(*) FROM credits WHERE email = '" + stored + "'")[0][0],
            "1");

  // Terms, sign-in and a password reset asked for with the Unicode form
  // find the account too.
  ASSERT_TRUE(AcceptTerms(unicode, kAccountPassword).ok());
  auto auth = nuage::v1::AuthService::NewStub(channel_);
  {
    grpc::ClientContext ctx;
    nuage::v1::LoginRequest req;
    req.set_login(unicode);
    req.set_password(kAccountPassword);
    nuage::v1::LoginResponse login_resp;
    st = auth->Login(&ctx, req, &login_resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_FALSE(login_resp.session_token().empty());
  }
  {
    grpc::ClientContext ctx;
    nuage::v1::RequestPasswordResetRequest req;
    req.set_login(unicode);
    nuage::v1::RequestPasswordResetResponse reset_resp;
    ASSERT_TRUE(auth->RequestPasswordReset(&ctx, req, &reset_resp).ok());
    EXPECT_EQ(PgQuery(conninfo(), "SELECT count(*) FROM outbox WHERE recipient = '" + stored +
                                      "' AND template = 'reset_password'")[0][0],
              "1");
  }

  // The same address in its A-label form is the same e-mail: no second account.
  st = SignUp(UniqueLogin("agent.idn."), stored);
  EXPECT_EQ(PgQuery(conninfo(), "SELECT count(*) FROM users WHERE lower(email) = lower('" +
                                    stored + "')")[0][0],
            "1");
}

TEST_F(IdnTest, InvalidInternationalisedDomainsAreFieldViolations) {
  for (const char* bad : {"agent@imp\xc3\xb4ts\xff.gouv.fr", "agent@-\xc3\xa9t\xc3\xa9.fr"}) {
    SCOPED_TRACE(bad);
    nuage::v1::CheckEligibilityResponse resp;
    grpc::Status st = Check(bad, &resp);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
    EXPECT_EQ(ViolationField(st), "email");
    st = SignUp(UniqueLogin("agent.bad."), bad);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
    EXPECT_EQ(ViolationField(st), "email");
  }
}

TEST_F(IdnTest, TheImportConvertsUnicodeLines) {
  // Its own list, in a stream: replaces the Etalab one for this test only,
  // which then puts it back.
  nuage::v1::EligibleDomainImport summary;
  std::string token = OperatorToken();
  grpc::Status st =
      ImportText(token, std::string("r\xc3\xa9gion-exemple.fr\n") + kUnicodeDomain + "\n", &summary);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(summary.accepted(), 2);
  EXPECT_EQ(summary.invalid(), 0);
  ASSERT_EQ(summary.normalized_lines_size(), 2);
  EXPECT_EQ(summary.normalized_lines(1).result(), kALabelDomain);
  ASSERT_EQ(summary.normalized_lines(1).kinds_size(), 1);
  EXPECT_EQ(summary.normalized_lines(1).kinds(0), nuage::v1::NORMALIZATION_KIND_IDNA_A_LABEL);
  nuage::v1::CheckEligibilityResponse resp;
  st = Check(std::string("agent@") + kUnicodeDomain, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(resp.matched_domain(), kALabelDomain);

  std::string text = ReadFile(EtalabListPath("tests/identity/account/idn_test.cc"));
  st = ImportText(token, text, &summary);
  ASSERT_TRUE(st.ok()) << Describe(st);
}

}  // namespace
}  // namespace nuage::testing
