// order_test.cc — OrderService end to end: PreviewOrder (lines, VAT table,
// totals; nothing written), CreateOrder (number, lines, idempotency, the
// feed event, audit and e-mails, refusals), GetOrder by id and number,
// another organisation's order answering as absent, ListOrders (query,
// status, dates, sort, pages) and ListMyOrders.
#include <set>

#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/orders/order_testing.h"

namespace nuage::testing {
namespace {

using nuage::v1::Order;
using nuage::v1::OrderSummary;

TEST_F(OrderTest, PreviewPricesLinesWithAVatTableAndWritesNothing) {
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(*seller_, Unique("Serveur S "));
  // 3 units × 12 months × 99.99 € + 3 × 150.00 € upfront, VAT 20 %.
  std::string plan = SubscriptionPlan(*seller_, product, 9999, 12, 15000);
  // 2 units × 100 h × 0.05 €, VAT 20 %.
  std::string hourly = HourlyPlan(*seller_, product, 5);
  std::string other = DraftProduct(*seller_);
  // 1 unit × 12 months × 10.00 €, VAT 5.5 %.
  std::string reduced = SubscriptionPlan(*seller_, other, 1000, 12, 0, 550);
  Publish(*seller_, product);
  Publish(*seller_, other);
  nuage::v1::PreviewOrderRequest req;
  *req.add_items() = Item(product, plan, 3);
  *req.add_items() = Item(product, hourly, 2, 0, 100);
  *req.add_items() = Item(other, reduced, 1);
  int before = Count("SELECT count(*) FROM orders");
  OrderSummary out;
  grpc::Status st = orders_->PreviewOrder(Ctx(buyer.token).get(), req, &out);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(out.lines_size(), 3);
  const auto& l0 = out.lines(0);
  EXPECT_EQ(l0.quantity(), 3);
  EXPECT_EQ(l0.amount_excl_vat().amount_cents(), 3 * 12 * 9999 + 3 * 15000);
  EXPECT_EQ(l0.unit_price().amount_cents(), 12 * 9999 + 15000);
  EXPECT_EQ(l0.duration_months(), 12);
  EXPECT_EQ(l0.monthly_price().amount_cents(), 9999);
  EXPECT_EQ(l0.upfront().amount_cents(), 15000);
  EXPECT_EQ(l0.vat_rate_bp(), 2000);
  EXPECT_EQ(l0.amount_incl_vat().amount_cents(),
            l0.amount_excl_vat().amount_cents() + l0.vat().amount_cents());
  EXPECT_NE(l0.product_code().find("NUP-"), std::string::npos);
  EXPECT_NE(l0.designation().find("Serveur S"), std::string::npos);
  EXPECT_EQ(out.lines(1).amount_excl_vat().amount_cents(), 2 * 100 * 5);
  EXPECT_EQ(out.lines(2).vat().amount_cents(), 660);  // 12000 × 5.5 %
  ASSERT_EQ(out.vat_table_size(), 2);
  EXPECT_EQ(out.vat_table(0).rate_bp(), 550);
  EXPECT_EQ(out.vat_table(0).amount_excl_vat().amount_cents(), 12000);
  EXPECT_EQ(out.vat_table(1).rate_bp(), 2000);
  EXPECT_EQ(out.vat_table(1).amount_excl_vat().amount_cents(),
            l0.amount_excl_vat().amount_cents() + 1000);
  int64_t excl = 0, vat = 0;
  for (const auto& l : out.lines()) {
    excl += l.amount_excl_vat().amount_cents();
    vat += l.vat().amount_cents();
  }
  EXPECT_EQ(out.total_excl_vat().amount_cents(), excl);
  EXPECT_EQ(out.total_vat().amount_cents(), vat);
  EXPECT_EQ(out.total_incl_vat().amount_cents(), excl + vat);
  EXPECT_EQ(out.seller_id(), seller_->org);
  EXPECT_EQ(Count("SELECT count(*) FROM orders"), before);
}

TEST_F(OrderTest, PreviewRefusesBadItemsWithFieldViolations) {
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(*seller_);
  std::string plan = SubscriptionPlan(*seller_, product, 1000, 12);
  Publish(*seller_, product);
  nuage::v1::PreviewOrderRequest req;
  OrderSummary out;
  grpc::Status st = orders_->PreviewOrder(Ctx(buyer.token).get(), req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "items"));

