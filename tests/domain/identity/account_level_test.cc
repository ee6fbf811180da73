// account_level_test.cc — the requirements of the account levels.
#include "server/domain/identity/account_level.h"

#include <gtest/gtest.h>

#include <string>

#include "server/domain/identity/policy.h"

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
  auto f = Facts(NU_ACCOUNT_LEVEL_BUILD, 0, false);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_TEST, nullptr), 0);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_DISCOVERY, nullptr), 0);
  f.billing_missing = NU_BILLING_NAME;
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_DISCOVERY, nullptr), 0);
}

// Only a provisional build holds a level above discovery without billing
// details: going down from it to test needs them like going up does.
TEST(AccountLevelTest, DownFromAProvisionalBuildToTestNeedsBilling) {
  nu_account_refusal why{};
  auto f = Facts(NU_ACCOUNT_LEVEL_BUILD, NU_BILLING_NAME, true);
  EXPECT_EQ(nu_account_level_check(&f, NU_ACCOUNT_LEVEL_TEST, &why), -1);
  EXPECT_STREQ(why.reason, "BILLING_DETAILS_MISSING");
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

// ---- provisional build, effective level, commitments ------------------------

constexpr int64_t kNow = INT64_C(1790000000) * 1000000000;  // any clock time
constexpr int64_t kDays14 = NU_PROVISIONAL_BUILD_NS;
constexpr nu_account_level kD = NU_ACCOUNT_LEVEL_DISCOVERY;
constexpr nu_account_level kT = NU_ACCOUNT_LEVEL_TEST;
constexpr nu_account_level kB = NU_ACCOUNT_LEVEL_BUILD;
enum Provisional { kNone, kRunning, kEnded };

TEST(AccountLevelTest, ProvisionalBuildLastsFourteenDays) {
  EXPECT_EQ(kDays14, INT64_C(14) * 24 * 3600 * 1000000000);
}

// Every stored level × billing × identity × provisional state: the level
// the organisation has, and what the commitment rule answers at it. Without
// a provisional build the stored level stands (the writes that set it
// checked the facts).
TEST(AccountLevelTest, EffectiveLevelAndCommitmentOfEveryCombination) {
  struct Row {
    nu_account_level stored;
    bool billing_complete;
    bool identity_verified;
    Provisional provisional;
    nu_account_level effective;
  } rows[] = {
      {kD, true, true, kNone, kD},      {kD, true, true, kRunning, kB},
      {kD, true, true, kEnded, kD},     {kD, true, false, kNone, kD},
      {kD, true, false, kRunning, kD},  {kD, true, false, kEnded, kD},
      {kD, false, true, kNone, kD},     {kD, false, true, kRunning, kB},
      {kD, false, true, kEnded, kD},    {kD, false, false, kNone, kD},
      {kD, false, false, kRunning, kD}, {kD, false, false, kEnded, kD},
      {kT, true, true, kNone, kT},      {kT, true, true, kRunning, kB},
      {kT, true, true, kEnded, kT},     {kT, true, false, kNone, kT},
      {kT, true, false, kRunning, kT},  {kT, true, false, kEnded, kT},
      {kT, false, true, kNone, kT},     {kT, false, true, kRunning, kB},
      {kT, false, true, kEnded, kD},    {kT, false, false, kNone, kT},
      {kT, false, false, kRunning, kD}, {kT, false, false, kEnded, kD},
      {kB, true, true, kNone, kB},      {kB, true, true, kRunning, kB},
      {kB, true, true, kEnded, kB},     {kB, true, false, kNone, kB},
      {kB, true, false, kRunning, kT},  {kB, true, false, kEnded, kT},
      {kB, false, true, kNone, kB},     {kB, false, true, kRunning, kB},
      {kB, false, true, kEnded, kD},    {kB, false, false, kNone, kB},
      {kB, false, false, kRunning, kD}, {kB, false, false, kEnded, kD},
  };
  for (const Row &r : rows) {
    for (bool suspended : {false, true}) {
      SCOPED_TRACE(std::string(nu_account_level_name(r.stored)) +
                   (r.billing_complete ? " billing" : " no-billing") +
                   (r.identity_verified ? " verified" : " unverified") + " provisional=" +
                   std::to_string(r.provisional) + (suspended ? " suspended" : ""));
      nu_account_facts f = Facts(r.stored, r.billing_complete ? 0u : unsigned{NU_BILLING_CITY},
                                 r.identity_verified, suspended);
      f.provisional_build_until_ns = r.provisional == kNone      ? 0
                                     : r.provisional == kRunning ? kNow + 1
                                                                 : kNow;
      EXPECT_EQ(nu_account_level_effective(&f, kNow), r.effective);
      EXPECT_EQ(nu_account_provisional(&f, kNow),
                r.provisional == kRunning && r.identity_verified);

      nu_account_commitment one{0, 1, NU_TEST_LEVEL_MONTHLY_CENTS_DEFAULT};
      nu_account_commitment over{0, NU_TEST_LEVEL_MONTHLY_CENTS_DEFAULT + 1,
                                 NU_TEST_LEVEL_MONTHLY_CENTS_DEFAULT};
      nu_account_decision d{};
      int rc = nu_account_commitment_decide(&f, kNow, &one, &d);
      EXPECT_EQ(d.level, r.effective);
      if (suspended) {
        EXPECT_EQ(rc, -1);
        EXPECT_STREQ(d.reason, "ORGANIZATION_SUSPENDED");
        continue;
      }
      EXPECT_EQ(rc, r.effective == kD ? -1 : 0);
      EXPECT_EQ(d.allowed, r.effective != kD);
      if (r.effective == kD) {
        EXPECT_STREQ(d.reason, "ACCOUNT_LEVEL_DISCOVERY");
        EXPECT_EQ(d.remaining_cents, 0);
      } else {
        EXPECT_EQ(d.reason, nullptr);
      }
      rc = nu_account_commitment_decide(&f, kNow, &over, &d);
      EXPECT_EQ(rc, r.effective == kB ? 0 : -1);
      if (r.effective == kT) EXPECT_STREQ(d.reason, "TEST_LEVEL_CAP_EXCEEDED");
      if (r.effective == kB) EXPECT_EQ(d.remaining_cents, -1);
    }
  }
}

TEST(AccountLevelTest, TestCapBoundaryExactly) {
  auto f = Facts(kT, 0, false);
  nu_account_decision d{};
  nu_account_commitment c{0, 50000, 50000};
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), 0);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining_cents, 50000);
  c.amount_cents = 50001;
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), -1);
  EXPECT_STREQ(d.reason, "TEST_LEVEL_CAP_EXCEEDED");
  EXPECT_EQ(d.remaining_cents, 50000);
  // What was committed this month counts: 30000 + 20000 is the cap.
  c = {30000, 20000, 50000};
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), 0);
  EXPECT_EQ(d.remaining_cents, 20000);
  c.amount_cents = 20001;
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), -1);
  EXPECT_EQ(d.remaining_cents, 20000);
  // Over the cap already (a lower cap since): nothing remains, not below 0.
  c = {60000, 0, 50000};
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), 0);
  c.amount_cents = 1;
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), -1);
  EXPECT_EQ(d.remaining_cents, 0);
  // Huge amounts do not overflow.
  c = {INT64_MAX, INT64_MAX, 50000};
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), -1);
  EXPECT_STREQ(d.reason, "TEST_LEVEL_CAP_EXCEEDED");
  // A configured cap of 0: test commits nothing but free items.
  c = {0, 0, 0};
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), 0);
  c.amount_cents = 1;
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), -1);
}

