// limits_test.cc — message-size limits and deadlines over a real port.
//
// A request over --max-message-bytes gets RESOURCE_EXHAUSTED and the server
// goes on serving. A handler that outlives its deadline gets
// DEADLINE_EXCEEDED, and its SQL is cancelled in PostgreSQL (seen in
// pg_stat_activity), whether the deadline came from the client or from
// --default-deadline-ms.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "nuage/v1/diagnostics.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;
using grpc::health::v1::HealthCheckResponse;

constexpr size_t kMiB = 1024 * 1024;

// Statements of our servers' pools running pg_sleep right now (the pool
// names its sessions "nuage-server"; this query's own session is excluded).
int ActiveSleeps() {
  auto rows = PgQuery(SharedCluster().conninfo(),
                      "SELECT count(*) FROM pg_stat_activity"
                      " WHERE application_name = 'nuage-server' AND state = 'active'"
                      " AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()");
  return rows.empty() ? -1 : std::stoi(rows[0][0]);
}

class LimitsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The defaults: 4 MiB messages, 10 s default deadline.
    server_ = ServerProcess::Start(SharedCluster().conninfo(), {"--enable-diagnostics"}).release();
    // A short default deadline and a small message limit.
    short_ = ServerProcess::Start(SharedCluster().conninfo(),
                                  {"--enable-diagnostics", "--default-deadline-ms", "500",
                                   "--max-message-bytes", "65536"})
                 .release();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete short_;
    server_ = short_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(short_, nullptr);
    ASSERT_EQ(ActiveSleeps(), 0) << "a sleep of an earlier test is still running";
  }

  static grpc::Status Sleep(const std::shared_ptr<grpc::Channel>& channel, int duration_ms, const std::string& payload,
                            std::optional<milliseconds> deadline,
                            nuage::v1::SleepResponse* resp = nullptr,
                            const std::string& request_id = "") {
    auto stub = nuage::v1::DiagnosticsService::NewStub(channel);
    grpc::ClientContext ctx;
    if (deadline) SetDeadline(&ctx, *deadline);
    if (!request_id.empty()) ctx.AddMetadata("x-request-id", request_id);
    nuage::v1::SleepRequest req;
    req.set_duration_ms(duration_ms);
    req.set_payload(payload);
    nuage::v1::SleepResponse ignored;
    return stub->Sleep(&ctx, req, resp != nullptr ? resp : &ignored);
  }

  static void ExpectServing(const std::shared_ptr<grpc::Channel>& channel) {
    HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
    grpc::Status st = HealthCheck(channel, "", &serving);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(serving, HealthCheckResponse::SERVING);
  }

  static ServerProcess* server_;
  static ServerProcess* short_;
};

ServerProcess* LimitsTest::server_ = nullptr;
ServerProcess* LimitsTest::short_ = nullptr;

// ---- message size -----------------------------------------------------------