  auto bad = Item(product, "not-a-uuid", 0, -1, -5);
  bad.set_instance_template(std::string(201, 'x'));
  *req.add_items() = Item(product, plan, 1);
  *req.add_items() = bad;
  st = orders_->PreviewOrder(Ctx(buyer.token).get(), req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "items[1].plan_id"));
  EXPECT_TRUE(HasViolation(st, "items[1].quantity"));
  EXPECT_TRUE(HasViolation(st, "items[1].duration_months"));
  EXPECT_TRUE(HasViolation(st, "items[1].hours"));
  EXPECT_TRUE(HasViolation(st, "items[1].instance_template"));
  EXPECT_FALSE(HasViolation(st, "items[0].plan_id"));

  // A region where the product is not delivered; a term shorter than the
  // commitment.
  nuage::v1::PreviewOrderRequest region;
  auto it = Item(product, plan, 1);
  it.set_region("aws-us-east-1");
  *region.add_items() = it;
  st = orders_->PreviewOrder(Ctx(buyer.token).get(), region, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "items[0].region"));
  nuage::v1::PreviewOrderRequest shorter;
  *shorter.add_items() = Item(product, plan, 1, 6);
  st = orders_->PreviewOrder(Ctx(buyer.token).get(), shorter, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "items[0].duration_months"));
}

TEST_F(OrderTest, QuotationDraftsOtherSellersAndOwnProductsAreRefused) {
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(*seller_);
  std::string quote = QuotationPlan(*seller_, product);
  std::string plan = SubscriptionPlan(*seller_, product, 1000, 12);
  Publish(*seller_, product);
  OrderSummary out;
  nuage::v1::PreviewOrderRequest q;
  *q.add_items() = Item(product, quote, 1);
  grpc::Status st = orders_->PreviewOrder(Ctx(buyer.token).get(), q, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "QUOTATION_REQUIRED");

  // A draft product answers like an absent one.
  nuage::v1::CreateProductRequest cp;
  cp.mutable_product()->set_kind(nuage::v1::PRODUCT_KIND_MANAGED_SERVICE);
  cp.mutable_product()->set_name(Unique("Brouillon "));
  nuage::v1::Product draft;
  ASSERT_TRUE(stub_->CreateProduct(Ctx(seller_->token).get(), cp, &draft).ok());
  std::string draft_plan = SubscriptionPlan(*seller_, draft.id(), 1000, 12);
  nuage::v1::PreviewOrderRequest d;
  auto di = Item(draft.id(), draft_plan, 1);
  di.clear_region();
  *d.add_items() = di;
  st = orders_->PreviewOrder(Ctx(buyer.token).get(), d, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  nuage::v1::PreviewOrderRequest absent;
  *absent.add_items() = Item("00000000-0000-4000-8000-000000000000", draft_plan, 1);
  grpc::Status st2 = orders_->PreviewOrder(Ctx(buyer.token).get(), absent, &out);
  EXPECT_EQ(st2.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(st.error_message(), st2.error_message());

  // Two providers in one order.
  Team other_seller = Seller();
  std::string theirs = DraftProduct(other_seller);
  std::string their_plan = SubscriptionPlan(other_seller, theirs, 1000, 12);
  Publish(other_seller, theirs);
  nuage::v1::PreviewOrderRequest mixed;
  *mixed.add_items() = Item(product, plan, 1);
  *mixed.add_items() = Item(theirs, their_plan, 1);
  st = orders_->PreviewOrder(Ctx(buyer.token).get(), mixed, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "items[1].product_id"));

  // A plan of another product.
  nuage::v1::PreviewOrderRequest wrong;
  *wrong.add_items() = Item(product, their_plan, 1);
  st = orders_->PreviewOrder(Ctx(buyer.token).get(), wrong, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);

  // An organisation that is buyer and seller does not order from itself.
  nuage::v1::PreviewOrderRequest own;
  *own.add_items() = Item(product, plan, 1);
  st = orders_->PreviewOrder(Ctx(seller_->token).get(), own, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "OWN_PRODUCT");
}

TEST_F(OrderTest, CreateOrderWritesTheOrderItsFeedEventAuditAndEmails) {
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(*seller_, Unique("Stockage objet "));
  std::string plan = SubscriptionPlan(*seller_, product, 2500, 24, 0);
  Publish(*seller_, product);
  Order out;
  auto req = Request({Item(product, plan, 4, 24)});
  grpc::Status st = Create(buyer.token, req, &out);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(out.number().size(), 8u);
  EXPECT_EQ(out.number().substr(0, 2), "CC");
  EXPECT_EQ(out.status(), nuage::v1::ORDER_STATUS_TO_DELIVER);
  EXPECT_EQ(out.organization_id(), buyer.org);
  EXPECT_EQ(out.seller_id(), seller_->org);
  EXPECT_EQ(out.placed_by_user_id(), buyer.referent);
  EXPECT_EQ(out.purchase_order_reference(), "EJ-2026-0042");
  EXPECT_EQ(out.service_code(), "SERV-DSI");
  EXPECT_EQ(out.contact().phone(), "+33142758000");
  ASSERT_EQ(out.lines_size(), 1);
  EXPECT_FALSE(out.lines(0).id().empty());
  EXPECT_EQ(out.lines(0).quantity_delivered(), 0);
  EXPECT_EQ(out.lines(0).provisioning(), nuage::v1::LINE_PROVISIONING_PENDING);
  EXPECT_EQ(out.total_excl_vat().amount_cents(), 4 * 24 * 2500);
  EXPECT_TRUE(out.has_create_time());

  // The seller's feed has the event; the creation is audited in the buyer
  // organisation; the buyer and the seller's referent are mailed.
  EXPECT_EQ(One("SELECT kind FROM order_events WHERE order_id = '" + out.id() + "'"),
            "order_created");
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'order.create' AND"
                  " organization_id = '" + buyer.org + "' AND target_id = '" + out.id() + "'"),
            1);
  std::string mail = LatestOutbox(Db(), buyer.email, "order_confirmation");
  EXPECT_EQ(JsonField(mail, "order_number"), out.number());
  EXPECT_EQ(JsonField(LatestOutbox(Db(), seller_->email, "order_received"), "order_number"),
            out.number());

  // A retry with the same request_id is the same order; another request
  // under that key is refused.
  Order again;
  st = Create(buyer.token, req, &again);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(again.id(), out.id());
  EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE organization_id = '" + buyer.org + "'"), 1);
  auto changed = req;
  changed.set_service_code("AUTRE");
  st = Create(buyer.token, changed, &again);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(Reason(st), "REQUEST_ID_REUSED");
}

