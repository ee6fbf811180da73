// etag_parse_test.cc — nu_rpc_etag_parse accepts exactly what nu_rpc_etag
// writes: '"', a version without leading zeros within int64, '"'.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "server/common/arena.h"
#include "server/rpc/core/handler.h"

namespace {

TEST(EtagParse, ReadsBackWhatTheServerWrites) {
  nu_arena* a = nu_arena_new();
  for (int64_t v : {INT64_C(0), INT64_C(1), INT64_C(7), INT64_C(1234567890), INT64_MAX - 1, INT64_MAX}) {
    const char* e = nu_rpc_etag(a, v);
    ASSERT_NE(e, nullptr);
    int64_t got = -1;
    ASSERT_EQ(nu_rpc_etag_parse(e, &got), 0) << e;
    EXPECT_EQ(got, v) << e;
  }
  nu_arena_free(a);
}

TEST(EtagParse, RefusesEverythingElseWithoutOverflowing) {
  for (const char* e : {
           "\"9223372036854775808\"",   // INT64_MAX + 1
           "\"9999999999999999999\"",   // 19 digits
           "\"99999999999999999999\"",  // 20 digits
           "\"18446744073709551617\"",  // 2^64 + 1
           "\"92233720368547758070\"",  // INT64_MAX * 10
           "\"" "1000000000000000000000000000000000000000" "\"",
           "", "\"", "\"\"", "1", "\"1", "1\"", "W/\"1\"", "\"-1\"", "\"+1\"", "\" 1\"", "\"1 \"", "\"1a\"",
           "\"01\"", "\"00\"", "'1'",
       }) {
    int64_t got = 42;
    EXPECT_EQ(nu_rpc_etag_parse(e, &got), -1) << e;
    EXPECT_EQ(got, 42) << e;
  }
  int64_t got = 0;
  EXPECT_EQ(nu_rpc_etag_parse(nullptr, &got), -1);
}

}  // namespace
