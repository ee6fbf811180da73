// availability_test.cc — the database goes down and comes back.
//
// Uses a cluster of its own (not the shared one), since it stops it.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "server/store/core/db.h"
#include "server/store/core/migrate.h"
#include "server/store/core/pool.h"
#include "server/store/core/tx.h"
#include "tests/store/store_testing.h"
#include "tests/support/pg_cluster.h"

namespace nuage::testing {
namespace {

nu_status SelectOne(nu_conn* c, nu_arena* a, void*) {
  return nu_db_exec(c, a, "SELECT 1", 0, nullptr, nullptr);
}

nu_code RunTx(nu_pool* p, int64_t deadline_ms) {
  Arena a;
  nu_tx_options o = {};
  o.deadline_mono_ns = DeadlineInMs(deadline_ms);
  return nu_tx_run(p, a, &o, SelectOne, nullptr).code;
}

TEST(AvailabilityTest, UnavailableQuicklyWhileDownThenRecovers) {
  std::unique_ptr<PgCluster> cluster = PgCluster::Start();
  Pool pool(cluster->conninfo(), 2);
  ASSERT_EQ(RunTx(pool, 5000), NU_OK);
  {
    // Two connections in the pool, both idle when the database stops.
    Arena a;
    nu_conn *c1 = nullptr, *c2 = nullptr;
    ASSERT_EQ(nu_pool_acquire(pool, DeadlineInMs(5000), a, &c1).code, NU_OK);
    ASSERT_EQ(nu_pool_acquire(pool, DeadlineInMs(5000), a, &c2).code, NU_OK);
    nu_pool_release(pool, c1);
    nu_pool_release(pool, c2);
  }

  cluster->Stop();

  int64_t start = NowNs();
  EXPECT_EQ(RunTx(pool, 10000), NU_UNAVAILABLE);
  EXPECT_LT((NowNs() - start) / NU_NS_PER_MS, 1000);

  start = NowNs();
  {
    Arena a;
    nu_conn* c = nullptr;
    nu_status st = nu_pool_acquire(pool, DeadlineInMs(10000), a, &c);
    EXPECT_EQ(st.code, NU_UNAVAILABLE) << Describe(st);
    EXPECT_STREQ(st.reason, "DATABASE_UNAVAILABLE");
    if (nu_status_is_ok(&st)) nu_pool_release(pool, c);
  }
  EXPECT_LT((NowNs() - start) / NU_NS_PER_MS, 1000);

  // Many calls while down: each answered at once, none waits.
  start = NowNs();
  for (int i = 0; i < 50; i++) EXPECT_EQ(RunTx(pool, 10000), NU_UNAVAILABLE);
  EXPECT_LT((NowNs() - start) / NU_NS_PER_MS, 1000);

  {
    Arena a;
    nu_migrate_result r = {};
    start = NowNs();
    EXPECT_EQ(nu_migrate(cluster->conninfo().c_str(), nu_migrations, nu_migrations_count, a, &r)
                  .code,
              NU_UNAVAILABLE);
    EXPECT_LT((NowNs() - start) / NU_NS_PER_MS, 1000);
  }

  cluster->Restart();
  start = NowNs();
  nu_code code = NU_UNAVAILABLE;
  while (code != NU_OK && NowNs() - start < 5 * NU_NS_PER_S) {
    code = RunTx(pool, 1000);
    if (code != NU_OK) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(code, NU_OK);
  EXPECT_LT((NowNs() - start) / NU_NS_PER_MS, 5000);
  // And it stays up: every connection of the pool works again.
  for (int i = 0; i < 10; i++) EXPECT_EQ(RunTx(pool, 5000), NU_OK);
}

TEST(AvailabilityTest, RestartWhileIdleIsInvisibleToCallers) {
  std::unique_ptr<PgCluster> cluster = PgCluster::Start();
  Pool pool(cluster->conninfo(), 2);
  ASSERT_EQ(RunTx(pool, 5000), NU_OK);
  cluster->Stop();
  cluster->Restart();
  // The pooled connection died with the old server; the first call after
  // the restart already succeeds on a new one.
  EXPECT_EQ(RunTx(pool, 5000), NU_OK);
}

}  // namespace
}  // namespace nuage::testing