TEST_F(OrderTest, CreateOrderRefusalsWriteNothing) {
  Team buyer = BuildBuyer();
  std::string product = DraftProduct(*seller_);
  std::string plan = SubscriptionPlan(*seller_, product, 1000, 12);
  Publish(*seller_, product);
  Order out;
  auto req = Request({Item(product, plan, 1)});
  req.clear_contact();
  req.set_purchase_order_reference(std::string(51, '1'));
  req.set_request_id("");
  grpc::Status st = Create(buyer.token, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "contact"));
  EXPECT_TRUE(HasViolation(st, "purchase_order_reference"));
  EXPECT_TRUE(HasViolation(st, "request_id"));
  auto bad_contact = Request({Item(product, plan, 1)});
  bad_contact.mutable_contact()->set_email("pas-une-adresse");
  bad_contact.mutable_contact()->set_phone("abc");
  st = Create(buyer.token, bad_contact, &out);
  EXPECT_TRUE(HasViolation(st, "contact.email"));
  EXPECT_TRUE(HasViolation(st, "contact.phone"));

  // The price the buyer saw changed: nothing ordered.
  auto stale = Request({Item(product, plan, 1)});
  *stale.mutable_expected_total_excl_vat() = Eur(1);
  st = Create(buyer.token, stale, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "PRICE_CHANGED");

  // An organisation the operator has not validated yet browses only.
  Team pending = NewTeam(true, false, "pending_validation");
  SetLevel(pending.org, "build");
  st = Create(pending.token, Request({Item(product, plan, 1)}), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(st), "ORGANIZATION_NOT_VALIDATED");
  EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE organization_id IN ('" + buyer.org +
                  "', '" + pending.org + "')"),
            0);
  EXPECT_EQ(Count("SELECT count(*) FROM order_events e JOIN orders o ON o.id = e.order_id"
                  " WHERE o.organization_id = '" + pending.org + "'"),
            0);
}

