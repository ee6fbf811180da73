// pg_cluster.h — a private, throwaway PostgreSQL cluster for C++ tests.
//
// Wraps scripts/pg.sh: each cluster lives in a fresh directory under /tmp
// (reachable by the postgres user when tests run as root), listens on a Unix
// socket only, and runs with fsync off. Targets using it need
// `//tests/support:pg_cluster`, which brings `//scripts:pg.sh` as data.
#ifndef NUAGE_TESTS_SUPPORT_PG_CLUSTER_H
#define NUAGE_TESTS_SUPPORT_PG_CLUSTER_H

#include <memory>
#include <string>

namespace nuage::testing {

class PgCluster {
 public:
  // Creates and starts a throwaway cluster (`pg.sh start DIR --throwaway`)
  // in a new mkdtemp directory under /tmp; aborts the test binary with a
  // clear message on failure.
  static std::unique_ptr<PgCluster> Start();

  // `host=DIR/run port=5432 dbname=nuage user=postgres`.
  const std::string& conninfo() const;
  const std::string& dir() const;

  // Shuts the database down (fast); the data is kept.
  void Stop();
  // Starts it again on the same directory; the conninfo does not change.
  void Restart();

  // Stops the cluster and removes its directory.
  ~PgCluster();

  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

 private:
  PgCluster(std::string script, std::string dir, std::string conninfo);

  std::string script_;
  std::string dir_;
  std::string conninfo_;
};

// The cluster shared by every test of this binary, started on first use. It
// is destroyed after the last test (by a ::testing::Environment registered
// on first use), or at exit if the tests did not get that far.
PgCluster& SharedCluster();

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_SUPPORT_PG_CLUSTER_H
