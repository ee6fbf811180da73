// nuagectl_provider_test.cc — `nuagectl provider events|watch|report` with a
// provider's access key, and `nuagectl document get`, against a live server:
// the feed by cursor (pages, --cursor, the cursor to resume from), a watch
// bounded by --timeout that prints the cursor reached, a refused key that
// is not retried, a server out of reach retried from the cursor with
// pauses until the timeout, reports from a JSON-lines file in batches (applied,
// duplicate, stale, rejected, a malformed line) without ever printing
// access details, and the delivery note downloaded with its SHA-256 checked.
#include <sodium.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/identity/identity_testing.h"
#include "tests/orders/order_testing.h"
#include "tests/support/nuagectl_runner.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

class NuagectlProviderTest : public OrderTest {
 protected:
  void SetUp() override {
    OrderTest::SetUp();
    home_ = MakeCtlHome("home-" + Unique("provider"));
    ASSERT_FALSE(home_.empty());
  }

  CtlRun Ctl(const std::string& token, const std::vector<std::string>& args) {
    return RunNuagectl(home_, server_->address(), args, "", token);
  }

  // n orders of buyer with a fresh seller, whose access key is *key.
  std::vector<nuage::v1::Order> Orders(const Team& buyer, int n, std::string* key,
                                       int64_t quantity = 1) {
    Team seller = Seller();
    *key = AccessKey(seller);
    std::string product = DraftProduct(seller);
    std::string plan = SubscriptionPlan(seller, product, 1000, 12);
    Publish(seller, product);
    std::vector<nuage::v1::Order> out;
    for (int i = 0; i < n; i++) {
      nuage::v1::Order o;
      EXPECT_TRUE(Create(buyer.token, Request({Item(product, plan, quantity)}), &o).ok());
      out.push_back(o);
    }
    return out;
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = home_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  static std::vector<std::string> Lines(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }

  std::string home_;
};

TEST_F(NuagectlProviderTest, EventsPageByCursorAndEndWithTheCursorToResumeFrom) {
  Team buyer = BuildBuyer();
  std::string key;
  auto orders = Orders(buyer, 3, &key);

  CtlRun r = Ctl(key, {"--json", "provider", "events", "--limit", "10"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 4u) << r.out;
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(lines[i].find("{\"cursor\":" + std::to_string(i + 1) + ",\"kind\":\"order_created\""),
              0u)
        << lines[i];
    EXPECT_EQ(JsonField(lines[i], "number"), orders[i].number());
  }
  EXPECT_EQ(lines[3], "{\"next_cursor\":3}");

  r = Ctl(key, {"provider", "events", "--cursor", "1", "--limit", "1"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.find("2  "), 0u) << r.out;
  EXPECT_NE(r.out.find(orders[1].number()), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(orders[2].number()), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("next_cursor: 2"), std::string::npos) << r.out;
}

TEST_F(NuagectlProviderTest, WatchPrintsEventsAfterTheCursorUntilTheTimeout) {
  Team buyer = BuildBuyer();
  std::string key;
  auto orders = Orders(buyer, 3, &key);

  CtlRun r = Ctl(key, {"--json", "--timeout", "2000", "provider", "watch", "--cursor", "1"});
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0].find("{\"cursor\":2,"), 0u) << lines[0];
  EXPECT_EQ(lines[1].find("{\"cursor\":3,"), 0u) << lines[1];
  EXPECT_EQ(JsonField(lines[1], "number"), orders[2].number());
  EXPECT_NE(r.err.find("resumed after cursor 1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cursor: 3"), std::string::npos) << r.err;

