// org_access_test.cc — referent-only changes and the visibility of company
// and billing details, for every kind of caller.
#include "server/domain/organization/org_access.h"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(OrgAccessTest, NameAndInvoiceReferencesAreReferentOnly) {
  for (const char* p : {"name", "invoice_reference_1", "invoice_reference_2",
                        "invoice_reference_3"}) {
    EXPECT_TRUE(nu_org_path_referent_only(p)) << p;
  }
  for (const char* p : {"buyer", "seller", "siret", "region", "support_level", "billing_details",
                        "invoice_reference_4", "names", ""}) {
    EXPECT_FALSE(nu_org_path_referent_only(p)) << p;
  }
  EXPECT_FALSE(nu_org_path_referent_only(nullptr));
}

TEST(OrgAccessTest, OnlyTheReferentAndTheOperatorMakeReferentChanges) {
  nu_refusal why = {};
  nu_org_viewer referent = {false, true, NU_LEVEL_MANAGER};
  nu_org_viewer op = {true, false, NU_LEVEL_NONE};
  nu_org_viewer manager = {false, false, NU_LEVEL_MANAGER};
  EXPECT_EQ(nu_org_check_referent_change(&referent, &why), 0);
  EXPECT_EQ(nu_org_check_referent_change(&op, &why), 0);
  ASSERT_EQ(nu_org_check_referent_change(&manager, &why), -1);
  EXPECT_STREQ(why.reason, "REFERENT_ONLY");
  EXPECT_NE(std::string(why.message).find("only the referent"), std::string::npos);
}

TEST(OrgAccessTest, CompanyDetailsAreForManagersTheReferentAndTheOperator) {
  struct Case {
    bool op, referent;
    nu_level level;
    bool sees;
  } cases[] = {
      {false, false, NU_LEVEL_NONE, false},   {false, false, NU_LEVEL_VISITOR, false},
      {false, false, NU_LEVEL_MANAGER, true}, {false, true, NU_LEVEL_VISITOR, true},
      {false, true, NU_LEVEL_NONE, true},     {true, false, NU_LEVEL_NONE, true},
  };
  for (const Case& c : cases) {
    nu_org_viewer v = {c.op, c.referent, c.level};
    EXPECT_EQ(nu_org_sees_company_details(&v), c.sees)
        << "operator " << c.op << " referent " << c.referent << " level " << c.level;
  }
}

}  // namespace
