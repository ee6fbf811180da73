// lifecycle_test.cc — the whole path of issue 11 end to end, on the test
// clock (SetClock lands on exact Paris instants, forward only; every jump
// expires sessions, so buyers sign in again and the provider uses its
// access key): a direct order placed on 31 December → the provider's
// stream sees it → in progress → delivered → the delivery note → the
// buyer admits → a reservation subscribed from 1 January, active then →
// a partial termination on the 31st splitting it, effective the 1st of
// the next month → terminated. Then admission and contest refusals, and
// a leap-day order.
#include "nuage/v1/auth.grpc.pb.h"
#include "nuage/v1/diagnostics.grpc.pb.h"
#include "nuage/v1/subscription.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/orders/order_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::LINE_PROVISIONING_DELIVERED;
using nuage::v1::LINE_PROVISIONING_IN_PROGRESS;
using nuage::v1::Order;
using nuage::v1::Subscription;

// Paris is UTC+1 in winter, UTC+2 in summer.
constexpr int64_t k20261231_2358_Paris = 1798757880;  // 2026-12-31T22:58:00Z
constexpr int64_t k20270101_000000_Paris = 1798758000;  // 2026-12-31T23:00:00Z
constexpr int64_t k20270131_120000_Paris = 1801393200;  // 2027-01-31T11:00:00Z
constexpr int64_t k20270201_000000_Paris = 1801436400;  // 2027-01-31T23:00:00Z
constexpr int64_t k20270301_000000_Paris = 1803855600;  // 2027-02-28T23:00:00Z
constexpr int64_t k20280229_100000_Paris = 1835427600;  // 2028-02-29T09:00:00Z
constexpr int64_t k20280301_000000_Paris = 1835478000;  // 2028-02-29T23:00:00Z

