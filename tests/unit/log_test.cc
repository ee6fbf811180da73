// log_test.cc — JSON log lines: string escaping, truncation, the sink, level
// filtering and the per-RPC line.
//
// Every line is parsed back with libprotobuf's JSON parser into a
// google.protobuf.Struct (strict about structure, UTF-8 and duplicate keys);
// raw control characters, which it tolerates, are checked separately.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "server/common/log.h"

#include <unistd.h>

namespace {

using google::protobuf::Struct;
using google::protobuf::Value;

// Parses one JSON object; "" when valid, else why not.
std::string ParseObject(const std::string &text, Struct *out) {
  for (unsigned char ch : text) {
    if (ch < 0x20) return "raw control character in JSON text";
  }
  auto st = google::protobuf::util::JsonStringToMessage(text, out);
  if (!st.ok()) return st.ToString();
  return "";
}

// Decodes a JSON string literal (with its quotes); false when invalid.
bool DecodeString(const std::string &quoted, std::string *out) {
  Struct s;
  if (!ParseObject("{\"v\":" + quoted + "}", &s).empty()) return false;
  auto it = s.fields().find("v");
  if (it == s.fields().end() || it->second.kind_case() != Value::kStringValue) return false;
  *out = it->second.string_value();
  return true;
}

std::string JsonString(const std::string &s) {
  std::vector<char> buf(s.size() * 6 + 16);
  size_t len = 0;
  nu_log_json_string(buf.data(), buf.size(), &len, s.c_str());
  return std::string(buf.data(), len);
}

bool StartsWith(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// ---- nu_log_json_string --------------------------------------------------

TEST(JsonString, Plain) {
  EXPECT_EQ(JsonString("abc"), "\"abc\"");
  EXPECT_EQ(JsonString(""), "\"\"");
}

TEST(JsonString, QuotesAndBackslashes) {
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("\"\"\\"), "\"\\\"\\\"\\\\\"");
}

TEST(JsonString, ControlCharacters) {
  EXPECT_EQ(JsonString("\n\r\t"), "\"\\n\\r\\t\"");
  EXPECT_EQ(JsonString("\x01"), "\"\\u0001\"");
  EXPECT_EQ(JsonString("a\x1f" "b"), "\"a\\u001fb\"");
  EXPECT_EQ(JsonString("\x7f"), "\"\\u007f\"");
  EXPECT_EQ(JsonString("\x10"), "\"\\u0010\"");
}

TEST(JsonString, EveryAsciiByteRoundTrips) {
  std::string all;
  for (int c = 1; c < 128; c++) all.push_back(static_cast<char>(c));
  std::string out = JsonString(all);
  for (size_t i = 1; i + 1 < out.size(); i++) {
    ASSERT_GE(static_cast<unsigned char>(out[i]), 0x20) << "raw control byte at " << i;
    ASSERT_NE(out[i], 0x7f);
  }
  std::string back;
  ASSERT_TRUE(DecodeString(out, &back)) << out;
  EXPECT_EQ(back, all);
}

TEST(JsonString, Utf8PassesThrough) {
  const std::string s = "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80 \xc2\x80";
  EXPECT_EQ(JsonString(s), "\"" + s + "\"");
}

TEST(JsonString, ExactFitIsNotTruncated) {
  // Generous room: the whole value, nothing cut.
  const std::string in = "exact";
  std::vector<char> buf(64);
  size_t len = 0;
  nu_log_json_string(buf.data(), buf.size(), &len, in.c_str());
  EXPECT_EQ(std::string(buf.data(), len), "\"exact\"");
}

// ---- lines written to a sink ---------------------------------------------

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sink_ = tmpfile();
    ASSERT_NE(sink_, nullptr);
    nu_log_set_sink(sink_);
    nu_log_set_level(NU_LOG_INFO);
  }
  void TearDown() override {
    nu_log_set_sink(nullptr);
    nu_log_set_level(NU_LOG_INFO);
    fclose(sink_);
  }

  // Every line written so far; each must end with '\n'.
  std::vector<std::string> Lines() {
    fflush(sink_);
    long end = ftell(sink_);
    std::string all(static_cast<size_t>(end), '\0');
    rewind(sink_);
    size_t n = fread(&all[0], 1, all.size(), sink_);
    fseek(sink_, 0, SEEK_END);
    all.resize(n);
    std::vector<std::string> lines;
    size_t pos = 0;
    while (pos < all.size()) {
      size_t nl = all.find('\n', pos);
      if (nl == std::string::npos) {
        ADD_FAILURE() << "unterminated line: " << all.substr(pos);
        break;
      }
      lines.push_back(all.substr(pos, nl - pos));
      pos = nl + 1;
    }
    return lines;
  }

  // The one object of the only line written so far.
  Struct OnlyLine() {
    auto lines = Lines();
    EXPECT_EQ(lines.size(), 1u);
    Struct s;
    if (lines.empty()) return s;
    EXPECT_EQ(ParseObject(lines[0], &s), "") << lines[0];
    return s;
  }

  FILE *sink_ = nullptr;
};

