// provisioning_test.cc — ProvisioningService end to end with a provider's
// access key: the feed (ListOrderEvents by cursor, WatchOrderEvents with a
// dropped stream resumed from its cursor), ReportProvisioning (in
// progress, delivered with sealed access details, failed; duplicates,
// stale reports, another provider's line, bounds), the order's status
// following its lines, and GetLineAccessDetails for the buyer's managers.
#include <chrono>
#include <set>
#include <thread>

#include <sodium.h>

#include <csignal>
#include <cstdio>
#include <fstream>

#include "nuage/v1/document.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/orders/order_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::LINE_PROVISIONING_DELIVERED;
using nuage::v1::LINE_PROVISIONING_FAILED;
using nuage::v1::LINE_PROVISIONING_IN_PROGRESS;
using nuage::v1::Order;
using nuage::v1::ReportProvisioningResponse;

class ProvisioningTest : public OrderTest {
 protected:
  // Events of the seller's feed after cursor, all pages.
  std::vector<nuage::v1::OrderEvent> Feed(const std::string& bearer, int64_t cursor = 0) {
    std::vector<nuage::v1::OrderEvent> out;
    for (;;) {
      nuage::v1::ListOrderEventsRequest req;
      req.set_cursor(cursor);
      req.set_page_size(3);
      nuage::v1::ListOrderEventsResponse resp;
      grpc::Status st = provisioning_->ListOrderEvents(Ctx(bearer).get(), req, &resp);
      EXPECT_TRUE(st.ok()) << Describe(st);
      if (!st.ok() || resp.events_size() == 0) return out;
      for (const auto& e : resp.events()) out.push_back(e);
      cursor = resp.next_cursor();
    }
  }

  Order Get(const Team& buyer, const std::string& id) {
    nuage::v1::GetOrderRequest req;
    req.set_order_id(id);
    Order out;
    grpc::Status st = orders_->GetOrder(Ctx(buyer.token).get(), req, &out);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return out;
  }
};

