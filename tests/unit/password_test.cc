// password_test.cc — the request side of the password policy
// (validate/password.h): one violation per failed rule, with the policy's
// own messages (the rules are tested in tests/domain/identity).
#include "server/validate/password.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "server/domain/identity/password_policy.h"
#include "tests/unit/validator_testing.h"

namespace {

std::vector<std::string> Reasons(const char *password, const char *login) {
  std::vector<std::string> out;
  for (const auto &v : nu_testing::RunChecks(
           [&](nu_validator *v) { nu_validate_password(v, "password", password, login); })) {
    EXPECT_EQ(v.first, "password");
    out.push_back(v.second);
  }
  return out;
}

std::string Msg(uint32_t rule) { return nu_password_rule_message(rule); }

TEST(ValidatePassword, Table) {
  struct Case {
    const char *password, *login;
    std::vector<uint32_t> failed;
  } cases[] = {
      {"Correct-Horse-9", "jean.dupont", {}},
      {"Abcdefghij1!", nullptr, {}},  // exactly 12 characters
      {"Abcdefghi1!", nullptr, {NU_PASSWORD_TOO_SHORT}},
      {"abcdefghij1!", nullptr, {NU_PASSWORD_NO_UPPER}},
      {"ABCDEFGHIJ1!", nullptr, {NU_PASSWORD_NO_LOWER}},
      {"Abcdefghijk!", nullptr, {NU_PASSWORD_NO_DIGIT}},
      {"Abcdefghijk1", nullptr, {NU_PASSWORD_NO_SPECIAL}},
      {"Jean.Dupont1", "jean.dupont1", {NU_PASSWORD_SAME_AS_LOGIN}},
      {"Jean.Dupont1", nullptr, {}},  // no login yet: that rule is skipped
      {"\xff"
       "Abcdefghij1",
       nullptr,
       {NU_PASSWORD_NOT_UTF8}},
      {"",
       nullptr,
       {NU_PASSWORD_TOO_SHORT, NU_PASSWORD_NO_LOWER, NU_PASSWORD_NO_UPPER, NU_PASSWORD_NO_DIGIT,
        NU_PASSWORD_NO_SPECIAL}},
  };
  for (const Case &c : cases) {
    std::vector<std::string> want;
    for (uint32_t rule : c.failed) want.push_back(Msg(rule));
    EXPECT_EQ(Reasons(c.password, c.login), want) << c.password;
  }
}

TEST(ValidatePassword, LengthBounds) {
  std::string longest = "Aa1!" + std::string(NU_PASSWORD_MAX_BYTES - 4, 'x');
  EXPECT_TRUE(Reasons(longest.c_str(), nullptr).empty());
  std::string too_long = longest + "x";
  EXPECT_EQ(Reasons(too_long.c_str(), nullptr),
            std::vector<std::string>{Msg(NU_PASSWORD_TOO_LONG)});
}

TEST(ValidatePassword, NullIsEmpty) { EXPECT_EQ(Reasons(nullptr, nullptr), Reasons("", nullptr)); }

// The password never appears in what is reported.
TEST(ValidatePassword, NeverEchoed) {
  const char *secret = "hunter2";
  for (const std::string &why : Reasons(secret, "hunter2")) {
    EXPECT_EQ(why.find(secret), std::string::npos) << why;
  }
}

}  // namespace
