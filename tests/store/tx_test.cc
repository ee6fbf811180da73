// tx_test.cc — transactions: commit, rollback, retries, deadlines.
#include "server/store/core/tx.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "server/store/core/db.h"
#include "server/store/system/system_store.h"
#include "tests/store/store_testing.h"
#include "tests/support/pg_cluster.h"

namespace nuage::testing {
namespace {

nu_tx_options Options(int64_t deadline_ms = 5000,
                      nu_isolation iso = NU_ISOLATION_READ_COMMITTED) {
  nu_tx_options o = {};
  o.deadline_mono_ns = DeadlineInMs(deadline_ms);
  o.isolation = iso;
  return o;
}

nu_status Exec(nu_conn* c, nu_arena* a, const char* sql) {
  return nu_db_exec(c, a, sql, 0, nullptr, nullptr);
}

class TxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = FreshDatabase();
    QueryValue(db_, "CREATE TABLE t (id integer PRIMARY KEY, v integer NOT NULL)");
    pool_ = std::make_unique<Pool>(db_, 4);
  }
  std::string Count() { return QueryValue(db_, "SELECT count(*) FROM t"); }

  std::string db_;
  std::unique_ptr<Pool> pool_;
};

TEST_F(TxTest, CommittedWorkIsVisible) {
  Arena a;
  nu_tx_options o = Options();
  nu_status st = nu_tx_run(
      *pool_, a, &o,
      [](nu_conn* c, nu_arena* a, void*) {
        const char* params[] = {"1", "10"};
        return nu_db_exec(c, a, "INSERT INTO t (id, v) VALUES ($1, $2)", 2, params, nullptr);
      },
      nullptr);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(QueryValue(db_, "SELECT v FROM t WHERE id = 1"), "10");
}

TEST_F(TxTest, WorkErrorRollsBackEverything) {
  Arena a;
  nu_tx_options o = Options();
  nu_status st = nu_tx_run(
      *pool_, a, &o,
      [](nu_conn* c, nu_arena* a, void*) {
        nu_status s = Exec(c, a, "INSERT INTO t (id, v) VALUES (1, 1)");
        if (!nu_status_is_ok(&s)) return s;
        return nu_error(a, NU_FAILED_PRECONDITION, "SOME_RULE", "the work said no");
      },
      nullptr);
  EXPECT_EQ(st.code, NU_FAILED_PRECONDITION);
  EXPECT_STREQ(st.reason, "SOME_RULE");
  EXPECT_STREQ(st.message, "the work said no");
  EXPECT_EQ(Count(), "0");
}

TEST_F(TxTest, StatementErrorRollsBackAndMapsSqlstate) {
  QueryValue(db_, "INSERT INTO t VALUES (1, 1)");
  Arena a;
  nu_tx_options o = Options();
  nu_status st = nu_tx_run(
      *pool_, a, &o,
      [](nu_conn* c, nu_arena* a, void*) {
        nu_status s = Exec(c, a, "INSERT INTO t (id, v) VALUES (2, 2)");
        if (!nu_status_is_ok(&s)) return s;
        const char* params[] = {"1", "7"};
        return nu_db_exec(c, a, "INSERT INTO t (id, v) VALUES ($1, $2)", 2, params, nullptr);
      },
      nullptr);
  EXPECT_EQ(st.code, NU_ALREADY_EXISTS) << Describe(st);
  EXPECT_EQ(Count(), "1");
}

TEST_F(TxTest, WorkThatIgnoresAFailedStatementDoesNotCommit) {
  Arena a;
  nu_tx_options o = Options();
  nu_status st = nu_tx_run(
      *pool_, a, &o,
      [](nu_conn* c, nu_arena* a, void*) {
        Exec(c, a, "INSERT INTO t (id, v) VALUES (1, 1)");
        Exec(c, a, "SELECT 1/0");  // error ignored: the transaction is now aborted
        return nu_ok();
      },
      nullptr);
  EXPECT_EQ(st.code, NU_INTERNAL) << Describe(st);
  EXPECT_EQ(Count(), "0");
}

struct Flaky {
  int failures;  // raise 40001 this many times
  std::atomic<int> attempts{0};
};

nu_status FlakyWork(nu_conn* c, nu_arena* a, void* arg) {
  auto* f = static_cast<Flaky*>(arg);
  int n = ++f->attempts;
  nu_status st = Exec(c, a, "INSERT INTO t (id, v) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET v = t.v + 1");
  if (!nu_status_is_ok(&st)) return st;
  if (n <= f->failures) {
    return Exec(c, a, "DO $$ BEGIN RAISE EXCEPTION 'forced conflict' USING ERRCODE = '40001'; END $$");
  }
  return nu_ok();
}

