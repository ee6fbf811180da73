// rate_limit_test.cc — rate limits kept in PostgreSQL: a per-address limit
// holds across two servers of one database and answers RESOURCE_EXHAUSTED
// with a RetryInfo until the window ends; x-forwarded-for counts only from
// a trusted proxy; failed logins are limited per account whatever the
// address.
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "google/rpc/error_details.pb.h"
#include "nuage/v1/eligibility.grpc.pb.h"
#include "tests/identity/auth/auth_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

constexpr int kWindowS = 3600;

// Windows are aligned on their length: a test that must stay in one window
// waits out the last minute of one.
void AvoidWindowEnd() {
  for (;;) {
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    if (now % kWindowS < kWindowS - 60) return;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

// Each test starts from no counts (the tests share one database).
void ForgetCounts() { PgQuery(SharedCluster().conninfo(), "DELETE FROM rate_limit_hits"); }

// Servers of one deployment share their secret key (buckets are keyed
// digests under it, as TOTP secrets are sealed with it).
std::string SharedKeyFile() {
  static std::string path = [] {
    const char* dir = std::getenv("TEST_TMPDIR");
    std::string p = std::string(dir != nullptr ? dir : "/tmp") + "/rate_limit_test.key";
    FILE* f = std::fopen(p.c_str(), "w");
    std::fputs("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", f);
    std::fclose(f);
    return p;
  }();
  return path;
}

std::unique_ptr<ServerProcess> StartServer(const std::vector<std::string>& flags) {
  std::vector<std::string> all = {"--enable-diagnostics", "--secret-key-file=" + SharedKeyFile(),
                                  "--rate-limit-window-s=" + std::to_string(kWindowS)};
  all.insert(all.end(), flags.begin(), flags.end());
  return ServerProcess::Start(SharedCluster().conninfo(), all);
}

grpc::Status Remind(const std::shared_ptr<grpc::Channel>& ch, const std::string& xff = "") {
  auto stub = nuage::v1::AuthService::NewStub(ch);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  if (!xff.empty()) ctx.AddMetadata("x-forwarded-for", xff);
  nuage::v1::RequestLoginReminderRequest req;
  req.set_email("nobody@example.gouv.fr");
  nuage::v1::RequestLoginReminderResponse resp;
  return stub->RequestLoginReminder(&ctx, req, &resp);
}

grpc::Status Check(const std::shared_ptr<grpc::Channel>& ch) {
  auto stub = nuage::v1::EligibilityService::NewStub(ch);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  nuage::v1::CheckEligibilityRequest req;
  req.set_email("someone@example.gouv.fr");
  nuage::v1::CheckEligibilityResponse resp;
  return stub->CheckEligibility(&ctx, req, &resp);
}

grpc::Status LoginFrom(const std::shared_ptr<grpc::Channel>& ch, const std::string& xff,
                       const std::string& login, const std::string& password) {
  auto stub = nuage::v1::AuthService::NewStub(ch);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(20000));
  ctx.AddMetadata("x-forwarded-for", xff);
  nuage::v1::LoginRequest req;
  req.set_login(login);
  req.set_password(password);
  nuage::v1::LoginResponse resp;
  return stub->Login(&ctx, req, &resp);
}

// The RetryInfo delay of a RATE_LIMITED status, in seconds (-1 without).
int64_t RetryDelay(const grpc::Status& st) {
  auto details = StatusDetails(st);
  if (!details) return -1;
  auto info = FindErrorInfo(*details);
  EXPECT_TRUE(info && info->reason() == "RATE_LIMITED") << Describe(st);
  for (const auto& any : details->details()) {
    google::rpc::RetryInfo retry;
    if (any.UnpackTo(&retry)) return retry.retry_delay().seconds();
  }
  return -1;
}

void ExpectLimited(const grpc::Status& st, const char* what) {
  ASSERT_EQ(st.error_code(), StatusCode::RESOURCE_EXHAUSTED) << what << ": " << Describe(st);
  int64_t delay = RetryDelay(st);
  EXPECT_GT(delay, 0) << what;
  EXPECT_LE(delay, kWindowS) << what;
}

TEST(RateLimitTest, APerAddressLimitHoldsAcrossTwoServersOfOneDatabase) {
  AvoidWindowEnd();
  auto a = StartServer({"--rate-limit-per-address=4"});
  auto b = StartServer({"--rate-limit-per-address=4"});
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ForgetCounts();
  auto ca = Connect(a->address()), cb = Connect(b->address());
  for (int i = 0; i < 4; i++) {
    grpc::Status st = Remind(i % 2 == 0 ? ca : cb);
    ASSERT_TRUE(st.ok()) << "call " << i << ": " << Describe(st);
  }
  ExpectLimited(Remind(ca), "fifth call, server A");
  ExpectLimited(Remind(cb), "sixth call, server B");
  // Counted per method: another public method is not affected.
  EXPECT_TRUE(Check(ca).ok());
  // Nothing of the address is stored in clear.
  auto rows = PgQuery(SharedCluster().conninfo(),
                      "SELECT count(*) FROM rate_limit_hits"
                      " WHERE position('127.0.0.1'::bytea IN bucket) > 0");
  EXPECT_EQ(rows[0][0], "0");
  // Past the window, calls are served again on both servers.
  AdvanceClock(ca, kWindowS);
  AdvanceClock(cb, kWindowS);
  EXPECT_TRUE(Remind(ca).ok());
  EXPECT_TRUE(Remind(cb).ok());
}

TEST(RateLimitTest, ForwardedForCountsOnlyFromATrustedProxy) {
  AvoidWindowEnd();
  auto proxied = StartServer({"--rate-limit-per-address=2", "--trusted-proxies=127.0.0.1"});
  auto direct = StartServer({"--rate-limit-per-address=2"});
  ASSERT_NE(proxied, nullptr);
  ASSERT_NE(direct, nullptr);
  ForgetCounts();
  auto cp = Connect(proxied->address()), cd = Connect(direct->address());
  // Behind the trusted proxy, each client has its own count (the two
  // servers share the database: distinct addresses keep them apart).
  EXPECT_TRUE(Remind(cp, "203.0.113.1").ok());
  EXPECT_TRUE(Remind(cp, "198.51.100.9, 203.0.113.1").ok());
  ExpectLimited(Remind(cp, "203.0.113.1"), "third call of 203.0.113.1");
  EXPECT_TRUE(Remind(cp, "203.0.113.2").ok()) << "another client behind the proxy";
  // A peer that is not trusted cannot dodge the limit with its own header.
  EXPECT_TRUE(Remind(cd, "192.0.2.1").ok());
  EXPECT_TRUE(Remind(cd, "192.0.2.2").ok());
  ExpectLimited(Remind(cd, "192.0.2.3"), "third call from 127.0.0.1, header ignored");
  // The proxied server logged the effective client.
  auto line = AwaitLogLine([&] { return proxied->Log(); }, [](const LogLine& l) {
    return l.count("peer") && l.at("peer") == "ipv4:203.0.113.2";
  });
  EXPECT_TRUE(line.has_value()) << "no log line with the forwarded client";
}

TEST(RateLimitTest, FailedLoginsAreLimitedPerAccountWhateverTheAddress) {
  AvoidWindowEnd();
  auto server = StartServer({"--failed-logins-per-hour=3", "--trusted-proxies=127.0.0.1"});
  ASSERT_NE(server, nullptr);
  ForgetCounts();
  auto ch = Connect(server->address());
  std::string id = SeedUser(SharedCluster().conninfo(), "rl.victim", "rl.victim@example.gouv.fr",
                            kPassword);
  for (int i = 0; i < 3; i++) {
    grpc::Status st = LoginFrom(ch, "203.0.113." + std::to_string(10 + i), "rl.victim",
                                "Wrong-Password-99!");
    EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED) << Describe(st);
  }
  // The e-mail is the same account; the right password is refused too, with
  // the answer of any failed login, though the 5-failure lockout is not on.
  grpc::Status st = LoginFrom(ch, "203.0.113.50", "RL.Victim@example.gouv.fr", kPassword);
  EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED) << Describe(st);
  EXPECT_EQ(Reason(st), "LOGIN_FAILED");
  auto lock = PgQuery(SharedCluster().conninfo(),
                      "SELECT failed_attempts, locked_until IS NULL FROM users WHERE id = '" + id + "'");
  EXPECT_EQ(lock[0][0], "3");
  EXPECT_EQ(lock[0][1], "t");
  // Unknown logins are counted too.
  for (int i = 0; i < 3; i++) {
    LoginFrom(ch, "198.51.100." + std::to_string(i + 1), "rl.nobody", "Wrong-Password-99!");
  }
  // An hour later the account signs in again.
  AdvanceClock(ch, kWindowS);
  st = LoginFrom(ch, "203.0.113.60", "rl.victim", kPassword);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

}  // namespace
}  // namespace nuage::testing
