// credit_test.cc — the eligibility voucher: granted when an eligible e-mail
// is confirmed, once per e-mail under retries and racing confirmations,
// listed in the organisation's credits.
#include <atomic>
#include <thread>

#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class CreditTest : public AccountTest {
 protected:
  void SetUp() override {
    AccountTest::SetUp();
    static bool imported = false;
    if (!imported) {
      nuage::v1::EligibleDomainImport summary;
      grpc::Status st = ImportText(OperatorToken(), "gouv.fr\nville-exemple.fr\n", &summary);
      ASSERT_TRUE(st.ok()) << Describe(st);
      imported = true;
    }
  }

  std::string Credits(const std::string& email) {
    return PgQuery(conninfo(), "SELECT count(*) FROM credits WHERE lower(email) = lower('" +
                                   email + "')")[0][0];
  }

  std::string OrgOf(const std::string& login) {
    return PgQuery(conninfo(), "SELECT o.id FROM organizations o JOIN users u"
                               " ON u.id = o.referent_user_id WHERE u.login = '" + login + "'")[0][0];
  }
};

TEST_F(CreditTest, AnEligibleConfirmationGrantsTheVoucherOnce) {
  std::string login = UniqueLogin("agent.");
  std::string email = login + "@dgfip.finances.gouv.fr";
  ASSERT_TRUE(SignUp(login, email).ok());
  std::string token = ConfirmToken(email);
  nuage::v1::ConfirmEmailResponse resp;
  grpc::Status st = Confirm(token, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_TRUE(resp.eligible());
  EXPECT_EQ(resp.matched_domain(), "gouv.fr");
  EXPECT_TRUE(resp.credit_granted());

  // Retrying the same link: refused, still one credit.
  st = Confirm(token, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Credits(email), "1");

  // A new link for an already confirmed account: none is sent.
  grpc::ClientContext rctx;
  nuage::v1::ResendConfirmationEmailRequest rreq;
  rreq.set_email(email);
  nuage::v1::ResendConfirmationEmailResponse rresp;
  ASSERT_TRUE(users_->ResendConfirmationEmail(&rctx, rreq, &rresp).ok());
  EXPECT_EQ(ConfirmToken(email), token);

  // The ledger row, and the organisation's view of it.
  auto rows = PgQuery(conninfo(), "SELECT nature, amount_cents, remaining_cents, currency,"
                                  " activation_date = (now() AT TIME ZONE 'UTC')::date"
                                  " FROM credits WHERE lower(email) = lower('" + email + "')");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"eligibility_voucher", "15000", "15000", "EUR", "t"}));

  ASSERT_TRUE(AcceptTerms(login, kAccountPassword).ok());
  std::string user_id = PgQuery(conninfo(), "SELECT id FROM users WHERE login = '" + login + "'")[0][0];
  std::string org = OrgOf(login);
  std::string session = SeedSession(conninfo(), user_id, org);
  grpc::ClientContext ctx;
  WithBearer(&ctx, session);
  nuage::v1::ListCreditsResponse list;
  st = eligibility_->ListCredits(&ctx, nuage::v1::ListCreditsRequest(), &list);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(list.credits_size(), 1);
  EXPECT_EQ(list.credits(0).organization_id(), org);
  EXPECT_EQ(list.credits(0).nature(), nuage::v1::CREDIT_NATURE_ELIGIBILITY_VOUCHER);
  EXPECT_EQ(list.credits(0).amount().amount_cents(), 15000);
  EXPECT_EQ(list.credits(0).amount().currency(), "EUR");
  EXPECT_EQ(list.credits(0).remaining().amount_cents(), 15000);
  EXPECT_EQ(list.credits(0).activation_date().size(), 10u);
}

TEST_F(CreditTest, TenParallelConfirmationsGrantOneCredit) {
  std::string login = UniqueLogin("racer.");
  std::string email = login + "@ville-exemple.fr";
  ASSERT_TRUE(SignUp(login, email).ok());
  // Ten valid links for one account (each resend adds one).
  for (int i = 0; i < 9; i++) {
    grpc::ClientContext ctx;
    nuage::v1::ResendConfirmationEmailRequest req;
    req.set_email(email);
    nuage::v1::ResendConfirmationEmailResponse resp;
    ASSERT_TRUE(users_->ResendConfirmationEmail(&ctx, req, &resp).ok());
  }
  auto payloads = PgQuery(conninfo(), "SELECT payload->>'link' FROM outbox WHERE recipient = '" +
                                          email + "' AND template = 'confirm_email'");
  ASSERT_EQ(payloads.size(), 10u);
  std::atomic<int> ok{0}, granted{0};
  std::vector<std::thread> threads;
  for (const auto& p : payloads) {
    std::string token = TokenFromLink(p[0]);
    threads.emplace_back([&, token] {
      nuage::v1::ConfirmEmailResponse resp;
      grpc::Status st = Confirm(token, &resp);
      if (st.ok()) ok++;
      if (st.ok() && resp.credit_granted()) granted++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(granted.load(), 1);
  EXPECT_EQ(Credits(email), "1");
}

TEST_F(CreditTest, TenParallelUsesOfOneLinkSucceedOnce) {
  std::string login = UniqueLogin("samelink.");
  std::string email = login + "@ville-exemple.fr";
  ASSERT_TRUE(SignUp(login, email).ok());
  std::string token = ConfirmToken(email);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; i++) {
    threads.emplace_back([&] {
      if (Confirm(token).ok()) ok++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(Credits(email), "1");
}

TEST_F(CreditTest, AnIneligibleEmailGetsNoCredit) {
  std::string login = UniqueLogin("private.");
  std::string email = login + "@example.com";
  ASSERT_TRUE(SignUp(login, email).ok());
  nuage::v1::ConfirmEmailResponse resp;
  ASSERT_TRUE(Confirm(ConfirmToken(email), &resp).ok());
  EXPECT_FALSE(resp.eligible());
  EXPECT_FALSE(resp.credit_granted());
  EXPECT_EQ(Credits(email), "0");
}

TEST_F(CreditTest, CreditsOfAnotherOrganizationAreNotFound) {
  std::string a = UniqueLogin("orga.");
  std::string id = SeedUser(conninfo(), a, a + "@example.org", kAccountPassword);
  std::string org = SeedOrganization(conninfo(), "Org " + a, id);
  std::string b = UniqueLogin("orgb.");
  std::string other_id = SeedUser(conninfo(), b, b + "@example.org", kAccountPassword);
  std::string other = SeedOrganization(conninfo(), "Org " + b, other_id);
  grpc::ClientContext ctx;
  WithBearer(&ctx, SeedSession(conninfo(), id, org));
  nuage::v1::ListCreditsRequest req;
  req.set_organization_id(other);
  nuage::v1::ListCreditsResponse resp;
  grpc::Status st = eligibility_->ListCredits(&ctx, req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND) << Describe(st);
  // No right on invoices: refused before anything else.
  std::string none_token = SeedCaller(conninfo(), org, UniqueLogin("noinv."), AllLevels(0));
  grpc::ClientContext ctx2;
  WithBearer(&ctx2, none_token);
  st = eligibility_->ListCredits(&ctx2, nuage::v1::ListCreditsRequest(), &resp);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);
}

}  // namespace
}  // namespace nuage::testing
