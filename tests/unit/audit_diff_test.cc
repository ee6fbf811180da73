// audit_diff_test.cc — the field tables of the one update path
// (server/rpc/core/update.h): what the audit log says changed.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

extern "C" {
#include "server/common/arena.h"
#include "server/rpc/core/update.h"
}

namespace {

struct Row {
  const char *name;
  bool active;
  int32_t rate;
  int64_t count;
  int64_t since;
  bool has_price;
  int64_t price;
};

int PriceText(nu_arena *a, const void *row, const char **out) {
  const Row *r = static_cast<const Row *>(row);
  *out = r->has_price ? nu_arena_sprintf(a, "%lld", static_cast<long long>(r->price)) : nullptr;
  return 0;
}

const nu_audit_field kFields[] = {
    NU_AUDIT_TEXT("name", Row, name),          NU_AUDIT_BOOL("active", Row, active),
    NU_AUDIT_INT32("rate", Row, rate),         NU_AUDIT_INT64("count", Row, count),
    NU_AUDIT_INT64_SET("since", Row, since),   NU_AUDIT_FORMAT("price", PriceText),
};

class AuditDiffTest : public ::testing::Test {
 protected:
  void SetUp() override { a_ = nu_arena_new(); }
  void TearDown() override { nu_arena_free(a_); }
  nu_arena *a_ = nullptr;
};

std::string Text(const char *s) { return s == nullptr ? "(absent)" : s; }

TEST_F(AuditDiffTest, TheSameRowChangesNothing) {
  Row r = {"x", true, 5, 7, 9, true, 100};
  Row copy = r;
  copy.name = "x";  // another pointer, the same text
  nu_audit_change *ch = nullptr;
  size_t n = 99;
  nu_status st = nu_audit_diff(a_, NU_AUDIT_FIELDS(kFields), &r, &copy, &ch, &n);
  ASSERT_TRUE(nu_status_is_ok(&st));
  EXPECT_EQ(n, 0u);
}

TEST_F(AuditDiffTest, EachKindReportsItsChangeInTableOrder) {
  Row before = {"old", false, 5, 7, 0, false, 0};
  Row after = {"new", true, 6, 8, 12, true, 250};
  nu_audit_change *ch = nullptr;
  size_t n = 0;
  nu_status st = nu_audit_diff(a_, NU_AUDIT_FIELDS(kFields), &before, &after, &ch, &n);
  ASSERT_TRUE(nu_status_is_ok(&st));
  ASSERT_EQ(n, 6u);
  const char *want[6][3] = {{"name", "old", "new"},  {"active", "false", "true"},
                            {"rate", "5", "6"},      {"count", "7", "8"},
                            {"since", nullptr, "12"}, {"price", nullptr, "250"}};
  for (size_t i = 0; i < n; i++) {
    EXPECT_EQ(std::string(ch[i].field), want[i][0]);
    EXPECT_EQ(Text(ch[i].before), Text(want[i][1])) << want[i][0];
    EXPECT_EQ(Text(ch[i].after), Text(want[i][2])) << want[i][0];
  }
}

TEST_F(AuditDiffTest, EmptyAndNullTextAreBothAbsent) {
  Row before = {nullptr, false, 0, 0, 0, false, 0};
  Row after = {"", false, 0, 0, 0, false, 0};
  nu_audit_change *ch = nullptr;
  size_t n = 0;
  ASSERT_TRUE([&] {
    nu_status st = nu_audit_diff(a_, NU_AUDIT_FIELDS(kFields), &before, &after, &ch, &n);
    return nu_status_is_ok(&st);
  }());
  EXPECT_EQ(n, 0u);
  after.name = "set";
  nu_status st = nu_audit_diff(a_, NU_AUDIT_FIELDS(kFields), &before, &after, &ch, &n);
  ASSERT_TRUE(nu_status_is_ok(&st));
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(ch[0].before, nullptr);
  EXPECT_STREQ(ch[0].after, "set");
}

// A creation (no before) lists every field that has a value.
TEST_F(AuditDiffTest, ACreationListsEveryFieldWithAValue) {
  Row row = {"n", false, 0, 0, 0, false, 0};
  nu_audit_change *ch = nullptr;
  size_t n = 0;
  nu_status st = nu_audit_diff(a_, NU_AUDIT_FIELDS(kFields), nullptr, &row, &ch, &n);
  ASSERT_TRUE(nu_status_is_ok(&st));
  // name, active (false is a value), rate 0, count 0; since and price unset.
  ASSERT_EQ(n, 4u);
  EXPECT_STREQ(ch[0].field, "name");
  EXPECT_EQ(ch[0].before, nullptr);
  EXPECT_STREQ(ch[1].after, "false");
  EXPECT_STREQ(ch[3].field, "count");
}

}  // namespace
