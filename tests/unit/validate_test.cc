// validate_test.cc — field checks gathered into one INVALID_ARGUMENT.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/validate/validate.h"

namespace {

class ValidateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = nu_arena_new();
    ASSERT_NE(a_, nullptr);
    nu_validator_init(&v_, a_);
  }
  void TearDown() override { nu_arena_free(a_); }

  std::vector<std::pair<std::string, std::string>> Violations(const nu_status &st) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const nu_violation *x = st.violations; x != nullptr; x = x->next) {
      out.emplace_back(x->field, x->description);
    }
    return out;
  }

  nu_arena *a_ = nullptr;
  nu_validator v_;
};

TEST_F(ValidateTest, NothingWrongIsOk) {
  nu_validate_int_range(&v_, "n", 5, 0, 10);
  nu_validate_required(&v_, "name", "x");
  nu_validate_max_len(&v_, "name", "abc", 3);
  nu_status st = nu_validator_result(&v_);
  EXPECT_TRUE(nu_status_is_ok(&st));
  EXPECT_EQ(st.message, nullptr);
  EXPECT_EQ(st.reason, nullptr);
  EXPECT_EQ(st.violations, nullptr);
}

TEST_F(ValidateTest, EmptyValidatorIsOk) {
  nu_status st = nu_validator_result(&v_);
  EXPECT_TRUE(nu_status_is_ok(&st));
}

TEST_F(ValidateTest, RangeBoundsAreInclusive) {
  nu_validate_int_range(&v_, "a", 0, 0, 60000);
  nu_validate_int_range(&v_, "b", 60000, 0, 60000);
  nu_validate_int_range(&v_, "c", INT64_MIN, INT64_MIN, INT64_MAX);
  nu_validate_int_range(&v_, "d", INT64_MAX, INT64_MIN, INT64_MAX);
  nu_validate_int_range(&v_, "e", 7, 7, 7);
  nu_status st = nu_validator_result(&v_);
  EXPECT_TRUE(nu_status_is_ok(&st));
}

TEST_F(ValidateTest, RangeOutside) {
  nu_validate_int_range(&v_, "duration_ms", -1, 0, 60000);
  nu_status st = nu_validator_result(&v_);
  EXPECT_EQ(st.code, NU_INVALID_ARGUMENT);
  EXPECT_STREQ(st.reason, "INVALID_ARGUMENT");
  ASSERT_EQ(nu_status_violation_count(&st), 1u);
  EXPECT_STREQ(st.violations->field, "duration_ms");
  EXPECT_STREQ(st.violations->description, "must be between 0 and 60000, got -1");
  EXPECT_STREQ(st.message, "invalid duration_ms: must be between 0 and 60000, got -1");
}

TEST_F(ValidateTest, RangeAboveAndExtremes) {
  nu_validate_int_range(&v_, "a", 60001, 0, 60000);
  nu_validate_int_range(&v_, "b", INT64_MIN, 0, 1);
  nu_validate_int_range(&v_, "c", INT64_MAX, INT64_MIN, INT64_MAX - 1);
  nu_status st = nu_validator_result(&v_);
  auto vs = Violations(st);
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_EQ(vs[0].second, "must be between 0 and 60000, got 60001");
  EXPECT_EQ(vs[1].second, "must be between 0 and 1, got -9223372036854775808");
  EXPECT_EQ(vs[2].second,
            "must be between -9223372036854775808 and 9223372036854775806, got "
            "9223372036854775807");
}

TEST_F(ValidateTest, Required) {
  nu_validate_required(&v_, "a", nullptr);
  nu_validate_required(&v_, "b", "");
  nu_validate_required(&v_, "c", " ");  // present; trimming is not this check's business
  nu_status st = nu_validator_result(&v_);
  auto vs = Violations(st);
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0], std::make_pair(std::string("a"), std::string("is required")));
  EXPECT_EQ(vs[1], std::make_pair(std::string("b"), std::string("is required")));
}

