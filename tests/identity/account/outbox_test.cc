// outbox_test.cc — delivery of the outbox: two servers on one database
// deliver each message exactly once (file sink), failures back off and are
// retried, and the log sink never writes a payload.
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>

#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

std::string TempDir(const std::string& name) {
  const char* base = getenv("TEST_TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/" + name + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  EXPECT_NE(mkdtemp(buf.data()), nullptr);
  return std::string(buf.data());
}

// File name → mode, of the *.json files in dir.
std::map<std::string, mode_t> JsonFiles(const std::string& dir) {
  std::map<std::string, mode_t> out;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return out;
  while (struct dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0 && n[0] != '.') {
      struct stat st;
      if (stat((dir + "/" + n).c_str(), &st) == 0) out[n] = st.st_mode & 0777;
    }
  }
  closedir(d);
  return out;
}

void Enqueue(const std::string& conninfo, int n, const std::string& tag) {
  PgQuery(conninfo, "INSERT INTO outbox (channel, recipient, template, payload, created_at,"
                    " next_attempt_at) SELECT 'email', 'r' || g || '@" + tag + ".example',"
                    " 'test', jsonb_build_object('link', 'https://x/secret-' || g), now(), now()"
                    " FROM generate_series(1, " + std::to_string(n) + ") g");
}

std::string Undelivered(const std::string& conninfo, const std::string& tag) {
  return PgQuery(conninfo, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL"
                           " AND recipient LIKE '%@" + tag + ".example'")[0][0];
}

TEST(OutboxTest, TwoServersDeliverEachMessageExactlyOnce) {
  const std::string& db = SharedCluster().conninfo();
  // Start the schema with a first server, queue messages, then race two.
  std::string dir_a = TempDir("outbox-a"), dir_b = TempDir("outbox-b");
  {
    auto first = ServerProcess::Start(db, {"--outbox-sink=none"});
    ASSERT_NE(first, nullptr);
  }
  Enqueue(db, 200, "race");
  auto a = ServerProcess::Spawn(db, {"--outbox-sink=file", "--outbox-dir=" + dir_a});
  auto b = ServerProcess::Spawn(db, {"--outbox-sink=file", "--outbox-dir=" + dir_b});
  ASSERT_TRUE(a->WaitUntilServing());
  ASSERT_TRUE(b->WaitUntilServing());
  EXPECT_TRUE(Eventually([&] { return Undelivered(db, "race") == "0"; }, milliseconds(20000)));

  auto files_a = JsonFiles(dir_a), files_b = JsonFiles(dir_b);
  std::set<std::string> all;
  for (const auto& [name, mode] : files_a) {
    all.insert(name);
    EXPECT_EQ(mode, 0600u) << name;
  }
  for (const auto& [name, mode] : files_b) {
    EXPECT_TRUE(all.insert(name).second) << name << " delivered by both servers";
    EXPECT_EQ(mode, 0600u) << name;
  }
  EXPECT_EQ(all.size(), 200u);
  auto attempts = PgQuery(db, "SELECT count(*) FROM outbox WHERE recipient LIKE '%@race.example'"
                              " AND attempts = 1 AND delivered_at IS NOT NULL");
  EXPECT_EQ(attempts[0][0], "200");
  // A file holds the message and its payload.
  ASSERT_FALSE(files_a.empty() && files_b.empty());
  std::string some = !files_a.empty() ? dir_a + "/" + files_a.begin()->first
                                      : dir_b + "/" + files_b.begin()->first;
  std::string body = ReadFile(some);
  EXPECT_NE(body.find("\"template\": \"test\""), std::string::npos) << body;
  EXPECT_NE(body.find("x/secret-"), std::string::npos) << body;
}

TEST(OutboxTest, FailuresBackOffAndAreRetried) {
  const std::string& db = SharedCluster().conninfo();
  std::string dir = TempDir("outbox-fail");
  auto server = ServerProcess::Start(db, {"--outbox-sink=file", "--outbox-dir=" + dir});
  ASSERT_NE(server, nullptr);
  // The directory turns into a file: every write fails.
  ASSERT_EQ(rmdir(dir.c_str()), 0);
  FILE* f = fopen(dir.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  Enqueue(db, 1, "retry");
  EXPECT_TRUE(Eventually(
      [&] {
        auto r = PgQuery(db, "SELECT attempts FROM outbox WHERE recipient LIKE '%@retry.example'");
        return !r.empty() && r[0][0] != "0";
      },
      milliseconds(10000)));
  auto row = PgQuery(db, "SELECT delivered_at IS NULL, last_error <> '',"
                         " next_attempt_at > created_at FROM outbox"
                         " WHERE recipient LIKE '%@retry.example'");
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row[0], (std::vector<std::string>{"t", "t", "t"}));
  // Repaired: the next attempt delivers it.
  ASSERT_EQ(unlink(dir.c_str()), 0);
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  EXPECT_TRUE(Eventually([&] { return Undelivered(db, "retry") == "0"; }, milliseconds(15000)));
  EXPECT_EQ(JsonFiles(dir).size(), 1u);
  EXPECT_EQ(server->Log().find("x/secret-"), std::string::npos);
}

TEST(OutboxTest, TheLogSinkNeverWritesThePayload) {
  const std::string& db = SharedCluster().conninfo();
  auto server = ServerProcess::Start(db, {"--outbox-sink=log"});
  ASSERT_NE(server, nullptr);
  Enqueue(db, 3, "logged");
  EXPECT_TRUE(Eventually([&] { return Undelivered(db, "logged") == "0"; }, milliseconds(10000)));
  std::string log;
  EXPECT_TRUE(Eventually(
      [&] {
        log = server->Log();
        return log.find("r3@logged.example") != std::string::npos;
      },
      milliseconds(5000)));
  EXPECT_NE(log.find("outbox message delivered"), std::string::npos);
  EXPECT_EQ(log.find("x/secret-"), std::string::npos);
}

}  // namespace
}  // namespace nuage::testing
