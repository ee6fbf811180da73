// config_test.cc — settings from flags and environment: defaults,
// precedence, both flag spellings, bad values, and --help.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "server/app/config.h"

namespace {

std::map<std::string, std::string> g_env;

const char *FakeGetenv(const char *name) {
  auto it = g_env.find(name);
  return it == g_env.end() ? nullptr : it->second.c_str();
}

// Every option: flag name and environment variable.
const struct {
  const char *flag;
  const char *env;
} kOptions[] = {
    {"listen", "NUAGE_LISTEN"},
    {"database-url", "NUAGE_DATABASE_URL"},
    {"port-file", "NUAGE_PORT_FILE"},
    {"cq-threads", "NUAGE_CQ_THREADS"},
    {"workers", "NUAGE_WORKERS"},
    {"db-pool-size", "NUAGE_DB_POOL_SIZE"},
    {"default-deadline-ms", "NUAGE_DEFAULT_DEADLINE_MS"},
    {"shutdown-grace-ms", "NUAGE_SHUTDOWN_GRACE_MS"},
    {"db-wait-ms", "NUAGE_DB_WAIT_MS"},
    {"max-message-bytes", "NUAGE_MAX_MESSAGE_BYTES"},
    {"log-level", "NUAGE_LOG_LEVEL"},
    {"enable-diagnostics", "NUAGE_ENABLE_DIAGNOSTICS"},
    {"secret-key-file", "NUAGE_SECRET_KEY_FILE"},
    {"public-url", "NUAGE_PUBLIC_URL"},
    {"voucher-cents", "NUAGE_VOUCHER_CENTS"},
    {"test-level-monthly-cents", "NUAGE_TEST_LEVEL_MONTHLY_CENTS"},
    {"hash-concurrency", "NUAGE_HASH_CONCURRENCY"},
    {"outbox-sink", "NUAGE_OUTBOX_SINK"},
    {"outbox-dir", "NUAGE_OUTBOX_DIR"},
    {"document-poll-ms", "NUAGE_DOCUMENT_POLL_MS"},
    {"rate-limit-per-address", "NUAGE_RATE_LIMIT_PER_ADDRESS"},
    {"rate-limit-window-s", "NUAGE_RATE_LIMIT_WINDOW_S"},
    {"failed-logins-per-hour", "NUAGE_FAILED_LOGINS_PER_HOUR"},
    {"trusted-proxies", "NUAGE_TRUSTED_PROXIES"},
    {"import-dir", "NUAGE_IMPORT_DIR"},
};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { g_env.clear(); }
  void TearDown() override {
    g_env.clear();
    if (out_ != nullptr) fclose(out_);
    free(out_buf_);
  }

  // Parses argv (without the program name); keeps the strings alive, since
  // the config borrows them.
  int Parse(std::vector<std::string> args) {
    args_ = std::move(args);
    args_.insert(args_.begin(), "nuage-server");
    argv_.clear();
    for (auto &s : args_) argv_.push_back(&s[0]);
    argv_.push_back(nullptr);
    if (out_ != nullptr) fclose(out_);
    free(out_buf_);
    out_buf_ = nullptr;
    out_len_ = 0;
    out_ = open_memstream(&out_buf_, &out_len_);
    err_[0] = '\0';
    return nu_config_parse(static_cast<int>(args_.size()), argv_.data(), FakeGetenv, out_, &cfg_,
                           err_, sizeof(err_));
  }

  std::string Out() {
    fflush(out_);
    return std::string(out_buf_, out_len_);
  }

  // Expects -1 with an error naming `name`.
  void ExpectRejected(std::vector<std::string> args, const std::string &name) {
    std::string joined;
    for (auto &a : args) joined += a + " ";
    EXPECT_EQ(Parse(args), -1) << joined;
    EXPECT_NE(std::string(err_).find(name), std::string::npos)
        << "error \"" << err_ << "\" should name " << name << " (args: " << joined << ")";
  }

  std::vector<std::string> args_;
  std::vector<char *> argv_;
  nu_config cfg_;
  char err_[256];
  FILE *out_ = nullptr;
  char *out_buf_ = nullptr;
  size_t out_len_ = 0;
};

