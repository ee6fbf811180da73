// account_level_test.cc — the requirements of the account levels.
#include "server/domain/identity/account_level.h"

#include <gtest/gtest.h>

#include <string>

namespace {

nu_billing_details Complete() {
  nu_billing_details b{};
  b.name = "Mairie de Lyon";
  b.address = "1 place de la Comédie";
  b.postal_code = "69001";
  b.city = "Lyon";
  b.country = "FR";
  b.email = "factures@mairie-lyon.fr";
  return b;
}

nu_account_facts Facts(nu_account_level current, unsigned missing, bool verified,
                       bool suspended = false) {
  nu_account_facts f{};
  f.current = current;
  f.billing_missing = missing;
  f.identity_verified = verified;
  f.suspended = suspended;
  return f;
}

TEST(AccountLevelTest, NamesRoundTrip) {
  for (nu_account_level l : {NU_ACCOUNT_LEVEL_DISCOVERY, NU_ACCOUNT_LEVEL_TEST,
                             NU_ACCOUNT_LEVEL_BUILD}) {
    EXPECT_EQ(nu_account_level_parse(nu_account_level_name(l)), l);
  }
  EXPECT_EQ(nu_account_level_name(NU_ACCOUNT_LEVEL_UNSPECIFIED), nullptr);
  EXPECT_EQ(nu_account_level_name(static_cast<nu_account_level>(9)), nullptr);
  EXPECT_EQ(nu_account_level_parse("Build"), NU_ACCOUNT_LEVEL_UNSPECIFIED);
  EXPECT_EQ(nu_account_level_parse(nullptr), NU_ACCOUNT_LEVEL_UNSPECIFIED);
}

TEST(AccountLevelTest, BillingCompleteWithoutVatNumber) {
  nu_billing_details b = Complete();
  EXPECT_EQ(nu_billing_missing(&b), 0u);
}

TEST(AccountLevelTest, BillingReportsEveryEmptyField) {
  nu_billing_details b{};
  b.city = "Lyon";
  b.email = "";
  unsigned m = nu_billing_missing(&b);
  EXPECT_EQ(m, unsigned(NU_BILLING_NAME | NU_BILLING_ADDRESS | NU_BILLING_POSTAL_CODE |
                        NU_BILLING_COUNTRY | NU_BILLING_EMAIL));
  EXPECT_STREQ(nu_billing_field_name(NU_BILLING_POSTAL_CODE), "billing_postal_code");
  EXPECT_EQ(nu_billing_field_name(NU_BILLING_NAME | NU_BILLING_CITY), nullptr);
  EXPECT_EQ(nu_billing_field_name(0), nullptr);
}

TEST(AccountLevelTest, TestNeedsBillingDetails) {
  nu_account_refusal why{};
  auto f = Facts(NU_ACCOUNT_LEVEL_DISCOVERY, NU_BILLING_CITY, false);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_TEST, &why), -1);
  EXPECT_STREQ(why.reason, "BILLING_DETAILS_MISSING");
  EXPECT_STREQ(why.message, "account level test requires complete billing details");
  f.billing_missing = 0;
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_TEST, &why), 0);
}

TEST(AccountLevelTest, BuildNeedsBillingThenIdentity) {
  nu_account_refusal why{};
  auto f = Facts(NU_ACCOUNT_LEVEL_DISCOVERY, NU_BILLING_EMAIL, true);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_BUILD, &why), -1);
  EXPECT_STREQ(why.reason, "BILLING_DETAILS_MISSING");
  EXPECT_STREQ(why.message, "account level build requires complete billing details");

  f = Facts(NU_ACCOUNT_LEVEL_TEST, 0, false);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_BUILD, &why), -1);
  EXPECT_STREQ(why.reason, "IDENTITY_NOT_VERIFIED");

  f.identity_verified = true;
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_BUILD, nullptr), 0);
  // Straight from discovery too: the requirements are those of the target.
  f.current = NU_ACCOUNT_LEVEL_DISCOVERY;
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_BUILD, nullptr), 0);
}

TEST(AccountLevelTest, GoingDownNeedsNothing) {
  auto f = Facts(NU_ACCOUNT_LEVEL_BUILD, NU_BILLING_NAME, false);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_TEST, nullptr), 0);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_DISCOVERY, nullptr), 0);
}

TEST(AccountLevelTest, StayingIsAlwaysAllowed) {
  auto f = Facts(NU_ACCOUNT_LEVEL_BUILD, NU_BILLING_NAME, false, true);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_BUILD, nullptr), 0);
}

TEST(AccountLevelTest, SuspendedCannotChange) {
  nu_account_refusal why{};
  auto f = Facts(NU_ACCOUNT_LEVEL_TEST, 0, true, true);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_BUILD, &why), -1);
  EXPECT_STREQ(why.reason, "ORGANIZATION_SUSPENDED");
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_DISCOVERY, &why), -1);
  EXPECT_STREQ(why.reason, "ORGANIZATION_SUSPENDED");
}

TEST(AccountLevelTest, UnknownTargetRefused) {
  nu_account_refusal why{};
  auto f = Facts(NU_ACCOUNT_LEVEL_DISCOVERY, 0, true);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_UNSPECIFIED, &why), -1);
  EXPECT_STREQ(why.reason, "ACCOUNT_LEVEL_INVALID");
  EXPECT_EQ(nu_account_level_check(&f, static_cast<nu_account_level>(4), &why), -1);
  EXPECT_STREQ(why.reason, "ACCOUNT_LEVEL_INVALID");
}

}  // namespace
