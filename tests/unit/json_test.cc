// json_test.cc — flat JSON objects for outbox payloads and audit values.
#include "server/common/json.h"

#include <gtest/gtest.h>

#include <string>

namespace {

class JsonTest : public ::testing::Test {
 protected:
  void SetUp() override { a_ = nu_arena_new(); }
  void TearDown() override { nu_arena_free(a_); }
  nu_arena *a_ = nullptr;
};

TEST_F(JsonTest, ObjectOfStringsWithNull) {
  const char *kv[] = {"login", "alice.martin", "link", nullptr};
  EXPECT_STREQ(nu_json_object(a_, kv, 2), "{\"login\":\"alice.martin\",\"link\":null}");
  EXPECT_STREQ(nu_json_object(a_, kv, 0), "{}");
}

TEST_F(JsonTest, EscapesQuotesControlsAndKeepsUtf8) {
  EXPECT_STREQ(nu_json_quote(a_, "a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
  EXPECT_STREQ(nu_json_quote(a_, "Ministère"), "\"Ministère\"");
  std::string ctl = nu_json_quote(a_, "\x01");
  EXPECT_EQ(ctl, "\"\\u0001\"");
  EXPECT_STREQ(nu_json_quote(a_, nullptr), "null");
}

TEST_F(JsonTest, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_STREQ(nu_json_quote(a_, "a\xff"), "\"a\xef\xbf\xbd\"");
}

TEST_F(JsonTest, LongValuesAreNotCut) {
  std::string big(100000, 'x');
  const char *kv[] = {"k", big.c_str()};
  EXPECT_EQ(std::string(nu_json_object(a_, kv, 1)), "{\"k\":\"" + big + "\"}");
}

}  // namespace
