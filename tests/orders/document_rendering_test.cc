// document_rendering_test.cc — delivery notes issued in the report's
// transaction and rendered after it, end to end: a note is pending right
// after ReportProvisioning commits (this binary's main server runs without
// the document worker), GetDocument renders it on demand, the worker of
// other servers on the same database renders pending notes, concurrent
// renderers (two workers and GetDocument) store one content, and a note
// that cannot be rendered stays pending and is retried.
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <thread>

#include "nuage/v1/document.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/orders/order_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::LINE_PROVISIONING_DELIVERED;
using nuage::v1::Order;
using nuage::v1::ReportProvisioningResponse;

class DocumentRenderingTest : public OrderTest {
 protected:
  // Hides OrderTest's: the same server, without the document worker.
  static void SetUpTestSuite() {
    server_ = ServerProcess::Start(SharedCluster().conninfo(),
                                   {"--enable-diagnostics", "--document-poll-ms=0"})
                  .release();
    seller_ = new Team(Seller());
  }

  // Orders units of a fresh product ("Sauvegarde chiffrée …") for a new
  // buyer and has the seller deliver them: the note's document id.
  std::string DeliveredNote(Order* order = nullptr, Team* buyer_out = nullptr) {
    std::string key = AccessKey(*seller_);
    Team buyer = BuildBuyer();
    std::string product = DraftProduct(*seller_, Unique("Sauvegarde chiffrée "));
    std::string plan = SubscriptionPlan(*seller_, product, 1000, 12);
    Publish(*seller_, product);
    Order o;
    EXPECT_TRUE(Create(buyer.token, Request({Item(product, plan, 2)}), &o).ok());
    ReportProvisioningResponse resp;
    grpc::Status st = SendReports(
        key, {Report(Unique("dr-"), 1800000000, o.lines(0).id(), LINE_PROVISIONING_DELIVERED, 2)},
        &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    nuage::v1::GetOrderRequest req;
    req.set_order_id(o.id());
    Order now;
    st = orders_->GetOrder(Ctx(buyer.token).get(), req, &now);
    EXPECT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(now.documents_size(), 1);
    if (order != nullptr) *order = now;
    if (buyer_out != nullptr) *buyer_out = buyer;
    return now.documents_size() == 1 ? now.documents(0).id() : "";
  }

  // Reads document id over address with bearer: its info and content.
  static grpc::Status Read(const std::string& address, const std::string& bearer,
                           const std::string& id, nuage::v1::DocumentInfo* info,
                           std::string* bytes) {
    auto docs = nuage::v1::DocumentService::NewStub(Connect(address));
    auto ctx = Ctx(bearer);
    nuage::v1::GetDocumentRequest req;
    req.set_document_id(id);
    auto reader = docs->GetDocument(ctx.get(), req);
    nuage::v1::DocumentChunk chunk;
    bool first = true;
    while (reader->Read(&chunk)) {
      if (first) *info = chunk.info();
      else bytes->append(chunk.data());
      first = false;
    }
    return reader->Finish();
  }

  // "t" while the row is pending (no content, no SHA-256, not rendered).
  static std::string Pending(const std::string& id) {
    auto rows = PgQuery(Db(),
                        "SELECT (content IS NULL AND sha256 IS NULL AND rendered_at IS NULL)::text"
                        " FROM documents WHERE id = '" + id + "'");
    return rows.size() == 1 ? rows[0][0] : "absent";
  }

  static std::string StoredSha(const std::string& id) {
    auto rows = PgQuery(Db(), "SELECT COALESCE(sha256, '') FROM documents WHERE id = '" + id + "'");
    return rows.size() == 1 ? rows[0][0] : "";
  }

  static std::string Sha(const std::string& bytes) {
    unsigned char sha[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(sha, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[2 * sizeof(sha) + 1];
    sodium_bin2hex(hex, sizeof(hex), sha, sizeof(sha));
    return hex;
  }

  // The text of a PDF, read back with pdftotext (poppler-utils).
  static std::string PdfText(const std::string& pdf) {
    std::string dir = std::getenv("TEST_TMPDIR") != nullptr ? std::getenv("TEST_TMPDIR") : "/tmp";
    std::string in = dir + "/rendered.pdf", out = dir + "/rendered.txt";
    std::ofstream(in, std::ios::binary) << pdf;
    std::string cmd = "pdftotext -layout '" + in + "' '" + out + "' 2>/dev/null";
    if (std::system(cmd.c_str()) != 0) return "";
    std::ifstream f(out);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }

  // A server on this binary's database with the worker polling every 20 ms.
  static std::vector<std::string> WorkerFlags() { return {"--document-poll-ms=20"}; }
};

TEST_F(DocumentRenderingTest, ANoteIsPendingAfterTheReportAndGetDocumentRendersIt) {
  Order o;
  Team buyer;
  std::string id = DeliveredNote(&o, &buyer);
  ASSERT_FALSE(id.empty());
  // Committed with the report, not rendered: the e-mail already names it.
  EXPECT_EQ(Pending(id), "true");
  EXPECT_EQ(JsonField(LatestOutbox(Db(), buyer.email, "order_delivered"), "document_id"), id);

  nuage::v1::DocumentInfo info;
  std::string pdf;
  grpc::Status st = Read(server_->address(), buyer.token, id, &info, &pdf);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(Pending(id), "false");
  EXPECT_EQ(info.size(), static_cast<int64_t>(pdf.size()));
  EXPECT_EQ(info.sha256(), Sha(pdf));
  EXPECT_EQ(StoredSha(id), info.sha256());
  std::string text = PdfText(pdf);
  EXPECT_NE(text.find(info.number()), std::string::npos) << text;
  EXPECT_NE(text.find(o.number()), std::string::npos) << text;
  EXPECT_NE(text.find("EJ-2026-0042"), std::string::npos) << text;
  EXPECT_NE(text.find("Sauvegarde chiffrée"), std::string::npos) << text;

  // Rendered once: a second read gets the stored bytes.
  std::string again;
  ASSERT_TRUE(Read(server_->address(), buyer.token, id, &info, &again).ok());
  EXPECT_EQ(again, pdf);
}

TEST_F(DocumentRenderingTest, TheWorkerRendersPendingNotes) {
  std::string id = DeliveredNote();
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(Pending(id), "true");
  auto worker = ServerProcess::Start(Db(), WorkerFlags());
  ASSERT_NE(worker, nullptr);
  EXPECT_TRUE(Eventually([&] { return Pending(id) == "false"; }, std::chrono::seconds(20)));
  // What a reader then gets is what the worker stored.
  nuage::v1::DocumentInfo info;
  std::string pdf;
  ASSERT_TRUE(Read(server_->address(), seller_->token, id, &info, &pdf).ok());
  EXPECT_EQ(Sha(pdf), StoredSha(id));
  EXPECT_NE(PdfText(pdf).find(info.number()), std::string::npos);
}

TEST_F(DocumentRenderingTest, TwoWorkersAndGetDocumentStoreOneContent) {
  std::vector<std::string> ids;
  for (int i = 0; i < 6; i++) ids.push_back(DeliveredNote());
  for (const auto& id : ids) ASSERT_EQ(Pending(id), "true");
  // Two workers start at once while readers ask for every note.
  auto a = ServerProcess::Spawn(Db(), WorkerFlags());
  auto b = ServerProcess::Spawn(Db(), WorkerFlags());
  ASSERT_TRUE(a->WaitUntilServing());
  ASSERT_TRUE(b->WaitUntilServing());
  std::vector<std::future<std::string>> reads;
  for (const auto& id : ids) {
    for (const std::string& address : {server_->address(), a->address(), b->address()}) {
      reads.push_back(std::async(std::launch::async, [address, id] {
        nuage::v1::DocumentInfo info;
        std::string pdf;
        grpc::Status st = Read(address, seller_->token, id, &info, &pdf);
        EXPECT_TRUE(st.ok()) << Describe(st);
        EXPECT_EQ(info.sha256(), Sha(pdf));
        return pdf;
      }));
    }
  }
  for (size_t i = 0; i < reads.size(); i++) {
    std::string pdf = reads[i].get();
    EXPECT_EQ(Sha(pdf), StoredSha(ids[i / 3])) << "note " << i / 3;
  }
  for (const auto& id : ids) EXPECT_EQ(Pending(id), "false");
}

TEST_F(DocumentRenderingTest, ANoteThatCannotBeRenderedStaysPendingAndIsRetried) {
  std::string id = DeliveredNote();
  ASSERT_FALSE(id.empty());
  // A snapshot the renderer refuses (a malformed number).
  PgQuery(Db(), "UPDATE documents SET render_input = jsonb_set(render_input, '{number}',"
                " '\"XX\"') WHERE id = '" + id + "'");
  nuage::v1::DocumentInfo info;
  std::string pdf;
  grpc::Status st = Read(server_->address(), seller_->token, id, &info, &pdf);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(st);
  EXPECT_EQ(Reason(st), "DOCUMENT_RENDERING_FAILED");
  EXPECT_TRUE(pdf.empty());
  EXPECT_EQ(Pending(id), "true");

  // One whose snapshot cannot even be read (a malformed date), and a good
  // one: bad rows never block the others.
  std::string bad_date = DeliveredNote();
  PgQuery(Db(), "UPDATE documents SET render_input = jsonb_set(render_input, '{date}',"
                " '\"2027-02-30\"') WHERE id = '" + bad_date + "'");
  std::string good = DeliveredNote();

  auto worker = ServerProcess::Start(Db(), WorkerFlags());
  ASSERT_NE(worker, nullptr);
  EXPECT_TRUE(Eventually([&] { return Pending(good) == "false"; }, std::chrono::seconds(20)));
  auto attempts_of = [&](const std::string& doc) {
    auto rows = PgQuery(Db(), "SELECT render_attempts FROM documents WHERE id = '" + doc + "'");
    return rows.size() == 1 ? std::stoi(rows[0][0]) : -1;
  };
  EXPECT_TRUE(Eventually([&] { return attempts_of(bad_date) >= 1; }, std::chrono::seconds(20)));
  EXPECT_EQ(Pending(bad_date), "true");
  auto attempts = [&] {
    auto rows = PgQuery(Db(), "SELECT render_attempts FROM documents WHERE id = '" + id + "'");
    return rows.size() == 1 ? std::stoi(rows[0][0]) : -1;
  };
  ASSERT_TRUE(Eventually([&] { return attempts() >= 1; }, std::chrono::seconds(20)));
  EXPECT_EQ(Pending(id), "true");
  auto rows = PgQuery(Db(), "SELECT render_error <> '', render_after > now()"
                            " FROM documents WHERE id = '" + id + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "t");
  EXPECT_EQ(rows[0][1], "t");  // backing off
  EXPECT_NE(worker->Log().find("document rendering failed"), std::string::npos);

  // Once it can be rendered, the next attempt stores it.
  PgQuery(Db(), "UPDATE documents SET render_input = jsonb_set(render_input, '{number}',"
                " to_jsonb(number)) WHERE id = '" + id + "'");
  EXPECT_TRUE(Eventually([&] { return Pending(id) == "false"; }, std::chrono::seconds(20)));
  ASSERT_TRUE(Read(server_->address(), seller_->token, id, &info, &pdf).ok());
  EXPECT_EQ(Sha(pdf), StoredSha(id));
}

}  // namespace
}  // namespace nuage::testing
