// organization_rules_test.cc — the seed rules of issue 10 on organisations,
// over gRPC: the ORG- code (given at creation, unique, immutable; Get by
// code; in GetCurrentUser's memberships), ListOrganizations' query,
// referent-only changes (name, REF1-3), and who sees the company and
// billing details (a visitor on contract does not).
#include <regex>
#include <set>

#include "nuage/v1/user.grpc.pb.h"
#include "tests/identity/org/org_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;
using nuage::v1::Organization;

const char kSiret[] = "73282932000074";

class OrganizationRulesTest : public OrgTest {
 protected:
  // A team whose organisation has a SIRET and complete billing details.
  Team NewBilledTeam() {
    Team t = NewTeam();
    PgQuery(Db(), "UPDATE organizations SET siret = NULL WHERE siret = '" + std::string(kSiret) +
                      "'");
    PgQuery(Db(),
            "UPDATE organizations SET siret = '" + std::string(kSiret) +
                "', billing_name = 'Mairie', billing_address = '1 place de la Mairie',"
                " billing_postal_code = '69001', billing_city = 'Lyon', billing_country = 'FR',"
                " billing_email = 'factures@mairie-test.fr', vat_number = 'FR00123456789',"
                " invoice_recipient_first_name = 'Anne', invoice_recipient_last_name = 'Dupont',"
                " invoice_recipient_email = 'anne.dupont@mairie-test.fr' WHERE id = '" +
                t.org + "'");
    return t;
  }

  grpc::Status Get(const std::string& token, const std::string& id, const std::string& code,
                   Organization* out) {
    nuage::v1::GetOrganizationRequest req;
    req.set_organization_id(id);
    req.set_organization_code(code);
    return stub_->GetOrganization(Ctx(token).get(), req, out);
  }

  Organization MustGet(const std::string& token, const std::string& id) {
    Organization o;
    grpc::Status st = Get(token, id, "", &o);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return o;
  }

  // UpdateOrganization of the fields in paths, from o, with o's etag.
  grpc::Status Update(const std::string& token, const Organization& o,
                      const std::vector<std::string>& paths, Organization* out) {
    nuage::v1::UpdateOrganizationRequest req;
    *req.mutable_organization() = o;
    for (const auto& p : paths) req.mutable_update_mask()->add_paths(p);
    return stub_->UpdateOrganization(Ctx(token).get(), req, out);
  }

  static std::string Message(const grpc::Status& st) { return st.error_message(); }

