// org_code_test.cc — the syntax of organisation codes.
#include "server/domain/organization/org_code.h"

#include <gtest/gtest.h>

namespace {

TEST(OrgCodeTest, AcceptsOrgAndSixDigits) {
  EXPECT_TRUE(nu_org_code_valid("ORG-000000"));
  EXPECT_TRUE(nu_org_code_valid("ORG-123456"));
}

TEST(OrgCodeTest, RefusesAnythingElse) {
  for (const char* s : {"", "ORG-", "ORG-12345", "ORG-1234567", "org-123456", "ORG_123456",
                        "ORG-12345a", " ORG-123456", "ORG-123456 ", "NUP-123456",
                        "5f0c8b2e-8f3c-4a51-9d7e-0c2a1b3c4d5e"}) {
    EXPECT_FALSE(nu_org_code_valid(s)) << s;
  }
  EXPECT_FALSE(nu_org_code_valid(nullptr));
}

}  // namespace
