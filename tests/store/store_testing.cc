// store_testing.cc — fresh databases and small wrappers for the store tests.
#include "tests/store/store_testing.h"

#include <postgresql/libpq-fe.h>
#include <time.h>
#include <unistd.h>

#include <atomic>

#include <gtest/gtest.h>

#include "tests/support/pg_cluster.h"

namespace nuage::testing {

std::string QueryValue(const std::string& conninfo, const std::string& sql) {
  PGconn* pg = PQconnectdb(conninfo.c_str());
  std::string value;
  if (PQstatus(pg) != CONNECTION_OK) {
    ADD_FAILURE() << "connect: " << PQerrorMessage(pg);
  } else {
    PGresult* res = PQexec(pg, sql.c_str());
    ExecStatusType rs = PQresultStatus(res);
    if (rs != PGRES_TUPLES_OK && rs != PGRES_COMMAND_OK) {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(res);
    } else if (rs == PGRES_TUPLES_OK && PQntuples(res) > 0) {
      value = PQgetvalue(res, 0, 0);
    }
    PQclear(res);
  }
  PQfinish(pg);
  return value;
}

bool PollUntilValue(const std::string& conninfo, const std::string& sql, const std::string& want,
                    int64_t timeout_ms) {
  int64_t until = DeadlineInMs(timeout_ms);
  for (;;) {
    if (QueryValue(conninfo, sql) == want) return true;
    if (NowNs() >= until) return false;
    usleep(5000);
  }
}

bool WaitForBackendGone(const std::string& conninfo, int pid) {
  return PollUntilValue(conninfo,
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = " + std::to_string(pid),
                        "0");
}

std::string FreshDatabase() {
  static std::atomic<int> counter{0};
  const std::string& base = SharedCluster().conninfo();
  std::string name = "t_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  QueryValue(base, "CREATE DATABASE " + name);
  // In a conninfo string a later keyword overrides an earlier one.
  return base + " dbname=" + name;
}

int64_t NowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * NU_NS_PER_S + ts.tv_nsec;
}

int64_t DeadlineInMs(int64_t ms) { return NowNs() + ms * NU_NS_PER_MS; }

Pool::Pool(const std::string& conninfo, int size, const nu_clock* clock, int64_t retry_backoff_ns)
    : conninfo_(conninfo) {
  nu_pool_options opts = {};
  opts.conninfo = conninfo_.c_str();
  opts.size = size;
  opts.clock = clock;
  opts.retry_backoff_ns = retry_backoff_ns;
  opts.application_name = "nuage-store-test";
  Arena a;
  nu_status st = nu_pool_new(&opts, a, &p_);
  if (!nu_status_is_ok(&st)) {
    ADD_FAILURE() << "nu_pool_new: " << Describe(st);
    p_ = nullptr;
  }
}

std::string Describe(const nu_status& st) {
  std::string s = nu_code_name(st.code);
  if (st.reason != nullptr) s += std::string(" [") + st.reason + "]";
  if (st.message != nullptr) s += std::string(": ") + st.message;
  return s;
}

}  // namespace nuage::testing
