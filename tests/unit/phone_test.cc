// phone_test.cc — phone fields (validate/phone.h): E.164 in the arena, or
// the domain's reason as a field violation.
#include "server/validate/phone.h"

#include <gtest/gtest.h>

#include <string>

#include "server/common/arena.h"
#include "tests/unit/validator_testing.h"

namespace {

// The normalised form, or "invalid: <why>".
std::string Normalized(const char *in) {
  nu_arena *a = nu_arena_new();
  const char *out = "untouched";
  const char *why = "untouched";
  std::string got;
  if (nu_phone_normalized(a, in, &out, &why) == 0) {
    EXPECT_EQ(why, nullptr);
    got = out;
  } else {
    got = std::string("invalid: ") + (why != nullptr ? why : "(null)");
  }
  nu_arena_free(a);
  return got;
}

TEST(PhoneNormalized, Accepted) {
  struct Case {
    const char *in, *out;
  } cases[] = {
      // French national: 0 then 1-9, 10 digits, becomes +33.
      {"0612345678", "+33612345678"},
      {"06 12 34 56 78", "+33612345678"},
      {"06.12.34.56.78", "+33612345678"},
      {"06-12-34-56-78", "+33612345678"},
      {"0140000000", "+33140000000"},
      {"0987654321", "+33987654321"},
      // International.
      {"+33612345678", "+33612345678"},
      {"+33 6 12 34 56 78", "+33612345678"},
      {"+4930123456", "+4930123456"},
      {"+26212345678", "+26212345678"},
      // 8 and 15 digits after '+': the bounds of E.164.
      {"+12345678", "+12345678"},
      {"+123456789012345", "+123456789012345"},
      // Empty: no number.
      {"", ""},
  };
  for (const Case &c : cases) EXPECT_EQ(Normalized(c.in), c.out) << c.in;
  EXPECT_EQ(Normalized(nullptr), "");
}

TEST(PhoneNormalized, Refused) {
  struct Case {
    const char *in, *why;
  } cases[] = {
      {"+1234567", "must have 8 to 15 digits after '+'"},
      {"+1234567890123456", "must contain only digits after '+', in groups"},
      {"+0612345678", "country code must not start with 0"},
      {"+330612345678", "must have 9 digits after +33, without the French trunk 0"},
      {"+3361234567", "must have 9 digits after +33, without the French trunk 0"},
      {"061234567", "must be 10 digits starting with 0 in the French format"},
      {"06123456789", "must be 10 digits starting with 0 in the French format"},
      {"0012345678", "must be 10 digits starting with 0 in the French format"},
      {"612345678", "must be 10 digits starting with 0 in the French format"},
      {"06  12 34 56 78", "must be '+' and digits, or a French number of 10 digits"},
      {" 0612345678", "must be '+' and digits, or a French number of 10 digits"},
      {"(0)6 12 34 56 78", "must be '+' and digits, or a French number of 10 digits"},
      {"06/12/34/56/78", "must be '+' and digits, or a French number of 10 digits"},
      {"06 12 34 56 7a", "must be '+' and digits, or a French number of 10 digits"},
      {"+", "must have 8 to 15 digits after '+'"},
  };
  for (const Case &c : cases) EXPECT_EQ(Normalized(c.in), std::string("invalid: ") + c.why) << c.in;
}

TEST(ValidatePhone, EmptyPassesAMalformedOneIsNamed) {
  auto vs = nu_testing::RunChecks([](nu_validator *v) {
    nu_validate_phone(v, "user.phone_landline", "");
    nu_validate_phone(v, "user.phone_landline", nullptr);
    nu_validate_phone(v, "user.phone_mobile", "06 12 34 56 78");
    nu_validate_phone(v, "user.phone_mobile", "+1234567");
  });
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].first, "user.phone_mobile");
  EXPECT_EQ(vs[0].second, "must have 8 to 15 digits after '+'");
}

// What the validator accepts, the normaliser normalises, and the reverse.
TEST(ValidatePhone, AgreesWithTheNormaliser) {
  for (const char *in : {"0612345678", "06 12", "+33 6 12 34 56 78", "+1234567", "x", ""}) {
    bool accepted =
        nu_testing::Why([&](nu_validator *v) { nu_validate_phone(v, "p", in); }).empty();
    EXPECT_EQ(accepted, Normalized(in).rfind("invalid", 0) != 0) << in;
  }
}

}  // namespace