std::string Str(const Struct &s, const std::string &key) {
  auto it = s.fields().find(key);
  if (it == s.fields().end()) return "<absent>";
  if (it->second.kind_case() != Value::kStringValue) return "<not a string>";
  return it->second.string_value();
}

bool Has(const Struct &s, const std::string &key) { return s.fields().count(key) != 0; }

// RFC 3339 in UTC with microseconds: 2024-06-11T09:30:00.123456Z
bool IsTimestamp(const std::string &ts) {
  const std::string shape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
  if (ts.size() != shape.size()) return false;
  for (size_t i = 0; i < ts.size(); i++) {
    bool ok = shape[i] == 'd' ? (ts[i] >= '0' && ts[i] <= '9') : ts[i] == shape[i];
    if (!ok) return false;
  }
  return true;
}

TEST_F(LogTest, OneObjectPerLineWithTsLevelMsgThenFields) {
  nu_log(NU_LOG_INFO, "listening", "address", "127.0.0.1:50051", "port", "50051", NULL);
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  const std::string &line = lines[0];
  EXPECT_TRUE(StartsWith(line, "{\"ts\":\"")) << line;
  EXPECT_LT(line.find("\"level\":"), line.find("\"msg\":"));
  EXPECT_LT(line.find("\"msg\":"), line.find("\"address\":"));
  EXPECT_LT(line.find("\"address\":"), line.find("\"port\":"));
  Struct s;
  ASSERT_EQ(ParseObject(line, &s), "") << line;
  EXPECT_EQ(s.fields_size(), 5);
  EXPECT_EQ(Str(s, "level"), "info");
  EXPECT_EQ(Str(s, "msg"), "listening");
  EXPECT_EQ(Str(s, "address"), "127.0.0.1:50051");
  EXPECT_EQ(Str(s, "port"), "50051");
  EXPECT_TRUE(IsTimestamp(Str(s, "ts"))) << Str(s, "ts");
}

TEST_F(LogTest, NullValueIsJsonNull) {
  nu_log(NU_LOG_WARN, "m", "path", static_cast<const char *>(nullptr), "after", "x", NULL);
  Struct s = OnlyLine();
  ASSERT_TRUE(Has(s, "path"));
  EXPECT_EQ(s.fields().at("path").kind_case(), Value::kNullValue);
  EXPECT_EQ(Str(s, "after"), "x");
  EXPECT_EQ(Str(s, "level"), "warn");
}

TEST_F(LogTest, NoFields) {
  nu_log(NU_LOG_ERROR, "stopped", NULL);
  Struct s = OnlyLine();
  EXPECT_EQ(s.fields_size(), 3);
  EXPECT_EQ(Str(s, "level"), "error");
  EXPECT_EQ(Str(s, "msg"), "stopped");
}