TEST_F(ProvisioningTest, FeedPagesByCursorWithoutGapsAndOnlyTheSellersOrders) {
  Team seller = Seller();
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller);
  std::string plan = SubscriptionPlan(seller, product, 1000, 12);
  Publish(seller, product);
  std::vector<std::string> placed;
  for (int i = 0; i < 7; i++) {
    Order o;
    ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 1)}), &o).ok());
    placed.push_back(o.id());
  }
  MustOrder(buyer);  // another seller's order: not in this feed

  auto events = Feed(key);
  ASSERT_EQ(events.size(), 7u);
  for (size_t i = 0; i < events.size(); i++) {
    EXPECT_EQ(events[i].cursor(), static_cast<int64_t>(i + 1));
    EXPECT_EQ(events[i].kind(), nuage::v1::ORDER_EVENT_KIND_ORDER_CREATED);
    EXPECT_EQ(events[i].order().id(), placed[i]);
    EXPECT_EQ(events[i].order().seller_id(), seller.org);
  }
  // Resuming after cursor 4 gives 5, 6, 7 only.
  auto rest = Feed(key, 4);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].cursor(), 5);

  // A negative cursor is a field violation; a buyer without storefront
  // rights is refused.
  nuage::v1::ListOrderEventsRequest bad;
  bad.set_cursor(-1);
  nuage::v1::ListOrderEventsResponse resp;
  grpc::Status st = provisioning_->ListOrderEvents(Ctx(key).get(), bad, &resp);
  EXPECT_TRUE(HasViolation(st, "cursor"));
  std::string orders_only = SeedCaller(Db(), buyer.org, Unique("lecteur"), [] {
    Levels l{};
    l.fill(0);
    l[3] = 2;
    return l;
  }());
  EXPECT_EQ(provisioning_->ListOrderEvents(Ctx(orders_only).get(),
                                           nuage::v1::ListOrderEventsRequest(), &resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ProvisioningTest, ReportsMoveTheLineAndTheOrderAndSealAccessDetails) {
  Team seller = Seller();
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller);
  std::string plan = SubscriptionPlan(seller, product, 1000, 12);
  Publish(seller, product);
  Order o;
  ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 3), Item(product, plan, 2)}), &o).ok());
  std::string l1 = o.lines(0).id(), l2 = o.lines(1).id();
  int64_t t = 1800000000;

  ReportProvisioningResponse resp;
  auto progress = Report("evt-1", t, l1, LINE_PROVISIONING_IN_PROGRESS);
  progress.mutable_expected_delivery_time()->set_seconds(t + 86400);
  ASSERT_TRUE(SendReports(key, {progress}, &resp).ok());
  ASSERT_EQ(resp.results_size(), 1);
  EXPECT_EQ(resp.results(0).outcome(), nuage::v1::REPORT_OUTCOME_APPLIED);
  Order now = Get(buyer, o.id());
  EXPECT_EQ(now.lines(0).provisioning(), LINE_PROVISIONING_IN_PROGRESS);
  EXPECT_EQ(now.lines(0).expected_delivery_time().seconds(), t + 86400);
  EXPECT_EQ(now.status(), nuage::v1::ORDER_STATUS_TO_DELIVER);

  // Part of line 1: partially delivered, with access details.
  const std::string secret = "https://console.example.fr compte=ministere mot-de-passe=Zx9!ultra";
  auto part = Report("evt-2", t + 10, l1, LINE_PROVISIONING_DELIVERED, 2);
  part.set_access_details(secret);
  ASSERT_TRUE(SendReports(key, {part}, &resp).ok());
  EXPECT_EQ(resp.results(0).outcome(), nuage::v1::REPORT_OUTCOME_APPLIED);
  now = Get(buyer, o.id());
  EXPECT_EQ(now.status(), nuage::v1::ORDER_STATUS_PARTIALLY_DELIVERED);
  EXPECT_EQ(now.lines(0).quantity_delivered(), 2);
  EXPECT_TRUE(now.lines(0).has_access_details());
  EXPECT_EQ(now.SerializeAsString().find("mot-de-passe"), std::string::npos);
  // Sealed at rest: the database never holds the text.
  EXPECT_EQ(Count("SELECT count(*) FROM order_lines WHERE"
                  " position('mot-de-passe'::bytea in access_details_sealed) > 0"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE payload::text LIKE '%mot-de-passe%'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM order_lines WHERE id = '" + l1 +
                  "' AND access_details_sealed IS NOT NULL"),
            1);
  EXPECT_FALSE(JsonField(LatestOutbox(Db(), buyer.email, "order_delivered"), "order_number").empty());

  // The buyer's manager reads them; a visitor on orders may not; another
  // organisation gets NOT_FOUND.
  nuage::v1::GetLineAccessDetailsRequest areq;
  areq.set_order_id(o.id());
  areq.set_line_id(l1);
  nuage::v1::LineAccessDetails details;
  grpc::Status st = orders_->GetLineAccessDetails(Ctx(buyer.token).get(), areq, &details);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(details.access_details(), secret);
  std::string visitor = SeedCaller(Db(), buyer.org, Unique("visiteur"), [] {
    Levels l{};
    l.fill(0);
    l[3] = 1;
    return l;
  }());
  EXPECT_EQ(orders_->GetLineAccessDetails(Ctx(visitor).get(), areq, &details).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  Team stranger = BuildBuyer();
  EXPECT_EQ(orders_->GetLineAccessDetails(Ctx(stranger.token).get(), areq, &details).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'order.read_access_details'"
                  " AND target_id = '" + l1 + "'"),
            1);

  // The rest in one batch: delivered.
  ASSERT_TRUE(SendReports(key,
                          {Report("evt-3", t + 20, l1, LINE_PROVISIONING_DELIVERED, 3),
                           Report("evt-4", t + 20, l2, LINE_PROVISIONING_DELIVERED, 2)},
                          &resp)
                  .ok());
  EXPECT_EQ(resp.results(0).outcome(), nuage::v1::REPORT_OUTCOME_APPLIED);
  EXPECT_EQ(resp.results(1).outcome(), nuage::v1::REPORT_OUTCOME_APPLIED);
  now = Get(buyer, o.id());
  EXPECT_EQ(now.status(), nuage::v1::ORDER_STATUS_DELIVERED);

  // The feed saw it all: created, then line and order changes.
  auto events = Feed(key);
  ASSERT_GE(events.size(), 6u);
  EXPECT_EQ(events.front().kind(), nuage::v1::ORDER_EVENT_KIND_ORDER_CREATED);
  EXPECT_EQ(events.back().kind(), nuage::v1::ORDER_EVENT_KIND_ORDER_CHANGED);
  EXPECT_EQ(events.back().order().status(), nuage::v1::ORDER_STATUS_DELIVERED);
}

