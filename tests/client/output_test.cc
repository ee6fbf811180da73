// output_test.cc — nuagectl's output module: JSON escaping, records in
// both forms, error reports and timestamps.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "client/ctl/output.h"

namespace {

// Captures what a function writes to a FILE*.
class Capture {
public:
  Capture() { f_ = open_memstream(&buf_, &len_); }
  ~Capture() {
    if (f_ != nullptr)
      fclose(f_);
    free(buf_);
  }
  FILE *file() { return f_; }
  std::string str() {
    fflush(f_);
    return std::string(buf_, len_);
  }

private:
  FILE *f_ = nullptr;
  char *buf_ = nullptr;
  size_t len_ = 0;
};

std::string Json(const std::string &s) {
  Capture c;
  nu_out_json_string(c.file(), s.data(), s.size());
  return c.str();
}

TEST(JsonStringTest, PlainTextIsQuoted) {
  EXPECT_EQ("\"\"", Json(""));
  EXPECT_EQ("\"SERVING\"", Json("SERVING"));
  EXPECT_EQ("\"a/b <c> & 'd'\"", Json("a/b <c> & 'd'"));
}

TEST(JsonStringTest, QuotesAndBackslashesAreEscaped) {
  EXPECT_EQ(R"("say \"hi\"")", Json("say \"hi\""));
  EXPECT_EQ(R"("C:\\path\\x")", Json("C:\\path\\x"));
}

