// member_test.cc — members and roles over gRPC: list with search and
// pages, role changes with etag, removal (never the referent; sessions
// detached), referent hand-over.
#include <set>

#include "tests/identity/org/org_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class MemberTest : public OrgTest {
 protected:
  nuage::v1::Member Find(const std::string& token, const std::string& user_id) {
    nuage::v1::ListMembersRequest req;
    req.set_page_size(500);
    nuage::v1::ListMembersResponse resp;
    grpc::Status st = stub_->ListMembers(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    for (const auto& m : resp.members()) {
      if (m.user_id() == user_id) return m;
    }
    ADD_FAILURE() << "no member " << user_id;
    return {};
  }
};

TEST_F(MemberTest, ListSearchesAndPages) {
  Team t = NewTeam();
  std::string alice_login = Unique("alice.martin");
  std::string alice;
  SeedCaller(Db(), t.org, alice_login, AllLevels(1), &alice);
  for (int i = 0; i < 3; i++) SeedCaller(Db(), t.org, Unique("bob.durand"), AllLevels(1));

  nuage::v1::ListMembersRequest req;
  nuage::v1::ListMembersResponse resp;
  req.set_query("ALICE.MART");
  ASSERT_TRUE(stub_->ListMembers(Ctx(t.token).get(), req, &resp).ok());
  ASSERT_EQ(resp.members_size(), 1);
  EXPECT_EQ(resp.members(0).user_id(), alice);
  EXPECT_EQ(resp.members(0).login(), alice_login);
  EXPECT_EQ(resp.members(0).roles_size(), 9);
  EXPECT_FALSE(resp.members(0).referent());

  req.set_query("bob.durand");
  req.set_page_size(2);
  std::set<std::string> seen;
  std::string page;
  do {
    req.set_page_token(page);
    grpc::Status st = stub_->ListMembers(Ctx(t.token).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    for (const auto& m : resp.members()) EXPECT_TRUE(seen.insert(m.user_id()).second);
    page = resp.next_page_token();
  } while (!page.empty());
  EXPECT_EQ(seen.size(), 3u);

  // A member without users visitor cannot list.
  Levels none = AllLevels(2);
  none[7] = 0;
  std::string outsider = SeedCaller(Db(), t.org, Unique("nousers"), none);
  EXPECT_EQ(stub_->ListMembers(Ctx(outsider).get(), req, &resp).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(MemberTest, RolesChangeWithTheCurrentEtag) {
  Team t = NewTeam();
  std::string uid;
  std::string member_token = SeedCaller(Db(), t.org, Unique("member"), AllLevels(1), &uid);
  nuage::v1::Member before = Find(t.token, uid);

  nuage::v1::UpdateMemberRolesRequest req;
  req.set_user_id(uid);
  req.set_etag(before.etag());
  auto* r = req.add_roles();
  r->set_section(nuage::v1::SECTION_ORDERS);
  r->set_level(nuage::v1::LEVEL_MANAGER);
  r = req.add_roles();
  r->set_section(nuage::v1::SECTION_INVOICES);
  r->set_level(nuage::v1::LEVEL_NONE);
  nuage::v1::Member after;
  grpc::Status st = stub_->UpdateMemberRoles(Ctx(t.token).get(), req, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.roles(nuage::v1::SECTION_ORDERS - 1).level(), nuage::v1::LEVEL_MANAGER);
  EXPECT_EQ(after.roles(nuage::v1::SECTION_INVOICES - 1).level(), nuage::v1::LEVEL_NONE);
  EXPECT_EQ(after.roles(nuage::v1::SECTION_CONTRACT - 1).level(), nuage::v1::LEVEL_VISITOR);
  EXPECT_EQ(PgQuery(Db(), "SELECT levels::text FROM memberships WHERE user_id = '" + uid + "'")[0][0],
            "{1,1,1,2,1,0,1,1,1}");
  auto audit = PgQuery(Db(), "SELECT changes->'levels'->>'before', changes->'levels'->>'after'"
                             " FROM audit_log WHERE action = 'member.update_roles' AND target_id = '" +
                                 uid + "'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], "{1,1,1,1,1,1,1,1,1}");
  EXPECT_EQ(audit[0][1], "{1,1,1,2,1,0,1,1,1}");

  // Stale etag.
  st = stub_->UpdateMemberRoles(Ctx(t.token).get(), req, &after);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "ETAG_MISMATCH");
  // A users visitor cannot change roles (not even their own).
  req.set_etag(after.etag());
  EXPECT_EQ(stub_->UpdateMemberRoles(Ctx(member_token).get(), req, &after).error_code(),
            StatusCode::PERMISSION_DENIED);
  // Bad input: a section twice, an unknown level.
  req.add_roles()->set_section(nuage::v1::SECTION_ORDERS);
  st = stub_->UpdateMemberRoles(Ctx(t.token).get(), req, &after);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "roles[2].section"));
  EXPECT_TRUE(HasViolation(st, "roles[2].level"));
}

TEST_F(MemberTest, TheReferentKeepsManagerOnUsers) {
  Team t = NewTeam();
  nuage::v1::Member me = Find(t.token, t.referent);
  EXPECT_TRUE(me.referent());
  nuage::v1::UpdateMemberRolesRequest req;
  req.set_user_id(t.referent);
  req.set_etag(me.etag());
  auto* r = req.add_roles();
  r->set_section(nuage::v1::SECTION_USERS);
  r->set_level(nuage::v1::LEVEL_VISITOR);
  nuage::v1::Member after;
  grpc::Status st = stub_->UpdateMemberRoles(Ctx(t.token).get(), req, &after);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "REFERENT_MANAGES_USERS");
}