  std::vector<Organization> List(const std::string& token, const std::string& query) {
    nuage::v1::ListOrganizationsRequest req;
    req.set_query(query);
    req.set_page_size(500);
    nuage::v1::ListOrganizationsResponse resp;
    grpc::Status st = stub_->ListOrganizations(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return {resp.organizations().begin(), resp.organizations().end()};
  }

  static bool Contains(const std::vector<Organization>& list, const std::string& id) {
    for (const auto& o : list) {
      if (o.id() == id) return true;
    }
    return false;
  }
};

// ---- the code -----------------------------------------------------------

TEST_F(OrganizationRulesTest, EveryOrganizationGetsAUniqueCodeAtCreation) {
  Team t = NewTeam();
  Organization o = MustGet(t.token, "");
  EXPECT_TRUE(std::regex_match(o.code(), std::regex("ORG-[0-9]{6}"))) << o.code();

  // Created over the API too.
  std::string login = Unique("founder");
  std::string uid = SeedUser(Db(), login, login + "@ville-test.fr", "Str0ng&Password!");
  nuage::v1::CreateOrganizationRequest create;
  create.mutable_organization()->set_name(Unique("Commune "));
  create.mutable_organization()->set_buyer(true);
  Organization created;
  grpc::Status st =
      stub_->CreateOrganization(Ctx(SeedSession(Db(), uid, "")).get(), create, &created);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_TRUE(std::regex_match(created.code(), std::regex("ORG-[0-9]{6}"))) << created.code();
  EXPECT_NE(created.code(), o.code());

  // Many inserts at once never share a code (the database gives them).
  PgQuery(Db(),
          "INSERT INTO organizations (name, is_buyer, is_seller, referent_user_id, created_at,"
          " updated_at) SELECT 'Bulk ' || g, true, false, '" +
              t.referent + "', now(), now() FROM generate_series(1, 200) g");
  EXPECT_EQ(Count("SELECT count(*) - count(DISTINCT code) FROM organizations"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM organizations WHERE code !~ '^ORG-[0-9]{6}$'"), 0);
}

TEST_F(OrganizationRulesTest, GetByCode) {
  Team t = NewTeam();
  Team other = NewTeam();
  Organization mine = MustGet(t.token, "");
  Organization theirs = MustGet(other.token, "");

  Organization o;
  grpc::Status st = Get(t.token, "", mine.code(), &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.id(), t.org);
  // Another organisation's code answers like an unknown one.
  Organization ignored;
  grpc::Status foreign = Get(t.token, "", theirs.code(), &ignored);
  grpc::Status unknown = Get(t.token, "", "ORG-999999", &ignored);
  if (Count("SELECT count(*) FROM organizations WHERE code = 'ORG-999999'") == 0) {
    EXPECT_EQ(unknown.error_code(), StatusCode::NOT_FOUND) << Describe(unknown);
    EXPECT_EQ(unknown.error_message(), foreign.error_message());
  }
  EXPECT_EQ(foreign.error_code(), StatusCode::NOT_FOUND) << Describe(foreign);
  EXPECT_EQ(foreign.error_message(), "organization not found");
  // The operator names any organisation by its code.
  st = Get(Operator(), "", theirs.code(), &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.id(), other.org);

  // A malformed code, or both an id and a code, is a field violation.
  for (const std::string& bad : std::vector<std::string>{"ORG-12", "org-123456", "ORG-1234567", "NUP-1000", t.org}) {
    st = Get(t.token, "", bad, &ignored);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << bad << ": " << Describe(st);
    EXPECT_TRUE(HasViolation(st, "organization_code")) << bad;
  }
  st = Get(t.token, t.org, mine.code(), &ignored);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "organization_code"));
  // The id alone still works.
  EXPECT_EQ(MustGet(t.token, t.org).code(), mine.code());
}

TEST_F(OrganizationRulesTest, CodeIsImmutable) {
  Team t = NewTeam();
  Organization o = MustGet(t.token, "");
  Organization changed = o;
  changed.set_code("ORG-000001");
  Organization after;
  grpc::Status st = Update(t.token, changed, {"code"}, &after);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "update_mask.paths[0]"));
  // Given along with another field, it is ignored.
  changed.set_region("cloudgouv-eu-west-2");
  st = Update(t.token, changed, {"region"}, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.code(), o.code());
  EXPECT_EQ(MustGet(t.token, "").code(), o.code());
  // Not even a direct write changes it (a trigger refuses).
  EXPECT_EQ(Count("SELECT count(*) FROM pg_trigger WHERE tgname = 'organizations_code_immutable'"),
            1);
}

TEST_F(OrganizationRulesTest, GetCurrentUserListsTheCodeOfEachMembership) {
  Team t = NewTeam();
  Organization o = MustGet(t.token, "");
  auto users = nuage::v1::UserService::NewStub(channel_);
  nuage::v1::User me;
  grpc::Status st =
      users->GetCurrentUser(Ctx(t.token).get(), nuage::v1::GetCurrentUserRequest(), &me);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(me.memberships_size(), 1);
  EXPECT_EQ(me.memberships(0).organization_id(), t.org);
  EXPECT_EQ(me.memberships(0).organization_code(), o.code());
}

// ---- the query ----------------------------------------------------------

TEST_F(OrganizationRulesTest, ListQueryMatchesNameAndCode) {
  Team t = NewTeam();
  std::string word = Unique("Pontivy");
  PgQuery(Db(), "UPDATE organizations SET name = 'Hôpital de " + word + "-Évêché' WHERE id = '" +
                    t.org + "'");
  Organization o = MustGet(t.token, "");
  Team other = NewTeam();
  std::string op = Operator();

  // Name: any case, accents or not.
  for (const std::string& q : std::vector<std::string>{word, "hopital de " + word, "HÔPITAL", "eveche", "ÉVÊCHÉ"}) {
    auto found = List(op, q);
    EXPECT_TRUE(Contains(found, t.org)) << q;
    EXPECT_FALSE(Contains(found, other.org)) << q;
  }
  // Code: whole, part or lower case.
  for (const std::string& q : std::vector<std::string>{o.code(), o.code().substr(4), "org-" + o.code().substr(4)}) {
    auto found = List(op, q);
    EXPECT_TRUE(Contains(found, t.org)) << q;
    EXPECT_FALSE(Contains(found, other.org)) << q;
  }
  // A member's list is still only theirs.
  EXPECT_TRUE(Contains(List(t.token, word), t.org));
  EXPECT_TRUE(List(t.token, MustGet(other.token, "").code()).empty());
  EXPECT_TRUE(List(op, "no such organisation at all").empty());
  // Too long a query is a field violation.
  nuage::v1::ListOrganizationsRequest req;
  req.set_query(std::string(101, 'a'));
  nuage::v1::ListOrganizationsResponse resp;
  grpc::Status st = stub_->ListOrganizations(Ctx(op).get(), req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "query"));
}