TEST_F(LogTest, EscapedKeysAndValuesStayOnOneLine) {
  const std::string msg = "multi\nline \"quoted\" \\ msg";
  const std::string key = "we\"ird\nkey";
  const std::string value = "tab\there\r\n\x01\x7f" "end \xc3\xa9";
  nu_log(NU_LOG_INFO, msg.c_str(), key.c_str(), value.c_str(), NULL);
  Struct s = OnlyLine();
  EXPECT_EQ(Str(s, "msg"), msg);
  EXPECT_EQ(Str(s, key), value);
}

TEST_F(LogTest, LevelFiltering) {
  EXPECT_EQ(nu_log_get_level(), NU_LOG_INFO);
  nu_log(NU_LOG_DEBUG, "dropped by default", NULL);
  nu_log(NU_LOG_INFO, "info", NULL);
  nu_log_set_level(NU_LOG_WARN);
  EXPECT_EQ(nu_log_get_level(), NU_LOG_WARN);
  nu_log(NU_LOG_DEBUG, "dropped", NULL);
  nu_log(NU_LOG_INFO, "dropped", NULL);
  nu_log(NU_LOG_WARN, "warn", NULL);
  nu_log(NU_LOG_ERROR, "error", NULL);
  nu_log_set_level(NU_LOG_ERROR);
  nu_log(NU_LOG_WARN, "dropped", NULL);
  nu_log(NU_LOG_ERROR, "error2", NULL);
  nu_log_set_level(NU_LOG_DEBUG);
  nu_log(NU_LOG_DEBUG, "debug", NULL);

  std::vector<std::string> msgs, levels;
  for (const auto &line : Lines()) {
    Struct s;
    ASSERT_EQ(ParseObject(line, &s), "") << line;
    msgs.push_back(Str(s, "msg"));
    levels.push_back(Str(s, "level"));
  }
  EXPECT_EQ(msgs, (std::vector<std::string>{"info", "warn", "error", "error2", "debug"}));
  EXPECT_EQ(levels, (std::vector<std::string>{"info", "warn", "error", "error", "debug"}));
}

TEST(LogLevel, Parse) {
  const struct {
    const char *name;
    nu_log_level level;
  } ok[] = {{"debug", NU_LOG_DEBUG}, {"info", NU_LOG_INFO}, {"warn", NU_LOG_WARN},
            {"error", NU_LOG_ERROR}};
  for (const auto &c : ok) {
    nu_log_level l = static_cast<nu_log_level>(99);
    EXPECT_EQ(nu_log_parse_level(c.name, &l), 0) << c.name;
    EXPECT_EQ(l, c.level) << c.name;
  }
  for (const char *bad : {"", "INFO", "warning", "fatal", "info ", "3"}) {
    nu_log_level l = NU_LOG_WARN;
    EXPECT_EQ(nu_log_parse_level(bad, &l), -1) << bad;
    EXPECT_EQ(l, NU_LOG_WARN) << "untouched on error: " << bad;
  }
}

nu_rpc_log Rpc(int code, const char *name) {
  nu_rpc_log r{};
  r.method = "/grpc.health.v1.Health/Check";
  r.peer = "ipv4:127.0.0.1:51234";
  r.request_id = "req-1";
  r.code = code;
  r.code_name = name;
  r.duration_ns = 1234567000;
  return r;
}