TEST_F(MemberTest, RemovalDetachesSessionsButNeverTheReferent) {
  Team t = NewTeam();
  std::string uid;
  std::string member_token = SeedCaller(Db(), t.org, Unique("leaving"), AllLevels(2), &uid);

  // A manager of users (not the referent) tries to remove the referent.
  nuage::v1::RemoveMemberRequest req;
  req.set_user_id(t.referent);
  nuage::v1::RemoveMemberResponse resp;
  grpc::Status st = stub_->RemoveMember(Ctx(member_token).get(), req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "REFERENT_CANNOT_BE_REMOVED");

  req.set_user_id(uid);
  st = stub_->RemoveMember(Ctx(t.token, Unique("rm-")).get(), req, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(resp.sessions_detached(), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM memberships WHERE organization_id = '" + t.org +
                  "' AND user_id = '" + uid + "'"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM sessions WHERE user_id = '" + uid +
                  "' AND organization_id IS NOT NULL"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'member.remove' AND target_id = '" +
                  uid + "'"),
            1);
  // The removed member's session no longer reaches the organisation.
  nuage::v1::ListMembersRequest list;
  nuage::v1::ListMembersResponse members;
  st = stub_->ListMembers(Ctx(member_token).get(), list, &members);
  EXPECT_FALSE(st.ok());
  // Removing again: not a member any more.
  st = stub_->RemoveMember(Ctx(t.token).get(), req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND);
}

TEST_F(MemberTest, OnlyTheReferentHandsTheRoleOver) {
  Team t = NewTeam();
  std::string manager_id, target_id;
  std::string manager = SeedCaller(Db(), t.org, Unique("manager"), AllLevels(2), &manager_id);
  Levels visitor = AllLevels(1);
  SeedCaller(Db(), t.org, Unique("target"), visitor, &target_id);

  nuage::v1::TransferReferentRequest req;
  req.set_user_id(target_id);
  nuage::v1::Organization o;
  grpc::Status st = stub_->TransferReferent(Ctx(manager).get(), req, &o);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);

  // Not a member: NOT_FOUND.
  std::string stranger = SeedUser(Db(), Unique("stranger"), Unique("stranger") + "@x-test.fr",
                                  "Str0ng&Password!");
  req.set_user_id(stranger);
  EXPECT_EQ(stub_->TransferReferent(Ctx(t.token).get(), req, &o).error_code(),
            StatusCode::NOT_FOUND);

  req.set_user_id(target_id);
  st = stub_->TransferReferent(Ctx(t.token).get(), req, &o);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(o.referent_user_id(), target_id);
  nuage::v1::Member m = Find(t.token, target_id);
  EXPECT_TRUE(m.referent());
  EXPECT_EQ(m.roles(nuage::v1::SECTION_USERS - 1).level(), nuage::v1::LEVEL_MANAGER);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'organization.transfer_referent'"
                  " AND target_id = '" + t.org + "'"),
            1);
  // The former referent can now be removed by a users manager.
  nuage::v1::RemoveMemberRequest rm;
  rm.set_user_id(t.referent);
  nuage::v1::RemoveMemberResponse resp;
  st = stub_->RemoveMember(Ctx(manager).get(), rm, &resp);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

}  // namespace
}  // namespace nuage::testing
