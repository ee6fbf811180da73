// ctl_input_test.cc — what nuagectl reads from people and files: RFC 3339
// times (nu_out_parse_timestamp, the inverse of the formatter) and the flat
// JSON objects of a JSON-lines report file (json_line.c).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "client/ctl/json_line.h"
#include "client/ctl/output.h"

namespace {

TEST(ParseTimestamp, UtcOffsetsAndFractions) {
  int64_t s = 0;
  int32_t n = -1;
  ASSERT_EQ(nu_out_parse_timestamp("2026-11-21T13:51:00Z", &s, &n), 0);
  EXPECT_EQ(s, 1795269060);
  EXPECT_EQ(n, 0);
  ASSERT_EQ(nu_out_parse_timestamp("2026-11-21T14:51:00.5+01:00", &s, &n), 0);
  EXPECT_EQ(s, 1795269060);
  EXPECT_EQ(n, 500000000);
  ASSERT_EQ(nu_out_parse_timestamp("2026-11-21t08:51:00.000000123-05:00", &s, &n), 0);
  EXPECT_EQ(s, 1795269060);
  EXPECT_EQ(n, 123);
  // The formatter's output reads back.
  char buf[40];
  ASSERT_EQ(nu_out_format_timestamp(s, n, buf, sizeof buf), 0);
  int64_t s2;
  int32_t n2;
  ASSERT_EQ(nu_out_parse_timestamp(buf, &s2, &n2), 0);
  EXPECT_EQ(s2, s);
  EXPECT_EQ(n2, n);
}

TEST(ParseTimestamp, RefusesWhatIsNotRfc3339) {
  int64_t s;
  int32_t n;
  for (const char* bad : {"", "yesterday", "2026-11-21", "2026-11-21 13:51:00Z",
                          "2026-11-21T13:51:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-02-29T00:00:00Z",
                          "2026-11-21T24:00:00Z", "2026-11-21T13:51:00.Z",
                          "2026-11-21T13:51:00+0100", "2026-11-21T13:51:00Zjunk"})
    EXPECT_EQ(nu_out_parse_timestamp(bad, &s, &n), -1) << bad;
}

static std::string Parse(const std::string& line, nu_json_line* out) {
  const char* error = nullptr;
  if (nu_json_line_parse(line.data(), line.size(), out, &error) != 0) return error;
  return "";
}

TEST(JsonLine, FlatObjectOfStringsNumbersBooleansAndNull) {
  nu_json_line o;
  ASSERT_EQ(Parse(" {\"a\":\"x\\\"y\\\\z\\n\", \"q\" : 12, \"b\":true,\"n\":null,"
                  "\"u\":\"caf\\u00e9 \\ud83d\\ude00\"}\n",
                  &o),
            "");
  ASSERT_EQ(o.n, 5u);
  EXPECT_STREQ(nu_json_line_get(&o, "a")->text, "x\"y\\z\n");
  EXPECT_EQ(nu_json_line_get(&o, "a")->kind, NU_JSON_STRING);
  EXPECT_STREQ(nu_json_line_get(&o, "q")->text, "12");
  EXPECT_EQ(nu_json_line_get(&o, "q")->kind, NU_JSON_NUMBER);
  EXPECT_EQ(nu_json_line_get(&o, "b")->kind, NU_JSON_BOOL);
  EXPECT_EQ(nu_json_line_get(&o, "n")->kind, NU_JSON_NULL);
  EXPECT_STREQ(nu_json_line_get(&o, "u")->text, "caf\xc3\xa9 \xf0\x9f\x98\x80");
  EXPECT_EQ(nu_json_line_get(&o, "absent"), nullptr);
  nu_json_line_free(&o);

  ASSERT_EQ(Parse("{}", &o), "");
  EXPECT_EQ(o.n, 0u);
  nu_json_line_free(&o);
}

TEST(JsonLine, RefusesWhatItDoesNotRead) {
  nu_json_line o;
  EXPECT_EQ(Parse("[1]", &o), "expected an object");
  EXPECT_EQ(Parse("{\"a\":{\"b\":1}}", &o), "nested objects and arrays are not expected here");
  EXPECT_EQ(Parse("{\"a\":[1]}", &o), "nested objects and arrays are not expected here");
  EXPECT_EQ(Parse("{\"a\":\"x}", &o), "unterminated string");
  EXPECT_EQ(Parse("{\"a\" 1}", &o), "expected ':'");
  EXPECT_EQ(Parse("{\"a\":1 \"b\":2}", &o), "expected ',' or '}'");
  EXPECT_EQ(Parse("{\"a\":1} x", &o), "text after the object");
  EXPECT_EQ(Parse("{\"a\":\"\\ud83d\"}", &o), "unpaired surrogate in \\u escape");
  EXPECT_EQ(Parse("{\"a\":\"\\x\"}", &o), "bad escape in a string");
  EXPECT_EQ(Parse("{\"a\":\"\t\"}", &o), "control character in a string");
  EXPECT_EQ(Parse("{\"a\":}", &o), "expected a value");
}

}  // namespace
