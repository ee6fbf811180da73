// organization_test.cc — organisations over gRPC: create (idempotent,
// SIRET checked, the creator as referent and manager everywhere), get,
// list, update with etag, the operator's validate / suspend / identity
// verification, and the account levels' requirements.
#include <set>

#include "tests/identity/org/org_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;
using nuage::v1::Organization;

class OrganizationTest : public OrgTest {
 protected:
  // A user signed in, acting for no organisation yet.
  std::string NewUser(std::string* id = nullptr) {
    std::string login = Unique("founder");
    std::string uid = SeedUser(Db(), login, login + "@ville-test.fr", "Str0ng&Password!");
    if (id != nullptr) *id = uid;
    return SeedSession(Db(), uid, "");
  }

  grpc::Status Create(const std::string& token, const std::string& name, const std::string& siret,
                      const std::string& request_id, Organization* out) {
    nuage::v1::CreateOrganizationRequest req;
    req.mutable_organization()->set_name(name);
    req.mutable_organization()->set_buyer(true);
    req.mutable_organization()->set_siret(siret);
    req.mutable_organization()->set_region("cloudgouv-eu-west-1");
    req.set_request_id(request_id);
    return stub_->CreateOrganization(Ctx(token).get(), req, out);
  }

  Organization Get(const std::string& token, const std::string& id) {
    nuage::v1::GetOrganizationRequest req;
    req.set_organization_id(id);
    Organization o;
    grpc::Status st = stub_->GetOrganization(Ctx(token).get(), req, &o);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return o;
  }
};

TEST_F(OrganizationTest, CreatorBecomesReferentAndManagerEverywhere) {
  std::string uid;
  std::string token = NewUser(&uid);
  Organization o;
  grpc::Status st = Create(token, Unique("Hôpital "), "73282932000074", Unique("req-"), &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_FALSE(o.id().empty());
  EXPECT_EQ(o.state(), nuage::v1::ORGANIZATION_STATE_PENDING_VALIDATION);
  EXPECT_EQ(o.account_level(), nuage::v1::ACCOUNT_LEVEL_DISCOVERY);
  EXPECT_EQ(o.support_level(), nuage::v1::SUPPORT_LEVEL_BASIC);
  EXPECT_EQ(o.referent_user_id(), uid);
  EXPECT_EQ(o.siret(), "73282932000074");
  EXPECT_FALSE(o.etag().empty());
  auto levels = PgQuery(Db(), "SELECT levels::text FROM memberships WHERE organization_id = '" +
                                  o.id() + "' AND user_id = '" + uid + "'");
  ASSERT_EQ(levels.size(), 1u);
  EXPECT_EQ(levels[0][0], "{2,2,2,2,2,2,2,2,2}");
  // The session that acted for none now acts for the new organisation:
  // the creator can read it at once.
  EXPECT_EQ(Get(token, "").id(), o.id());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'organization.create' AND"
                  " target_id = '" + o.id() + "' AND actor_user_id = '" + uid + "'"),
            1);
}

TEST_F(OrganizationTest, BadSiretIsRefusedWithAFieldViolation) {
  std::string token = NewUser();
  Organization o;
  for (std::string siret : {"73282932000075", "1234", "7328293200007A"}) {
    grpc::Status st = Create(token, "Mairie", siret, "", &o);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << siret << ": " << Describe(st);
    EXPECT_TRUE(HasViolation(st, "organization.siret")) << siret;
  }
  // Nothing else wrong is reported with it, and no row was written.
  grpc::Status st = Create(token, "", "", "", &o);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "organization.name"));
}

TEST_F(OrganizationTest, NeitherBuyerNorSellerIsRefused) {
  std::string token = NewUser();
  nuage::v1::CreateOrganizationRequest req;
  req.mutable_organization()->set_name("Nobody");
  Organization o;
  grpc::Status st = stub_->CreateOrganization(Ctx(token).get(), req, &o);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "organization.buyer"));
}

TEST_F(OrganizationTest, RetryWithTheSameRequestIdCreatesOnce) {
  std::string token = NewUser();
  std::string name = Unique("Université ");
  std::string rid = Unique("create-");
  Organization first, second;
  ASSERT_TRUE(Create(token, name, "", rid, &first).ok());
  grpc::Status st = Create(token, name, "", rid, &second);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(first.id(), second.id());
  EXPECT_EQ(first.etag(), second.etag());
  EXPECT_EQ(Count("SELECT count(*) FROM organizations WHERE name = '" + name + "'"), 1);
  // The same request id with another request is refused.
  st = Create(token, name + " bis", "", rid, &second);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_EQ(Reason(st), "REQUEST_ID_REUSED");
}