TEST_F(ConfigTest, Defaults) {
  g_env["NUAGE_DATABASE_URL"] = "postgresql:///nuage";
  ASSERT_EQ(Parse({}), 0) << err_;
  EXPECT_STREQ(cfg_.listen, "127.0.0.1:50051");
  EXPECT_STREQ(cfg_.database_url, "postgresql:///nuage");
  EXPECT_EQ(cfg_.port_file, nullptr);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  EXPECT_EQ(cfg_.cq_threads, cores > 0 ? static_cast<int>(cores) : 1);
  EXPECT_EQ(cfg_.workers, 16);
  EXPECT_EQ(cfg_.db_pool_size, 10);
  EXPECT_EQ(cfg_.default_deadline_ms, 10000);
  EXPECT_EQ(cfg_.shutdown_grace_ms, 30000);
  EXPECT_EQ(cfg_.db_wait_ms, 30000);
  EXPECT_EQ(cfg_.max_message_bytes, 4 * 1024 * 1024);
  EXPECT_EQ(cfg_.log_level, NU_LOG_INFO);
  EXPECT_FALSE(cfg_.diagnostics);
  EXPECT_EQ(cfg_.test_level_monthly_cents, 50000);
  EXPECT_EQ(Out(), "") << "nothing printed when the server should run";
}

TEST_F(ConfigTest, TestLevelMonthlyCents) {
  g_env["NUAGE_DATABASE_URL"] = "db";
  g_env["NUAGE_TEST_LEVEL_MONTHLY_CENTS"] = "120000";
  ASSERT_EQ(Parse({}), 0) << err_;
  EXPECT_EQ(cfg_.test_level_monthly_cents, 120000);
  ASSERT_EQ(Parse({"--test-level-monthly-cents=0"}), 0) << err_;
  EXPECT_EQ(cfg_.test_level_monthly_cents, 0);
  ExpectRejected({"--test-level-monthly-cents=-1"}, "--test-level-monthly-cents");
}

TEST_F(ConfigTest, RateLimitsAndTrustedProxies) {
  g_env["NUAGE_DATABASE_URL"] = "db";
  ASSERT_EQ(Parse({}), 0) << err_;
  EXPECT_EQ(cfg_.rate_limit_per_address, 60);
  EXPECT_EQ(cfg_.rate_limit_window_s, 60);
  EXPECT_EQ(cfg_.failed_logins_per_hour, 100);
  EXPECT_EQ(cfg_.trusted.n, 0u) << "no proxy is trusted by default";
  ASSERT_EQ(Parse({"--rate-limit-per-address=0", "--rate-limit-window-s=3600",
                   "--failed-logins-per-hour=5", "--trusted-proxies=10.0.0.0/8, ::1"}),
            0)
      << err_;
  EXPECT_EQ(cfg_.rate_limit_per_address, 0);
  EXPECT_EQ(cfg_.rate_limit_window_s, 3600);
  EXPECT_EQ(cfg_.failed_logins_per_hour, 5);
  EXPECT_EQ(cfg_.trusted.n, 2u);
  ExpectRejected({"--trusted-proxies=10.0.0.0/33"}, "trusted proxies");
  ExpectRejected({"--trusted-proxies=proxy.example.org"}, "trusted proxies");
  ExpectRejected({"--rate-limit-window-s=0"}, "--rate-limit-window-s");
}

TEST_F(ConfigTest, NoGetenvFunctionMeansNoEnvironment) {
  args_ = {"nuage-server", "--database-url=x"};
  std::vector<char *> argv = {&args_[0][0], &args_[1][0], nullptr};
  char err[128];
  ASSERT_EQ(nu_config_parse(2, argv.data(), nullptr, stdout, &cfg_, err, sizeof(err)), 0) << err;
  EXPECT_STREQ(cfg_.database_url, "x");
}