TEST_F(OrderTest, AnOrderNamesTheEarlierOrdersItComplements) {
  Team buyer = BuildBuyer();
  Order first = MustOrder(buyer);
  std::string product = DraftProduct(*seller_);
  std::string plan = SubscriptionPlan(*seller_, product, 1000, 12);
  Publish(*seller_, product);
  auto req = Request({Item(product, plan, 1)});
  req.add_linked_order_numbers(first.number());
  Order second;
  grpc::Status st = Create(buyer.token, req, &second);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(second.linked_order_numbers_size(), 1);
  EXPECT_EQ(second.linked_order_numbers(0), first.number());
  nuage::v1::GetOrderRequest g;
  g.set_order_id(first.id());
  Order again;
  ASSERT_TRUE(orders_->GetOrder(Ctx(buyer.token).get(), g, &again).ok());
  ASSERT_EQ(again.linked_order_numbers_size(), 1);
  EXPECT_EQ(again.linked_order_numbers(0), second.number());

  // Another organisation's order, or a malformed number: refused, nothing placed.
  Team other = BuildBuyer();
  Order theirs = MustOrder(other);
  auto bad = Request({Item(product, plan, 1)});
  bad.add_linked_order_numbers(theirs.number());
  int before = Count("SELECT count(*) FROM orders WHERE organization_id = '" + buyer.org + "'");
  st = Create(buyer.token, bad, &again);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE organization_id = '" + buyer.org + "'"),
            before);
  auto malformed = Request({Item(product, plan, 1)});
  malformed.add_linked_order_numbers("CC12");
  st = Create(buyer.token, malformed, &again);
  EXPECT_TRUE(HasViolation(st, "linked_order_numbers[0]"));
}

