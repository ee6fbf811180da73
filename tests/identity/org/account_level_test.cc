// account_level_test.cc — account levels enforced (issue 10, point 9), end
// to end: the first identity verification without billing details grants
// build for 14 days (visible with its end date), e-mails the referent, and
// the level falls back once the 14 days are over on the server's test
// clock, unless the billing details arrived before; SetAccountLevel
// applies the same rule.
//
// The tests of this binary move the server's clock forward and never back:
// sessions are seeded with last_used_at moved by as much (advanced_s_), or
// the server would find them idle for days.
#include "tests/identity/org/org_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;
using nuage::v1::Organization;

constexpr int64_t kDay = 86400;

class AccountLevelTest : public OrgTest {
 protected:
  // Moves the server's clock forward by seconds.
  void Advance(int64_t seconds) {
    AdvanceClock(channel_, seconds);
    advanced_s_ += seconds;
  }

  // A session of user acting for org, fresh on the server's clock.
  static std::string Session(const std::string& user, const std::string& org) {
    std::string token = SeedSession(Db(), user, org);
    PgQuery(Db(), "UPDATE sessions SET created_at = created_at + interval '" +
                      std::to_string(advanced_s_) + " seconds', last_used_at = last_used_at +"
                      " interval '" + std::to_string(advanced_s_) + " seconds' WHERE user_id = '" +
                      user + "'");
    return token;
  }

  // A team whose referent's session is fresh on the server's clock.
  static Team FreshTeam() {
    Team t = NewTeam();
    t.token = Session(t.referent, t.org);
    return t;
  }

  static std::string FreshOperator() {
    std::string login = Unique("operator");
    std::string id = SeedUser(Db(), login, login + "@nuage.gouv.fr", "Str0ng&Password!", true);
    return Session(id, "");
  }

  Organization Get(const std::string& token) {
    nuage::v1::GetOrganizationRequest req;
    Organization o;
    grpc::Status st = stub_->GetOrganization(Ctx(token).get(), req, &o);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return o;
  }

  grpc::Status Verify(const std::string& org, Organization* o) {
    nuage::v1::RecordIdentityVerificationRequest req;
    req.set_organization_id(org);
    req.set_note("Kbis checked");
    return stub_->RecordIdentityVerification(Ctx(FreshOperator()).get(), req, o);
  }

  grpc::Status SetLevel(const std::string& token, nuage::v1::AccountLevel level, Organization* o) {
    nuage::v1::SetAccountLevelRequest req;
    req.set_account_level(level);
    return stub_->SetAccountLevel(Ctx(token).get(), req, o);
  }

  static void Fill(nuage::v1::BillingDetails* b, bool complete) {
    b->set_name("Ville de Test");
    b->set_address("1 place de la Mairie");
    b->set_postal_code("75001");
    b->set_city(complete ? "Paris" : "");
    b->set_country("FR");
    b->set_email("factures@ville-test.fr");
  }

  grpc::Status SetBilling(const std::string& token, const std::string& etag, bool complete,
                          Organization* o) {
    nuage::v1::UpdateOrganizationRequest up;
    up.mutable_organization()->set_etag(etag);
    Fill(up.mutable_organization()->mutable_billing_details(), complete);
    up.mutable_update_mask()->add_paths("billing_details");
    return stub_->UpdateOrganization(Ctx(token).get(), up, o);
  }

  static std::string ReferentEmail(const Team& t) {
    return PgQuery(Db(), "SELECT email FROM users WHERE id = '" + t.referent + "'")[0][0];
  }

  static int64_t advanced_s_;
};

int64_t AccountLevelTest::advanced_s_ = 0;

TEST_F(AccountLevelTest, ProvisionalBuildIsVisibleThenEndsAfterFourteenDays) {
  Team t = FreshTeam();
  Organization o;
  grpc::Status st = Verify(t.org, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.account_level(), nuage::v1::ACCOUNT_LEVEL_BUILD);
  ASSERT_TRUE(o.has_provisional_build_end_time());
  ASSERT_TRUE(o.has_identity_verify_time());
  EXPECT_EQ(o.provisional_build_end_time().seconds() - o.identity_verify_time().seconds(), 14 * kDay);
  Organization read = Get(t.token);
  EXPECT_EQ(read.account_level(), nuage::v1::ACCOUNT_LEVEL_BUILD);
  EXPECT_EQ(read.provisional_build_end_time().seconds(), o.provisional_build_end_time().seconds());

  // Staying at build keeps it provisional (nothing written); test needs
  // the billing details even downwards; incomplete ones are accepted.
  Organization same;
  st = SetLevel(t.token, nuage::v1::ACCOUNT_LEVEL_BUILD, &same);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(same.etag(), read.etag());
  EXPECT_TRUE(same.has_provisional_build_end_time());
  st = SetLevel(t.token, nuage::v1::ACCOUNT_LEVEL_TEST, &same);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "BILLING_DETAILS_MISSING");
  st = SetBilling(t.token, read.etag(), false, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.account_level(), nuage::v1::ACCOUNT_LEVEL_BUILD);
  EXPECT_TRUE(o.has_provisional_build_end_time());

  // A minute before the end: still build.
  Advance(14 * kDay - 60);
  t.token = Session(t.referent, t.org);
  read = Get(t.token);
  EXPECT_EQ(read.account_level(), nuage::v1::ACCOUNT_LEVEL_BUILD);
  EXPECT_TRUE(read.has_provisional_build_end_time());
  // Past it: what the facts allow, read at read time (no job ran).
  Advance(120);
  t.token = Session(t.referent, t.org);
  read = Get(t.token);
  EXPECT_EQ(read.account_level(), nuage::v1::ACCOUNT_LEVEL_DISCOVERY);
  EXPECT_FALSE(read.has_provisional_build_end_time());
  EXPECT_EQ(PgQuery(Db(), "SELECT account_level FROM organizations WHERE id = '" + t.org + "'")[0][0],
            "build")
      << "the row is settled by its next write only";

  // Build is now refused on the facts; verifying again grants nothing anew.
  st = SetLevel(t.token, nuage::v1::ACCOUNT_LEVEL_BUILD, &o);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "BILLING_DETAILS_MISSING");
  st = Verify(t.org, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.account_level(), nuage::v1::ACCOUNT_LEVEL_DISCOVERY);
  EXPECT_FALSE(o.has_provisional_build_end_time());
  // Choosing discovery writes the fall-back down.
  st = SetLevel(t.token, nuage::v1::ACCOUNT_LEVEL_DISCOVERY, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(PgQuery(Db(), "SELECT account_level, provisional_build_until IS NULL FROM organizations"
                          " WHERE id = '" + t.org + "'")[0],
            (std::vector<std::string>{"discovery", "t"}));
}

