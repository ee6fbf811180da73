// subscription_list_test.cc — ListSubscriptions pages in every sort: the
// pages of any size, joined, are the whole list in its order (by the sort's
// time, then id), with nothing twice and nothing missing, when many
// subscriptions share a time and open-ended ones (hourly lines: no end)
// sort last by end.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "nuage/v1/subscription.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/orders/order_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::Order;
using nuage::v1::Subscription;

class SubscriptionListTest : public OrderTest {
 protected:
  // Delivers every line of o in one batch and admits it.
  void DeliverAndAdmit(const std::string& key, const Team& buyer, const Order& o) {
    std::vector<nuage::v1::ProvisioningReport> batch;
    for (const auto& l : o.lines()) {
      batch.push_back(Report("dl-" + l.id(), 1800000000, l.id(),
                             nuage::v1::LINE_PROVISIONING_DELIVERED, l.quantity()));
    }
    nuage::v1::ReportProvisioningResponse resp;
    ASSERT_TRUE(SendReports(key, batch, &resp).ok());
    for (const auto& r : resp.results()) {
      ASSERT_EQ(r.outcome(), nuage::v1::REPORT_OUTCOME_APPLIED) << r.error().message();
    }
    nuage::v1::AdmitDeliveryRequest req;
    req.set_order_id(o.id());
    req.set_request_id("admit-" + o.id());
    Order after;
    grpc::Status st = orders_->AdmitDelivery(Ctx(buyer.token).get(), req, &after);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }

  std::vector<Subscription> All(const std::string& token, nuage::v1::SubscriptionSort sort,
                                int page_size) {
    auto subs = nuage::v1::SubscriptionService::NewStub(channel_);
    std::vector<Subscription> out;
    std::string token_in;
    for (int pages = 0; pages < 100; pages++) {
      nuage::v1::ListSubscriptionsRequest req;
      req.set_sort(sort);
      req.set_page_size(page_size);
      req.set_page_token(token_in);
      nuage::v1::ListSubscriptionsResponse resp;
      grpc::Status st = subs->ListSubscriptions(Ctx(token).get(), req, &resp);
      EXPECT_TRUE(st.ok()) << Describe(st);
      if (!st.ok()) return out;
      EXPECT_LE(resp.subscriptions_size(), page_size);
      out.insert(out.end(), resp.subscriptions().begin(), resp.subscriptions().end());
      if (resp.next_page_token().empty()) return out;
      token_in = resp.next_page_token();
    }
    ADD_FAILURE() << "more than 100 pages";
    return out;
  }
};

// The sort's key of s, open ends as the largest.
int64_t Key(const Subscription& s, nuage::v1::SubscriptionSort sort) {
  switch (sort) {
    case nuage::v1::SUBSCRIPTION_SORT_START_TIME_ASC: return s.start_time().seconds();
    case nuage::v1::SUBSCRIPTION_SORT_END_TIME_ASC:
      return s.has_end_time() ? s.end_time().seconds() : INT64_MAX;
    default:
      return -(s.create_time().seconds() * 1000000000 + s.create_time().nanos());  // newest first
  }
}

TEST_F(SubscriptionListTest, PagesOfAnySizeJoinIntoTheWholeListInEverySort) {
  Team seller = Seller();
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller);
  std::string p12 = SubscriptionPlan(seller, product, 1000, 12);
  std::string p24 = SubscriptionPlan(seller, product, 1000, 24);
  std::string hourly = HourlyPlan(seller, product, 10);
  Publish(seller, product);
  // Seven subscriptions: three of 12 months and two of 24 (each pair
  // sharing its start and end), two hourly (no end).
  std::vector<Order> orders(3);
  ASSERT_TRUE(Create(buyer.token,
                     Request({Item(product, p12, 1), Item(product, p12, 2), Item(product, p24, 1)}),
                     &orders[0])
                  .ok());
  ASSERT_TRUE(
      Create(buyer.token, Request({Item(product, p12, 3), Item(product, p24, 2)}), &orders[1]).ok());
  ASSERT_TRUE(Create(buyer.token,
                     Request({Item(product, hourly, 1, 0, 100), Item(product, hourly, 2, 0, 200)}),
                     &orders[2])
                  .ok());
  for (const auto& o : orders) DeliverAndAdmit(key, buyer, o);

  for (auto sort : {nuage::v1::SUBSCRIPTION_SORT_CREATE_TIME_DESC,
                    nuage::v1::SUBSCRIPTION_SORT_START_TIME_ASC,
                    nuage::v1::SUBSCRIPTION_SORT_END_TIME_ASC}) {
    std::vector<Subscription> whole = All(buyer.token, sort, 100);
    ASSERT_EQ(whole.size(), 7u) << nuage::v1::SubscriptionSort_Name(sort);
    for (size_t i = 1; i < whole.size(); i++) {
      int64_t a = Key(whole[i - 1], sort), b = Key(whole[i], sort);
      bool in_order = a < b || (a == b && whole[i - 1].id() < whole[i].id());
      if (sort == nuage::v1::SUBSCRIPTION_SORT_CREATE_TIME_DESC) {
        in_order = a < b || (a == b && whole[i - 1].id() > whole[i].id());
      }
      EXPECT_TRUE(in_order) << nuage::v1::SubscriptionSort_Name(sort) << " at " << i;
    }
    if (sort == nuage::v1::SUBSCRIPTION_SORT_END_TIME_ASC) {
      EXPECT_TRUE(whole[4].has_end_time());
      EXPECT_FALSE(whole[5].has_end_time());
      EXPECT_FALSE(whole[6].has_end_time());
    }
    for (int size : {1, 2, 3}) {
      std::vector<Subscription> paged = All(buyer.token, sort, size);
      ASSERT_EQ(paged.size(), whole.size())
          << nuage::v1::SubscriptionSort_Name(sort) << " pages of " << size;
      for (size_t i = 0; i < whole.size(); i++) {
        EXPECT_EQ(paged[i].id(), whole[i].id())
            << nuage::v1::SubscriptionSort_Name(sort) << " pages of " << size << " at " << i;
      }
    }
  }
}

}  // namespace
}  // namespace nuage::testing
