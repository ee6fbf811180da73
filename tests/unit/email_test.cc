// email_test.cc — e-mail fields (validate/email.h): the domain's syntax
// (tested in full in tests/domain/identity/login_test) as field violations.
#include "server/validate/email.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/validator_testing.h"

namespace {

using nu_testing::Why;

std::string EmailWhy(const std::string &email, bool required = true) {
  return Why([&](nu_validator *v) { nu_validate_email(v, "email", email.c_str(), required); });
}

TEST(ValidateEmail, Accepted) {
  for (const char *email :
       {"jean.dupont@gouv.fr", "Jean.Dupont@Gouv.FR", "a@b.co", "x+tag@sub.domain.example",
        "o'brien@example.ie", "user@xn--bcher-kva.example",
        "agent@imp\xc3\xb4ts.gouv.fr"}) {
    EXPECT_EQ(EmailWhy(email), "") << email;
  }
}

TEST(ValidateEmail, RefusedWithTheDomainsReason) {
  struct Case {
    std::string email;
    std::string why;
  } cases[] = {
      {"jean.dupont.gouv.fr", "must contain exactly one @"},
      {"jean@dupont@gouv.fr", "must contain exactly one @"},
      {"@gouv.fr", "local part must not be empty"},
      {"jean..dupont@gouv.fr", "local part has a misplaced dot"},
      {".jean@gouv.fr", "local part has a misplaced dot"},
      {"jean dupont@gouv.fr", "local part contains an invalid character"},
      {"\"jean\"@gouv.fr", "local part contains an invalid character"},
      {"jean@localhost", "domain must contain a dot"},
      {"jean@gouv..fr", "domain has an empty label"},
      {"jean@-gouv.fr", "domain label must not start or end with a hyphen"},
      {"jean@gouv_fr.fr", "domain contains an invalid character"},
      {"jean@imp\xc3\xb4ts\xff.gouv.fr", "domain is not a valid internationalised domain name"},
  };
  for (const Case &c : cases) EXPECT_EQ(EmailWhy(c.email), c.why) << c.email;
}

TEST(ValidateEmail, LengthBoundaries) {
  const std::string local64(64, 'a');
  EXPECT_EQ(EmailWhy(local64 + "@gouv.fr"), "");
  EXPECT_EQ(EmailWhy(local64 + "a@gouv.fr"), "local part must be at most 64 characters");
  const std::string label63(63, 'b');
  EXPECT_EQ(EmailWhy("jean@" + label63 + ".fr"), "");
  EXPECT_EQ(EmailWhy("jean@" + label63 + "b.fr"), "domain label must be at most 63 characters");
  // 254 characters in all at most: "a@" and 252 of labels and dots.
  const std::string domain =
      label63 + "." + label63 + "." + label63 + "." + std::string(57, 'c') + ".fr";
  ASSERT_EQ(domain.size(), 252u);
  EXPECT_EQ(EmailWhy("a@" + domain), "");
  EXPECT_EQ(EmailWhy("aa@" + domain), "must be at most 254 characters");
}

TEST(ValidateEmail, EmptyIsRequiredOrFine) {
  EXPECT_EQ(EmailWhy("", true), "is required");
  EXPECT_EQ(EmailWhy("", false), "");
  EXPECT_EQ(Why([](nu_validator *v) { nu_validate_email(v, "email", nullptr, true); }),
            "is required");
  EXPECT_EQ(Why([](nu_validator *v) { nu_validate_email(v, "email", nullptr, false); }), "");
  // Optional only means "may be empty": a malformed one is still refused.
  EXPECT_EQ(EmailWhy("nobody", false), "must contain exactly one @");
}

TEST(ValidateEmail, NamesTheField) {
  auto vs = nu_testing::RunChecks([](nu_validator *v) {
    nu_validate_email(v, "organization.billing_details.email", "x", false);
  });
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].first, "organization.billing_details.email");
}

}  // namespace