TEST_F(ProvisioningTest, DuplicatesStaleReportsAndOtherProvidersLinesChangeNothing) {
  Team seller = Seller();
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller);
  std::string plan = SubscriptionPlan(seller, product, 1000, 12);
  Publish(seller, product);
  Order o;
  ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 5)}), &o).ok());
  std::string line = o.lines(0).id();
  int64_t t = 1800000000;
  ReportProvisioningResponse resp;

  // The same report twice (in two batches, and twice in one batch).
  auto r = Report("dup-1", t, line, LINE_PROVISIONING_DELIVERED, 2);
  ASSERT_TRUE(SendReports(key, {r, r}, &resp).ok());
  EXPECT_EQ(resp.results(0).outcome(), nuage::v1::REPORT_OUTCOME_APPLIED);
  EXPECT_EQ(resp.results(1).outcome(), nuage::v1::REPORT_OUTCOME_DUPLICATE);
  ASSERT_TRUE(SendReports(key, {r}, &resp).ok());
  EXPECT_EQ(resp.results(0).outcome(), nuage::v1::REPORT_OUTCOME_DUPLICATE);
  int events = Count("SELECT count(*) FROM order_events WHERE order_id = '" + o.id() + "'");

  // A newer report, then an older one: the older changes nothing.
  ASSERT_TRUE(SendReports(key, {Report("new-1", t + 100, line, LINE_PROVISIONING_DELIVERED, 4)},
                          &resp)
                  .ok());
  ASSERT_TRUE(SendReports(key, {Report("old-1", t + 50, line, LINE_PROVISIONING_FAILED)}, &resp)
                  .ok());
  // (a FAILED without reason is malformed; the stale check needs a well-formed one)
  EXPECT_EQ(resp.results(0).outcome(), nuage::v1::REPORT_OUTCOME_REJECTED);
  auto old = Report("old-2", t + 50, line, LINE_PROVISIONING_FAILED);
  old.set_failure_reason("quota dépassé");
  ASSERT_TRUE(SendReports(key, {old}, &resp).ok());
  EXPECT_EQ(resp.results(0).outcome(), nuage::v1::REPORT_OUTCOME_STALE);
  ASSERT_TRUE(SendReports(key, {old}, &resp).ok());
  EXPECT_EQ(resp.results(0).outcome(), nuage::v1::REPORT_OUTCOME_DUPLICATE);
  nuage::v1::GetOrderRequest g;
  g.set_order_id(o.id());
  Order now;
  ASSERT_TRUE(orders_->GetOrder(Ctx(buyer.token).get(), g, &now).ok());
  EXPECT_EQ(now.lines(0).quantity_delivered(), 4);
  EXPECT_EQ(now.lines(0).provisioning(), LINE_PROVISIONING_DELIVERED);
  EXPECT_EQ(Count("SELECT count(*) FROM order_events WHERE order_id = '" + o.id() + "'"),
            events + 1);

  // Another provider reporting on this line: exactly like an absent line.
  Team rival = Seller();
  std::string rival_key = AccessKey(rival);
  ASSERT_TRUE(SendReports(rival_key,
                          {Report("x-1", t + 200, line, LINE_PROVISIONING_DELIVERED, 5),
                           Report("x-2", t + 200, "00000000-0000-4000-8000-000000000000",
                                  LINE_PROVISIONING_DELIVERED, 5)},
                          &resp)
                  .ok());
  EXPECT_EQ(resp.results(0).outcome(), nuage::v1::REPORT_OUTCOME_REJECTED);
  EXPECT_EQ(resp.results(0).error().code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(resp.results(0).error().SerializeAsString(),
            resp.results(1).error().SerializeAsString());
  ASSERT_TRUE(orders_->GetOrder(Ctx(buyer.token).get(), g, &now).ok());
  EXPECT_EQ(now.lines(0).quantity_delivered(), 4);

  // Bounds: more than the line, a malformed item next to a good one, an
  // empty batch, a batch over 1000.
  ASSERT_TRUE(SendReports(key,
                          {Report("big-1", t + 300, line, LINE_PROVISIONING_DELIVERED, 6),
                           Report("", t + 300, line, LINE_PROVISIONING_DELIVERED, 1),
                           Report("ok-1", t + 300, line, LINE_PROVISIONING_DELIVERED, 5)},
                          &resp)
                  .ok());
  EXPECT_EQ(resp.results(0).error().reason(), "DELIVERED_QUANTITY_EXCEEDS_ORDERED");
  EXPECT_EQ(resp.results(0).error().field(), "quantity_delivered");
  EXPECT_EQ(resp.results(1).error().field(), "event_id");
  EXPECT_EQ(resp.results(2).outcome(), nuage::v1::REPORT_OUTCOME_APPLIED);
  EXPECT_EQ(SendReports(key, {}, &resp).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<nuage::v1::ProvisioningReport> many(
      1001, Report("m", t, line, LINE_PROVISIONING_IN_PROGRESS));
  grpc::Status st = SendReports(key, many, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "reports"));
}

