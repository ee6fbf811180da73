// system_store_test.cc — server info and the diagnostic sleep.
#include "server/store/system/system_store.h"

#include <gtest/gtest.h>

#include <string>

#include "server/store/core/migrate.h"
#include "tests/store/store_testing.h"
#include "tests/support/pg_cluster.h"

namespace nuage::testing {
namespace {

class SystemStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = FreshDatabase();
    nu_migrate_result r = {};
    nu_status st = nu_migrate(db_.c_str(), nu_migrations, nu_migrations_count, a_, &r);
    ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
    pool_ = std::make_unique<Pool>(db_, 1);
    st = nu_pool_acquire(*pool_, DeadlineInMs(5000), a_, &c_);
    ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  }
  void TearDown() override {
    if (c_ != nullptr) nu_pool_release(*pool_, c_);
  }

  std::string db_;
  Arena a_;
  std::unique_ptr<Pool> pool_;
  nu_conn* c_ = nullptr;
};

TEST_F(SystemStoreTest, ServerInfo) {
  nu_server_info_row row = {};
  nu_status st = nu_store_server_info(c_, a_, &row);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(row.schema_version, nu_migrations[nu_migrations_count - 1].version);
  ASSERT_NE(row.database_version, nullptr);
  EXPECT_EQ(std::string(row.database_version).rfind("15", 0), 0u) << row.database_version;
  int64_t now_us = nu_clock_wall_ns(nu_clock_system()) / 1000;
  EXPECT_LT(std::llabs(row.database_time_us - now_us), 5 * 1000000LL);
}

TEST_F(SystemStoreTest, SleepMeasuresItsDuration) {
  int slept = -1;
  nu_status st = nu_store_sleep(c_, a_, 120, &slept);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_GE(slept, 115);
  EXPECT_LT(slept, 1000);
  EXPECT_EQ(nu_store_sleep(c_, a_, -1, &slept).code, NU_INVALID_ARGUMENT);
}

}  // namespace
}  // namespace nuage::testing