TEST_F(ValidateTest, MaxLen) {
  nu_validate_max_len(&v_, "ok_exact", "12345", 5);
  nu_validate_max_len(&v_, "ok_null", nullptr, 0);
  nu_validate_max_len(&v_, "ok_empty", "", 0);
  nu_validate_max_len(&v_, "too_long", "123456", 5);
  nu_validate_max_len(&v_, "not_empty", "x", 0);
  // Bytes, not characters: "é" is two.
  nu_validate_max_len(&v_, "utf8", "\xc3\xa9", 1);
  nu_status st = nu_validator_result(&v_);
  auto vs = Violations(st);
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_EQ(vs[0].first, "too_long");
  EXPECT_EQ(vs[0].second, "must be at most 5 bytes");
  EXPECT_EQ(vs[1].first, "not_empty");
  EXPECT_EQ(vs[1].second, "must be at most 0 bytes");
  EXPECT_EQ(vs[2].first, "utf8");
}

TEST_F(ValidateTest, FailFormats) {
  nu_validate_fail(&v_, "items[2].sku", "unknown sku %s (%d%%)", "AB-1", 50);
  nu_status st = nu_validator_result(&v_);
  ASSERT_EQ(nu_status_violation_count(&st), 1u);
  EXPECT_STREQ(st.violations->field, "items[2].sku");
  EXPECT_STREQ(st.violations->description, "unknown sku AB-1 (50%)");
  EXPECT_STREQ(st.message, "invalid items[2].sku: unknown sku AB-1 (50%)");
}

TEST_F(ValidateTest, FailDoesNotReinterpretTheDescription) {
  nu_validate_fail(&v_, "f", "%s", "has %s and %d in it");
  nu_status st = nu_validator_result(&v_);
  EXPECT_STREQ(st.violations->description, "has %s and %d in it");
}

TEST_F(ValidateTest, SeveralViolationsAllReportedInOrder) {
  nu_validate_required(&v_, "name", "");
  nu_validate_int_range(&v_, "quantity", 0, 1, 99);
  nu_validate_max_len(&v_, "note", "abcdef", 3);
  nu_status st = nu_validator_result(&v_);
  EXPECT_EQ(st.code, NU_INVALID_ARGUMENT);
  EXPECT_STREQ(st.reason, "INVALID_ARGUMENT");
  EXPECT_STREQ(st.message, "3 fields are invalid");
  auto vs = Violations(st);
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_EQ(vs[0].first, "name");
  EXPECT_EQ(vs[1].first, "quantity");
  EXPECT_EQ(vs[2].first, "note");
  EXPECT_EQ(vs[1].second, "must be between 1 and 99, got 0");
}

TEST_F(ValidateTest, TwoViolationsOnOneField) {
  nu_validate_required(&v_, "name", "");
  nu_validate_fail(&v_, "name", "must be lower-case");
  nu_status st = nu_validator_result(&v_);
  EXPECT_STREQ(st.message, "2 fields are invalid");
  EXPECT_EQ(nu_status_violation_count(&st), 2u);
}

// Descriptions follow the house style: lower-case start, no trailing period.
TEST_F(ValidateTest, DescriptionsFollowTheHouseStyle) {
  nu_validate_required(&v_, "a", nullptr);
  nu_validate_int_range(&v_, "b", 5, 0, 1);
  nu_validate_max_len(&v_, "c", "xx", 1);
  nu_status st = nu_validator_result(&v_);
  for (const auto &v : Violations(st)) {
    ASSERT_FALSE(v.second.empty());
    EXPECT_TRUE(v.second[0] >= 'a' && v.second[0] <= 'z') << v.second;
    EXPECT_NE(v.second.back(), '.') << v.second;
  }
}

TEST_F(ValidateTest, ResultIsStable) {
  nu_validate_required(&v_, "a", nullptr);
  nu_status first = nu_validator_result(&v_);
  nu_status second = nu_validator_result(&v_);
  EXPECT_EQ(first.code, second.code);
  EXPECT_STREQ(first.message, second.message);
  EXPECT_EQ(nu_status_violation_count(&second), 1u);
}

}  // namespace
