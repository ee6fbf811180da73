// migrate_test.cc — numbered migrations against fresh databases.
#include "server/store/core/migrate.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "tests/store/store_testing.h"
#include "tests/support/pg_cluster.h"

namespace nuage::testing {
namespace {

nu_status Migrate(const std::string& conninfo, const nu_migration* migs, size_t n,
                  nu_migrate_result* out) {
  Arena a;
  nu_status st = nu_migrate(conninfo.c_str(), migs, n, a, out);
  if (!nu_status_is_ok(&st)) {
    // Keep the text past the arena for the assertions.
    static thread_local std::string message;
    message = st.message != nullptr ? st.message : "";
    st.message = message.c_str();
  }
  return st;
}

TEST(MigrateTest, CompiledMigrationsAreSortedAndNamed) {
  ASSERT_GE(nu_migrations_count, 1u);
  EXPECT_EQ(nu_migrations[0].version, 1);
  EXPECT_STREQ(nu_migrations[0].name, "0001_idempotency.sql");
  for (size_t i = 1; i < nu_migrations_count; i++) {
    EXPECT_GT(nu_migrations[i].version, nu_migrations[i - 1].version);
  }
  // The SQL came through the C string literal intact.
  std::string sql = nu_migrations[0].sql;
  EXPECT_NE(sql.find("CREATE TABLE idempotency_records ("), std::string::npos);
  EXPECT_NE(sql.find("\u2014"), std::string::npos);  // the em dash of its header
}

TEST(MigrateTest, FreshDatabaseIsMigratedOnceThenNothing) {
  std::string db = FreshDatabase();
  nu_migrate_result r = {};
  nu_status st = Migrate(db, nu_migrations, nu_migrations_count, &r);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(r.applied, static_cast<int>(nu_migrations_count));
  EXPECT_EQ(r.schema_version, nu_migrations[nu_migrations_count - 1].version);
  EXPECT_EQ(QueryValue(db, "SELECT count(*) FROM schema_migrations"),
            std::to_string(nu_migrations_count));
  EXPECT_EQ(QueryValue(db, "SELECT name FROM schema_migrations WHERE version = 1"),
            "0001_idempotency.sql");

  st = Migrate(db, nu_migrations, nu_migrations_count, &r);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(r.applied, 0);
  EXPECT_EQ(r.schema_version, nu_migrations[nu_migrations_count - 1].version);
}

TEST(MigrateTest, IdempotencyTableHasItsShape) {
  std::string db = FreshDatabase();
  nu_migrate_result r = {};
  ASSERT_EQ(Migrate(db, nu_migrations, nu_migrations_count, &r).code, NU_OK);
  EXPECT_EQ(QueryValue(db,
                       "SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable,"
                       " ', ' ORDER BY ordinal_position) FROM information_schema.columns"
                       " WHERE table_name = 'idempotency_records'"),
            "principal text NO, method text NO, request_id text NO, request_hash bytea NO, "
            "response bytea YES, status_code integer NO, "
            "created_at timestamp with time zone NO");
  EXPECT_EQ(QueryValue(db,
                       "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                       " WHERE conrelid = 'idempotency_records'::regclass AND contype = 'p'"),
            "PRIMARY KEY (principal, method, request_id)");
  EXPECT_EQ(QueryValue(db,
                       "SELECT count(*) FROM pg_indexes WHERE tablename = 'idempotency_records'"
                       " AND indexdef LIKE '%(created_at)%'"),
            "1");
}

TEST(MigrateTest, ConcurrentMigratorsApplyEachVersionOnce) {
  std::string db = FreshDatabase();
  constexpr int kThreads = 4;
  nu_migrate_result results[kThreads] = {};
  nu_code codes[kThreads];
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; i++) {
    threads.emplace_back([&, i] {
      codes[i] = Migrate(db, nu_migrations, nu_migrations_count, &results[i]).code;
    });
  }
  for (auto& t : threads) t.join();
  int total = 0;
  for (int i = 0; i < kThreads; i++) {
    EXPECT_EQ(codes[i], NU_OK);
    total += results[i].applied;
  }
  EXPECT_EQ(total, static_cast<int>(nu_migrations_count));
  EXPECT_EQ(QueryValue(db, "SELECT count(*) FROM schema_migrations"),
            std::to_string(nu_migrations_count));
}

TEST(MigrateTest, AppliesOnlyMissingVersionsInOrder) {
  std::string db = FreshDatabase();
  const nu_migration first[] = {
      {1, "0001_a.sql", "CREATE TABLE a (x integer); INSERT INTO a VALUES (1);"},
  };
  const nu_migration both[] = {
      first[0],
      {3, "0003_b.sql", "CREATE TABLE b (y integer); INSERT INTO b SELECT x + 1 FROM a;"},
  };
  nu_migrate_result r = {};
  ASSERT_EQ(Migrate(db, first, 1, &r).code, NU_OK);
  EXPECT_EQ(r.applied, 1);
  ASSERT_EQ(Migrate(db, both, 2, &r).code, NU_OK);
  EXPECT_EQ(r.applied, 1);
  EXPECT_EQ(r.schema_version, 3);
  EXPECT_EQ(QueryValue(db, "SELECT y FROM b"), "2");
}

TEST(MigrateTest, FailedMigrationLeavesNothingBehind) {
  std::string db = FreshDatabase();
  const nu_migration migs[] = {
      {1, "0001_ok.sql", "CREATE TABLE ok (x integer);"},
      {2, "0002_bad.sql", "CREATE TABLE half (x integer); SELECT * FROM no_such_table;"},
  };
  nu_migrate_result r = {};
  nu_status st = Migrate(db, migs, 2, &r);
  EXPECT_EQ(st.code, NU_INTERNAL) << Describe(st);
  EXPECT_NE(std::string(st.message).find("migration 0002_bad.sql failed"), std::string::npos)
      << st.message;
  EXPECT_EQ(QueryValue(db, "SELECT string_agg(version::text, ',') FROM schema_migrations"), "1");
  EXPECT_EQ(QueryValue(db, "SELECT count(*) FROM pg_tables WHERE tablename = 'half'"), "0");
  // The lock was released: another run proceeds (and fails the same way).
  EXPECT_EQ(Migrate(db, migs, 2, &r).code, NU_INTERNAL);
  EXPECT_EQ(QueryValue(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), "0");
}

TEST(MigrateTest, RefusesASchemaNewerThanTheBinary) {
  std::string db = FreshDatabase();
  nu_migrate_result r = {};
  ASSERT_EQ(Migrate(db, nu_migrations, nu_migrations_count, &r).code, NU_OK);
  QueryValue(db, "INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')");
  nu_status st = Migrate(db, nu_migrations, nu_migrations_count, &r);
  EXPECT_EQ(st.code, NU_FAILED_PRECONDITION) << Describe(st);
  EXPECT_STREQ(st.reason, "SCHEMA_TOO_NEW");
}

TEST(MigrateTest, RefusesUnorderedMigrations) {
  const nu_migration migs[] = {
      {2, "0002_b.sql", "SELECT 1"},
      {1, "0001_a.sql", "SELECT 1"},
  };
  nu_migrate_result r = {};
  EXPECT_EQ(Migrate(FreshDatabase(), migs, 2, &r).code, NU_INTERNAL);
}

TEST(MigrateTest, UnreachableDatabaseIsUnavailable) {
  std::string nowhere = "host=" + SharedCluster().dir() + "/nowhere port=5432 dbname=x user=postgres";
  nu_migrate_result r = {};
  nu_status st = Migrate(nowhere, nu_migrations, nu_migrations_count, &r);
  EXPECT_EQ(st.code, NU_UNAVAILABLE) << Describe(st);
  EXPECT_STREQ(st.reason, "DATABASE_UNAVAILABLE");
}

}  // namespace
}  // namespace nuage::testing
