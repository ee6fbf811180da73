// member_test.cc — members and roles over gRPC: list with search and
// pages, role changes with etag, profile edits by a users manager (etag,
// audit, never e-mail, login or password), removal (never the referent;
// sessions detached), referent hand-over.
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

// A users manager edits another member's profile through the update path:
// etag in member.etag, audited with the organisation, no e-mail.
TEST_F(MemberTest, AManagerEditsAMembersProfile) {
  Team t = NewTeam();
  std::string manager_id, uid;
  std::string manager = SeedCaller(Db(), t.org, Unique("manager"), AllLevels(2), &manager_id);
  std::string member_token = SeedCaller(Db(), t.org, Unique("member"), AllLevels(1), &uid);
  nuage::v1::Member before = Find(t.token, uid);
  int mails = Count("SELECT count(*) FROM outbox");

  nuage::v1::UpdateMemberRequest req;
  nuage::v1::Member* m = req.mutable_member();
  m->set_user_id(uid);
  m->set_etag(before.etag());
  m->set_civility(nuage::v1::CIVILITY_MS);
  m->set_first_name("Camille");
  m->set_last_name("Durand");
  m->set_phone_mobile("06 12 34 56 78");
  m->set_language("en");
  m->set_email("ignored@example.fr");  // not in the mask: untouched
  for (const char* path : {"civility", "first_name", "last_name", "phone_mobile", "language"}) {
    req.mutable_update_mask()->add_paths(path);
  }
  nuage::v1::Member after;
  grpc::Status st = stub_->UpdateMember(Ctx(manager).get(), req, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.user_id(), uid);
  EXPECT_EQ(after.organization_id(), t.org);
  EXPECT_EQ(after.civility(), nuage::v1::CIVILITY_MS);
  EXPECT_EQ(after.first_name(), "Camille");
  EXPECT_EQ(after.last_name(), "Durand");
  EXPECT_EQ(after.phone_mobile(), "+33612345678");
  EXPECT_EQ(after.language(), "en");
  EXPECT_EQ(after.email(), before.email());
  EXPECT_NE(after.etag(), before.etag());
  EXPECT_EQ(after.roles(nuage::v1::SECTION_ORDERS - 1).level(), nuage::v1::LEVEL_VISITOR);
  EXPECT_EQ(PgQuery(Db(), "SELECT first_name, phone_mobile, language, civility, email FROM users"
                          " WHERE id = '" + uid + "'")[0],
            (std::vector<std::string>{"Camille", "+33612345678", "en", "ms", before.email()}));

  auto audit = PgQuery(Db(), "SELECT organization_id, actor_user_id, target_type,"
                             " changes->'first_name'->>'after', changes->'phone_mobile'->>'after',"
                             " changes ? 'email'"
                             " FROM audit_log WHERE action = 'member.update' AND target_id = '" +
                                 uid + "'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], t.org);
  EXPECT_EQ(audit[0][1], manager_id);
  EXPECT_EQ(audit[0][2], "member");
  EXPECT_EQ(audit[0][3], "Camille");
  EXPECT_EQ(audit[0][4], "+33612345678");
  EXPECT_EQ(audit[0][5], "f");
  EXPECT_EQ(Count("SELECT count(*) FROM outbox"), mails);

  // The member's etag moved: UpdateMemberRoles with the old one is stale,
  // and so is UpdateMember.
  st = stub_->UpdateMember(Ctx(manager).get(), req, &after);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "ETAG_MISMATCH");
  nuage::v1::UpdateMemberRolesRequest roles;
  roles.set_user_id(uid);
  roles.set_etag(before.etag());
  auto* r = roles.add_roles();
  r->set_section(nuage::v1::SECTION_ORDERS);
  r->set_level(nuage::v1::LEVEL_MANAGER);
  nuage::v1::Member unused;
  EXPECT_EQ(Reason(stub_->UpdateMemberRoles(Ctx(manager).get(), roles, &unused)), "ETAG_MISMATCH");

  // The same values again: nothing written, nothing audited, same etag.
  nuage::v1::Member current = Find(t.token, uid);
  m->set_etag(current.etag());
  st = stub_->UpdateMember(Ctx(manager).get(), req, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.etag(), current.etag());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'member.update' AND target_id = '" +
                  uid + "'"),
            1);

  // A users visitor cannot edit anyone (not even themself this way).
  m->set_user_id(uid);
  EXPECT_EQ(stub_->UpdateMember(Ctx(member_token).get(), req, &after).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(MemberTest, MemberEditsRefuseSignInFieldsAndBadValues) {
  Team t = NewTeam();
  std::string uid;
  SeedCaller(Db(), t.org, Unique("member"), AllLevels(1), &uid);
  nuage::v1::Member before = Find(t.token, uid);

  nuage::v1::UpdateMemberRequest req;
  req.mutable_member()->set_user_id(uid);
  req.mutable_member()->set_etag(before.etag());
  req.mutable_member()->set_email("new@mairie-test.fr");
  req.mutable_update_mask()->add_paths("first_name");
  req.mutable_update_mask()->add_paths("email");
  req.mutable_update_mask()->add_paths("login");
  req.mutable_update_mask()->add_paths("password");
  req.mutable_member()->set_first_name("Ok");
  nuage::v1::Member after;
  grpc::Status st = stub_->UpdateMember(Ctx(t.token).get(), req, &after);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(HasViolation(st, "update_mask.paths[0]")) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "update_mask.paths[1]")) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "update_mask.paths[2]")) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "update_mask.paths[3]")) << Describe(st);
  EXPECT_EQ(PgQuery(Db(), "SELECT email FROM users WHERE id = '" + uid + "'")[0][0], before.email());

  // Bad values on their exact paths; an empty mask; no etag.
  nuage::v1::UpdateMemberRequest bad;
  bad.mutable_member()->set_user_id(uid);
  bad.mutable_member()->set_etag("7");
  bad.mutable_member()->set_phone_landline("12");
  bad.mutable_member()->set_language("de");
  bad.mutable_member()->set_civility(static_cast<nuage::v1::Civility>(9));
  for (const char* path : {"first_name", "phone_landline", "language", "civility", "nickname"}) {
    bad.mutable_update_mask()->add_paths(path);
  }
  st = stub_->UpdateMember(Ctx(t.token).get(), bad, &after);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  for (const char* field : {"member.etag", "member.first_name", "member.phone_landline",
                            "member.language", "member.civility", "update_mask.paths[4]"}) {
    EXPECT_TRUE(HasViolation(st, field)) << field << ": " << Describe(st);
  }
  nuage::v1::UpdateMemberRequest empty;
  empty.mutable_member()->set_user_id(uid);
  empty.mutable_member()->set_etag(before.etag());
  st = stub_->UpdateMember(Ctx(t.token).get(), empty, &after);
  EXPECT_TRUE(HasViolation(st, "update_mask")) << Describe(st);

  // Removing the only phone: refused on the phone.
  nuage::v1::UpdateMemberRequest phones;
  phones.mutable_member()->set_user_id(uid);
  phones.mutable_member()->set_etag(before.etag());
  phones.mutable_update_mask()->add_paths("phone_landline");
  phones.mutable_update_mask()->add_paths("phone_mobile");
  st = stub_->UpdateMember(Ctx(t.token).get(), phones, &after);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "member.phone_mobile")) << Describe(st);
}

