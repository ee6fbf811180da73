// rights_test.cc — "your rights": GetCurrentUser gives the caller's level in
// every section of the organisation the session acts for (the levels every
// RPC is authorised with) and lists the caller's organisations, saying
// where the caller is referent.
#include "nuage/v1/user.grpc.pb.h"
#include "tests/identity/org/org_testing.h"

namespace nuage::testing {
namespace {

class RightsTest : public OrgTest {
 protected:
  nuage::v1::User Me(const std::string& token) {
    auto users = nuage::v1::UserService::NewStub(channel_);
    nuage::v1::User me;
    grpc::Status st = users->GetCurrentUser(Ctx(token).get(), nuage::v1::GetCurrentUserRequest(), &me);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return me;
  }
};

TEST_F(RightsTest, TheCallerSeesItsLevelsAndItsOrganizations) {
  Team a = NewTeam();
  Team b = NewTeam();
  // The referent of A is a plain member of B: visitor on contract, manager
  // on orders.
  Levels in_b = AllLevels(0);
  in_b[nuage::v1::SECTION_CONTRACT - 1] = 1;
  in_b[nuage::v1::SECTION_ORDERS - 1] = 2;
  SeedMember(Db(), b.org, a.referent, in_b);

  nuage::v1::User me = Me(a.token);
  EXPECT_EQ(me.id(), a.referent);
  EXPECT_EQ(me.acting_organization_id(), a.org);
  ASSERT_EQ(me.roles_size(), 9);
  for (const auto& r : me.roles()) EXPECT_EQ(r.level(), nuage::v1::LEVEL_MANAGER);
  ASSERT_EQ(me.memberships_size(), 2);
  int referent_of = 0;
  for (const auto& m : me.memberships()) {
    EXPECT_FALSE(m.organization_name().empty());
    if (m.organization_id() == a.org) {
      EXPECT_TRUE(m.referent());
      referent_of++;
    } else {
      EXPECT_EQ(m.organization_id(), b.org);
      EXPECT_FALSE(m.referent());
    }
  }
  EXPECT_EQ(referent_of, 1);

  // Acting for B: B's levels.
  nuage::v1::User there = Me(SeedSession(Db(), a.referent, b.org));
  EXPECT_EQ(there.acting_organization_id(), b.org);
  ASSERT_EQ(there.roles_size(), 9);
  for (const auto& r : there.roles()) {
    nuage::v1::Level want = r.section() == nuage::v1::SECTION_CONTRACT ? nuage::v1::LEVEL_VISITOR
                            : r.section() == nuage::v1::SECTION_ORDERS ? nuage::v1::LEVEL_MANAGER
                                                                       : nuage::v1::LEVEL_NONE;
    EXPECT_EQ(r.level(), want) << nuage::v1::Section_Name(r.section());
  }

  // A session acting for no organisation: no roles, the memberships still.
  nuage::v1::User none = Me(SeedSession(Db(), a.referent, ""));
  EXPECT_TRUE(none.acting_organization_id().empty());
  EXPECT_EQ(none.roles_size(), 0);
  EXPECT_EQ(none.memberships_size(), 2);
}

}  // namespace
}  // namespace nuage::testing