TEST_F(LogTest, RpcLineFields) {
  nu_rpc_log r = Rpc(0, "OK");
  nu_log_rpc(&r);
  Struct s = OnlyLine();
  EXPECT_EQ(Str(s, "msg"), "rpc");
  EXPECT_EQ(Str(s, "level"), "info");
  EXPECT_EQ(Str(s, "method"), "/grpc.health.v1.Health/Check");
  EXPECT_EQ(Str(s, "peer"), "ipv4:127.0.0.1:51234");
  EXPECT_EQ(Str(s, "request_id"), "req-1");
  EXPECT_EQ(Str(s, "status"), "OK");
  ASSERT_TRUE(Has(s, "code"));
  EXPECT_EQ(s.fields().at("code").kind_case(), Value::kNumberValue);
  EXPECT_EQ(s.fields().at("code").number_value(), 0);
  ASSERT_TRUE(Has(s, "duration_ms"));
  EXPECT_EQ(s.fields().at("duration_ms").kind_case(), Value::kNumberValue);
  EXPECT_DOUBLE_EQ(s.fields().at("duration_ms").number_value(), 1234.567);
  EXPECT_FALSE(Has(s, "principal")) << "anonymous callers have no principal field";
  EXPECT_FALSE(Has(s, "reason"));
  EXPECT_FALSE(Has(s, "error"));
}

TEST_F(LogTest, RpcLineOfAFailedCall) {
  nu_rpc_log r = Rpc(5, "NOT_FOUND");
  r.principal = "user-7";
  r.reason = "ORDER_NOT_FOUND";
  r.error = "no order \"42\"";
  r.duration_ns = 999;
  nu_log_rpc(&r);
  Struct s = OnlyLine();
  EXPECT_EQ(Str(s, "level"), "warn");
  EXPECT_EQ(s.fields().at("code").number_value(), 5);
  EXPECT_EQ(Str(s, "status"), "NOT_FOUND");
  EXPECT_EQ(Str(s, "principal"), "user-7");
  EXPECT_EQ(Str(s, "reason"), "ORDER_NOT_FOUND");
  EXPECT_EQ(Str(s, "error"), "no order \"42\"");
  EXPECT_DOUBLE_EQ(s.fields().at("duration_ms").number_value(), 0.001);
}

TEST_F(LogTest, RpcLineWithNullStrings) {
  nu_rpc_log r = Rpc(12, "UNIMPLEMENTED");
  r.request_id = nullptr;
  r.peer = nullptr;
  nu_log_rpc(&r);
  Struct s = OnlyLine();
  EXPECT_EQ(s.fields().at("request_id").kind_case(), Value::kNullValue);
  EXPECT_EQ(s.fields().at("peer").kind_case(), Value::kNullValue);
}

TEST_F(LogTest, RpcLevelFollowsTheCode) {
  const struct {
    int code;
    const char *level;
  } cases[] = {{0, "info"}, {3, "warn"}, {5, "warn"},  {16, "warn"},
               {2, "error"}, {13, "error"}, {15, "error"}, {14, "warn"}};
  for (const auto &c : cases) {
    nu_rpc_log r = Rpc(c.code, "X");
    nu_log_rpc(&r);
  }
  auto lines = Lines();
  ASSERT_EQ(lines.size(), sizeof(cases) / sizeof(cases[0]));
  for (size_t i = 0; i < lines.size(); i++) {
    Struct s;
    ASSERT_EQ(ParseObject(lines[i], &s), "");
    EXPECT_EQ(Str(s, "level"), cases[i].level) << "code " << cases[i].code;
  }
}

TEST_F(LogTest, RpcLinesAreFilteredByLevel) {
  nu_log_set_level(NU_LOG_WARN);
  nu_rpc_log ok = Rpc(0, "OK"), nf = Rpc(5, "NOT_FOUND"), in = Rpc(13, "INTERNAL");
  nu_log_rpc(&ok);
  nu_log_rpc(&nf);
  nu_log_set_level(NU_LOG_ERROR);
  nu_log_rpc(&nf);
  nu_log_rpc(&in);
  std::vector<std::string> statuses;
  for (const auto &line : Lines()) {
    Struct s;
    ASSERT_EQ(ParseObject(line, &s), "");
    statuses.push_back(Str(s, "status"));
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"NOT_FOUND", "INTERNAL"}));
}

