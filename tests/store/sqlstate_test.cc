// sqlstate_test.cc — the SQLSTATE → status table of sqlstate.h.
#include "server/store/core/sqlstate.h"

#include <gtest/gtest.h>

#include <string>

namespace {

struct Row {
  const char* sqlstate;
  nu_code code;
  const char* reason;
};

TEST(SqlstateTest, MapsTheDocumentedTable) {
  const Row rows[] = {
      {"23505", NU_ALREADY_EXISTS, "ALREADY_EXISTS"},
      {"23503", NU_FAILED_PRECONDITION, "FOREIGN_KEY_VIOLATION"},
      {"23514", NU_INVALID_ARGUMENT, "CHECK_VIOLATION"},
      {"23502", NU_INVALID_ARGUMENT, "NOT_NULL_VIOLATION"},
      {"22001", NU_INVALID_ARGUMENT, "INVALID_DATA"},  // string_data_right_truncation
      {"22P02", NU_INVALID_ARGUMENT, "INVALID_DATA"},  // invalid_text_representation
      {"22003", NU_INVALID_ARGUMENT, "INVALID_DATA"},  // numeric_value_out_of_range
      {"40001", NU_ABORTED, "TRANSACTION_CONFLICT"},
      {"40P01", NU_ABORTED, "TRANSACTION_CONFLICT"},
      {"57014", NU_DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED"},
      {"08000", NU_UNAVAILABLE, "DATABASE_UNAVAILABLE"},
      {"08006", NU_UNAVAILABLE, "DATABASE_UNAVAILABLE"},
      {"08P01", NU_UNAVAILABLE, "DATABASE_UNAVAILABLE"},
      {"57P01", NU_UNAVAILABLE, "DATABASE_UNAVAILABLE"},
      {"57P02", NU_UNAVAILABLE, "DATABASE_UNAVAILABLE"},
      {"57P03", NU_UNAVAILABLE, "DATABASE_UNAVAILABLE"},
      {"53000", NU_RESOURCE_EXHAUSTED, "DATABASE_RESOURCES_EXHAUSTED"},
      {"53300", NU_RESOURCE_EXHAUSTED, "DATABASE_RESOURCES_EXHAUSTED"},
      // Everything else is the server's problem, not the caller's.
      {"42P01", NU_INTERNAL, "DATABASE_ERROR"},   // undefined_table
      {"23P01", NU_INTERNAL, "DATABASE_ERROR"},   // exclusion_violation
      {"40002", NU_INTERNAL, "DATABASE_ERROR"},   // not a retryable 40xxx
      {"57P04", NU_INTERNAL, "DATABASE_ERROR"},   // database_dropped
      {"XX000", NU_INTERNAL, "DATABASE_ERROR"},
  };
  for (const Row& r : rows) {
    SCOPED_TRACE(r.sqlstate);
    EXPECT_EQ(nu_sqlstate_code(r.sqlstate), r.code);
    EXPECT_STREQ(nu_sqlstate_reason(r.sqlstate), r.reason);
  }
}

TEST(SqlstateTest, NoSqlstateMeansNoServerAnswer) {
  EXPECT_EQ(nu_sqlstate_code(nullptr), NU_UNAVAILABLE);
  EXPECT_STREQ(nu_sqlstate_reason(nullptr), "DATABASE_UNAVAILABLE");
  EXPECT_EQ(nu_sqlstate_code(""), NU_UNAVAILABLE);
}

TEST(SqlstateTest, OnlySerializationFailureAndDeadlockAreRetryable) {
  EXPECT_TRUE(nu_sqlstate_is_retryable("40001"));
  EXPECT_TRUE(nu_sqlstate_is_retryable("40P01"));
  EXPECT_FALSE(nu_sqlstate_is_retryable("40002"));
  EXPECT_FALSE(nu_sqlstate_is_retryable("4000"));
  EXPECT_FALSE(nu_sqlstate_is_retryable("400011"));
  EXPECT_FALSE(nu_sqlstate_is_retryable("23505"));
  EXPECT_FALSE(nu_sqlstate_is_retryable(""));
  EXPECT_FALSE(nu_sqlstate_is_retryable(nullptr));
}

TEST(SqlstateTest, PrefixOfAnExactCodeDoesNotMatchIt) {
  // "2350" and "235050" are not 23505.
  EXPECT_EQ(nu_sqlstate_code("2350"), NU_INTERNAL);
  EXPECT_EQ(nu_sqlstate_code("235050"), NU_INTERNAL);
}

}  // namespace