TEST(AccountLevelTest, NegativeAmountsRefused) {
  auto f = Facts(kB, 0, true);
  nu_account_decision d{};
  nu_account_commitment c{0, -1, 50000};
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), -1);
  EXPECT_STREQ(d.reason, "COMMITMENT_AMOUNT_INVALID");
  c = {-1, 0, 50000};
  EXPECT_EQ(nu_account_commitment_decide(&f, kNow, &c, &d), -1);
}

TEST(AccountLevelTest, FirstVerificationWithoutBillingGrantsBuildFor14Days) {
  auto before = Facts(kD, NU_BILLING_NAME, false);
  nu_account_level level = kD;
  int64_t until = 0;
  EXPECT_TRUE(nu_account_on_identity_verified(&before, kNow, &level, &until));
  EXPECT_EQ(level, kB);
  EXPECT_EQ(until, kNow + kDays14);

  // The 14-day boundary: build until the last nanosecond, the fall-back at
  // the end exactly.
  nu_account_facts after = before;
  after.current = level;
  after.identity_verified = true;
  after.provisional_build_until_ns = until;
  EXPECT_EQ(nu_account_level_effective(&after, until - 1), kB);
  EXPECT_TRUE(nu_account_provisional(&after, until - 1));
  EXPECT_EQ(nu_account_level_effective(&after, until), kD);
  EXPECT_FALSE(nu_account_provisional(&after, until));
  nu_account_decision d{};
  nu_account_commitment c{0, 1, 50000};
  EXPECT_EQ(nu_account_commitment_decide(&after, until - 1, &c, &d), 0);
  EXPECT_EQ(nu_account_commitment_decide(&after, until, &c, &d), -1);
  EXPECT_STREQ(d.reason, "ACCOUNT_LEVEL_DISCOVERY");
}

