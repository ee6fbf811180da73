// report_batch_test.cc — ReportProvisioning decides a whole batch at once
// (its orders read and locked in one query, its writes sent one statement
// per table): a batch must give exactly what the same reports give one
// batch at a time, whatever it mixes (several orders, several reports on
// one line, status moves in stages, duplicates after a rejection, stale
// reports behind newer ones of the same batch, another provider's line,
// event ids full of the characters an array literal quotes), and
// concurrent batches over the same orders in opposite orders must all
// apply, with a feed numbered without gaps.
#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/orders/order_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::LINE_PROVISIONING_DELIVERED;
using nuage::v1::LINE_PROVISIONING_FAILED;
using nuage::v1::LINE_PROVISIONING_IN_PROGRESS;
using nuage::v1::Order;
using nuage::v1::ProvisioningReport;
using nuage::v1::ReportProvisioningResponse;

class ReportBatchTest : public OrderTest {
 protected:
  Order Get(const Team& buyer, const std::string& id) {
    nuage::v1::GetOrderRequest req;
    req.set_order_id(id);
    Order out;
    grpc::Status st = orders_->GetOrder(Ctx(buyer.token).get(), req, &out);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return out;
  }

  // The kinds of the feed's events about order_id (with their line's
  // position in the order, -1 for the order itself), oldest first.
  std::vector<std::string> Kinds(const std::string& order_id) {
    return Column(
        "SELECT e.kind || ':' || COALESCE(l.position::text, '-') FROM order_events e"
        " LEFT JOIN order_lines l ON l.id = e.line_id WHERE e.order_id = '" +
        order_id + "' ORDER BY e.seq");
  }

  std::vector<std::string> Column(const std::string& sql) {
    std::vector<std::string> out;
    for (const auto& row : PgQuery(Db(), sql)) out.push_back(row.at(0));
    return out;
  }

  std::string AccessOf(const Team& buyer, const std::string& order, const std::string& line) {
    nuage::v1::GetLineAccessDetailsRequest req;
    req.set_order_id(order);
    req.set_line_id(line);
    nuage::v1::LineAccessDetails out;
    grpc::Status st = orders_->GetLineAccessDetails(Ctx(buyer.token).get(), req, &out);
    return st.ok() ? out.access_details() : "(" + std::to_string(st.error_code()) + ")";
  }
};

// What a line looks like to the buyer, for comparing two twins.
std::string LineState(const nuage::v1::OrderLine& l) {
  return std::to_string(l.provisioning()) + "/" + std::to_string(l.quantity_delivered()) + "/" +
         l.failure_reason() + "/" + (l.has_access_details() ? "access" : "-");
}