class LifecycleTest : public OrderTest {
 protected:
  void SetClock(int64_t unix_seconds) {
    auto diag = nuage::v1::DiagnosticsService::NewStub(channel_);
    nuage::v1::SetClockRequest req;
    req.mutable_time()->set_seconds(unix_seconds);
    nuage::v1::AdvanceClockResponse resp;
    grpc::Status st = diag->SetClock(Ctx().get(), req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    ASSERT_EQ(resp.now().seconds(), unix_seconds);
  }
  // A new session of the team's referent (sessions expire when the clock jumps).
  std::string SignIn(const Team& t) {
    auto auth = nuage::v1::AuthService::NewStub(channel_);
    nuage::v1::LoginRequest req;
    req.set_login(t.email);
    req.set_password("Str0ng&Password!");
    nuage::v1::LoginResponse resp;
    grpc::Status st = auth->Login(Ctx().get(), req, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return resp.session_token();
  }
  std::vector<Subscription> Subscriptions(const std::string& token) {
    auto subs = nuage::v1::SubscriptionService::NewStub(channel_);
    nuage::v1::ListSubscriptionsRequest req;
    req.set_sort(nuage::v1::SUBSCRIPTION_SORT_START_TIME_ASC);
    nuage::v1::ListSubscriptionsResponse resp;
    grpc::Status st = subs->ListSubscriptions(Ctx(token).get(), req, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return {resp.subscriptions().begin(), resp.subscriptions().end()};
  }
  static int64_t Day(const google::protobuf::Timestamp& t) { return t.seconds(); }
};

TEST_F(LifecycleTest, FromOrderToPartialTerminationOnTheTestClock) {
  Team seller = Seller();
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller, Unique("Instances réservées "));
  std::string plan = SubscriptionPlan(seller, product, 5000, 12, 1000);
  Publish(seller, product);

  // The provider's stream is open before the order.
  auto wctx = std::make_unique<grpc::ClientContext>();
  WithBearer(wctx.get(), key);
  auto stream = provisioning_->WatchOrderEvents(wctx.get(), nuage::v1::WatchOrderEventsRequest());

  SetClock(k20261231_2358_Paris);
  std::string token = SignIn(buyer);
  Order o;
  ASSERT_TRUE(Create(token, Request({Item(product, plan, 5)}), &o).ok());
  nuage::v1::OrderEvent e;
  ASSERT_TRUE(stream->Read(&e));
  EXPECT_EQ(e.kind(), nuage::v1::ORDER_EVENT_KIND_ORDER_CREATED);
  EXPECT_EQ(e.order().number(), o.number());
  std::string line = e.order().lines(0).id();

  // Nothing delivered: nothing to admit, nothing subscribed.
  auto admit = [&](const std::string& tok, const std::string& rid, Order* out) {
    nuage::v1::AdmitDeliveryRequest req;
    req.set_order_id(o.id());
    req.set_request_id(rid);
    return orders_->AdmitDelivery(Ctx(tok).get(), req, out);
  };
  Order after;
  grpc::Status st = admit(token, "admit-0", &after);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "NOTHING_TO_ADMIT");
  EXPECT_TRUE(Subscriptions(token).empty());

  // In progress, then delivered: the stream sees both; a note is issued.
  nuage::v1::ReportProvisioningResponse resp;
  ASSERT_TRUE(SendReports(key, {Report("p-1", k20261231_2358_Paris, line,
                                       LINE_PROVISIONING_IN_PROGRESS)},
                          &resp)
                  .ok());
  ASSERT_TRUE(stream->Read(&e));
  EXPECT_EQ(e.kind(), nuage::v1::ORDER_EVENT_KIND_LINE_CHANGED);
  ASSERT_TRUE(SendReports(key, {Report("p-2", k20261231_2358_Paris + 1, line,
                                       LINE_PROVISIONING_DELIVERED, 5)},
                          &resp)
                  .ok());
  ASSERT_TRUE(stream->Read(&e));
  EXPECT_EQ(e.kind(), nuage::v1::ORDER_EVENT_KIND_LINE_CHANGED);
  ASSERT_TRUE(stream->Read(&e));
  EXPECT_EQ(e.kind(), nuage::v1::ORDER_EVENT_KIND_ORDER_CHANGED);
  EXPECT_EQ(e.order().status(), nuage::v1::ORDER_STATUS_DELIVERED);
  nuage::v1::GetOrderRequest g;
  g.set_order_id(o.id());
  ASSERT_TRUE(orders_->GetOrder(Ctx(token).get(), g, &after).ok());
  ASSERT_EQ(after.documents_size(), 1);

  // Admission by a visitor on orders is refused; the manager admits.
  Team visitor = buyer;
  visitor.email = Unique("visiteur") + "@ministere-test.gouv.fr";
  visitor.referent = SeedUser(Db(), Unique("visiteur"), visitor.email, "Str0ng&Password!");
  Levels orders_visitor{};
  orders_visitor.fill(0);
  orders_visitor[3] = 1;
  SeedMember(Db(), buyer.org, visitor.referent, orders_visitor);
  EXPECT_EQ(admit(SignIn(visitor), "admit-v", &after).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  st = admit(token, "admit-1", &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.status(), nuage::v1::ORDER_STATUS_ADMITTED);
  ASSERT_EQ(after.admissions_size(), 1);
  EXPECT_EQ(after.admissions(0).user_id(), buyer.referent);
  EXPECT_EQ(after.admissions(0).lines(0).quantity(), 5);
  EXPECT_EQ(after.lines(0).quantity_admitted(), 5);
  ASSERT_TRUE(stream->Read(&e));
  EXPECT_EQ(e.kind(), nuage::v1::ORDER_EVENT_KIND_ORDER_ADMITTED);
  EXPECT_FALSE(JsonField(LatestOutbox(Db(), seller.email, "order_admitted"), "order_number").empty());
  // The same request again is the same answer; nothing is admitted twice.
  Order again;
  ASSERT_TRUE(admit(token, "admit-1", &again).ok());
  EXPECT_EQ(again.admissions_size(), 1);
  wctx->TryCancel();
  stream->Finish();

  // A reservation ordered on 31 December starts on 1 January (Paris).
  auto subs = Subscriptions(token);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].status(), nuage::v1::SUBSCRIPTION_STATUS_SUBSCRIBED);
  EXPECT_EQ(Day(subs[0].start_time()), k20270101_000000_Paris);
  EXPECT_EQ(subs[0].quantity(), 5);
  EXPECT_EQ(subs[0].order_number(), o.number());
  EXPECT_EQ(subs[0].monthly_price().amount_cents(), 5000);
  EXPECT_EQ(subs[0].type(), nuage::v1::SUBSCRIPTION_TYPE_RESERVATION);
  EXPECT_EQ(Day(subs[0].end_time()), 1830294000);  // 2028-01-01 00:00 Paris