TEST_F(LogTest, ConcurrentLinesNeverInterleave) {
  constexpr int kThreads = 4, kPerThread = 250;
  std::vector<std::thread> threads;
  const std::string filler(300, 'f');
  for (int t = 0; t < kThreads; t++) {
    threads.emplace_back([t, &filler] {
      std::string id = std::to_string(t);
      for (int i = 0; i < kPerThread; i++) {
        nu_log(NU_LOG_INFO, "tick", "thread", id.c_str(), "filler", filler.c_str(), NULL);
      }
    });
  }
  for (auto &th : threads) th.join();
  auto lines = Lines();
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kPerThread));
  int per[kThreads] = {};
  for (const auto &line : lines) {
    Struct s;
    ASSERT_EQ(ParseObject(line, &s), "") << line;
    int t = std::stoi(Str(s, "thread"));
    ASSERT_GE(t, 0);
    ASSERT_LT(t, kThreads);
    per[t]++;
    EXPECT_EQ(Str(s, "filler"), filler);
  }
  for (int t = 0; t < kThreads; t++) EXPECT_EQ(per[t], kPerThread);
}

// ---- regressions: lines that were not valid JSON -----------------------
//
// A line cut at 4 KiB could end in a key without its value, a lone quote or
// half a number, and bytes that are not UTF-8 (or a character cut in two)
// were copied as they were. Every line must parse.

// Each byte that is not UTF-8 is written as U+FFFD.
TEST(JsonString, InvalidUtf8BecomesReplacementCharacters) {
  const std::string fffd = "\xef\xbf\xbd";
  struct Case {
    std::string in, want;
  } cases[] = {
      {"\xff", fffd},
      {"a\xc3", "a" + fffd},                       // truncated sequence at the end
      {"\xc3(", fffd + "("},                       // bad continuation
      {"\xc0\xaf", fffd + fffd},                   // overlong '/'
      {"\xed\xa0\x80", fffd + fffd + fffd},        // UTF-16 surrogate
      {"\xf4\x90\x80\x80", fffd + fffd + fffd + fffd},  // above U+10FFFF
      {"\x80x", fffd + "x"},                       // lone continuation byte
      {"\xe4\xb8", fffd + fffd},
  };
  for (const auto &c : cases) {
    std::string out = JsonString(c.in);
    std::string back;
    ASSERT_TRUE(DecodeString(out, &back)) << "input bytes " << testing::PrintToString(c.in);
    EXPECT_EQ(back, c.want) << testing::PrintToString(c.in);
  }
}

// Whatever the room left, the bytes written are nothing or one valid JSON
// string whose value is a prefix of the whole value, and nothing is written
// at or beyond cap.
TEST(JsonString, TruncationIsAlwaysValid) {
  const std::string inputs[] = {
      std::string(100, 'x'),
      std::string(40, '"'),
      "a\\b\"c\nd\x01" "e\x7f" "f\tg\\h\"i\x02j",
      "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80z",
      "ab\xff" "cd\xc3(\xe4\xb8\xad\xe4\xb8",
  };
  for (const auto &in : inputs) {
    std::string whole;
    ASSERT_TRUE(DecodeString(JsonString(in), &whole));
    for (size_t start : {size_t{0}, size_t{1}, size_t{7}}) {
      for (size_t cap = 0; cap < 80; cap++) {
        std::vector<char> buf(cap + 32, '#');
        size_t len = start;
        nu_log_json_string(buf.data(), cap, &len, in.c_str());
        SCOPED_TRACE("input " + testing::PrintToString(in) + " cap " + std::to_string(cap) +
                     " start " + std::to_string(start));
        if (start >= cap) {
          EXPECT_EQ(len, start) << "no room: nothing may be written";
        } else {
          ASSERT_LE(len, cap);
        }
        for (size_t i = 0; i < buf.size(); i++) {
          if (i < start || i >= std::max(len, start)) {
            ASSERT_EQ(buf[i], '#') << "byte " << i << " written outside [start, len)";
          }
        }
        if (len == start) continue;
        std::string got(buf.data() + start, len - start);
        std::string value;
        ASSERT_TRUE(DecodeString(got, &value)) << "invalid JSON string: " << got;
        EXPECT_TRUE(StartsWith(whole, value)) << value;
      }
    }
  }
}