TEST_F(TxTest, SerializationFailureIsRetried) {
  Arena a;
  Flaky f;
  f.failures = 3;
  nu_tx_options o = Options();
  nu_status st = nu_tx_run(*pool_, a, &o, FlakyWork, &f);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(f.attempts.load(), 4);
  // Only the successful attempt left a trace.
  EXPECT_EQ(QueryValue(db_, "SELECT v FROM t WHERE id = 1"), "1");
}

TEST_F(TxTest, DeadlockIsRetriedToo) {
  Arena a;
  struct Once {
    int attempts = 0;
  } once;
  nu_tx_options o = Options();
  nu_status st = nu_tx_run(
      *pool_, a, &o,
      [](nu_conn* c, nu_arena* a, void* arg) {
        if (++static_cast<Once*>(arg)->attempts == 1) {
          return Exec(c, a, "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = '40P01'; END $$");
        }
        return nu_ok();
      },
      &once);
  EXPECT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(once.attempts, 2);
}

TEST_F(TxTest, GivesUpWithAbortedAfterMaxAttempts) {
  Arena a;
  Flaky f;
  f.failures = 1000;
  nu_tx_options o = Options();
  o.max_attempts = 3;
  nu_status st = nu_tx_run(*pool_, a, &o, FlakyWork, &f);
  EXPECT_EQ(st.code, NU_ABORTED) << Describe(st);
  EXPECT_STREQ(st.reason, "TRANSACTION_CONFLICT");
  EXPECT_EQ(f.attempts.load(), 3);
  EXPECT_EQ(Count(), "0");

  // Default: 5 attempts.
  Flaky g;
  g.failures = 1000;
  o = Options();
  st = nu_tx_run(*pool_, a, &o, FlakyWork, &g);
  EXPECT_EQ(st.code, NU_ABORTED);
  EXPECT_EQ(g.attempts.load(), 5);
}

TEST_F(TxTest, OtherErrorsAreNotRetried) {
  Arena a;
  std::atomic<int> attempts{0};
  nu_tx_options o = Options();
  nu_status st = nu_tx_run(
      *pool_, a, &o,
      [](nu_conn* c, nu_arena* a, void* arg) {
        ++*static_cast<std::atomic<int>*>(arg);
        return Exec(c, a, "SELECT 1/0");
      },
      &attempts);
  EXPECT_EQ(st.code, NU_INVALID_ARGUMENT) << Describe(st);
  EXPECT_STREQ(st.message, "database error: division by zero");
  EXPECT_EQ(attempts.load(), 1);
}