TEST_F(OrganizationTest, DuplicateSiretIsAlreadyExists) {
  Organization o;
  ASSERT_TRUE(Create(NewUser(), Unique("A "), "35600000000048", "", &o).ok());
  grpc::Status st = Create(NewUser(), Unique("B "), "35600000000048", "", &o);
  EXPECT_EQ(st.error_code(), StatusCode::ALREADY_EXISTS) << Describe(st);
  EXPECT_EQ(Reason(st), "SIRET_TAKEN");
}

TEST_F(OrganizationTest, ListShowsOwnOrganizationsAndEverythingToTheOperator) {
  Team a = NewTeam();
  Team b = NewTeam();
  nuage::v1::ListOrganizationsRequest req;
  nuage::v1::ListOrganizationsResponse resp;
  ASSERT_TRUE(stub_->ListOrganizations(Ctx(a.token).get(), req, &resp).ok());
  ASSERT_EQ(resp.organizations_size(), 1);
  EXPECT_EQ(resp.organizations(0).id(), a.org);

  // The operator pages through every organisation, one at a time.
  std::string op = Operator();
  std::set<std::string> seen;
  std::string page;
  int pages = 0;
  do {
    req.set_page_size(1);
    req.set_page_token(page);
    grpc::Status st = stub_->ListOrganizations(Ctx(op).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    ASSERT_LE(resp.organizations_size(), 1);
    for (const auto& o : resp.organizations()) EXPECT_TRUE(seen.insert(o.id()).second);
    page = resp.next_page_token();
    ++pages;
  } while (!page.empty() && pages < 1000);
  EXPECT_TRUE(seen.count(a.org) && seen.count(b.org));
  EXPECT_EQ(static_cast<int>(seen.size()), Count("SELECT count(*) FROM organizations"));

  // Filters: sellers only.
  Team seller = NewTeam();
  PgQuery(Db(), "UPDATE organizations SET is_seller = true, is_buyer = false WHERE id = '" +
                    seller.org + "'");
  req.Clear();
  req.set_kind(nuage::v1::ORGANIZATION_KIND_SELLER);
  req.set_page_size(500);
  ASSERT_TRUE(stub_->ListOrganizations(Ctx(op).get(), req, &resp).ok());
  bool found = false;
  for (const auto& o : resp.organizations()) {
    EXPECT_TRUE(o.seller());
    found = found || o.id() == seller.org;
  }
  EXPECT_TRUE(found);
  // A bad page token is refused.
  req.set_page_token("not-a-token");
  EXPECT_EQ(stub_->ListOrganizations(Ctx(op).get(), req, &resp).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(OrganizationTest, UpdateNeedsTheCurrentEtag) {
  Team t = NewTeam();
  Organization o = Get(t.token, t.org);
  nuage::v1::UpdateOrganizationRequest req;
  req.mutable_organization()->set_id(t.org);
  req.mutable_organization()->set_etag(o.etag());
  req.mutable_organization()->set_name("Mairie de Lyon");
  req.mutable_organization()->set_support_level(nuage::v1::SUPPORT_LEVEL_PREMIUM);
  req.mutable_update_mask()->add_paths("name");
  req.mutable_update_mask()->add_paths("support_level");
  Organization after;
  grpc::Status st = stub_->UpdateOrganization(Ctx(t.token, Unique("rid-")).get(), req, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.name(), "Mairie de Lyon");
  EXPECT_EQ(after.support_level(), nuage::v1::SUPPORT_LEVEL_PREMIUM);
  EXPECT_NE(after.etag(), o.etag());
  auto audit = PgQuery(Db(), "SELECT changes->'name'->>'after', changes ? 'region' FROM audit_log"
                             " WHERE action = 'organization.update' AND target_id = '" + t.org + "'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], "Mairie de Lyon");
  EXPECT_EQ(audit[0][1], "f");  // only what changed

  // The old etag is stale now.
  req.mutable_organization()->set_name("Mairie de Lyon 2");
  st = stub_->UpdateOrganization(Ctx(t.token).get(), req, &after);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "ETAG_MISMATCH");
  // No etag at all, or no field named: invalid.
  req.mutable_organization()->clear_etag();
  st = stub_->UpdateOrganization(Ctx(t.token).get(), req, &after);
  EXPECT_TRUE(HasViolation(st, "organization.etag"));
  req.mutable_organization()->set_etag(o.etag());
  req.clear_update_mask();
  st = stub_->UpdateOrganization(Ctx(t.token).get(), req, &after);
  EXPECT_TRUE(HasViolation(st, "update_mask"));
  // A bad SIRET through update too.
  req.mutable_update_mask()->add_paths("siret");
  req.mutable_organization()->set_siret("12345678901234");
  st = stub_->UpdateOrganization(Ctx(t.token).get(), req, &after);
  EXPECT_TRUE(HasViolation(st, "organization.siret"));
}

TEST_F(OrganizationTest, ContractVisitorCannotUpdate) {
  Team t = NewTeam();
  Levels levels = AllLevels(2);
  levels[0] = 1;  // contract visitor
  std::string token = SeedCaller(Db(), t.org, Unique("visitor"), levels);
  Organization o = Get(token, t.org);  // reading is fine
  nuage::v1::UpdateOrganizationRequest req;
  req.mutable_organization()->set_etag(o.etag());
  req.mutable_organization()->set_name("x");
  req.mutable_update_mask()->add_paths("name");
  EXPECT_EQ(stub_->UpdateOrganization(Ctx(token).get(), req, &o).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(OrganizationTest, OnlyTheOperatorValidatesAndSuspends) {
  Team t = NewTeam("pending_validation");
  nuage::v1::ValidateOrganizationRequest v;
  v.set_organization_id(t.org);
  Organization o;
  grpc::Status st = stub_->ValidateOrganization(Ctx(t.token).get(), v, &o);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);

  std::string op = Operator();
  st = stub_->ValidateOrganization(Ctx(op).get(), v, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.state(), nuage::v1::ORGANIZATION_STATE_VALIDATED);

  nuage::v1::SuspendOrganizationRequest s;
  s.set_organization_id(t.org);
  st = stub_->SuspendOrganization(Ctx(op).get(), s, &o);
  EXPECT_TRUE(HasViolation(st, "reason"));
  s.set_reason("unpaid invoices");
  st = stub_->SuspendOrganization(Ctx(op).get(), s, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.state(), nuage::v1::ORGANIZATION_STATE_SUSPENDED);
  EXPECT_EQ(o.state_reason(), "unpaid invoices");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE target_id = '" + t.org +
                  "' AND action IN ('organization.validate', 'organization.suspend')"),
            2);
  // The operator naming an organisation that does not exist.
  v.set_organization_id("00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(stub_->ValidateOrganization(Ctx(op).get(), v, &o).error_code(), StatusCode::NOT_FOUND);
}

TEST_F(OrganizationTest, AccountLevelsNeedBillingDetailsAndIdentityVerification) {
  Team t = NewTeam();
  nuage::v1::SetAccountLevelRequest lv;
  lv.set_account_level(nuage::v1::ACCOUNT_LEVEL_TEST);
  Organization o;
  grpc::Status st = stub_->SetAccountLevel(Ctx(t.token).get(), lv, &o);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "BILLING_DETAILS_MISSING");
  EXPECT_EQ(st.error_message(), "account level test requires complete billing details");

  o = Get(t.token, "");
  nuage::v1::UpdateOrganizationRequest up;
  up.mutable_organization()->set_etag(o.etag());
  auto* b = up.mutable_organization()->mutable_billing_details();
  b->set_name("Ville de Test");
  b->set_address("1 place de la Mairie");
  b->set_postal_code("75001");
  b->set_city("Paris");
  b->set_country("FR");
  b->set_email("factures@ville-test.fr");
  up.mutable_update_mask()->add_paths("billing_details");
  ASSERT_TRUE(stub_->UpdateOrganization(Ctx(t.token).get(), up, &o).ok());

  st = stub_->SetAccountLevel(Ctx(t.token).get(), lv, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.account_level(), nuage::v1::ACCOUNT_LEVEL_TEST);

  lv.set_account_level(nuage::v1::ACCOUNT_LEVEL_BUILD);
  st = stub_->SetAccountLevel(Ctx(t.token).get(), lv, &o);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "IDENTITY_NOT_VERIFIED");

  // Only the operator records the verification.
  nuage::v1::RecordIdentityVerificationRequest iv;
  iv.set_organization_id(t.org);
  iv.set_note("Kbis and ID card checked");
  EXPECT_EQ(stub_->RecordIdentityVerification(Ctx(t.token).get(), iv, &o).error_code(),
            StatusCode::PERMISSION_DENIED);
  st = stub_->RecordIdentityVerification(Ctx(Operator()).get(), iv, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_TRUE(o.has_identity_verify_time());

  st = stub_->SetAccountLevel(Ctx(t.token).get(), lv, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.account_level(), nuage::v1::ACCOUNT_LEVEL_BUILD);

  // At build, billing details can no longer be emptied.
  up.mutable_organization()->set_etag(o.etag());
  up.mutable_organization()->clear_billing_details();
  st = stub_->UpdateOrganization(Ctx(t.token).get(), up, &o);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  // An unspecified level is invalid input.
  lv.set_account_level(nuage::v1::ACCOUNT_LEVEL_UNSPECIFIED);
  EXPECT_TRUE(HasViolation(stub_->SetAccountLevel(Ctx(t.token).get(), lv, &o), "account_level"));
}

}  // namespace
}  // namespace nuage::testing