TEST_F(ConfigTest, EnvironmentSetsEveryOption) {
  g_env = {
      {"NUAGE_LISTEN", "0.0.0.0:1"},          {"NUAGE_DATABASE_URL", "db"},
      {"NUAGE_PORT_FILE", "/tmp/port"},       {"NUAGE_CQ_THREADS", "3"},
      {"NUAGE_WORKERS", "5"},                 {"NUAGE_DB_POOL_SIZE", "7"},
      {"NUAGE_DEFAULT_DEADLINE_MS", "1500"},  {"NUAGE_SHUTDOWN_GRACE_MS", "0"},
      {"NUAGE_DB_WAIT_MS", "250"},            {"NUAGE_MAX_MESSAGE_BYTES", "1024"},
      {"NUAGE_LOG_LEVEL", "debug"},           {"NUAGE_ENABLE_DIAGNOSTICS", "1"},
  };
  ASSERT_EQ(Parse({}), 0) << err_;
  EXPECT_STREQ(cfg_.listen, "0.0.0.0:1");
  EXPECT_STREQ(cfg_.database_url, "db");
  EXPECT_STREQ(cfg_.port_file, "/tmp/port");
  EXPECT_EQ(cfg_.cq_threads, 3);
  EXPECT_EQ(cfg_.workers, 5);
  EXPECT_EQ(cfg_.db_pool_size, 7);
  EXPECT_EQ(cfg_.default_deadline_ms, 1500);
  EXPECT_EQ(cfg_.shutdown_grace_ms, 0);
  EXPECT_EQ(cfg_.db_wait_ms, 250);
  EXPECT_EQ(cfg_.max_message_bytes, 1024);
  EXPECT_EQ(cfg_.log_level, NU_LOG_DEBUG);
  EXPECT_TRUE(cfg_.diagnostics);
}

TEST_F(ConfigTest, FlagsSetEveryOptionInBothSpellings) {
  ASSERT_EQ(Parse({"--listen=[::1]:9", "--database-url", "db2", "--port-file=/p", "--cq-threads",
                   "2", "--workers=4", "--db-pool-size", "6", "--default-deadline-ms=86400000",
                   "--shutdown-grace-ms", "3600000", "--db-wait-ms=0",
                   "--max-message-bytes", "1073741824", "--log-level=error",
                   "--enable-diagnostics"}),
            0)
      << err_;
  EXPECT_STREQ(cfg_.listen, "[::1]:9");
  EXPECT_STREQ(cfg_.database_url, "db2");
  EXPECT_STREQ(cfg_.port_file, "/p");
  EXPECT_EQ(cfg_.cq_threads, 2);
  EXPECT_EQ(cfg_.workers, 4);
  EXPECT_EQ(cfg_.db_pool_size, 6);
  EXPECT_EQ(cfg_.default_deadline_ms, 86400000);
  EXPECT_EQ(cfg_.shutdown_grace_ms, 3600000);
  EXPECT_EQ(cfg_.db_wait_ms, 0);
  EXPECT_EQ(cfg_.max_message_bytes, INT64_C(1073741824));
  EXPECT_EQ(cfg_.log_level, NU_LOG_ERROR);
  EXPECT_TRUE(cfg_.diagnostics);
}

TEST_F(ConfigTest, FlagsWinOverTheEnvironment) {
  g_env = {{"NUAGE_DATABASE_URL", "from-env"}, {"NUAGE_WORKERS", "9"},
           {"NUAGE_LOG_LEVEL", "warn"},        {"NUAGE_ENABLE_DIAGNOSTICS", "true"},
           {"NUAGE_LISTEN", "env:1"}};
  ASSERT_EQ(Parse({"--database-url=from-flag", "--workers", "3", "--enable-diagnostics=false"}), 0)
      << err_;
  EXPECT_STREQ(cfg_.database_url, "from-flag");
  EXPECT_EQ(cfg_.workers, 3);
  EXPECT_FALSE(cfg_.diagnostics);
  // Options without a flag keep their environment value.
  EXPECT_EQ(cfg_.log_level, NU_LOG_WARN);
  EXPECT_STREQ(cfg_.listen, "env:1");
}