// ---- referent-only changes ------------------------------------------------

TEST_F(OrganizationRulesTest, OnlyTheReferentRenamesAndSetsInvoiceReferences) {
  Team t = NewTeam();
  std::string manager = SeedCaller(Db(), t.org, Unique("manager"), AllLevels(2));
  Organization o = MustGet(manager, "");
  Organization after;

  Organization renamed = o;
  renamed.set_name("Mairie renommée");
  grpc::Status st = Update(manager, renamed, {"name"}, &after);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);
  EXPECT_EQ(Reason(st), "REFERENT_ONLY");
  EXPECT_NE(Message(st).find("only the referent"), std::string::npos) << Message(st);

  Organization refs = o;
  refs.set_invoice_reference_2("BC-2026-042");
  st = Update(manager, refs, {"invoice_reference_2"}, &after);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);
  EXPECT_EQ(Reason(st), "REFERENT_ONLY");
  // Along with a field the manager may change: refused as a whole.
  refs.set_region("cloudgouv-eu-west-2");
  st = Update(manager, refs, {"region", "invoice_reference_2"}, &after);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);
  EXPECT_EQ(MustGet(t.token, "").name(), o.name());
  EXPECT_EQ(MustGet(t.token, "").region(), o.region());

  // The other fields keep their rule: a manager changes them.
  st = Update(manager, refs, {"region"}, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.region(), "cloudgouv-eu-west-2");

  // The referent does both; REF1-3 are stored and audited.
  Organization mine = MustGet(t.token, "");
  mine.set_name("Mairie renommée");
  mine.set_invoice_reference_1("Service financier");
  mine.set_invoice_reference_2("BC-2026-042");
  std::string forty;
  for (int i = 0; i < 40; i++) forty += "é";  // 40 characters, 80 bytes
  mine.set_invoice_reference_3(forty);
  st = Update(t.token, mine,
              {"name", "invoice_reference_1", "invoice_reference_2", "invoice_reference_3"},
              &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.name(), "Mairie renommée");
  EXPECT_EQ(after.invoice_reference_2(), "BC-2026-042");
  Organization again = MustGet(manager, "");
  EXPECT_EQ(again.invoice_reference_1(), "Service financier");
  EXPECT_EQ(again.invoice_reference_3(), mine.invoice_reference_3());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'organization.update' AND"
                  " target_id = '" + t.org + "' AND organization_id = '" + t.org +
                  "' AND changes->'invoice_reference_2'->>'after' = 'BC-2026-042'"),
            1);

  // So does the operator.
  Organization by_op = MustGet(t.token, "");
  by_op.set_name("Mairie (opérateur)");
  st = Update(Operator(), by_op, {"name"}, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.name(), "Mairie (opérateur)");
}

TEST_F(OrganizationRulesTest, InvoiceReferencesHoldAtMost40Characters) {
  Team t = NewTeam();
  Organization o = MustGet(t.token, "");
  o.set_invoice_reference_2(std::string(41, 'R'));
  Organization after;
  grpc::Status st = Update(t.token, o, {"invoice_reference_2"}, &after);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "organization.invoice_reference_2"));
  EXPECT_FALSE(HasViolation(st, "organization.invoice_reference_1"));
  EXPECT_EQ(MustGet(t.token, "").invoice_reference_2(), "");

  // At creation too; within the limit they are stored.
  std::string login = Unique("founder");
  std::string uid = SeedUser(Db(), login, login + "@ville-test.fr", "Str0ng&Password!");
  std::string token = SeedSession(Db(), uid, "");
  nuage::v1::CreateOrganizationRequest create;
  create.mutable_organization()->set_name(Unique("Commune "));
  create.mutable_organization()->set_buyer(true);
  create.mutable_organization()->set_invoice_reference_3(std::string(41, 'R'));
  Organization created;
  st = stub_->CreateOrganization(Ctx(token).get(), create, &created);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "organization.invoice_reference_3"));
  create.mutable_organization()->set_invoice_reference_3(std::string(40, 'R'));
  st = stub_->CreateOrganization(Ctx(token).get(), create, &created);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(created.invoice_reference_3(), std::string(40, 'R'));
}