  SetClock(k20270101_000000_Paris);
  token = SignIn(buyer);
  subs = Subscriptions(token);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].status(), nuage::v1::SUBSCRIPTION_STATUS_ACTIVE);

  // On 31 January, terminate 2 of the 5: effective 1 February; split.
  SetClock(k20270131_120000_Paris);
  token = SignIn(buyer);
  auto stub = nuage::v1::SubscriptionService::NewStub(channel_);
  nuage::v1::TerminateSubscriptionRequest t;
  t.set_subscription_id(subs[0].id());
  t.set_quantity(2);
  t.set_etag(subs[0].etag());
  t.set_request_id("terminate-1");
  nuage::v1::TerminateSubscriptionResponse tr;
  st = stub->TerminateSubscription(Ctx(token).get(), t, &tr);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(tr.terminated().quantity(), 2);
  EXPECT_EQ(tr.terminated().split_from_id(), subs[0].id());
  EXPECT_EQ(Day(tr.terminated().termination_time()), k20270201_000000_Paris);
  EXPECT_EQ(tr.terminated().status(), nuage::v1::SUBSCRIPTION_STATUS_ACTIVE);
  EXPECT_EQ(tr.remaining().quantity(), 3);
  EXPECT_EQ(tr.remaining().id(), subs[0].id());
  EXPECT_EQ(tr.terminated().start_time().seconds(), tr.remaining().start_time().seconds());
  EXPECT_EQ(tr.terminated().order_id(), o.id());
  // A stale etag, and more units than remain, are refused.
  t.set_request_id("terminate-2");
  st = stub->TerminateSubscription(Ctx(token).get(), t, &tr);
  EXPECT_EQ(Reason(st), "ETAG_MISMATCH");
  nuage::v1::GetSubscriptionRequest gs;
  gs.set_subscription_id(subs[0].id());
  Subscription rest;
  ASSERT_TRUE(stub->GetSubscription(Ctx(token).get(), gs, &rest).ok());
  t.set_etag(rest.etag());
  t.set_quantity(4);
  t.set_request_id("terminate-3");
  st = stub->TerminateSubscription(Ctx(token).get(), t, &tr);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "quantity"));

  // From 1 February the split-off part is terminated, the rest active.
  SetClock(k20270201_000000_Paris);
  token = SignIn(buyer);
  nuage::v1::ListSubscriptionsRequest by_status;
  by_status.set_status(nuage::v1::SUBSCRIPTION_STATUS_TERMINATED);
  nuage::v1::ListSubscriptionsResponse list;
  ASSERT_TRUE(stub->ListSubscriptions(Ctx(token).get(), by_status, &list).ok());
  ASSERT_EQ(list.subscriptions_size(), 1);
  EXPECT_EQ(list.subscriptions(0).quantity(), 2);
  by_status.set_status(nuage::v1::SUBSCRIPTION_STATUS_ACTIVE);
  ASSERT_TRUE(stub->ListSubscriptions(Ctx(token).get(), by_status, &list).ok());
  ASSERT_EQ(list.subscriptions_size(), 1);
  EXPECT_EQ(list.subscriptions(0).quantity(), 3);

  // A termination asked on the 1st takes effect the 1st of the next month.
  ASSERT_TRUE(stub->GetSubscription(Ctx(token).get(), gs, &rest).ok());
  t.set_etag(rest.etag());
  t.set_quantity(0);
  t.set_request_id("terminate-4");
  ASSERT_TRUE(stub->TerminateSubscription(Ctx(token).get(), t, &tr).ok());
  EXPECT_EQ(Day(tr.terminated().termination_time()), k20270301_000000_Paris);
  EXPECT_FALSE(tr.has_remaining());
  EXPECT_EQ(tr.terminated().quantity(), 3);

  // Another organisation's subscription answers like an absent one.
  Team stranger = BuildBuyer();
  std::string theirs = SignIn(stranger);
  grpc::Status other = stub->GetSubscription(Ctx(theirs).get(), gs, &rest);
  nuage::v1::GetSubscriptionRequest absent;
  absent.set_subscription_id("00000000-0000-4000-8000-000000000000");
  grpc::Status none = stub->GetSubscription(Ctx(theirs).get(), absent, &rest);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(other.error_message(), none.error_message());

  // The clock never goes back.
  auto diag = nuage::v1::DiagnosticsService::NewStub(channel_);
  nuage::v1::SetClockRequest back;
  back.mutable_time()->set_seconds(k20261231_2358_Paris);
  nuage::v1::AdvanceClockResponse moved;
  EXPECT_EQ(Reason(diag->SetClock(Ctx().get(), back, &moved)), "CLOCK_BACKWARDS");
}

