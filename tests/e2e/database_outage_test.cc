// database_outage_test.cc — PostgreSQL stops under a running server, then
// comes back: calls that need the database fail fast with UNAVAILABLE while
// it is down and succeed again soon after it is back, without restarting
// the server.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "nuage/v1/system.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;
using grpc::health::v1::HealthCheckResponse;

grpc::Status GetServerInfo(nuage::v1::SystemService::Stub* stub, nuage::v1::ServerInfo* info) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  return stub->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), info);
}

TEST(DatabaseOutageTest, UnavailableWhileDownThenServedAgainWithoutRestart) {
  // A cluster of our own: this test stops it.
  std::unique_ptr<PgCluster> cluster = PgCluster::Start();
  auto server = ServerProcess::Start(cluster->conninfo(), {"--db-pool-size", "4"});
  ASSERT_NE(server, nullptr);
  auto channel = Connect(server->address());
  auto stub = nuage::v1::SystemService::NewStub(channel);

  nuage::v1::ServerInfo before;
  grpc::Status st = GetServerInfo(stub.get(), &before);
  ASSERT_TRUE(st.ok()) << Describe(st);
  // Warm more than one pooled connection, so that several go stale below.
  for (int i = 0; i < 4; i++) ASSERT_TRUE(GetServerInfo(stub.get(), &before).ok());

  cluster->Stop();
  for (int i = 0; i < 5; i++) {
    auto start = Clock::now();
    nuage::v1::ServerInfo info;
    st = GetServerInfo(stub.get(), &info);
    int64_t ms = MsSince(start);
    EXPECT_EQ(st.error_code(), StatusCode::UNAVAILABLE) << "call " << i << ": " << Describe(st);
    EXPECT_LT(ms, 2000) << "call " << i << " took " << ms << " ms: UNAVAILABLE must come fast";
    if (st.error_code() == StatusCode::UNAVAILABLE) {
      auto details = StatusDetails(st);
      ASSERT_TRUE(details.has_value());
      auto reason = FindErrorInfo(*details);
      ASSERT_TRUE(reason.has_value());
      EXPECT_EQ(reason->reason(), "DATABASE_UNAVAILABLE");
    }
  }
  // The process itself is fine: it answers what needs no database.
  HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
  EXPECT_TRUE(HealthCheck(channel, "", &serving).ok());
  EXPECT_EQ(server->Wait(milliseconds(0)), -1) << "the server exited while the database was down";

  cluster->Restart();
  auto back = Clock::now();
  nuage::v1::ServerInfo after;
  bool served = Eventually(
      [&] {
        grpc::Status s = GetServerInfo(stub.get(), &after);
        return s.ok();
      },
      milliseconds(5000));
  ASSERT_TRUE(served) << "GetServerInfo still fails " << MsSince(back)
                      << " ms after the database came back";
  EXPECT_LT(MsSince(back), 5000);

  // The same process all along: same pid, same start time.
  EXPECT_EQ(server->Wait(milliseconds(0)), -1);
  EXPECT_EQ(after.start_time().seconds(), before.start_time().seconds());
  EXPECT_EQ(after.start_time().nanos(), before.start_time().nanos());
  EXPECT_EQ(after.schema_version(), before.schema_version());
  // And every pooled connection recovered, not just one.
  for (int i = 0; i < 8; i++) {
    st = GetServerInfo(stub.get(), &after);
    EXPECT_TRUE(st.ok()) << "call " << i << " after recovery: " << Describe(st);
  }
}

TEST(DatabaseOutageTest, ServerStartedBeforeTheDatabaseWaitsForIt) {
  // The server waits up to --db-wait-ms for the database at start.
  std::unique_ptr<PgCluster> cluster = PgCluster::Start();
  cluster->Stop();
  auto server = ServerProcess::Spawn(cluster->conninfo(), {"--db-wait-ms", "20000"});
  // It says it waits, and keeps running.
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (server->Log().find("waiting for the database") == std::string::npos &&
         server->Wait(milliseconds(0)) == -1 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_EQ(server->Wait(milliseconds(0)), -1) << "the server gave up at once:\n"
                                               << server->Log();
  cluster->Restart();
  ASSERT_TRUE(server->WaitUntilServing(std::chrono::seconds(20)));
  EXPECT_NE(server->Log().find("waiting for the database"), std::string::npos) << server->Log();
  auto stub = nuage::v1::SystemService::NewStub(Connect(server->address()));
  nuage::v1::ServerInfo info;
  grpc::Status st = GetServerInfo(stub.get(), &info);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

TEST(DatabaseOutageTest, ServerGivesUpWhenTheDatabaseNeverComes) {
  std::unique_ptr<PgCluster> cluster = PgCluster::Start();
  cluster->Stop();
  ServerExit r = ServerProcess::Run({"--listen", "127.0.0.1:0", "--database-url",
                                     cluster->conninfo(), "--db-wait-ms", "500"},
                                    std::chrono::seconds(20));
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("cannot apply migrations"), std::string::npos) << r.err;
  cluster->Restart();  // so that the destructor can tidy up as usual
}

}  // namespace
}  // namespace nuage::testing