TEST_F(ReportBatchTest, ABatchGivesWhatTheSameReportsGiveOneByOne) {
  Team seller = Seller();
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller);
  std::string plan = SubscriptionPlan(seller, product, 1000, 12);
  Publish(seller, product);
  Team rival = Seller();
  std::string rival_product = DraftProduct(rival);
  std::string rival_plan = SubscriptionPlan(rival, rival_product, 1000, 12);
  Publish(rival, rival_product);
  Order theirs;
  ASSERT_TRUE(Create(buyer.token, Request({Item(rival_product, rival_plan, 1)}), &theirs).ok());

  // Two twin sets of orders: A (two lines: 2 and 1 units), B (one line).
  struct Twin {
    Order a, b;
  } twins[2];
  for (auto& tw : twins) {
    ASSERT_TRUE(
        Create(buyer.token, Request({Item(product, plan, 2), Item(product, plan, 1)}), &tw.a).ok());
    ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 1)}), &tw.b).ok());
  }
  int64_t t = 1800000000;
  auto reports = [&](const Twin& tw, const std::string& p) {
    std::string a1 = tw.a.lines(0).id(), a2 = tw.a.lines(1).id(), b1 = tw.b.lines(0).id();
    std::vector<ProvisioningReport> v;
    // Event ids with what an array literal must quote.
    std::string odd = p + "q\"uo{te},\\ NULL é";
    v.push_back(Report(odd, t, a1, LINE_PROVISIONING_IN_PROGRESS));
    v.push_back(Report(odd, t + 1, a2, LINE_PROVISIONING_IN_PROGRESS));  // duplicate id
    v.push_back(Report(p + "NULL", t, a2, LINE_PROVISIONING_IN_PROGRESS));
    // Rejected (no reason), then the same id well formed: applied.
    v.push_back(Report(p + "retry", t, b1, LINE_PROVISIONING_FAILED));
    auto failed = Report(p + "retry", t, b1, LINE_PROVISIONING_FAILED);
    failed.set_failure_reason("quota \"dépassé\"");
    v.push_back(failed);
    // A1 delivered in two steps (partially delivered, then A2 completes
    // the order: two status moves in one batch), with access details
    // twice (the newest one stays).
    auto d1 = Report(p + "d1", t + 10, a1, LINE_PROVISIONING_DELIVERED, 1);
    d1.set_access_details("first \\ secret");
    v.push_back(d1);
    auto d2 = Report(p + "d2", t + 11, a1, LINE_PROVISIONING_DELIVERED, 2);
    d2.set_access_details("second {secret}");
    v.push_back(d2);
    v.push_back(Report(p + "over", t + 12, a1, LINE_PROVISIONING_DELIVERED, 3));  // more than 2
    v.push_back(Report(p + "stale", t + 5, a1, LINE_PROVISIONING_IN_PROGRESS));  // older than d2
    v.push_back(Report(p + "stale", t + 50, a1, LINE_PROVISIONING_IN_PROGRESS));  // its repeat
    v.push_back(Report(p + "a2", t + 20, a2, LINE_PROVISIONING_DELIVERED, 1));
    // Another provider's line, and no line at all: the same answer.
    v.push_back(Report(p + "x1", t, theirs.lines(0).id(), LINE_PROVISIONING_IN_PROGRESS));
    v.push_back(
        Report(p + "x2", t, "00000000-0000-4000-8000-000000000000", LINE_PROVISIONING_IN_PROGRESS));
    // B recovers from its failure.
    v.push_back(Report(p + "b1", t + 30, b1, LINE_PROVISIONING_DELIVERED, 1));
    return v;
  };

  std::vector<ProvisioningReport> batch = reports(twins[0], "batch-");
  ReportProvisioningResponse together;
  ASSERT_TRUE(SendReports(key, batch, &together).ok());
  std::vector<ProvisioningReport> single = reports(twins[1], "single-");
  std::vector<nuage::v1::ReportResult> one_by_one;
  for (const auto& r : single) {
    ReportProvisioningResponse resp;
    ASSERT_TRUE(SendReports(key, {r}, &resp).ok());
    one_by_one.push_back(resp.results(0));
  }

  ASSERT_EQ(together.results_size(), static_cast<int>(one_by_one.size()));
  for (size_t i = 0; i < one_by_one.size(); i++) {
    const auto& x = together.results(static_cast<int>(i));
    const auto& y = one_by_one[i];
    EXPECT_EQ(x.event_id(), batch[i].event_id()) << i;
    EXPECT_EQ(x.outcome(), y.outcome()) << "report " << i;
    EXPECT_EQ(x.error().reason(), y.error().reason()) << "report " << i;
    EXPECT_EQ(x.error().field(), y.error().field()) << "report " << i;
    EXPECT_EQ(x.error().message(), y.error().message()) << "report " << i;
  }
  // What it comes to, spelled out once.
  using nuage::v1::REPORT_OUTCOME_APPLIED;
  using nuage::v1::REPORT_OUTCOME_DUPLICATE;
  using nuage::v1::REPORT_OUTCOME_REJECTED;
  using nuage::v1::REPORT_OUTCOME_STALE;
  std::vector<int> want = {REPORT_OUTCOME_APPLIED,  REPORT_OUTCOME_DUPLICATE, REPORT_OUTCOME_APPLIED,
                           REPORT_OUTCOME_REJECTED, REPORT_OUTCOME_APPLIED,   REPORT_OUTCOME_APPLIED,
                           REPORT_OUTCOME_APPLIED,  REPORT_OUTCOME_REJECTED,  REPORT_OUTCOME_STALE,
                           REPORT_OUTCOME_DUPLICATE, REPORT_OUTCOME_APPLIED,  REPORT_OUTCOME_REJECTED,
                           REPORT_OUTCOME_REJECTED, REPORT_OUTCOME_APPLIED};
  ASSERT_EQ(want.size(), batch.size());
  for (size_t i = 0; i < want.size(); i++) {
    EXPECT_EQ(together.results(static_cast<int>(i)).outcome(), want[i]) << "report " << i;
  }
  EXPECT_EQ(together.results(11).error().SerializeAsString(),
            together.results(12).error().SerializeAsString());
  EXPECT_EQ(together.results(11).error().code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));

  // The orders, their lines and their feeds end up alike.
  for (int k = 0; k < 2; k++) {
    Order x = Get(buyer, k == 0 ? twins[0].a.id() : twins[0].b.id());
    Order y = Get(buyer, k == 0 ? twins[1].a.id() : twins[1].b.id());
    EXPECT_EQ(x.status(), y.status()) << x.number();
    ASSERT_EQ(x.lines_size(), y.lines_size());
    for (int i = 0; i < x.lines_size(); i++) {
      EXPECT_EQ(LineState(x.lines(i)), LineState(y.lines(i))) << x.number() << " line " << i;
    }
    EXPECT_EQ(Kinds(x.id()), Kinds(y.id())) << x.number();
  }
  Order a = Get(buyer, twins[0].a.id());
  EXPECT_EQ(a.status(), nuage::v1::ORDER_STATUS_DELIVERED);
  EXPECT_EQ(Get(buyer, twins[0].b.id()).status(), nuage::v1::ORDER_STATUS_DELIVERED);
  EXPECT_EQ(AccessOf(buyer, twins[0].a.id(), a.lines(0).id()), "second {secret}");
  EXPECT_EQ(AccessOf(buyer, twins[1].a.id(), twins[1].a.lines(0).id()), "second {secret}");
  // Every status move is audited, in both.
  for (const auto& tw : twins) {
    EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'order.status'"
                    " AND target_id = '" +
                    tw.a.id() + "'"),
              2);
  }
  // The odd event ids were stored as sent, and a repeat is still a
  // duplicate in the next batch.
  ReportProvisioningResponse again;
  ASSERT_TRUE(SendReports(key, {batch[0], batch[2]}, &again).ok());
  EXPECT_EQ(again.results(0).outcome(), REPORT_OUTCOME_DUPLICATE);
  EXPECT_EQ(again.results(1).outcome(), REPORT_OUTCOME_DUPLICATE);
  // The other provider's order is untouched.
  EXPECT_EQ(Get(buyer, theirs.id()).lines(0).provisioning(), nuage::v1::LINE_PROVISIONING_PENDING);
  // One delivery note per order the batch delivered to (A: both lines in
  // one note), one per delivering report one by one.
  EXPECT_EQ(Count("SELECT count(*) FROM documents WHERE order_id = '" + twins[0].a.id() + "'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM documents WHERE order_id = '" + twins[1].a.id() + "'"), 3);
}