TEST_F(ProvisioningTest, WatchStreamsNewEventsAndResumesFromItsCursorWithNothingLost) {
  Team seller = Seller();
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller);
  std::string plan = SubscriptionPlan(seller, product, 1000, 12);
  Publish(seller, product);
  Order first;
  ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 1)}), &first).ok());

  int64_t cursor = 0;
  std::set<int64_t> seen;
  {
    auto ctx = std::make_unique<grpc::ClientContext>();
    WithBearer(ctx.get(), key);
    nuage::v1::WatchOrderEventsRequest req;
    auto reader = provisioning_->WatchOrderEvents(ctx.get(), req);
    nuage::v1::OrderEvent e;
    ASSERT_TRUE(reader->Read(&e));
    EXPECT_EQ(e.cursor(), 1);
    EXPECT_FALSE(e.resumed());
    EXPECT_EQ(e.order().id(), first.id());
    seen.insert(e.cursor());
    cursor = e.cursor();
    // A new order while the stream is open arrives on it.
    Order second;
    ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 2)}), &second).ok());
    ASSERT_TRUE(reader->Read(&e));
    EXPECT_EQ(e.cursor(), 2);
    EXPECT_EQ(e.order().id(), second.id());
    seen.insert(e.cursor());
    cursor = e.cursor();
    // The stream drops.
    ctx->TryCancel();
    reader->Finish();
  }
  // Meanwhile three more orders.
  for (int i = 0; i < 3; i++) {
    Order o;
    ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 1)}), &o).ok());
  }
  auto ctx = std::make_unique<grpc::ClientContext>();
  WithBearer(ctx.get(), key);
  nuage::v1::WatchOrderEventsRequest req;
  req.set_cursor(cursor);
  auto reader = provisioning_->WatchOrderEvents(ctx.get(), req);
  nuage::v1::OrderEvent e;
  for (int i = 0; i < 3; i++) {
    ASSERT_TRUE(reader->Read(&e));
    EXPECT_EQ(e.cursor(), cursor + 1 + i);
    EXPECT_EQ(e.resumed(), i == 0);
    EXPECT_TRUE(seen.insert(e.cursor()).second) << "event " << e.cursor() << " sent twice";
  }
  EXPECT_EQ(seen, (std::set<int64_t>{1, 2, 3, 4, 5}));
  ctx->TryCancel();
  reader->Finish();

  // Another seller's stream sees none of these.
  Team other = Seller();
  std::string other_key = AccessKey(other);
  nuage::v1::ListOrderEventsResponse resp;
  ASSERT_TRUE(provisioning_->ListOrderEvents(Ctx(other_key).get(),
                                             nuage::v1::ListOrderEventsRequest(), &resp)
                  .ok());
  EXPECT_EQ(resp.events_size(), 0);
}

