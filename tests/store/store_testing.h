// store_testing.h — helpers shared by the store tests.
//
// Each test that cares about state gets a database of its own in the
// binary's shared cluster, so tests never depend on their order.
#ifndef NUAGE_TESTS_STORE_STORE_TESTING_H
#define NUAGE_TESTS_STORE_STORE_TESTING_H

#include <cstdint>
#include <string>

extern "C" {
#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"
}

namespace nuage::testing {

// Creates an empty database in the shared cluster; returns its conninfo.
std::string FreshDatabase();

// Runs sql on a short-lived connection; returns the first column of the
// first row ("" if none). Fails the test on error.
std::string QueryValue(const std::string& conninfo, const std::string& sql);

// Polls sql (every 5 ms, up to timeout_ms) until its first value is want;
// true when it was. Replaces fixed sleeps that wait for the server to act.
bool PollUntilValue(const std::string& conninfo, const std::string& sql, const std::string& want,
                    int64_t timeout_ms = 10000);

// Waits until backend pid is gone from pg_stat_activity (a terminated
// session has really ended); true when it is.
bool WaitForBackendGone(const std::string& conninfo, int pid);

// Monotonic time on the system clock, and a deadline ms from now.
int64_t NowNs();
int64_t DeadlineInMs(int64_t ms);

// An arena freed at scope end.
class Arena {
 public:
  Arena() : a_(nu_arena_new()) {}
  ~Arena() { nu_arena_free(a_); }
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  nu_arena* get() const { return a_; }
  operator nu_arena*() const { return a_; }

 private:
  nu_arena* a_;
};

// A pool freed at scope end.
class Pool {
 public:
  explicit Pool(const std::string& conninfo, int size = 4, const nu_clock* clock = nullptr,
                int64_t retry_backoff_ns = 0);
  ~Pool() { nu_pool_free(p_); }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  nu_pool* get() const { return p_; }
  operator nu_pool*() const { return p_; }

 private:
  std::string conninfo_;
  nu_pool* p_ = nullptr;
};

// "CODE: message" for failure messages.
std::string Describe(const nu_status& st);

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_STORE_STORE_TESTING_H