TEST_F(ConfigTest, LastFlagWins) {
  ASSERT_EQ(Parse({"--database-url=a", "--workers=2", "--workers", "3", "--database-url=b"}), 0);
  EXPECT_EQ(cfg_.workers, 3);
  EXPECT_STREQ(cfg_.database_url, "b");
}

TEST_F(ConfigTest, ValueMayContainEquals) {
  ASSERT_EQ(Parse({"--database-url=host=/tmp dbname=x"}), 0) << err_;
  EXPECT_STREQ(cfg_.database_url, "host=/tmp dbname=x");
}

TEST_F(ConfigTest, BoolFlags) {
  g_env["NUAGE_DATABASE_URL"] = "db";
  const struct {
    const char *arg;
    bool want;
  } cases[] = {
      {"--enable-diagnostics", true},        {"--enable-diagnostics=true", true},
      {"--enable-diagnostics=1", true},      {"--enable-diagnostics=yes", true},
      {"--enable-diagnostics=on", true},     {"--enable-diagnostics=false", false},
      {"--enable-diagnostics=0", false},     {"--enable-diagnostics=no", false},
      {"--enable-diagnostics=off", false},   {"--enable-diagnostics=", false},
  };
  for (const auto &c : cases) {
    ASSERT_EQ(Parse({c.arg}), 0) << c.arg << ": " << err_;
    EXPECT_EQ(cfg_.diagnostics, c.want) << c.arg;
  }
  // A bare bool flag does not swallow the next argument.
  ASSERT_EQ(Parse({"--enable-diagnostics", "--workers=2"}), 0) << err_;
  EXPECT_TRUE(cfg_.diagnostics);
  EXPECT_EQ(cfg_.workers, 2);
  ExpectRejected({"--enable-diagnostics", "false"}, "false");
  ExpectRejected({"--enable-diagnostics=maybe"}, "--enable-diagnostics");
  g_env["NUAGE_ENABLE_DIAGNOSTICS"] = "2";
  ExpectRejected({}, "NUAGE_ENABLE_DIAGNOSTICS");
}

TEST_F(ConfigTest, LogLevels) {
  g_env["NUAGE_DATABASE_URL"] = "db";
  ASSERT_EQ(Parse({"--log-level", "warn"}), 0);
  EXPECT_EQ(cfg_.log_level, NU_LOG_WARN);
  ExpectRejected({"--log-level=verbose"}, "--log-level");
  ExpectRejected({"--log-level=INFO"}, "--log-level");
  g_env["NUAGE_LOG_LEVEL"] = "trace";
  ExpectRejected({}, "NUAGE_LOG_LEVEL");
}

TEST_F(ConfigTest, OutOfRangeNamesTheOption) {
  g_env["NUAGE_DATABASE_URL"] = "db";
  ExpectRejected({"--workers=0"}, "--workers");
  ExpectRejected({"--workers=1025"}, "--workers");
  ExpectRejected({"--cq-threads", "0"}, "--cq-threads");
  ExpectRejected({"--cq-threads=257"}, "--cq-threads");
  ExpectRejected({"--db-pool-size=0"}, "--db-pool-size");
  ExpectRejected({"--db-pool-size=1001"}, "--db-pool-size");
  ExpectRejected({"--default-deadline-ms=0"}, "--default-deadline-ms");
  ExpectRejected({"--default-deadline-ms=86400001"}, "--default-deadline-ms");
  ExpectRejected({"--shutdown-grace-ms=-1"}, "--shutdown-grace-ms");
  ExpectRejected({"--db-wait-ms=3600001"}, "--db-wait-ms");
  ExpectRejected({"--max-message-bytes=1023"}, "--max-message-bytes");
  ExpectRejected({"--max-message-bytes=1073741825"}, "--max-message-bytes");
  // The message says what is allowed.
  ExpectRejected({"--workers=0"}, "1 to 1024");
  // Bounds themselves are accepted.
  ASSERT_EQ(Parse({"--workers=1", "--cq-threads=256", "--db-pool-size=1000"}), 0) << err_;
}