TEST(AccountLevelTest, VerificationGrantsNothingElse) {
  nu_account_level level;
  int64_t until;
  // Billing complete: the organisation asks for build itself.
  auto f = Facts(kT, 0, false);
  EXPECT_FALSE(nu_account_on_identity_verified(&f, kNow, &level, &until));
  EXPECT_EQ(level, kT);
  EXPECT_EQ(until, 0);
  // Suspended.
  f = Facts(kD, NU_BILLING_NAME, false, true);
  EXPECT_FALSE(nu_account_on_identity_verified(&f, kNow, &level, &until));
  EXPECT_EQ(level, kD);
  // Recorded again: the 14 days are never extended, nor granted anew.
  f = Facts(kB, NU_BILLING_NAME, true);
  f.provisional_build_until_ns = kNow + 5;
  EXPECT_FALSE(nu_account_on_identity_verified(&f, kNow, &level, &until));
  EXPECT_EQ(until, kNow + 5);
  f.provisional_build_until_ns = kNow;  // ended
  EXPECT_FALSE(nu_account_on_identity_verified(&f, kNow, &level, &until));
  EXPECT_EQ(until, kNow);
}

TEST(AccountLevelTest, SettleMakesPermanentOrFallsBack) {
  nu_account_level level;
  int64_t until;
  auto f = Facts(kB, NU_BILLING_NAME, true);
  f.provisional_build_until_ns = kNow + 1;
  // Running, billing still missing: unchanged.
  nu_account_settle(&f, kNow, &level, &until);
  EXPECT_EQ(level, kB);
  EXPECT_EQ(until, kNow + 1);
  // Billing details arrive in time: permanent.
  f.billing_missing = 0;
  nu_account_settle(&f, kNow, &level, &until);
  EXPECT_EQ(level, kB);
  EXPECT_EQ(until, 0);
  // Ended without them: the fall-back is stored.
  f.billing_missing = NU_BILLING_NAME;
  nu_account_settle(&f, kNow + 1, &level, &until);
  EXPECT_EQ(level, kD);
  EXPECT_EQ(until, 0);
  // Ended, billing details complete by then: what the facts allow (build).
  f.billing_missing = 0;
  nu_account_settle(&f, kNow + 1, &level, &until);
  EXPECT_EQ(level, kB);
  EXPECT_EQ(until, 0);
  // No provisional build: nothing to settle.
  f = Facts(kT, 0, false);
  nu_account_settle(&f, kNow, &level, &until);
  EXPECT_EQ(level, kT);
  EXPECT_EQ(until, 0);
}

}  // namespace