TEST_F(AccountLevelTest, BillingDetailsWithinFourteenDaysMakeItPermanent) {
  Team t = FreshTeam();
  Organization o;
  ASSERT_TRUE(Verify(t.org, &o).ok());
  ASSERT_TRUE(o.has_provisional_build_end_time());
  Advance(13 * kDay);
  t.token = Session(t.referent, t.org);
  grpc::Status st = SetBilling(t.token, o.etag(), true, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.account_level(), nuage::v1::ACCOUNT_LEVEL_BUILD);
  EXPECT_FALSE(o.has_provisional_build_end_time());
  // Audited with the organisation: the end of the provisional build too.
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE organization_id = '" + t.org +
                  "' AND action = 'organization.update' AND changes::text LIKE"
                  " '%provisional_build_until%'"),
            1);

  Advance(2 * kDay);
  t.token = Session(t.referent, t.org);
  Organization read = Get(t.token);
  EXPECT_EQ(read.account_level(), nuage::v1::ACCOUNT_LEVEL_BUILD);
  EXPECT_FALSE(read.has_provisional_build_end_time());
}

TEST_F(AccountLevelTest, TheFirstVerificationEmailsTheReferent) {
  Team t = FreshTeam();
  std::string to = ReferentEmail(t);
  Organization o;
  ASSERT_TRUE(Verify(t.org, &o).ok());
  std::string payload = LatestOutbox(Db(), to, "identity_verified");
  ASSERT_FALSE(payload.empty());
  EXPECT_EQ(JsonField(payload, "account_level"), "build");
  EXPECT_EQ(JsonField(payload, "provisional_build_until"),
            std::to_string(o.provisional_build_end_time().seconds()));
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE template = 'identity_verified' AND"
                  " organization_id = '" + t.org + "'"),
            1);
  // Recorded again: no second e-mail.
  ASSERT_TRUE(Verify(t.org, &o).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE template = 'identity_verified' AND"
                  " organization_id = '" + t.org + "'"),
            1);
}

TEST_F(AccountLevelTest, WithBillingDetailsVerificationGrantsNothingProvisional) {
  Team t = FreshTeam();
  Organization o = Get(t.token);
  ASSERT_TRUE(SetBilling(t.token, o.etag(), true, &o).ok());
  grpc::Status st = Verify(t.org, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.account_level(), nuage::v1::ACCOUNT_LEVEL_DISCOVERY);
  EXPECT_FALSE(o.has_provisional_build_end_time());
  std::string payload = LatestOutbox(Db(), ReferentEmail(t), "identity_verified");
  EXPECT_EQ(JsonField(payload, "account_level"), "discovery");
  // The organisation asks for build itself: permanent at once.
  st = SetLevel(t.token, nuage::v1::ACCOUNT_LEVEL_BUILD, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.account_level(), nuage::v1::ACCOUNT_LEVEL_BUILD);
  EXPECT_FALSE(o.has_provisional_build_end_time());
}

TEST_F(AccountLevelTest, ListsShowTheLevelInForce) {
  Team t = FreshTeam();
  Organization o;
  ASSERT_TRUE(Verify(t.org, &o).ok());
  nuage::v1::ListOrganizationsRequest req;
  nuage::v1::ListOrganizationsResponse resp;
  grpc::Status st = stub_->ListOrganizations(Ctx(t.token).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(resp.organizations_size(), 1);
  EXPECT_EQ(resp.organizations(0).account_level(), nuage::v1::ACCOUNT_LEVEL_BUILD);
  EXPECT_TRUE(resp.organizations(0).has_provisional_build_end_time());
  Advance(15 * kDay);
  t.token = Session(t.referent, t.org);
  st = stub_->ListOrganizations(Ctx(t.token).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(resp.organizations_size(), 1);
  EXPECT_EQ(resp.organizations(0).account_level(), nuage::v1::ACCOUNT_LEVEL_DISCOVERY);
  EXPECT_FALSE(resp.organizations(0).has_provisional_build_end_time());
}

}  // namespace
}  // namespace nuage::testing
