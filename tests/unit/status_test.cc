// status_test.cc — error statuses: formatting into the arena, field
// violations in order, and the names of the codes.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "server/common/arena.h"
#include "server/common/status.h"

namespace {

class StatusTest : public ::testing::Test {
 protected:
  void SetUp() override { a_ = nu_arena_new(); ASSERT_NE(a_, nullptr); }
  void TearDown() override { nu_arena_free(a_); }
  nu_arena *a_ = nullptr;
};

TEST(Status, OkHasNothing) {
  nu_status s = nu_ok();
  EXPECT_EQ(s.code, NU_OK);
  EXPECT_TRUE(nu_status_is_ok(&s));
  EXPECT_EQ(s.message, nullptr);
  EXPECT_EQ(s.reason, nullptr);
  EXPECT_EQ(s.violations, nullptr);
  EXPECT_EQ(nu_status_violation_count(&s), 0u);
}

TEST_F(StatusTest, ErrorFormatsItsMessageIntoTheArena) {
  char name[] = "orders";
  size_t before = nu_arena_used(a_);
  nu_status s = nu_error(a_, NU_NOT_FOUND, "ORDER_NOT_FOUND", "no %s with id %d", name, 42);
  EXPECT_EQ(s.code, NU_NOT_FOUND);
  EXPECT_FALSE(nu_status_is_ok(&s));
  EXPECT_STREQ(s.reason, "ORDER_NOT_FOUND");
  EXPECT_STREQ(s.message, "no orders with id 42");
  EXPECT_GT(nu_arena_used(a_), before) << "the message belongs to the arena";
  name[0] = 'X';  // the message is a copy, not a view of the arguments
  EXPECT_STREQ(s.message, "no orders with id 42");
  EXPECT_EQ(s.violations, nullptr);
  EXPECT_EQ(s.last_violation, nullptr);
}

TEST_F(StatusTest, ErrorWithoutReason) {
  nu_status s = nu_error(a_, NU_INTERNAL, nullptr, "plain");
  EXPECT_EQ(s.code, NU_INTERNAL);
  EXPECT_EQ(s.reason, nullptr);
  EXPECT_STREQ(s.message, "plain");
}

TEST(Status, ErrorWithoutArenaKeepsTheFormatUnformatted) {
  nu_status s = nu_error(nullptr, NU_UNAVAILABLE, "DB_DOWN", "database %s is down", "x");
  EXPECT_EQ(s.code, NU_UNAVAILABLE);
  EXPECT_STREQ(s.reason, "DB_DOWN");
  EXPECT_STREQ(s.message, "database %s is down");
}

nu_status CallVerror(nu_arena *a, nu_code code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  nu_status s = nu_verror(a, code, "R", fmt, ap);
  va_end(ap);
  return s;
}

TEST_F(StatusTest, Verror) {
  nu_status s = CallVerror(a_, NU_ABORTED, "%d-%s", 5, "five");
  EXPECT_EQ(s.code, NU_ABORTED);
  EXPECT_STREQ(s.message, "5-five");
  EXPECT_STREQ(s.reason, "R");
}

TEST_F(StatusTest, ViolationsKeepTheirOrderAndCount) {
  nu_status s = nu_error(a_, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", "bad");
  char field[32];
  for (int i = 0; i < 5; i++) {
    snprintf(field, sizeof(field), "items[%d].name", i);
    ASSERT_EQ(nu_status_add_violation(a_, &s, field, "too long by %d bytes", i + 1), 0);
    EXPECT_EQ(nu_status_violation_count(&s), static_cast<size_t>(i + 1));
  }
  strcpy(field, "overwritten");  // fields are copied
  int i = 0;
  for (const nu_violation *v = s.violations; v != nullptr; v = v->next, i++) {
    EXPECT_EQ(std::string(v->field), "items[" + std::to_string(i) + "].name");
    EXPECT_EQ(std::string(v->description), "too long by " + std::to_string(i + 1) + " bytes");
  }
  EXPECT_EQ(i, 5);
  ASSERT_NE(s.last_violation, nullptr);
  EXPECT_STREQ(s.last_violation->field, "items[4].name");
  EXPECT_EQ(s.last_violation->next, nullptr);
  // Adding violations does not touch the rest of the status.
  EXPECT_EQ(s.code, NU_INVALID_ARGUMENT);
  EXPECT_STREQ(s.message, "bad");
}

TEST_F(StatusTest, ViolationOnAnOkStatusStartsTheList) {
  nu_status s = nu_ok();
  ASSERT_EQ(nu_status_add_violation(a_, &s, "name", "is required"), 0);
  ASSERT_NE(s.violations, nullptr);
  EXPECT_EQ(s.violations, s.last_violation);
  EXPECT_STREQ(s.violations->field, "name");
  EXPECT_STREQ(s.violations->description, "is required");
  EXPECT_EQ(nu_status_violation_count(&s), 1u);
}

TEST_F(StatusTest, ViolationDescriptionIsFormattedNotInterpretedTwice) {
  nu_status s = nu_ok();
  ASSERT_EQ(nu_status_add_violation(a_, &s, "f", "%s", "100%s sure"), 0);
  EXPECT_STREQ(s.violations->description, "100%s sure");
}

TEST(Status, CodeNames) {
  const char *const expected[] = {
      "OK",        "CANCELLED",          "UNKNOWN",
      "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS",   "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED",        "OUT_OF_RANGE",
      "UNIMPLEMENTED",    "INTERNAL",          "UNAVAILABLE",
      "DATA_LOSS",        "UNAUTHENTICATED",
  };
  ASSERT_EQ(sizeof(expected) / sizeof(expected[0]), 17u);
  for (int c = 0; c <= 16; c++) {
    EXPECT_STREQ(nu_code_name(static_cast<nu_code>(c)), expected[c]) << c;
  }
  // The enum carries gRPC's numeric values.
  EXPECT_EQ(NU_INVALID_ARGUMENT, 3);
  EXPECT_EQ(NU_UNAUTHENTICATED, 16);
  EXPECT_EQ(NU_PERMISSION_DENIED, 7);
}

TEST(Status, CodeNameOutOfRange) {
  EXPECT_STREQ(nu_code_name(static_cast<nu_code>(17)), "UNKNOWN");
  EXPECT_STREQ(nu_code_name(static_cast<nu_code>(-1)), "UNKNOWN");
  EXPECT_STREQ(nu_code_name(static_cast<nu_code>(1000)), "UNKNOWN");
}

TEST(Status, ErrorDomain) { EXPECT_STREQ(NU_ERROR_DOMAIN, "nuage.v1"); }

}  // namespace