TEST_F(LimitsTest, FiveMebibyteRequestIsResourceExhaustedAndTheServerKeepsServing) {
  auto channel = Connect(server_->address());
  std::string big(5 * kMiB, 'x');
  auto start = Clock::now();
  grpc::Status st = Sleep(channel, 0, big, milliseconds(10000));
  EXPECT_EQ(st.error_code(), StatusCode::RESOURCE_EXHAUSTED) << Describe(st);
  EXPECT_LT(MsSince(start), 5000);

  // Same channel, and a new one: Health says SERVING, and real work runs.
  ExpectServing(channel);
  auto fresh = Connect(server_->address());
  ExpectServing(fresh);
  nuage::v1::SleepResponse resp;
  st = Sleep(channel, 1, "small", milliseconds(10000), &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(resp.payload(), "small");
}

TEST_F(LimitsTest, RequestUnderTheLimitIsServedWhole) {
  auto channel = Connect(server_->address());
  std::string payload(3 * kMiB, '\0');
  for (size_t i = 0; i < payload.size(); i++) payload[i] = static_cast<char>(i * 7);
  nuage::v1::SleepResponse resp;
  grpc::Status st = Sleep(channel, 0, payload, milliseconds(10000), &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_TRUE(resp.payload() == payload) << "the echoed payload differs";
}

TEST_F(LimitsTest, MaxMessageBytesFlagSetsTheLimit) {
  auto channel = Connect(short_->address());
  grpc::Status st = Sleep(channel, 0, std::string(100 * 1024, 'y'), milliseconds(10000));
  EXPECT_EQ(st.error_code(), StatusCode::RESOURCE_EXHAUSTED) << Describe(st);
  st = Sleep(channel, 0, std::string(32 * 1024, 'y'), milliseconds(10000));
  EXPECT_TRUE(st.ok()) << Describe(st);
  ExpectServing(channel);
}

// ---- deadlines --------------------------------------------------------------

TEST_F(LimitsTest, ClientDeadlineEndsTheCallAndCancelsItsSql) {
  auto channel = Connect(server_->address());
  ExpectServing(channel);  // connected before the clock starts
  auto start = Clock::now();
  auto call = std::async(std::launch::async, [&] {
    grpc::Status st = Sleep(channel, 5000, "", milliseconds(500), nullptr, "e2e-deadline");
    return std::make_pair(st, MsSince(start));
  });
  // The statement really runs in PostgreSQL while the call is in flight.
  bool seen = Eventually([] { return ActiveSleeps() == 1; }, milliseconds(2000));
  auto [st, ms] = call.get();
  EXPECT_TRUE(seen) << "pg_sleep never showed up in pg_stat_activity";
  EXPECT_EQ(st.error_code(), StatusCode::DEADLINE_EXCEEDED) << Describe(st);
  EXPECT_GE(ms, 400);
  EXPECT_LT(ms, 2000) << "DEADLINE_EXCEEDED should come at the 500 ms deadline";

  // Within about a second, no backend is still sleeping for the dead call.
  auto after = Clock::now();
  EXPECT_TRUE(Eventually([] { return ActiveSleeps() == 0; }, milliseconds(1000)))
      << "pg_sleep still active " << MsSince(after) << " ms after DEADLINE_EXCEEDED";

  // The server saw the deadline too, and logged it.
  auto line = AwaitLogLine([] { return server_->Log(); },
                           [](const LogLine& l) {
                             return l.count("request_id") && l.at("request_id") == "e2e-deadline";
                           });
  ASSERT_TRUE(line.has_value()) << server_->Log();
  EXPECT_EQ(line->at("status"), "DEADLINE_EXCEEDED");
  EXPECT_LT(std::stod(line->at("duration_ms")), 2000.0);

  // The connection went back to the pool in a usable state.
  nuage::v1::SleepResponse resp;
  st = Sleep(channel, 1, "", milliseconds(10000), &resp);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

TEST_F(LimitsTest, DefaultDeadlineAppliesWhenTheClientSendsNone) {
  auto channel = Connect(short_->address());
  ExpectServing(channel);
  auto start = Clock::now();
  grpc::Status st = Sleep(channel, 3000, "", std::nullopt, nullptr, "e2e-default-deadline");
  int64_t ms = MsSince(start);
  EXPECT_EQ(st.error_code(), StatusCode::DEADLINE_EXCEEDED) << Describe(st);
  EXPECT_GE(ms, 400);
  EXPECT_LT(ms, 2000) << "--default-deadline-ms 500 should end the call well before 3 s";
  auto details = StatusDetails(st);
  ASSERT_TRUE(details.has_value());
  auto info = FindErrorInfo(*details);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "DEADLINE_EXCEEDED");
  EXPECT_TRUE(Eventually([] { return ActiveSleeps() == 0; }, milliseconds(1000)));
}

TEST_F(LimitsTest, ClientDeadlineLongerThanTheDefaultWins) {
  // The default is only for calls without a deadline: 500 ms must not cut
  // a call whose client allows 10 s.
  auto channel = Connect(short_->address());
  nuage::v1::SleepResponse resp;
  grpc::Status st = Sleep(channel, 800, "", milliseconds(10000), &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_GE(resp.slept_ms(), 790);
}

TEST_F(LimitsTest, CallWithinItsDeadlineSucceeds) {
  auto channel = Connect(server_->address());
  nuage::v1::SleepResponse resp;
  grpc::Status st = Sleep(channel, 200, "", milliseconds(10000), &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_GE(resp.slept_ms(), 190);
  EXPECT_LT(resp.slept_ms(), 5000);
}

}  // namespace
}  // namespace nuage::testing