// Two REPEATABLE READ transactions update one row after both have read it:
// the second updater loses (40001) and its retry succeeds, so no update is
// lost.
TEST_F(TxTest, RealConcurrentConflictIsRetried) {
  QueryValue(db_, "INSERT INTO t VALUES (1, 0)");
  struct Shared {
    std::mutex mu;
    std::condition_variable cv;
    int read = 0;
    std::atomic<int> attempts{0};
  } shared;
  auto work = [](nu_conn* c, nu_arena* a, void* arg) -> nu_status {
    auto* s = static_cast<Shared*>(arg);
    int attempt = ++s->attempts;
    nu_status st = Exec(c, a, "SELECT v FROM t WHERE id = 1");
    if (!nu_status_is_ok(&st)) return st;
    if (attempt <= 2) {
      // Both first attempts take their snapshot before either writes.
      std::unique_lock<std::mutex> lock(s->mu);
      s->read++;
      s->cv.notify_all();
      s->cv.wait_for(lock, std::chrono::seconds(5), [s] { return s->read >= 2; });
    }
    return Exec(c, a, "UPDATE t SET v = v + 1 WHERE id = 1");
  };
  nu_status results[2];
  std::thread threads[2];
  for (int i = 0; i < 2; i++) {
    threads[i] = std::thread([&, i] {
      Arena a;
      nu_tx_options o = Options(10000, NU_ISOLATION_REPEATABLE_READ);
      results[i] = nu_tx_run(*pool_, a, &o, work, &shared);
      results[i].message = nullptr;  // arena gone
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(results[0].code, NU_OK);
  EXPECT_EQ(results[1].code, NU_OK);
  EXPECT_EQ(shared.attempts.load(), 3);
  EXPECT_EQ(QueryValue(db_, "SELECT v FROM t WHERE id = 1"), "2");
}

TEST_F(TxTest, StatementTimeoutFollowsTheDeadline) {
  Arena a;
  struct Sleep {
    int backend_pid = 0;
  } sl;
  nu_tx_options o = Options(300);
  int64_t start = NowNs();
  nu_status st = nu_tx_run(
      *pool_, a, &o,
      [](nu_conn* c, nu_arena* a, void* arg) {
        static_cast<Sleep*>(arg)->backend_pid = PQbackendPID(nu_conn_pg(c));
        int slept = 0;
        return nu_store_sleep(c, a, 5000, &slept);
      },
      &sl);
  int64_t elapsed_ms = (NowNs() - start) / NU_NS_PER_MS;
  EXPECT_EQ(st.code, NU_DEADLINE_EXCEEDED) << Describe(st);
  EXPECT_STREQ(st.reason, "DEADLINE_EXCEEDED");
  EXPECT_GE(elapsed_ms, 250);
  EXPECT_LT(elapsed_ms, 1500);
  // The server stopped sleeping too: the backend is idle, not in pg_sleep.
  ASSERT_NE(sl.backend_pid, 0);
  std::string pid = std::to_string(sl.backend_pid);
  EXPECT_EQ(QueryValue(db_, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid +
                                " AND state = 'active'"),
            "0");
  EXPECT_EQ(QueryValue(db_, "SELECT count(*) FROM pg_stat_activity"
                            " WHERE query LIKE 'SELECT pg_sleep%' AND state = 'active'"),
            "0");
}

TEST_F(TxTest, TimeoutIsLocalToTheTransaction) {
  // A later call on the same connection is bounded by its own deadline, not
  // by the previous call's.
  Arena a;
  auto sleep_work = [](nu_conn* c, nu_arena* a, void*) {
    int slept = 0;
    return nu_store_sleep(c, a, 400, &slept);
  };
  Pool one(db_, 1);
  nu_tx_options o = Options(100);
  EXPECT_EQ(nu_tx_run(one, a, &o, sleep_work, nullptr).code, NU_DEADLINE_EXCEEDED);
  o = Options(5000);
  nu_status st = nu_tx_run(one, a, &o, sleep_work, nullptr);
  EXPECT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  // And outside a transaction there is no timeout left over.
  nu_conn* c = nullptr;
  ASSERT_EQ(nu_pool_acquire(one, DeadlineInMs(1000), a, &c).code, NU_OK);
  PGresult* res = nullptr;
  ASSERT_EQ(nu_db_exec(c, a, "SHOW statement_timeout", 0, nullptr, &res).code, NU_OK);
  EXPECT_STREQ(PQgetvalue(res, 0, 0), "0");
  nu_pool_release(one, c);
}

TEST_F(TxTest, ExpiredDeadlineDoesNotTouchTheDatabase) {
  Arena a;
  bool ran = false;
  nu_tx_options o = {};
  o.deadline_mono_ns = NowNs() - 1;
  nu_status st = nu_tx_run(
      *pool_, a, &o,
      [](nu_conn*, nu_arena*, void* arg) {
        *static_cast<bool*>(arg) = true;
        return nu_ok();
      },
      &ran);
  EXPECT_EQ(st.code, NU_DEADLINE_EXCEEDED);
  EXPECT_FALSE(ran);
}

TEST_F(TxTest, IsolationAndReadOnlyAreApplied) {
  Arena a;
  struct Seen {
    std::string isolation, read_only;
  } seen;
  nu_tx_options o = Options(5000, NU_ISOLATION_SERIALIZABLE);
  o.read_only = true;
  nu_status st = nu_tx_run(
      *pool_, a, &o,
      [](nu_conn* c, nu_arena* a, void* arg) {
        auto* s = static_cast<Seen*>(arg);
        PGresult* res = nullptr;
        nu_status r = nu_db_exec(
            c, a, "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')",
            0, nullptr, &res);
        if (!nu_status_is_ok(&r)) return r;
        s->isolation = PQgetvalue(res, 0, 0);
        s->read_only = PQgetvalue(res, 0, 1);
        return Exec(c, a, "INSERT INTO t VALUES (1, 1)");
      },
      &seen);
  EXPECT_EQ(seen.isolation, "serializable");
  EXPECT_EQ(seen.read_only, "on");
  EXPECT_EQ(st.code, NU_INTERNAL) << Describe(st);  // 25006 read_only_sql_transaction
  EXPECT_EQ(Count(), "0");
}

// (The pool usually notices the dead connection at acquire; if it dies later,
// tx replaces it at BEGIN. Either way the caller sees success.)
TEST_F(TxTest, ConnectionKilledWhileIdleIsReplaced) {
  Pool one(db_, 1);
  Arena a;
  nu_conn* c = nullptr;
  ASSERT_EQ(nu_pool_acquire(one, DeadlineInMs(1000), a, &c).code, NU_OK);
  int pid = PQbackendPID(nu_conn_pg(c));
  nu_pool_release(one, c);
  QueryValue(db_, "SELECT pg_terminate_backend(" + std::to_string(pid) + ")");
  ASSERT_TRUE(WaitForBackendGone(db_, pid));

  int new_pid = 0;
  nu_tx_options o = Options();
  nu_status st = nu_tx_run(
      one, a, &o,
      [](nu_conn* c, nu_arena*, void* arg) {
        *static_cast<int*>(arg) = PQbackendPID(nu_conn_pg(c));
        return nu_ok();
      },
      &new_pid);
  EXPECT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_NE(new_pid, pid);
}

}  // namespace
}  // namespace nuage::testing
