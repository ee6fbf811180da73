// outbox_test.cc — delivery of the outbox: two servers on one database
// deliver each message exactly once (file sink), failures back off and are
// retried, the log sink never writes a payload, and a delivered message
// leaves no link in the database.
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <set>

#include "nuage/v1/auth.grpc.pb.h"
#include "nuage/v1/organization.grpc.pb.h"
#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

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
  // A message waiting for its retry keeps what delivery needs.
  std::string payload = "SELECT payload->>'link' FROM outbox WHERE recipient LIKE '%@retry.example'";
  EXPECT_EQ(PgQuery(db, payload)[0][0], "https://x/secret-1");
  // Repaired: the next attempt delivers it, and only the file keeps the link.
  ASSERT_EQ(unlink(dir.c_str()), 0);
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  EXPECT_TRUE(Eventually([&] { return Undelivered(db, "retry") == "0"; }, milliseconds(15000)));
  EXPECT_EQ(JsonFiles(dir).size(), 1u);
  EXPECT_EQ(PgQuery(db, "SELECT payload::text FROM outbox WHERE recipient LIKE '%@retry.example'")[0][0],
            "{}");
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
  EXPECT_EQ(PgQuery(db, "SELECT count(*) FROM outbox WHERE recipient LIKE '%@logged.example'"
                        " AND payload <> '{}'")[0][0],
            "0");
}

// The whole database as SQL text (pg_dump of the cluster's version).
std::string PgDump(const std::string& conninfo) {
  std::string cmd =
      "d=$(pg_config --bindir 2>/dev/null); [ -x \"$d/pg_dump\" ] ||"
      " d=$(printf '%s\\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1);"
      " \"$d/pg_dump\" --no-owner -d '" + conninfo + "'";
  FILE* p = popen(cmd.c_str(), "r");
  EXPECT_NE(p, nullptr);
  if (p == nullptr) return "";
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(p), 0) << "pg_dump failed";
  EXPECT_NE(out.find("CREATE TABLE public.outbox"), std::string::npos) << "not a dump";
  return out;
}

// Regression (issue 8, point 6): the outbox kept every delivered e-mail's
// payload, live reset and invitation links included.
TEST(OutboxTest, DeliveredMessagesLeaveNoLinkInTheDatabase) {
  const std::string& db = SharedCluster().conninfo();
  const char kPassword[] = "Correct-Horse-42!";
  std::vector<std::string> tokens;
  {
    // Queued only, as by a server whose sink is down: the rows hold the links.
    auto queued = ServerProcess::Start(db, {"--outbox-sink=none"});
    ASSERT_NE(queued, nullptr);
    auto channel = Connect(queued->address());
    std::string user = SeedUser(db, "reset.dump", "reset@dump.example", kPassword);
    std::string org = SeedOrganization(db, "Mairie de Dump", user);
    {
      auto auth = nuage::v1::AuthService::NewStub(channel);
      grpc::ClientContext ctx;
      SetDeadline(&ctx, milliseconds(20000));
      nuage::v1::RequestPasswordResetRequest req;
      req.set_login("reset.dump");
      nuage::v1::RequestPasswordResetResponse resp;
      grpc::Status st = auth->RequestPasswordReset(&ctx, req, &resp);
      ASSERT_TRUE(st.ok()) << Describe(st);
    }
    {
      auto orgs = nuage::v1::OrganizationService::NewStub(channel);
      grpc::ClientContext ctx;
      SetDeadline(&ctx, milliseconds(20000));
      WithBearer(&ctx, SeedSession(db, user, org));
      nuage::v1::CreateInvitationRequest req;
      req.set_email("invitee@dump.example");
      auto* r = req.add_roles();
      r->set_section(nuage::v1::SECTION_ORDERS);
      r->set_level(nuage::v1::LEVEL_VISITOR);
      nuage::v1::Invitation inv;
      grpc::Status st = orgs->CreateInvitation(&ctx, req, &inv);
      ASSERT_TRUE(st.ok()) << Describe(st);
    }
    for (const auto& [to, tmpl] : {std::pair<std::string, std::string>{"reset@dump.example", "reset_password"},
                                   {"invitee@dump.example", "invitation"}}) {
      std::string token = TokenFromLink(JsonField(LatestOutbox(db, to, tmpl), "link"));
      ASSERT_EQ(token.rfind("nul_", 0), 0u) << tmpl << ": the queued row holds its link";
      tokens.push_back(token);
    }
  }
  // Another server delivers them (after a restart, from what the rows hold).
  std::string dir = TempDir("outbox-dump");
  auto server = ServerProcess::Start(db, {"--outbox-sink=file", "--outbox-dir=" + dir});
  ASSERT_NE(server, nullptr);
  EXPECT_TRUE(Eventually([&] { return Undelivered(db, "dump") == "0"; }, milliseconds(20000)));
  std::string delivered;
  for (const auto& [name, mode] : JsonFiles(dir)) delivered += ReadFile(dir + "/" + name);
  std::string dump = PgDump(db);
  for (const std::string& token : tokens) {
    EXPECT_NE(delivered.find(token), std::string::npos) << "delivered with its link";
    EXPECT_EQ(dump.find(token), std::string::npos) << "a live link token is in the database";
  }
  EXPECT_EQ(dump.find("token=nul_"), std::string::npos);
  auto rows = PgQuery(db, "SELECT template, payload::text, delivered_at IS NOT NULL FROM outbox"
                          " WHERE recipient LIKE '%@dump.example' ORDER BY template");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"invitation", "{}", "t"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"reset_password", "{}", "t"}));
}

}  // namespace
}  // namespace nuage::testing