  // A refused key ends the watch at once: no reconnection.
  r = Ctl("NUAKNOSUCHKEYAAAAAAAAAAAA:nusk_wrong", {"--timeout", "5000", "provider", "watch"});
  EXPECT_EQ(r.status, 3);
  EXPECT_NE(r.err.find("UNAUTHENTICATED"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("reconnecting"), std::string::npos) << r.err;
}

TEST_F(NuagectlProviderTest, WatchKeepsReconnectingFromItsCursorWithinTheTimeout) {
  // Nothing listens there: every attempt fails UNAVAILABLE and is retried
  // after a pause, from the same cursor, until --timeout ends the watch.
  CtlRun r = RunNuagectl(home_, "127.0.0.1:1", {"--timeout", "2500", "provider", "watch",
                                               "--cursor", "5"},
                         "", "NUAKTESTKEYAAAAAAAAAAAAA:nusk_x");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  size_t first = r.err.find("stream ended (UNAVAILABLE); reconnecting in ");
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_NE(r.err.find("from cursor 5\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("reconnecting", first + 1), std::string::npos) << r.err;  // again
  EXPECT_NE(r.err.find("cursor: 5\n"), std::string::npos) << r.err;
}

TEST_F(NuagectlProviderTest, AWatchWhoseServerRestartsResumesFromItsCursorWithNothingLost) {
  Team buyer = BuildBuyer();
  std::string key;
  auto orders = Orders(buyer, 1, &key);  // event 1
  // A server of the watch's own, on the same database, stopped mid-watch
  // and started again on the same port.
  auto first = ServerProcess::Start(Db(), {});
  ASSERT_NE(first, nullptr);
  int port = first->port();
  CtlRun r;
  std::thread watch([&] {
    r = RunNuagectl(home_, first->address(), {"--json", "--timeout", "9000", "provider", "watch"},
                    "", key);
  });
  // The watch prints event 1 and waits on the open stream; the server
  // stops (the stream ends UNAVAILABLE), two orders are placed through
  // another server meanwhile, and the watch's server comes back.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  first.reset();
  nuage::v1::Order o;
  std::string product = orders[0].lines(0).product_id(), plan = orders[0].lines(0).plan_id();
  std::vector<std::string> numbers = {orders[0].number()};
  for (int i = 0; i < 2; i++) {
    ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 1)}), &o).ok());
    numbers.push_back(o.number());
  }
  auto second = ServerProcess::Start(Db(), {"--listen", "127.0.0.1:" + std::to_string(port)});
  watch.join();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(r.status, 0) << r.err;
  // Every event once, in order, across the restart.
  auto lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 3u) << r.out << r.err;
  for (size_t i = 0; i < lines.size(); i++) {
    EXPECT_EQ(lines[i].find("{\"cursor\":" + std::to_string(i + 1) + ","), 0u) << lines[i];
    EXPECT_EQ(JsonField(lines[i], "number"), numbers[i]) << lines[i];
  }
  EXPECT_NE(r.err.find("reconnecting in "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("from cursor 1\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("resumed after cursor 1"), std::string::npos) << r.err;
}

TEST_F(NuagectlProviderTest, ReportSendsBatchesAndNeverPrintsAccessDetails) {
  Team buyer = BuildBuyer();
  std::string key;
  auto orders = Orders(buyer, 1, &key, 2);
  std::string line = orders[0].lines(0).id();
  std::string secret = Unique("vpn-password-");
  std::string file = Write(
      "reports.jsonl",
      "{\"event_id\":\"r-1\",\"event_time\":\"2027-01-15T10:00:00Z\",\"line_id\":\"" + line +
          "\",\"state\":\"delivered\",\"quantity_delivered\":2,\"access_details\":\"" + secret +
          "\"}\n"
          "\n"
          "{\"event_id\":\"r-1\",\"event_time\":\"2027-01-15T10:00:00Z\",\"line_id\":\"" +
          line + "\",\"state\":\"delivered\",\"quantity_delivered\":2,\"access_details\":\"" +
          secret +
          "\"}\n"
          "{\"event_id\":\"r-2\",\"event_time\":\"2027-01-14T10:00:00+01:00\",\"line_id\":\"" +
          line +
          "\",\"state\":\"in_progress\",\"expected_delivery_time\":\"2027-01-20T00:00:00Z\"}\n"
          "{\"event_id\":\"r-3\",\"event_time\":\"2027-01-15T11:00:00Z\",\"line_id\":"
          "\"00000000-0000-4000-8000-000000000000\",\"state\":\"failed\",\"failure_reason\":"
          "\"quota\"}\n"
          "{\"event_id\":\"r-4\",\"event_time\":\"yesterday\",\"access_details\":\"" +
          secret + "\"}\n");

  CtlRun r = Ctl(key, {"provider", "report", file, "--batch", "1"});
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("line 1  r-1  applied"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("line 3  r-1  duplicate"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("line 4  r-2  stale"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("line 5  r-3  rejected  NOT_FOUND"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("line 6  r-4  rejected  MALFORMED_LINE: event_time"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("applied: 1\nduplicate: 1\nstale: 1\nrejected: 2\n"), std::string::npos)
      << r.out;
  // stderr is not a terminal: plain progress lines, one per batch.
  EXPECT_NE(r.err.find("reported 2/5\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("reported 5/5\n"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(secret), std::string::npos);
  EXPECT_EQ(r.err.find(secret), std::string::npos);
  EXPECT_EQ(One("SELECT provisioning FROM order_lines WHERE id = '" + line + "'"), "delivered");

  // The same file again, as JSON in one batch: everything already seen.
  r = Ctl(key, {"--json", "provider", "report", file});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("{\"line\":1,\"event_id\":\"r-1\",\"outcome\":\"duplicate\",\"error\":null}"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"outcome\":\"rejected\",\"error\":{\"code\":\"NOT_FOUND\""),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(secret), std::string::npos);

  // A file of good reports only: exit 0.
  std::string ok = Write("ok.jsonl", "{\"event_id\":\"r-5\",\"event_time\":\"2027-01-16T10:00:00Z\","
                                     "\"line_id\":\"" + line +
                                         "\",\"state\":\"delivered\",\"quantity_delivered\":2}\n");
  r = Ctl(key, {"provider", "report", ok});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("r-5  applied"), std::string::npos) << r.out;

  r = Ctl(key, {"provider", "report", home_ + "/absent.jsonl"});
  EXPECT_EQ(r.status, 2);
}

TEST_F(NuagectlProviderTest, DocumentGetWritesTheDeliveryNoteAndChecksItsSha256) {
  Team buyer = BuildBuyer();
  std::string key;
  auto orders = Orders(buyer, 1, &key);
  std::string file = Write("deliver.jsonl",
                           "{\"event_id\":\"d-1\",\"event_time\":\"2027-01-15T10:00:00Z\","
                           "\"line_id\":\"" + orders[0].lines(0).id() +
                               "\",\"state\":\"delivered\",\"quantity_delivered\":1}\n");
  CtlRun r = Ctl(key, {"provider", "report", file});
  ASSERT_EQ(r.status, 0) << r.out << r.err;

  r = Ctl(buyer.token, {"--json", "order", "show", orders[0].number()});
  ASSERT_EQ(r.status, 0) << r.err;
  size_t docs = r.out.find("\"documents\":[{\"id\":\"");
  ASSERT_NE(docs, std::string::npos) << r.out;
  std::string doc = r.out.substr(docs + 20, 36);

  std::string pdf = home_ + "/note.pdf";
  r = Ctl(buyer.token, {"--json", "document", "get", doc, "-o", pdf});
  ASSERT_EQ(r.status, 0) << r.err;
  std::ifstream in(pdf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(bytes.substr(0, 5), "%PDF-");
  unsigned char sha[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(sha, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[2 * sizeof(sha) + 1];
  sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
  EXPECT_EQ(JsonField(r.out, "sha256"), hex) << r.out;
  EXPECT_EQ(JsonField(r.out, "kind"), "delivery_note") << r.out;
  EXPECT_EQ(JsonField(r.out, "file"), pdf) << r.out;
  EXPECT_NE(r.out.find("\"size\":" + std::to_string(bytes.size())), std::string::npos) << r.out;
  EXPECT_FALSE(std::ifstream(pdf + ".part").good());

  // Someone else's document: the server's error, no file left behind.
  Team other = BuildBuyer();
  std::string other_pdf = home_ + "/other.pdf";
  r = Ctl(other.token, {"document", "get", doc, "--output", other_pdf});
  EXPECT_EQ(r.status, 3) << r.out;
  EXPECT_FALSE(std::ifstream(other_pdf).good());
  EXPECT_FALSE(std::ifstream(other_pdf + ".part").good());
}

}  // namespace
}  // namespace nuage::testing
