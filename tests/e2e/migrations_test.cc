// migrations_test.cc — two servers started at the same moment on one fresh
// database: both serve, and every migration is applied exactly once.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "nuage/v1/system.grpc.pb.h"
#include "server/store/core/migrate.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

using grpc::health::v1::HealthCheckResponse;

// How many migrations each server applied, from its "migrations done" line.
int Applied(const ServerProcess& server) {
  for (const LogLine& l : ParseLog(server.Log())) {
    if (l.count("msg") && l.at("msg") == "migrations done") return std::stoi(l.at("applied"));
  }
  ADD_FAILURE() << "no \"migrations done\" line in the log:\n" << server.Log();
  return -1;
}

TEST(MigrationsTest, TwoServersStartedAtOnceApplyEachMigrationOnce) {
  // nu_migrations is generated from server/store/core/migrations/*.sql.
  const int kMigrationFiles = static_cast<int>(nu_migrations_count);
  ASSERT_GE(kMigrationFiles, 1);

  std::unique_ptr<PgCluster> cluster = PgCluster::Start();  // a fresh database
  auto a = ServerProcess::Spawn(cluster->conninfo());
  auto b = ServerProcess::Spawn(cluster->conninfo());
  ASSERT_TRUE(a->WaitUntilServing());
  ASSERT_TRUE(b->WaitUntilServing());

  int32_t schema_versions[2];
  int i = 0;
  for (ServerProcess* s : {a.get(), b.get()}) {
    auto channel = Connect(s->address());
    HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
    grpc::Status st = HealthCheck(channel, "", &serving);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(serving, HealthCheckResponse::SERVING);

    auto stub = nuage::v1::SystemService::NewStub(channel);
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    nuage::v1::ServerInfo info;
    st = stub->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(info.known_migrations(), kMigrationFiles);
    schema_versions[i++] = info.schema_version();
  }
  EXPECT_EQ(schema_versions[0], schema_versions[1]);
  EXPECT_EQ(schema_versions[0], nu_migrations[kMigrationFiles - 1].version);

  auto rows = PgQuery(cluster->conninfo(),
                      "SELECT count(*), count(DISTINCT version) FROM schema_migrations");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], std::to_string(kMigrationFiles));
  EXPECT_EQ(rows[0][1], std::to_string(kMigrationFiles));

  // Between them the two applied each migration once: one did the work, the
  // other (or both, in turns) found it done.
  EXPECT_EQ(Applied(*a) + Applied(*b), kMigrationFiles) << a->Log() << b->Log();

  // The migrated schema is real: its tables exist.
  rows = PgQuery(cluster->conninfo(), "SELECT to_regclass('idempotency_records') IS NOT NULL");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "t");
}

TEST(MigrationsTest, ARestartedServerAppliesNothing) {
  std::unique_ptr<PgCluster> cluster = PgCluster::Start();
  {
    auto first = ServerProcess::Start(cluster->conninfo());
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(Applied(*first), static_cast<int>(nu_migrations_count));
  }
  auto second = ServerProcess::Start(cluster->conninfo());
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(Applied(*second), 0);
  auto rows = PgQuery(cluster->conninfo(), "SELECT count(*) FROM schema_migrations");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], std::to_string(nu_migrations_count));
}

}  // namespace
}  // namespace nuage::testing
