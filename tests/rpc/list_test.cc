// list_test.cc — the pure parts of the one list path (server/rpc/core/
// list.h): the page size rule, and int64 sort keys read back exactly as
// written. The page assembly itself (one row more, the token of the last
// row shown) is walked over every List RPC by
// tests/identity/pagination/page_token_test.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "server/common/arena.h"
#include "server/rpc/core/list.h"

namespace {

TEST(ListPageSize, DefaultsAndCaps) {
  EXPECT_EQ(NU_LIST_PAGE_DEFAULT, 50);
  EXPECT_EQ(NU_LIST_PAGE_MAX, 500);
  EXPECT_EQ(nu_list_page_size(0), NU_LIST_PAGE_DEFAULT);
  EXPECT_EQ(nu_list_page_size(-1), NU_LIST_PAGE_DEFAULT);  // the validator refuses it first
  EXPECT_EQ(nu_list_page_size(INT32_MIN), NU_LIST_PAGE_DEFAULT);
  EXPECT_EQ(nu_list_page_size(1), 1);
  EXPECT_EQ(nu_list_page_size(50), 50);
  EXPECT_EQ(nu_list_page_size(499), 499);
  EXPECT_EQ(nu_list_page_size(500), 500);
  EXPECT_EQ(nu_list_page_size(501), NU_LIST_PAGE_MAX);
  EXPECT_EQ(nu_list_page_size(INT32_MAX), NU_LIST_PAGE_MAX);
}

TEST(ListInt64Key, ReadsBackWhatItWrites) {
  nu_arena* a = nu_arena_new();
  for (int64_t v : {INT64_C(0), INT64_C(1), INT64_C(-1), INT64_C(9), INT64_C(10), INT64_C(1712345678901234),
                    INT64_MAX, INT64_MAX - 1, INT64_MIN, INT64_MIN + 1}) {
    const char* k = nu_list_int64_key(a, v);
    ASSERT_NE(k, nullptr);
    int64_t got = 42;
    ASSERT_EQ(nu_list_int64_parse(k, &got), 0) << k;
    EXPECT_EQ(got, v) << k;
  }
  nu_arena_free(a);
}

TEST(ListInt64Key, RefusesEverythingElse) {
  for (const char* k : {"", "-", "+1", " 1", "1 ", "1a", "a1", "01", "00", "-0", "-01", "0x10", "1.5", "1e3",
                        "9223372036854775808", "-9223372036854775809", "99999999999999999999"}) {
    int64_t got = 42;
    EXPECT_EQ(nu_list_int64_parse(k, &got), -1) << k;
    EXPECT_EQ(got, 42) << k;
  }
  int64_t got = 42;
  EXPECT_EQ(nu_list_int64_parse(nullptr, &got), -1);
  EXPECT_EQ(got, 42);
}

}  // namespace
