// etag_test.cc — the etag form (validate/etag.h): nu_etag_parse accepts
// exactly what nu_etag_format writes ('"', a version without leading zeros
// within int64, '"'), and nu_validate_etag reports the rest on the field.
#include "server/validate/etag.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "server/common/arena.h"
#include "tests/unit/validator_testing.h"

namespace {

using nu_testing::Why;

TEST(EtagParse, ReadsBackWhatTheServerWrites) {
  nu_arena *a = nu_arena_new();
  struct Case {
    int64_t version;
    const char *etag;
  } cases[] = {
      {0, "\"0\""},
      {1, "\"1\""},
      {7, "\"7\""},
      {1234567890, "\"1234567890\""},
      {INT64_MAX - 1, "\"9223372036854775806\""},
      {INT64_MAX, "\"9223372036854775807\""},
  };
  for (const Case &c : cases) {
    const char *e = nu_etag_format(a, c.version);
    ASSERT_NE(e, nullptr);
    EXPECT_STREQ(e, c.etag);
    int64_t got = -1;
    ASSERT_EQ(nu_etag_parse(e, &got), 0) << e;
    EXPECT_EQ(got, c.version) << e;
  }
  nu_arena_free(a);
}

// int64 bounds included: 19 digits past INT64_MAX overflowed once
// (undefined behaviour).
TEST(EtagParse, RefusesEverythingElseWithoutOverflowing) {
  // clang-format off
  for (const char *e : {
           "\"9223372036854775808\"",   // INT64_MAX + 1
           "\"9999999999999999999\"",   // 19 digits
           "\"99999999999999999999\"",  // 20 digits
           "\"18446744073709551617\"",  // 2^64 + 1
           "\"92233720368547758070\"",  // INT64_MAX * 10
           "\"" "1000000000000000000000000000000000000000" "\"",
           "", "\"", "\"\"", "1", "\"1", "1\"", "W/\"1\"", "\"-1\"", "\"+1\"", "\" 1\"", "\"1 \"",
           "\"1a\"", "\"01\"", "\"00\"", "'1'",
       }) {
    // clang-format on
    int64_t got = 42;
    EXPECT_EQ(nu_etag_parse(e, &got), -1) << e;
    EXPECT_EQ(got, 42) << e;
  }
  int64_t got = 0;
  EXPECT_EQ(nu_etag_parse(nullptr, &got), -1);
}

TEST(ValidateEtag, Table) {
  struct Case {
    const char *etag;
    bool required;
    std::string why;
  } cases[] = {
      {"\"7\"", true, ""},
      {"\"7\"", false, ""},
      {"", true, "is required"},
      {nullptr, true, "is required"},
      {"", false, ""},
      {nullptr, false, ""},
      {"7", false, "is not an etag of this server"},
      {"W/\"7\"", true, "is not an etag of this server"},
      {"\"9223372036854775808\"", true, "is not an etag of this server"},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(Why([&](nu_validator *v) { nu_validate_etag(v, "etag", c.etag, c.required); }), c.why)
        << (c.etag != nullptr ? c.etag : "(null)") << " required=" << c.required;
  }
}

TEST(ValidateEtag, NamesTheFieldItCameIn) {
  auto vs = nu_testing::RunChecks(
      [](nu_validator *v) { nu_validate_etag(v, "product.etag", "bad", true); });
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0].first, "product.etag");
}

}  // namespace