// ---- who sees company and billing details -----------------------------------

TEST_F(OrganizationRulesTest, AContractVisitorDoesNotSeeCompanyAndBillingDetails) {
  Team t = NewBilledTeam();
  Levels visitor = AllLevels(1);
  std::string visitor_token = SeedCaller(Db(), t.org, Unique("visitor"), visitor);
  Levels manager_levels = AllLevels(0);
  manager_levels[0] = 2;
  std::string manager_token = SeedCaller(Db(), t.org, Unique("manager"), manager_levels);

  Organization seen = MustGet(visitor_token, "");
  EXPECT_EQ(seen.id(), t.org);
  EXPECT_FALSE(seen.name().empty());
  EXPECT_FALSE(seen.code().empty());
  EXPECT_TRUE(seen.siret().empty());
  EXPECT_FALSE(seen.has_billing_details());
  EXPECT_TRUE(seen.company_details_withheld());
  // The same by code, and in the list.
  Organization by_code;
  ASSERT_TRUE(Get(visitor_token, "", seen.code(), &by_code).ok());
  EXPECT_FALSE(by_code.has_billing_details());
  EXPECT_TRUE(by_code.siret().empty());
  auto listed = List(visitor_token, "");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_FALSE(listed[0].has_billing_details());
  EXPECT_TRUE(listed[0].siret().empty());
  EXPECT_TRUE(listed[0].company_details_withheld());

  // A manager, the referent and the operator see everything.
  for (const std::string& token : std::vector<std::string>{manager_token, t.token, Operator()}) {
    Organization full = MustGet(token, t.org);
    EXPECT_EQ(full.siret(), kSiret);
    ASSERT_TRUE(full.has_billing_details());
    EXPECT_EQ(full.billing_details().address(), "1 place de la Mairie");
    EXPECT_EQ(full.billing_details().vat_number(), "FR00123456789");
    EXPECT_EQ(full.billing_details().invoice_recipient_first_name(), "Anne");
    EXPECT_EQ(full.billing_details().invoice_recipient_last_name(), "Dupont");
    EXPECT_EQ(full.billing_details().invoice_recipient_email(), "anne.dupont@mairie-test.fr");
    EXPECT_FALSE(full.company_details_withheld());
  }
  auto managers_list = List(manager_token, "");
  ASSERT_EQ(managers_list.size(), 1u);
  EXPECT_TRUE(managers_list[0].has_billing_details());
  EXPECT_EQ(managers_list[0].siret(), kSiret);

  // A referent who is only a visitor on contract still sees everything.
  SeedMember(Db(), t.org, t.referent, visitor);
  Organization referent_view = MustGet(t.token, "");
  EXPECT_EQ(referent_view.siret(), kSiret);
  EXPECT_TRUE(referent_view.has_billing_details());
  EXPECT_TRUE(List(t.token, "")[0].has_billing_details());
}

TEST_F(OrganizationRulesTest, InvoiceRecipientIsValidatedStoredAndAudited) {
  Team t = NewTeam();
  Organization o = MustGet(t.token, "");
  nuage::v1::BillingDetails* b = o.mutable_billing_details();
  b->set_name("Mairie");
  b->set_invoice_recipient_first_name("Anne");
  b->set_invoice_recipient_last_name("Dupont");
  b->set_invoice_recipient_email("not an address");
  Organization after;
  grpc::Status st = Update(t.token, o, {"billing_details"}, &after);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "organization.billing_details.invoice_recipient_email"));

  b->set_invoice_recipient_email("anne.dupont@mairie-test.fr");
  st = Update(t.token, o, {"billing_details"}, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.billing_details().invoice_recipient_email(), "anne.dupont@mairie-test.fr");
  EXPECT_EQ(MustGet(t.token, "").billing_details().invoice_recipient_last_name(), "Dupont");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'organization.update' AND"
                  " target_id = '" + t.org + "' AND changes->"
                  "'billing_details.invoice_recipient_email'->>'after' ="
                  " 'anne.dupont@mairie-test.fr'"),
            1);
}

}  // namespace
}  // namespace nuage::testing