TEST_F(ReportBatchTest, ConcurrentBatchesOverTheSameOrdersAllApplyWithAGaplessFeed) {
  Team seller = Seller();
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller);
  std::string plan = SubscriptionPlan(seller, product, 1000, 12);
  Publish(seller, product);
  std::vector<std::string> lines;
  for (int i = 0; i < 12; i++) {
    Order o;
    ASSERT_TRUE(Create(buyer.token, Request({Item(product, plan, 1)}), &o).ok());
    lines.push_back(o.lines(0).id());
  }
  int64_t first = Count("SELECT COALESCE(max(seq), 0) FROM order_events e JOIN orders o"
                        " ON o.id = e.order_id WHERE o.seller_id = '" +
                        seller.org + "'");
  const int rounds = 15;
  auto run = [&](int who, std::vector<int>* applied, std::vector<int>* failures) {
    for (int round = 0; round < rounds; round++) {
      std::vector<ProvisioningReport> batch;
      for (size_t k = 0; k < lines.size(); k++) {
        size_t i = who == 0 ? k : lines.size() - 1 - k;  // opposite orders
        batch.push_back(Report("c" + std::to_string(who) + "-" + std::to_string(round) + "-" +
                                   std::to_string(i),
                               1800000000 + round * 10 + who, lines[i],
                               LINE_PROVISIONING_IN_PROGRESS));
      }
      ReportProvisioningResponse resp;
      grpc::Status st = SendReports(key, batch, &resp);
      if (!st.ok()) {
        failures->push_back(st.error_code());
        continue;
      }
      for (const auto& r : resp.results()) {
        (*applied)[0] += r.outcome() == nuage::v1::REPORT_OUTCOME_APPLIED;
        (*applied)[1] += r.outcome() == nuage::v1::REPORT_OUTCOME_STALE;
      }
    }
  };
  std::vector<int> applied0(2), applied1(2), fail0, fail1;
  std::thread x(run, 0, &applied0, &fail0);
  std::thread y(run, 1, &applied1, &fail1);
  x.join();
  y.join();
  EXPECT_TRUE(fail0.empty()) << fail0.size() << " batches failed";
  EXPECT_TRUE(fail1.empty()) << fail1.size() << " batches failed";
  // Every report is applied or stale (the two clients' times interleave),
  // each recorded once; the feed has one event per applied report,
  // numbered without a gap or a repeat.
  int reports = 2 * rounds * static_cast<int>(lines.size());
  EXPECT_EQ(applied0[0] + applied0[1] + applied1[0] + applied1[1], reports);
  EXPECT_EQ(Count("SELECT count(*) FROM provisioning_reports WHERE event_id LIKE 'c_-%'"), reports);
  int64_t applied = applied0[0] + applied1[0];
  EXPECT_EQ(Count("SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id"
                  " WHERE o.seller_id = '" +
                  seller.org + "' AND e.seq > " + std::to_string(first)),
            applied);
  EXPECT_EQ(Count("SELECT max(seq) - min(seq) + 1 - count(DISTINCT seq) FROM order_events e"
                  " JOIN orders o ON o.id = e.order_id WHERE o.seller_id = '" +
                  seller.org + "' AND e.seq > " + std::to_string(first)),
            0);
}

}  // namespace
}  // namespace nuage::testing