TEST_F(OrderTest, GetOrderByIdOrNumberAndNeverAnotherOrganisations) {
  Team buyer = BuildBuyer();
  Order placed = MustOrder(buyer, 2);
  Order out;
  nuage::v1::GetOrderRequest by_id;
  by_id.set_order_id(placed.id());
  ASSERT_TRUE(orders_->GetOrder(Ctx(buyer.token).get(), by_id, &out).ok());
  EXPECT_EQ(out.number(), placed.number());
  EXPECT_EQ(out.lines_size(), 1);
  nuage::v1::GetOrderRequest by_number;
  by_number.set_number(placed.number());
  ASSERT_TRUE(orders_->GetOrder(Ctx(buyer.token).get(), by_number, &out).ok());
  EXPECT_EQ(out.id(), placed.id());

  // A visitor on orders reads; a member without rights on orders does not.
  std::string visitor_token = SeedCaller(Db(), buyer.org, Unique("visiteur"), [] {
    Levels l{};
    l.fill(0);
    l[3] = 1;  // orders (section 4): visitor
    return l;
  }());
  EXPECT_TRUE(orders_->GetOrder(Ctx(visitor_token).get(), by_id, &out).ok());

  // Another organisation's order, and the seller's own session, answer
  // exactly like an absent order.
  Team stranger = BuildBuyer();
  grpc::Status theirs = orders_->GetOrder(Ctx(stranger.token).get(), by_id, &out);
  nuage::v1::GetOrderRequest absent;
  absent.set_order_id("00000000-0000-4000-8000-000000000000");
  grpc::Status none = orders_->GetOrder(Ctx(stranger.token).get(), absent, &out);
  EXPECT_EQ(theirs.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(theirs.error_message(), none.error_message());
  EXPECT_EQ(Reason(theirs), Reason(none));
  grpc::Status seller = orders_->GetOrder(Ctx(seller_->token).get(), by_number, &out);
  EXPECT_EQ(seller.error_code(), grpc::StatusCode::NOT_FOUND);

  nuage::v1::GetOrderRequest both;
  both.set_order_id(placed.id());
  both.set_number(placed.number());
  EXPECT_EQ(orders_->GetOrder(Ctx(buyer.token).get(), both, &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  nuage::v1::GetOrderRequest malformed;
  malformed.set_number("CC12");
  grpc::Status bad = orders_->GetOrder(Ctx(buyer.token).get(), malformed, &out);
  EXPECT_TRUE(HasViolation(bad, "number"));
}

TEST_F(OrderTest, ListOrdersSearchesFiltersSortsAndPages) {
  Team buyer = BuildBuyer();
  std::vector<Order> placed;
  for (int i = 1; i <= 5; i++) placed.push_back(MustOrder(buyer, i, 1000 * i));
  Team other = BuildBuyer();
  MustOrder(other, 1);

  nuage::v1::ListOrdersRequest req;
  req.set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 5; page++) {
    nuage::v1::ListOrdersResponse resp;
    grpc::Status st = orders_->ListOrders(Ctx(buyer.token).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    for (const auto& o : resp.orders()) seen.push_back(o.id());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  ASSERT_EQ(seen.size(), 5u);  // never the other organisation's
  EXPECT_EQ(seen.front(), placed.back().id());  // newest first
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 5u);

  // By total, largest first.
  nuage::v1::ListOrdersRequest by_total;
  by_total.set_sort(nuage::v1::ORDER_SORT_TOTAL_DESC);
  nuage::v1::ListOrdersResponse resp;
  ASSERT_TRUE(orders_->ListOrders(Ctx(buyer.token).get(), by_total, &resp).ok());
  ASSERT_EQ(resp.orders_size(), 5);
  for (int i = 1; i < resp.orders_size(); i++) {
    EXPECT_GE(resp.orders(i - 1).total_excl_vat().amount_cents(),
              resp.orders(i).total_excl_vat().amount_cents());
  }
  EXPECT_EQ(resp.orders(0).id(), placed.back().id());

  // Search by number, by a word of a line (accents folded), by reference.
  nuage::v1::ListOrdersRequest q;
  q.set_query(placed[2].number());
  ASSERT_TRUE(orders_->ListOrders(Ctx(buyer.token).get(), q, &resp).ok());
  ASSERT_EQ(resp.orders_size(), 1);
  EXPECT_EQ(resp.orders(0).id(), placed[2].id());
  q.set_query("SOUVERAIN");
  ASSERT_TRUE(orders_->ListOrders(Ctx(buyer.token).get(), q, &resp).ok());
  EXPECT_EQ(resp.orders_size(), 5);
  q.set_query("ej-2026");
  ASSERT_TRUE(orders_->ListOrders(Ctx(buyer.token).get(), q, &resp).ok());
  EXPECT_EQ(resp.orders_size(), 5);
  q.set_query("100%_");
  ASSERT_TRUE(orders_->ListOrders(Ctx(buyer.token).get(), q, &resp).ok());
  EXPECT_EQ(resp.orders_size(), 0);

  // Status and dates.
  nuage::v1::ListOrdersRequest st_req;
  st_req.set_status(nuage::v1::ORDER_STATUS_DELIVERED);
  ASSERT_TRUE(orders_->ListOrders(Ctx(buyer.token).get(), st_req, &resp).ok());
  EXPECT_EQ(resp.orders_size(), 0);
  st_req.set_status(nuage::v1::ORDER_STATUS_TO_DELIVER);
  ASSERT_TRUE(orders_->ListOrders(Ctx(buyer.token).get(), st_req, &resp).ok());
  EXPECT_EQ(resp.orders_size(), 5);
  nuage::v1::ListOrdersRequest dates;
  *dates.mutable_create_time_from() = placed[3].create_time();
  ASSERT_TRUE(orders_->ListOrders(Ctx(buyer.token).get(), dates, &resp).ok());
  EXPECT_EQ(resp.orders_size(), 2);
  *dates.mutable_create_time_to() = placed[3].create_time();
  grpc::Status bad = orders_->ListOrders(Ctx(buyer.token).get(), dates, &resp);
  EXPECT_TRUE(HasViolation(bad, "create_time_to"));

  // Naming another organisation answers like an absent one.
  nuage::v1::ListOrdersRequest theirs;
  theirs.set_organization_id(other.org);
  EXPECT_EQ(orders_->ListOrders(Ctx(buyer.token).get(), theirs, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(OrderTest, ListMyOrdersSpansOrganisationsAndTheReferentSeesAll) {
  // A user member of two buyers, placing one order in each; a colleague
  // places one in the first. The user sees their two; the referent of the
  // first sees both of its orders, and not the second organisation's.
  Team first = BuildBuyer();
  Team second = BuildBuyer();
  std::string user_id;
  Levels all = AllLevels(2);  // manager everywhere
  std::string in_first = SeedCaller(Db(), first.org, Unique("acheteur"), all, &user_id);
  SeedMember(Db(), second.org, user_id, all);
  std::string in_second = SeedSession(Db(), user_id, second.org);
  Order a = MustOrder({first.org, first.referent, first.email, in_first});
  Order b = MustOrder({second.org, second.referent, second.email, in_second});
  Order c = MustOrder(first);

  nuage::v1::ListMyOrdersRequest req;
  nuage::v1::ListOrdersResponse resp;
  ASSERT_TRUE(orders_->ListMyOrders(Ctx(in_first).get(), req, &resp).ok());
  std::set<std::string> mine;
  for (const auto& o : resp.orders()) mine.insert(o.id());
  EXPECT_EQ(mine, (std::set<std::string>{a.id(), b.id()}));

  ASSERT_TRUE(orders_->ListMyOrders(Ctx(first.token).get(), req, &resp).ok());
  std::set<std::string> referent;
  for (const auto& o : resp.orders()) referent.insert(o.id());
  EXPECT_EQ(referent, (std::set<std::string>{a.id(), c.id()}));
}

}  // namespace
}  // namespace nuage::testing