TEST(JsonStringTest, ControlCharactersAreEscaped) {
  EXPECT_EQ(R"("a\nb\tc\rd\be\ff")", Json("a\nb\tc\rd\be\ff"));
  EXPECT_EQ(R"("\u0001\u001f\u007f")", Json("\x01\x1f\x7f"));
  EXPECT_EQ(R"("\u001b[31mred")", Json("\x1b[31mred"));
  EXPECT_EQ(R"("nul\u0000inside")", Json(std::string("nul\0inside", 10)));
}

TEST(JsonStringTest, ValidUtf8PassesThrough) {
  EXPECT_EQ("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
            Json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_EQ("\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\"",
            Json("\xef\xbf\xbf\xf4\x8f\xbf\xbf")); // U+FFFF, U+10FFFF
}

TEST(JsonStringTest, InvalidUtf8BecomesReplacementCharacter) {
  EXPECT_EQ(R"("a\ufffdb")", Json("a\xff"
                                  "b"));
  EXPECT_EQ(R"("\ufffd\ufffd")", Json("\xc0\xaf"));                     // overlong '/'
  EXPECT_EQ(R"("\ufffd\ufffd\ufffd")", Json("\xed\xa0\x80"));           // surrogate
  EXPECT_EQ(R"("\ufffd\ufffd")", Json("\xe2\x82"));                     // truncated at the end
  EXPECT_EQ(R"("\ufffd\ufffd\ufffd\ufffd")", Json("\xf4\x90\x80\x80")); // above U+10FFFF
  EXPECT_EQ(R"("\ufffdA")", Json("\xc3"
                                 "A")); // bad continuation
}

TEST(OutTest, JsonRecordOnOneLine) {
  Capture c;
  nu_out o;
  nu_out_init(&o, c.file(), true);
  nu_out_begin(&o);
  nu_out_str(&o, "service", "");
  nu_out_str(&o, "status", "SERVING");
  nu_out_end(&o);
  EXPECT_EQ("{\"service\":\"\",\"status\":\"SERVING\"}\n", c.str());
}

TEST(OutTest, JsonNullsIntsAndNesting) {
  Capture c;
  nu_out o;
  nu_out_init(&o, c.file(), true);
  nu_out_begin(&o);
  nu_out_str(&o, "a", nullptr);
  nu_out_int(&o, "n", -42);
  nu_out_begin_array(&o, "list");
  nu_out_begin_object(&o, nullptr);
  nu_out_str(&o, "k\"ey", "v\n");
  nu_out_end_object(&o);
  nu_out_begin_object(&o, nullptr);
  nu_out_end_object(&o);
  nu_out_end_array(&o);
  nu_out_begin_object(&o, "empty");
  nu_out_end_object(&o);
  nu_out_end(&o);
  EXPECT_EQ("{\"a\":null,\"n\":-42,\"list\":[{\"k\\\"ey\":\"v\\n\"},{}],\"empty\":{}}\n", c.str());
}

TEST(OutTest, HumanRecordIsKeyValueLines) {
  Capture c;
  nu_out o;
  nu_out_init(&o, c.file(), false);
  nu_out_begin(&o);
  nu_out_str(&o, "server_version", "0.1.0");
  nu_out_int(&o, "schema_version", 3);
  nu_out_str(&o, "start_time", nullptr); // absent: left out
  nu_out_str(&o, "database_version", "15\x1b[2J");
  nu_out_end(&o);
  EXPECT_EQ("server_version: 0.1.0\nschema_version: 3\ndatabase_version: 15?[2J\n", c.str());
}

TEST(OutTest, TextNeutralisesControlCharacters) {
  Capture c;
  nu_out_text(c.file(), "ok\x1b]0;title\x07\nnext\x7f");
  EXPECT_EQ("ok?]0;title??next?", c.str());
}

nu_client_status FullError() {
  static nu_client_pair metadata[] = {{"field", "siret"}};
  static nu_client_field_violation violations[] = {
      {const_cast<char *>("organization.siret"), const_cast<char *>("must have 14 digits")},
      {const_cast<char *>("organization.name"), const_cast<char *>("must not be \"empty\"")},
  };
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  st.code = NU_CLIENT_INVALID_ARGUMENT;
  st.message = const_cast<char *>("invalid organization");
  st.reason = const_cast<char *>("INVALID_ORGANIZATION");
  st.domain = const_cast<char *>("nuage.v1");
  st.metadata = metadata;
  st.metadata_count = 1;
  st.violations = violations;
  st.violation_count = 2;
  st.request_id = const_cast<char *>("req-1");
  return st;
}

TEST(OutErrorTest, Human) {
  Capture out, err;
  nu_out o;
  nu_out_init(&o, out.file(), false);
  nu_client_status st = FullError();
  nu_out_error(&o, err.file(), &st);
  EXPECT_EQ("", out.str());
  EXPECT_EQ("error: INVALID_ARGUMENT: invalid organization\n"
            "  reason: INVALID_ORGANIZATION\n"
            "  field organization.siret: must have 14 digits\n"
            "  field organization.name: must not be \"empty\"\n"
            "  request_id: req-1\n",
            err.str());
}

TEST(OutErrorTest, HumanWithoutDetails) {
  Capture out, err;
  nu_out o;
  nu_out_init(&o, out.file(), false);
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  st.code = NU_CLIENT_UNAVAILABLE;
  st.message = const_cast<char *>("failed to connect");
  nu_out_error(&o, err.file(), &st);
  EXPECT_EQ("error: UNAVAILABLE: failed to connect\n", err.str());
}

TEST(OutErrorTest, Json) {
  Capture out, err;
  nu_out o;
  nu_out_init(&o, out.file(), true);
  nu_client_status st = FullError();
  nu_out_error(&o, err.file(), &st);
  EXPECT_EQ("", err.str());
  EXPECT_EQ("{\"error\":{\"code\":\"INVALID_ARGUMENT\",\"message\":\"invalid organization\","
            "\"reason\":\"INVALID_ORGANIZATION\",\"domain\":\"nuage.v1\","
            "\"metadata\":{\"field\":\"siret\"},"
            "\"field_violations\":[{\"field\":\"organization.siret\","
            "\"description\":\"must have 14 digits\"},{\"field\":\"organization.name\","
            "\"description\":\"must not be \\\"empty\\\"\"}],\"request_id\":\"req-1\"}}\n",
            out.str());
}

TEST(OutErrorTest, JsonWithoutDetails) {
  Capture out, err;
  nu_out o;
  nu_out_init(&o, out.file(), true);
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  st.code = NU_CLIENT_DEADLINE_EXCEEDED;
  nu_out_error(&o, err.file(), &st);
  EXPECT_EQ("{\"error\":{\"code\":\"DEADLINE_EXCEEDED\",\"message\":null,\"reason\":null,"
            "\"domain\":null,\"metadata\":{},\"field_violations\":[],\"request_id\":null}}\n",
            out.str());
}

std::string Ts(int64_t seconds, int32_t nanos) {
  char buf[40];
  if (nu_out_format_timestamp(seconds, nanos, buf, sizeof buf) != 0)
    return "error";
  return buf;
}

TEST(TimestampTest, Rfc3339InUtc) {
  EXPECT_EQ("1970-01-01T00:00:00Z", Ts(0, 0));
  EXPECT_EQ("2026-11-21T13:51:00Z", Ts(1795269060, 0));
  EXPECT_EQ("2026-11-21T13:51:00.500Z", Ts(1795269060, 500000000));
  EXPECT_EQ("2026-11-21T13:51:00.000123Z", Ts(1795269060, 123000));
  EXPECT_EQ("2026-11-21T13:51:00.000000001Z", Ts(1795269060, 1));
  EXPECT_EQ("1969-12-31T23:59:59Z", Ts(-1, 0));
  EXPECT_EQ("0001-01-01T00:00:00Z", Ts(-62135596800LL, 0));
  EXPECT_EQ("9999-12-31T23:59:59.999999999Z", Ts(253402300799LL, 999999999));
}

TEST(TimestampTest, OutOfRange) {
  EXPECT_EQ("error", Ts(-62135596801LL, 0));
  EXPECT_EQ("error", Ts(253402300800LL, 0));
  EXPECT_EQ("error", Ts(0, -1));
  EXPECT_EQ("error", Ts(0, 1000000000));
  char small[8];
  EXPECT_EQ(-1, nu_out_format_timestamp(0, 0, small, sizeof small));
}

} // namespace
