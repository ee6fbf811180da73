// ids_test.cc — the uuid text form every id check uses (validate/ids.h).
#include "server/validate/ids.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/validator_testing.h"

namespace {

using nu_testing::Why;

TEST(IdValid, CanonicalFormsOfEitherCase) {
  for (const char *id : {
           "123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000",
           "123e4567-E89B-12d3-A456-426614174000",  // mixed case: PostgreSQL reads it
           "00000000-0000-0000-0000-000000000000",  // the nil uuid is well-formed
           "ffffffff-ffff-ffff-ffff-ffffffffffff",
           "0189f7ea-ae3c-7c55-bd0a-9d6c0b3a2f44",  // version 7: no version is required
       }) {
    EXPECT_TRUE(nu_id_valid(id)) << id;
  }
}

TEST(IdValid, EverythingElse) {
  for (const char *id : {
           "",
           "123e4567-e89b-12d3-a456-42661417400",     // 35 characters
           "123e4567-e89b-12d3-a456-4266141740000",   // 37
           "123e4567e89b12d3a456426614174000",        // no dashes
           "123e4567-e89b-12d3-a456426614174000-",    // a dash moved
           "123e4567-e89b-12d3-a4564-26614174000",    // a dash moved by one
           "123e456-7e89b-12d3-a456-426614174000",    // first group of 7
           "123e4567-e89b-12d3-a456-42661417400g",    // not hex
           "123e4567-e89b-12d3-a456-42661417400 ",    // trailing space
           " 123e4567-e89b-12d3-a456-42661417400",    // leading space
           "{123e4567-e89b-12d3-a456-426614174000}",  // braces
           "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
           "123e4567-e89b-12d3-a456-426614174000\n", "123e4567_e89b_12d3_a456_426614174000",
           "NUP-0001",  // a product code
           "\xef\xbc\x91"
           "23e4567-e89b-12d3-a456-42661417400",  // fullwidth digit
       }) {
    EXPECT_FALSE(nu_id_valid(id)) << id;
  }
  EXPECT_FALSE(nu_id_valid(nullptr));
}

TEST(ValidateId, RequiredOptionalAndMalformed) {
  const char *good = "123e4567-e89b-12d3-a456-426614174000";
  struct Case {
    const char *id;
    bool required;
    std::string why;
  } cases[] = {
      {good, true, ""},
      {good, false, ""},
      {"", true, "is required"},
      {nullptr, true, "is required"},
      {"", false, ""},
      {nullptr, false, ""},
      {"42", true, "must be a session id (a UUID)"},
      {"42", false, "must be a session id (a UUID)"},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(Why([&](nu_validator *v) {
                nu_validate_id(v, "session_id", c.id, "a session id", c.required);
              }),
              c.why)
        << (c.id != nullptr ? c.id : "(null)") << " required=" << c.required;
  }
}

TEST(ValidateId, NamesTheField) {
  auto vs = nu_testing::RunChecks(
      [](nu_validator *v) { nu_validate_id(v, "seller_id", "x", "an organization id", false); });
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].first, "seller_id");
  EXPECT_EQ(vs[0].second, "must be an organization id (a UUID)");
}

}  // namespace