TEST_F(ConfigTest, OutOfRangeInTheEnvironmentNamesTheVariable) {
  g_env = {{"NUAGE_DATABASE_URL", "db"}, {"NUAGE_DB_POOL_SIZE", "0"}};
  ExpectRejected({}, "NUAGE_DB_POOL_SIZE");
  g_env = {{"NUAGE_DATABASE_URL", "db"}, {"NUAGE_WORKERS", "many"}};
  ExpectRejected({}, "NUAGE_WORKERS");
}

TEST_F(ConfigTest, NonNumericValues) {
  g_env["NUAGE_DATABASE_URL"] = "db";
  for (const char *v : {"abc", "12abc", "", "1.5", "0x10", "1e3", "99999999999999999999",
                        "-99999999999999999999", "5 "}) {
    ExpectRejected({std::string("--workers=") + v}, "--workers");
    ExpectRejected({"--default-deadline-ms", v}, "--default-deadline-ms");
  }
}

TEST_F(ConfigTest, UnknownOptions) {
  g_env["NUAGE_DATABASE_URL"] = "db";
  ExpectRejected({"--nope"}, "--nope");
  ExpectRejected({"--nope=1"}, "--nope");
  ExpectRejected({"--work=3"}, "--work");         // no prefix matching
  ExpectRejected({"--workers-extra=3"}, "--workers-extra");
  ExpectRejected({"--Workers=3"}, "--Workers");   // names are exact
  ExpectRejected({"-w", "3"}, "-w");
  ExpectRejected({"positional"}, "positional");
  ExpectRejected({"--"}, "--");
}

TEST_F(ConfigTest, MissingValueNamesTheOption) {
  g_env["NUAGE_DATABASE_URL"] = "db";
  for (const char *flag : {"--workers", "--listen", "--database-url", "--log-level",
                           "--max-message-bytes", "--port-file"}) {
    ExpectRejected({flag}, flag);
  }
}

TEST_F(ConfigTest, MissingDatabaseUrl) {
  ExpectRejected({}, "database");
  ExpectRejected({"--workers=2"}, "--database-url");
  g_env["NUAGE_DATABASE_URL"] = "";
  ExpectRejected({}, "NUAGE_DATABASE_URL");
  g_env["NUAGE_DATABASE_URL"] = "db";
  ExpectRejected({"--database-url="}, "database");
}

TEST_F(ConfigTest, HelpListsEveryOptionAndItsVariable) {
  ASSERT_EQ(Parse({"--help"}), 1);
  std::string help = Out();
  EXPECT_NE(help.find("usage: nuage-server"), std::string::npos) << help;
  for (const auto &o : kOptions) {
    EXPECT_NE(help.find(std::string("--") + o.flag), std::string::npos) << o.flag;
    EXPECT_NE(help.find(o.env), std::string::npos) << o.env;
  }
  EXPECT_NE(help.find("--version"), std::string::npos);
  // Every --flag in the help is a real option (or --help/--version).
  size_t pos = 0;
  while ((pos = help.find("  --", pos)) != std::string::npos) {
    size_t start = pos + 4;
    size_t end = help.find_first_of("= \n", start);
    std::string flag = help.substr(start, end - start);
    bool known = flag == "help" || flag == "version";
    for (const auto &o : kOptions) known = known || flag == o.flag;
    EXPECT_TRUE(known) << "--help lists an unknown option --" << flag;
    pos = end;
  }
}

TEST_F(ConfigTest, HelpNeedsNoDatabaseAndStopsParsing) {
  EXPECT_EQ(Parse({"-h"}), 1);
  EXPECT_NE(Out().find("--database-url"), std::string::npos);
  EXPECT_EQ(Parse({"--workers=2", "--help", "--nope"}), 1);
}

TEST_F(ConfigTest, Version) {
  ASSERT_EQ(Parse({"--version"}), 1);
  EXPECT_EQ(Out(), std::string("nuage-server ") + NU_SERVER_VERSION + "\n");
}

TEST_F(ConfigTest, UsageAlone) {
  char *buf = nullptr;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  nu_config_usage(f);
  fclose(f);
  std::string help(buf, len);
  free(buf);
  for (const auto &o : kOptions) EXPECT_NE(help.find(o.env), std::string::npos) << o.env;
}

}  // namespace