TEST_F(LifecycleTest, ContestDisputesTheOrderAndALeapDayOrderStartsInMarch) {
  // The clock may be ahead already (the test above): new sessions.
  Team seller = Seller();
  seller.token = SignIn(seller);
  std::string key = AccessKey(seller);
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(seller);
  std::string plan = SubscriptionPlan(seller, product, 2000, 12);
  Publish(seller, product);
  SetClock(k20280229_100000_Paris);
  std::string token = SignIn(buyer);
  Order o;
  ASSERT_TRUE(Create(token, Request({Item(product, plan, 3)}), &o).ok());
  nuage::v1::ReportProvisioningResponse resp;
  ASSERT_TRUE(SendReports(key, {Report("l-1", k20280229_100000_Paris, o.lines(0).id(),
                                       LINE_PROVISIONING_DELIVERED, 2)},
                          &resp)
                  .ok());
  // Part of it admitted: the order stays partially delivered; one
  // subscription of 2 units starting 1 March 2028.
  nuage::v1::AdmitDeliveryRequest ad;
  ad.set_order_id(o.id());
  auto* l = ad.add_lines();
  l->set_line_id(o.lines(0).id());
  l->set_quantity(3);  // more than delivered
  ad.set_request_id("leap-admit-0");
  Order after;
  grpc::Status st = orders_->AdmitDelivery(Ctx(token).get(), ad, &after);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  l->set_quantity(2);
  ad.set_request_id("leap-admit-1");
  st = orders_->AdmitDelivery(Ctx(token).get(), ad, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.status(), nuage::v1::ORDER_STATUS_PARTIALLY_DELIVERED);
  auto subs = Subscriptions(token);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(Day(subs[0].start_time()), k20280301_000000_Paris);
  EXPECT_EQ(subs[0].quantity(), 2);

  // The buyer contests the rest: disputed, an incident opened, both told.
  // A modification or cancellation, or a kind that does not exist, is not
  // a contest of the delivery.
  nuage::v1::ContestDeliveryRequest c;
  c.set_order_id(o.id());
  c.set_reason("La troisième instance n'a jamais été livrée.");
  c.set_request_id("contest-0");
  c.set_kind(nuage::v1::INCIDENT_KIND_MODIFICATION_CANCELLATION);
  st = orders_->ContestDelivery(Ctx(token).get(), c, &after);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "kind"));
  c.set_kind(static_cast<nuage::v1::IncidentKind>(42));
  EXPECT_TRUE(HasViolation(orders_->ContestDelivery(Ctx(token).get(), c, &after), "kind"));
  EXPECT_EQ(Count("SELECT count(*) FROM incidents WHERE order_id = '" + o.id() + "'"), 0);
  c.clear_kind();  // an incomplete order
  c.set_request_id("contest-1");
  st = orders_->ContestDelivery(Ctx(token).get(), c, &after);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(after.status(), nuage::v1::ORDER_STATUS_DISPUTED);
  EXPECT_FALSE(after.incident_id().empty());
  EXPECT_EQ(One("SELECT number FROM incidents WHERE id = '" + after.incident_id() + "'").substr(0, 4),
            "SAV-");
  EXPECT_EQ(One("SELECT kind FROM incidents WHERE id = '" + after.incident_id() + "'"),
            "incomplete_order");
  // The access details do not work: a credentials incident, on the same
  // disputed order.
  c.set_kind(nuage::v1::INCIDENT_KIND_CREDENTIALS);
  c.set_reason("Les identifiants fournis sont refusés par la console.");
  c.set_request_id("contest-2");
  Order again;
  st = orders_->ContestDelivery(Ctx(token).get(), c, &again);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(One("SELECT kind FROM incidents WHERE id = '" + again.incident_id() + "'"),
            "credentials");
  EXPECT_FALSE(
      JsonField(LatestOutbox(Db(), seller.email, "order_contested"), "incident_number").empty());
  nuage::v1::ListOrderEventsResponse events;
  nuage::v1::ListOrderEventsRequest er;
  ASSERT_TRUE(provisioning_->ListOrderEvents(Ctx(key).get(), er, &events).ok());
  ASSERT_GT(events.events_size(), 0);
  EXPECT_EQ(events.events(events.events_size() - 1).kind(),
            nuage::v1::ORDER_EVENT_KIND_ORDER_CONTESTED);
  // The product's unpublication reaches the organisation holding a real
  // subscription (from the admission above).
  nuage::v1::UnpublishProductRequest un;
  un.set_product_id(product);
  nuage::v1::Product unpublished;
  ASSERT_TRUE(stub_->UnpublishProduct(Ctx(SignIn(seller)).get(), un, &unpublished).ok());
  EXPECT_EQ(JsonField(LatestOutbox(Db(), buyer.email, "product_unpublished"), "product_id"),
            product);

  // Another organisation cannot contest it: NOT_FOUND.
  Team stranger = BuildBuyer();
  c.set_request_id("contest-2");
  EXPECT_EQ(orders_->ContestDelivery(Ctx(SignIn(stranger)).get(), c, &after).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace nuage::testing