// Another organisation's member answers exactly as an absent one.
TEST_F(MemberTest, AnotherOrganisationsMemberIsNotFound) {
  Team t = NewTeam();
  Team other = NewTeam();
  std::string uid;
  SeedCaller(Db(), other.org, Unique("elsewhere"), AllLevels(1), &uid);
  nuage::v1::UpdateMemberRequest req;
  req.mutable_member()->set_user_id(uid);
  req.mutable_member()->set_etag("\"1\"");
  req.mutable_member()->set_first_name("Intrus");
  req.mutable_update_mask()->add_paths("first_name");
  nuage::v1::Member after;
  grpc::Status foreign = stub_->UpdateMember(Ctx(t.token).get(), req, &after);
  EXPECT_EQ(foreign.error_code(), StatusCode::NOT_FOUND) << Describe(foreign);
  req.mutable_member()->set_user_id("00000000-0000-4000-8000-000000000000");
  grpc::Status absent = stub_->UpdateMember(Ctx(t.token).get(), req, &after);
  EXPECT_EQ(absent.error_code(), StatusCode::NOT_FOUND);
  EXPECT_EQ(foreign.error_message(), absent.error_message());
  // Naming the other organisation does not help.
  req.mutable_member()->set_user_id(uid);
  req.mutable_member()->set_organization_id(other.org);
  EXPECT_EQ(stub_->UpdateMember(Ctx(t.token).get(), req, &after).error_code(),
            StatusCode::NOT_FOUND);
  EXPECT_NE(PgQuery(Db(), "SELECT first_name FROM users WHERE id = '" + uid + "'")[0][0], "Intrus");
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