TEST_F(ProvisioningTest, AStoppingServerEndsTheStreamAtOnceWithTheCursorToResumeFrom) {
  // A server of its own, stopped with SIGTERM while a watcher is idle: the
  // stream ends UNAVAILABLE SERVER_STOPPING at once, not after the 30 s
  // shutdown grace.
  auto own = ServerProcess::Start(SharedCluster().conninfo(), {});
  ASSERT_NE(own, nullptr);
  Team seller = Seller();
  std::string key = AccessKey(seller);
  auto stub = nuage::v1::ProvisioningService::NewStub(Connect(own->address()));
  grpc::ClientContext ctx;
  WithBearer(&ctx, key);
  nuage::v1::WatchOrderEventsRequest req;
  req.set_cursor(0);
  auto reader = stub->WatchOrderEvents(&ctx, req);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // idle, polling
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(own->Signal(SIGTERM));
  nuage::v1::OrderEvent e;
  EXPECT_FALSE(reader->Read(&e));
  grpc::Status st = reader->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(st);
  EXPECT_EQ(Reason(st), "SERVER_STOPPING");
  EXPECT_NE(st.error_message().find("cursor 0"), std::string::npos);
  EXPECT_EQ(own->Wait(std::chrono::seconds(20)), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
}

// The text of a PDF, read back with pdftotext (poppler-utils).
static std::string PdfText(const std::string& pdf) {
  std::string dir = std::getenv("TEST_TMPDIR") != nullptr ? std::getenv("TEST_TMPDIR") : "/tmp";
  std::string in = dir + "/note.pdf", out = dir + "/note.txt";
  std::ofstream(in, std::ios::binary) << pdf;
  std::string cmd = "pdftotext -layout '" + in + "' '" + out + "' 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) return "";
  std::ifstream f(out);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

TEST_F(ProvisioningTest, ADeliveryIssuesADeliveryNoteTheBuyerAndTheSellerCanRead) {
  Team seller = Seller();
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller, Unique("Sauvegarde chiffrée "));
  std::string plan = SubscriptionPlan(seller, product, 1000, 12);
  Publish(seller, product);
  Order o;
  ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 4), Item(product, plan, 1)}), &o).ok());
  ReportProvisioningResponse resp;
  // One batch delivering on both lines: one note with both.
  ASSERT_TRUE(SendReports(key,
                          {Report("bl-1", 1800000000, o.lines(0).id(), LINE_PROVISIONING_DELIVERED, 3),
                           Report("bl-2", 1800000000, o.lines(1).id(), LINE_PROVISIONING_DELIVERED, 1)},
                          &resp)
                  .ok());
  Order now = Get(buyer, o.id());
  ASSERT_EQ(now.documents_size(), 1);
  const auto& doc = now.documents(0);
  EXPECT_EQ(doc.kind(), "delivery_note");
  EXPECT_EQ(doc.number().substr(0, 2), "BL");
  EXPECT_EQ(doc.number().size(), 8u);
  EXPECT_EQ(JsonField(LatestOutbox(Db(), buyer.email, "order_delivered"), "document_number"),
            doc.number());

  auto docs = nuage::v1::DocumentService::NewStub(channel_);
  auto read = [&](const std::string& bearer, nuage::v1::DocumentInfo* info, std::string* bytes) {
    auto ctx = Ctx(bearer);
    nuage::v1::GetDocumentRequest req;
    req.set_document_id(doc.id());
    auto reader = docs->GetDocument(ctx.get(), req);
    nuage::v1::DocumentChunk chunk;
    bool first = true;
    while (reader->Read(&chunk)) {
      if (first) *info = chunk.info();
      else bytes->append(chunk.data());
      first = false;
    }
    return reader->Finish();
  };
  nuage::v1::DocumentInfo info;
  std::string pdf;
  grpc::Status st = read(buyer.token, &info, &pdf);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(info.number(), doc.number());
  EXPECT_EQ(info.size(), static_cast<int64_t>(pdf.size()));
  unsigned char sha[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(sha, reinterpret_cast<const unsigned char*>(pdf.data()), pdf.size());
  char hex[2 * sizeof(sha) + 1];
  sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
  EXPECT_EQ(info.sha256(), hex);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  std::string text = PdfText(pdf);
  EXPECT_NE(text.find(doc.number()), std::string::npos) << text;
  EXPECT_NE(text.find(o.number()), std::string::npos);
  EXPECT_NE(text.find("EJ-2026-0042"), std::string::npos);
  EXPECT_NE(text.find("Sauvegarde chiffrée"), std::string::npos);

  // The seller's backend reads it too; another organisation gets the
  // NOT_FOUND of an absent document.
  std::string again;
  EXPECT_TRUE(read(key, &info, &again).ok());
  EXPECT_EQ(again, pdf);
  Team stranger = BuildBuyer();
  std::string none;
  st = read(stranger.token, &info, &none);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(none.empty());
}

}  // namespace
}  // namespace nuage::testing
