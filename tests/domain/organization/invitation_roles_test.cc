// invitation_roles_test.cc — the least-privilege defaults of an invitation.
#include "server/domain/organization/invitation_roles.h"

#include <gtest/gtest.h>

namespace {

TEST(InvitationRolesTest, VisitorOnContractAndDashboardNoneElsewhere) {
  nu_level levels[NU_SECTION_STOREFRONT];
  for (auto& l : levels) l = NU_LEVEL_MANAGER;  // whatever was there is replaced
  nu_invitation_default_levels(levels);
  for (int s = NU_SECTION_CONTRACT; s <= NU_SECTION_STOREFRONT; s++) {
    bool visitor = s == NU_SECTION_CONTRACT || s == NU_SECTION_DASHBOARD;
    EXPECT_EQ(levels[s - 1], visitor ? NU_LEVEL_VISITOR : NU_LEVEL_NONE) << "section " << s;
  }
}

}  // namespace
