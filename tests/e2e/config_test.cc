// config_test.cc — what the server refuses at start, and --help.
//
// Refusals exit 2 with a message on stderr before touching the database;
// a port already taken (SO_REUSEPORT is off) fails the second server and
// leaves the first serving.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"
#include "nuage/v1/system.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

using grpc::health::v1::HealthCheckResponse;

// A database nobody listens at, and no waiting for it: a test that gets
// past configuration by mistake fails in a second instead of hanging.
const std::vector<std::string> kNoDatabase = {"--database-url", "host=/nonexistent dbname=none",
                                              "--db-wait-ms", "0"};

std::vector<std::string> With(std::vector<std::string> args) {
  args.insert(args.end(), kNoDatabase.begin(), kNoDatabase.end());
  return args;
}

// Every option of server/config.c's table, with its environment variable.
struct Option {
  const char* flag;
  const char* env;
};
const Option kOptions[] = {
    {"--listen", "NUAGE_LISTEN"},
    {"--database-url", "NUAGE_DATABASE_URL"},
    {"--port-file", "NUAGE_PORT_FILE"},
    {"--cq-threads", "NUAGE_CQ_THREADS"},
    {"--workers", "NUAGE_WORKERS"},
    {"--db-pool-size", "NUAGE_DB_POOL_SIZE"},
    {"--default-deadline-ms", "NUAGE_DEFAULT_DEADLINE_MS"},
    {"--shutdown-grace-ms", "NUAGE_SHUTDOWN_GRACE_MS"},
    {"--db-wait-ms", "NUAGE_DB_WAIT_MS"},
    {"--max-message-bytes", "NUAGE_MAX_MESSAGE_BYTES"},
    {"--log-level", "NUAGE_LOG_LEVEL"},
    {"--enable-diagnostics", "NUAGE_ENABLE_DIAGNOSTICS"},
};

TEST(ConfigTest, HelpExitsZeroAndNamesEveryOptionAndItsVariable) {
  ServerExit r = ServerProcess::Run({"--help"}, milliseconds(10000));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("usage: nuage-server"), std::string::npos) << r.out;
  for (const Option& o : kOptions) {
    EXPECT_NE(r.out.find(o.flag), std::string::npos) << o.flag << " missing from --help:\n"
                                                     << r.out;
    EXPECT_NE(r.out.find(o.env), std::string::npos) << o.env << " missing from --help:\n" << r.out;
  }
  EXPECT_EQ(r.err, "");
}

TEST(ConfigTest, VersionExitsZero) {
  ServerExit r = ServerProcess::Run({"--version"}, milliseconds(10000));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "nuage-server 0.1.0\n");
}

TEST(ConfigTest, PortAbove65535IsRefusedAtStart) {
  ServerExit r = ServerProcess::Run(With({"--listen", "127.0.0.1:99999"}), milliseconds(10000));
  ASSERT_FALSE(r.timed_out) << "the server accepted port 99999";
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("invalid listen address \"127.0.0.1:99999\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0 to 65535"), std::string::npos) << r.err;
}

class BadListenTest : public ::testing::TestWithParam<const char*> {};

TEST_P(BadListenTest, IsRefusedAtStartWithExitCode2) {
  ServerExit r = ServerProcess::Run(With({"--listen", GetParam()}), milliseconds(10000));
  ASSERT_FALSE(r.timed_out) << "the server accepted \"" << GetParam() << "\"";
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("nuage-server: invalid listen address"), std::string::npos) << r.err;
  // One clear line, not a log dump.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Addresses, BadListenTest,
                         ::testing::Values("nonsense", "", "127.0.0.1", "127.0.0.1:",
                                           ":50051", "127.0.0.1:-1", "127.0.0.1:5x",
                                           "127.0.0.1:000065536", "[::1:50051", "[]:50051",
                                           "bad host:50051", "[zz::1]:50051"));

TEST(ConfigTest, UnknownOptionIsRefused) {
  ServerExit r = ServerProcess::Run(With({"--no-such-option", "1"}), milliseconds(10000));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown option \"--no-such-option\""), std::string::npos) << r.err;
}

TEST(ConfigTest, OutOfRangeNumberIsRefused) {
  ServerExit r = ServerProcess::Run(With({"--workers", "0"}), milliseconds(10000));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("invalid value for --workers"), std::string::npos) << r.err;
}

TEST(ConfigTest, AnImportDirThatIsNoDirectoryIsRefusedAtStart) {
  for (const char* dir : {"/nonexistent/nuage-import", "/dev/null"}) {
    ServerExit r = ServerProcess::Run(With({"--import-dir", dir}), milliseconds(10000));
    ASSERT_FALSE(r.timed_out);
    EXPECT_EQ(r.status, 1) << dir;
    EXPECT_NE(r.err.find("--import-dir"), std::string::npos) << r.err;
  }
}

TEST(ConfigTest, MissingDatabaseUrlIsRefused) {
  ServerExit r = ServerProcess::Run({"--listen", "127.0.0.1:0"}, milliseconds(10000));
  ASSERT_FALSE(r.timed_out);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("no database"), std::string::npos) << r.err;
}

TEST(ConfigTest, SecondServerOnTheSamePortFailsAndTheFirstKeepsServing) {
  auto first = ServerProcess::Start(SharedCluster().conninfo());
  ASSERT_NE(first, nullptr);
  ServerExit second = ServerProcess::Run(
      {"--listen", first->address(), "--database-url", SharedCluster().conninfo()},
      std::chrono::seconds(30));
  ASSERT_FALSE(second.timed_out) << "the second server started on the taken port "
                                 << first->address() << " (SO_REUSEPORT on?)";
  EXPECT_EQ(second.status, 1) << second.err;
  EXPECT_NE(second.err.find("cannot listen on " + first->address()), std::string::npos)
      << second.err;

  // The first one is unharmed and still the one answering on that port.
  auto channel = Connect(first->address());
  HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
  grpc::Status st = HealthCheck(channel, "", &serving);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(serving, HealthCheckResponse::SERVING);
  auto stub = nuage::v1::SystemService::NewStub(channel);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  ctx.AddMetadata("x-request-id", "e2e-first-server");
  nuage::v1::ServerInfo info;
  st = stub->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info);
  EXPECT_TRUE(st.ok()) << Describe(st);
  EXPECT_TRUE(AwaitLogLine([&] { return first->Log(); },
                           [](const LogLine& l) {
                             return l.count("request_id") &&
                                    l.at("request_id") == "e2e-first-server";
                           })
                  .has_value());
  EXPECT_EQ(first->Wait(milliseconds(0)), -1);
}

TEST(ConfigTest, FixedPortIsServed) {
  // A fixed port works too (not only 0): reuse a port the kernel just gave.
  int port = 0;
  {
    auto probe = ServerProcess::Start(SharedCluster().conninfo());
    ASSERT_NE(probe, nullptr);
    port = probe->port();
    probe->Signal(SIGTERM);
    ASSERT_EQ(probe->Wait(milliseconds(20000)), 0);
  }
  auto server = ServerProcess::Start(SharedCluster().conninfo(),
                                     {"--listen", "127.0.0.1:" + std::to_string(port)});
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->port(), port);
  HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
  ASSERT_TRUE(HealthCheck(Connect(server->address()), "", &serving).ok());
  EXPECT_EQ(serving, HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace nuage::testing