constexpr size_t kLineMax = 4096;  // NU_LOG_LINE_MAX in log.c

void ExpectValidLine(const std::string &line, Struct *s) {
  ASSERT_LE(line.size() + 1, kLineMax) << "line longer than the limit";
  ASSERT_EQ(ParseObject(line, s), "") << line.substr(line.size() > 200 ? line.size() - 200 : 0);
  EXPECT_TRUE(Has(*s, "ts"));
  EXPECT_TRUE(Has(*s, "level"));
  EXPECT_TRUE(Has(*s, "msg"));
}

TEST_F(LogTest, LongMessageIsCutButValid) {
  const std::string msg(10000, 'm');
  nu_log(NU_LOG_INFO, msg.c_str(), NULL);
  nu_log(NU_LOG_INFO, msg.c_str(), "k", "v", NULL);
  nu_log(NU_LOG_INFO, msg.c_str(), "k", "v", "k2", "v2", "k3", "v3", NULL);
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 3u);
  for (const auto &line : lines) {
    Struct s;
    ExpectValidLine(line, &s);
    EXPECT_TRUE(StartsWith(msg, Str(s, "msg")));
    EXPECT_GT(Str(s, "msg").size(), 3000u);
  }
}

TEST_F(LogTest, LongValuesAreCutButValid) {
  const std::string quotes(3000, '"');
  const std::string ctrl(3000, '\x01');
  const std::string big(5000, 'v');
  nu_log(NU_LOG_INFO, "m", "a", quotes.c_str(), "b", "short", "c", ctrl.c_str(), NULL);
  nu_log(NU_LOG_INFO, "m", "a", big.c_str(), "b", big.c_str(), NULL);
  nu_log(NU_LOG_INFO, "m", "a", "x", "b", big.c_str(), "c", "after", "d", static_cast<const char *>(nullptr), NULL);
  for (const auto &line : Lines()) {
    Struct s;
    ExpectValidLine(line, &s);
    EXPECT_EQ(Str(s, "msg"), "m");
  }
}

TEST_F(LogTest, LongRpcLineIsValid) {
  const std::string method = "/" + std::string(5000, 'M');
  const std::string error(5000, '\\');
  nu_rpc_log r = Rpc(13, "INTERNAL");
  r.method = method.c_str();
  r.error = error.c_str();
  r.principal = "p";
  r.reason = "R";
  nu_log_rpc(&r);
  r.method = "/ok";
  nu_log_rpc(&r);
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  for (const auto &line : lines) {
    Struct s;
    ExpectValidLine(line, &s);
    EXPECT_EQ(Str(s, "msg"), "rpc");
    EXPECT_TRUE(StartsWith(method, Str(s, "method")) || Str(s, "method") == "/ok");
  }
  Struct second;
  ASSERT_EQ(ParseObject(lines[1], &second), "");
  EXPECT_EQ(second.fields().at("code").number_value(), 13);
  EXPECT_TRUE(StartsWith(error, Str(second, "error")));
}

// A random character: ASCII (control characters, quotes and backslashes
// included) or a 2-, 3- or 4-byte UTF-8 sequence.
std::string RandomChar(std::mt19937 &rng) {
  static const char *const multi[] = {"\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\xc2\x80",
                                      "\xef\xbf\xbf"};
  int kind = static_cast<int>(rng() % 10);
  if (kind == 0) return multi[rng() % 5];
  if (kind == 1) return std::string(1, static_cast<char>(1 + rng() % 31));
  if (kind == 2) return rng() % 2 ? "\"" : "\\";
  return std::string(1, static_cast<char>('a' + rng() % 26));
}

std::string RandomText(std::mt19937 &rng, size_t max_chars) {
  size_t n = rng() % (max_chars + 1);
  std::string s;
  for (size_t i = 0; i < n; i++) s += RandomChar(rng);
  return s;
}

