// not_found_test.cc — NOT_FOUND never tells whether something exists in
// another organisation: a member of X naming organisation Y (existing or
// not), or a member or invitation of Y, gets byte for byte the answer of
// an organisation that does not exist.
#include <functional>
#include <vector>

#include "tests/identity/org/org_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

constexpr char kNobody[] = "00000000-0000-4000-8000-000000000000";

class NotFoundTest : public OrgTest {
 protected:
  static void ExpectSame(const grpc::Status& want, const grpc::Status& got, const std::string& what) {
    EXPECT_EQ(got.error_code(), want.error_code()) << what << ": " << Describe(got);
    EXPECT_EQ(got.error_message(), want.error_message()) << what;
    EXPECT_EQ(got.error_details(), want.error_details()) << what;
  }
};

TEST_F(NotFoundTest, OtherOrganizationsLookAbsent) {
  Team x = NewTeam();
  Team y = NewTeam();
  std::string y_member;
  SeedCaller(Db(), y.org, Unique("ymember"), AllLevels(1), &y_member);
  nuage::v1::Invitation y_inv;
  {
    nuage::v1::CreateInvitationRequest req;
    req.set_email(Unique("yinvitee") + "@ville-test.fr");
    ASSERT_TRUE(stub_->CreateInvitation(Ctx(y.token).get(), req, &y_inv).ok());
  }

  // The reference: an organisation id that names nothing.
  nuage::v1::Organization o;
  nuage::v1::GetOrganizationRequest get;
  get.set_organization_id(kNobody);
  grpc::Status want = stub_->GetOrganization(Ctx(x.token).get(), get, &o);
  ASSERT_EQ(want.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(want.error_message(), "organization not found");
  EXPECT_EQ(Reason(want), "NOT_FOUND");

  // Each call names Y (which exists) and then an id that names nothing.
  using Call = std::function<grpc::Status(const std::string& org, const std::string& child)>;
  const std::string& tok = x.token;
  std::vector<std::pair<std::string, Call>> calls = {
      {"GetOrganization",
       [&](const std::string& org, const std::string&) {
         nuage::v1::GetOrganizationRequest r;
         r.set_organization_id(org);
         return stub_->GetOrganization(Ctx(tok).get(), r, &o);
       }},
      {"UpdateOrganization",
       [&](const std::string& org, const std::string&) {
         nuage::v1::UpdateOrganizationRequest r;
         r.mutable_organization()->set_id(org);
         r.mutable_organization()->set_etag("\"1\"");
         r.mutable_organization()->set_name("mine now");
         r.mutable_update_mask()->add_paths("name");
         return stub_->UpdateOrganization(Ctx(tok).get(), r, &o);
       }},
      {"SetAccountLevel",
       [&](const std::string& org, const std::string&) {
         nuage::v1::SetAccountLevelRequest r;
         r.set_organization_id(org);
         r.set_account_level(nuage::v1::ACCOUNT_LEVEL_DISCOVERY);
         return stub_->SetAccountLevel(Ctx(tok).get(), r, &o);
       }},
      {"ListMembers",
       [&](const std::string& org, const std::string&) {
         nuage::v1::ListMembersRequest r;
         r.set_organization_id(org);
         nuage::v1::ListMembersResponse resp;
         return stub_->ListMembers(Ctx(tok).get(), r, &resp);
       }},
      {"UpdateMemberRoles",
       [&](const std::string& org, const std::string& child) {
         nuage::v1::UpdateMemberRolesRequest r;
         r.set_organization_id(org);
         r.set_user_id(child);
         r.set_etag("\"1\"");
         auto* role = r.add_roles();
         role->set_section(nuage::v1::SECTION_USERS);
         role->set_level(nuage::v1::LEVEL_NONE);
         nuage::v1::Member m;
         return stub_->UpdateMemberRoles(Ctx(tok).get(), r, &m);
       }},
      {"RemoveMember",
       [&](const std::string& org, const std::string& child) {
         nuage::v1::RemoveMemberRequest r;
         r.set_organization_id(org);
         r.set_user_id(child);
         nuage::v1::RemoveMemberResponse resp;
         return stub_->RemoveMember(Ctx(tok).get(), r, &resp);
       }},
      {"TransferReferent",
       [&](const std::string& org, const std::string& child) {
         nuage::v1::TransferReferentRequest r;
         r.set_organization_id(org);
         r.set_user_id(child);
         return stub_->TransferReferent(Ctx(tok).get(), r, &o);
       }},
      {"CreateInvitation",
       [&](const std::string& org, const std::string&) {
         nuage::v1::CreateInvitationRequest r;
         r.set_organization_id(org);
         r.set_email("intruder@ville-test.fr");
         nuage::v1::Invitation inv;
         return stub_->CreateInvitation(Ctx(tok).get(), r, &inv);
       }},
      {"ListInvitations",
       [&](const std::string& org, const std::string&) {
         nuage::v1::ListInvitationsRequest r;
         r.set_organization_id(org);
         nuage::v1::ListInvitationsResponse resp;
         return stub_->ListInvitations(Ctx(tok).get(), r, &resp);
       }},
  };
  auto invitation_call = [&](const char* method) -> Call {
    return [&, method](const std::string& org, const std::string& child) {
      nuage::v1::Invitation inv;
      std::string m = method;
      if (m == "Get") {
        nuage::v1::GetInvitationRequest r;
        r.set_organization_id(org);
        r.set_invitation_id(child);
        return stub_->GetInvitation(Ctx(tok).get(), r, &inv);
      }
      if (m == "Resend") {
        nuage::v1::ResendInvitationRequest r;
        r.set_organization_id(org);
        r.set_invitation_id(child);
        return stub_->ResendInvitation(Ctx(tok).get(), r, &inv);
      }
      nuage::v1::RevokeInvitationRequest r;
      r.set_organization_id(org);
      r.set_invitation_id(child);
      return stub_->RevokeInvitation(Ctx(tok).get(), r, &inv);
    };
  };
  calls.push_back({"GetInvitation", invitation_call("Get")});
  calls.push_back({"ResendInvitation", invitation_call("Resend")});
  calls.push_back({"RevokeInvitation", invitation_call("Revoke")});

  for (const auto& [name, call] : calls) {
    std::string child = name.find("Invitation") != std::string::npos ? y_inv.id() : y_member;
    ExpectSame(want, call(y.org, child), name + " on an existing organization");
    ExpectSame(want, call(kNobody, kNobody), name + " on an absent organization");
    ExpectSame(want, call("not-a-uuid", "not-a-uuid"), name + " on a malformed id");
  }
  // Nothing of Y changed.
  EXPECT_EQ(Count("SELECT count(*) FROM memberships WHERE organization_id = '" + y.org + "'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM invitations WHERE organization_id = '" + y.org +
                  "' AND status = 'pending'"),
            1);
}

TEST_F(NotFoundTest, ChildrenOfOtherOrganizationsLookAbsentInOnesOwn) {
  Team x = NewTeam();
  Team y = NewTeam();
  nuage::v1::Invitation y_inv;
  nuage::v1::CreateInvitationRequest create;
  create.set_email(Unique("other") + "@ville-test.fr");
  ASSERT_TRUE(stub_->CreateInvitation(Ctx(y.token).get(), create, &y_inv).ok());

  // Y's invitation id asked within X, and an id that names nothing.
  nuage::v1::GetInvitationRequest r;
  nuage::v1::Invitation inv;
  r.set_invitation_id(y_inv.id());
  grpc::Status a = stub_->GetInvitation(Ctx(x.token).get(), r, &inv);
  r.set_invitation_id(kNobody);
  grpc::Status b = stub_->GetInvitation(Ctx(x.token).get(), r, &inv);
  EXPECT_EQ(a.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(a.error_message(), "invitation not found");
  ExpectSame(b, a, "GetInvitation of Y's invitation within X");

  // Y's referent removed "from X": not a member of X, same as nobody.
  nuage::v1::RemoveMemberRequest rm;
  nuage::v1::RemoveMemberResponse resp;
  rm.set_user_id(y.referent);
  grpc::Status c = stub_->RemoveMember(Ctx(x.token).get(), rm, &resp);
  rm.set_user_id(kNobody);
  grpc::Status d = stub_->RemoveMember(Ctx(x.token).get(), rm, &resp);
  EXPECT_EQ(c.error_message(), "member not found");
  ExpectSame(d, c, "RemoveMember of Y's referent within X");
}

TEST_F(NotFoundTest, TheOperatorSeesEveryOrganizationButNotAbsentOnes) {
  Team y = NewTeam();
  std::string op = Operator();
  nuage::v1::GetOrganizationRequest r;
  nuage::v1::Organization o;
  r.set_organization_id(y.org);
  ASSERT_TRUE(stub_->GetOrganization(Ctx(op).get(), r, &o).ok());
  EXPECT_EQ(o.id(), y.org);
  r.set_organization_id(kNobody);
  grpc::Status a = stub_->GetOrganization(Ctx(op).get(), r, &o);
  r.set_organization_id("not-a-uuid");
  grpc::Status b = stub_->GetOrganization(Ctx(op).get(), r, &o);
  EXPECT_EQ(a.error_code(), StatusCode::NOT_FOUND);
  ExpectSame(a, b, "operator, malformed id");
}

}  // namespace
}  // namespace nuage::testing
