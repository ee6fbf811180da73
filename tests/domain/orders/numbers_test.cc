// numbers_test.cc — CC (order) and BL (delivery note) numbers: format,
// parse, validate, both ends of the range.
#include "server/domain/orders/numbers.h"

#include <gtest/gtest.h>

namespace {

TEST(NumbersTest, FormatsSixDigitsAfterThePrefix) {
  char buf[NU_DOC_NUMBER_LEN + 1];
  ASSERT_EQ(nu_order_number_format(42, buf, sizeof buf), NU_DOC_NUMBER_LEN);
  EXPECT_STREQ(buf, "CC000042");
  ASSERT_EQ(nu_order_number_format(1, buf, sizeof buf), NU_DOC_NUMBER_LEN);
  EXPECT_STREQ(buf, "CC000001");
  ASSERT_EQ(nu_delivery_note_number_format(NU_DOC_NUMBER_SEQ_MAX, buf, sizeof buf),
            NU_DOC_NUMBER_LEN);
  EXPECT_STREQ(buf, "BL999999");
}

TEST(NumbersTest, RefusesOutOfRangeAndShortBuffers) {
  char buf[NU_DOC_NUMBER_LEN + 1] = "";
  EXPECT_EQ(nu_order_number_format(0, buf, sizeof buf), -1);
  EXPECT_EQ(nu_order_number_format(-5, buf, sizeof buf), -1);
  EXPECT_EQ(nu_order_number_format(NU_DOC_NUMBER_SEQ_MAX + 1, buf, sizeof buf), -1);
  EXPECT_EQ(nu_delivery_note_number_format(7, buf, NU_DOC_NUMBER_LEN), -1);
  EXPECT_EQ(nu_delivery_note_number_format(7, nullptr, 0), -1);
}

TEST(NumbersTest, ParsesWhatItFormats) {
  char buf[NU_DOC_NUMBER_LEN + 1];
  for (int64_t seq : {INT64_C(1), INT64_C(10), INT64_C(123456), INT64_C(999999)}) {
    int64_t back = 0;
    ASSERT_EQ(nu_order_number_format(seq, buf, sizeof buf), NU_DOC_NUMBER_LEN);
    ASSERT_EQ(nu_order_number_parse(buf, &back), 0);
    EXPECT_EQ(back, seq);
    ASSERT_EQ(nu_delivery_note_number_format(seq, buf, sizeof buf), NU_DOC_NUMBER_LEN);
    ASSERT_EQ(nu_delivery_note_number_parse(buf, &back), 0);
    EXPECT_EQ(back, seq);
  }
}

TEST(NumbersTest, ParsingIsStrict) {
  for (const char* bad : {"", "CC", "CC00001", "CC0000001", "cc000001", "Cc000001", "CC000000",
                          " CC000001", "CC000001 ", "CC-00001", "CC+00001", "CC00001a",
                          "CC 00001", "BL000001", "CC00\xd9\xa1"
                                                  "01"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(nu_order_number_valid(bad));
    EXPECT_EQ(nu_order_number_parse(bad, nullptr), -1);
  }
  EXPECT_FALSE(nu_order_number_valid(nullptr));
  EXPECT_TRUE(nu_order_number_valid("CC000001"));
  EXPECT_TRUE(nu_delivery_note_number_valid("BL000001"));
  EXPECT_FALSE(nu_delivery_note_number_valid("CC000001"));
  EXPECT_FALSE(nu_delivery_note_number_valid("BL000000"));
}

}  // namespace