// Lines of every shape near and beyond the limit: each one valid JSON; the
// fields present are the first ones given, in order, all whole but the last
// (which may be cut, never garbled).
TEST_F(LogTest, FuzzedLinesAreAlwaysValid) {
  std::mt19937 rng(20240611);
  for (int iter = 0; iter < 400; iter++) {
    std::string msg = RandomText(rng, rng() % 4 == 0 ? 3000 : 40);
    size_t nfields = rng() % 7;
    std::vector<std::string> keys, values;
    for (size_t i = 0; i < nfields; i++) {
      keys.push_back("k" + std::to_string(i) + RandomText(rng, 4));
      values.push_back(RandomText(rng, rng() % 3 == 0 ? 2500 : 60));
    }
    std::vector<const char *> kv(14, nullptr);
    for (size_t i = 0; i < nfields; i++) {
      kv[2 * i] = keys[i].c_str();
      kv[2 * i + 1] = values[i].c_str();
    }
    nu_log(NU_LOG_INFO, msg.c_str(), kv[0], kv[1], kv[2], kv[3], kv[4], kv[5], kv[6], kv[7], kv[8],
           kv[9], kv[10], kv[11], kv[12], kv[13], NULL);
    auto lines = Lines();
    ASSERT_EQ(lines.size(), static_cast<size_t>(iter + 1));
    Struct s;
    ExpectValidLine(lines.back(), &s);
    ASSERT_FALSE(HasFailure()) << "iteration " << iter;
    EXPECT_TRUE(StartsWith(msg, Str(s, "msg")));
    size_t present = 0;
    while (present < nfields && Has(s, keys[present])) present++;
    EXPECT_EQ(static_cast<size_t>(s.fields_size()), 3 + present)
        << "a field is missing in the middle of line " << iter;
    for (size_t i = 0; i < present; i++) {
      std::string got = Str(s, keys[i]);
      if (i + 1 < present) {
        EXPECT_EQ(got, values[i]) << "field " << i << " of line " << iter;
      } else {
        EXPECT_TRUE(StartsWith(values[i], got)) << "field " << i << " of line " << iter;
      }
    }
  }
}

// Without a sink, lines go to stderr: the per-RPC lines of successful calls
// through the buffer, everything else at once — after what is buffered, so
// the order of lines is kept, and nothing is lost at a flush.
TEST(StderrOutput, BufferedRpcLinesKeepTheirOrderBeforeAWarning) {
  fflush(stderr);
  char path[] = "/tmp/nuage-log-test-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  int saved = dup(2);
  ASSERT_GE(saved, 0);
  ASSERT_EQ(dup2(fd, 2), 2);
  nu_log_set_sink(nullptr);
  nu_log_set_level(NU_LOG_INFO);
  const int kLines = 5000;
  for (int i = 0; i < kLines; i++) {
    std::string id = "r" + std::to_string(i);
    nu_rpc_log r{};
    r.method = "/a.B/C";
    r.peer = "p";
    r.request_id = id.c_str();
    r.code = 0;
    r.code_name = "OK";
    nu_log_rpc(&r);
  }
  nu_log(NU_LOG_WARN, "last", NULL);
  dup2(saved, 2);
  close(saved);
  close(fd);

  FILE* f = fopen(path, "r");
  ASSERT_NE(f, nullptr);
  std::vector<std::string> lines;
  char buf[8192];
  while (fgets(buf, sizeof(buf), f) != nullptr) lines.emplace_back(buf);
  fclose(f);
  unlink(path);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kLines + 1));
  for (int i = 0; i < kLines; i++) {
    EXPECT_NE(lines[i].find("\"request_id\":\"r" + std::to_string(i) + "\""), std::string::npos)
        << "line " << i << ": " << lines[i];
  }
  EXPECT_NE(lines.back().find("\"msg\":\"last\""), std::string::npos);
}

}  // namespace
