// order_lines_test.cc — line quantities (delivered, admitted) and the order
// status they give.
#include "server/domain/orders/order_lines.h"

#include <gtest/gtest.h>

#include <vector>

namespace {

nu_order_line_qty L(int64_t ordered, int64_t delivered, int64_t admitted = 0) {
  return nu_order_line_qty{ordered, delivered, admitted};
}

TEST(OrderLinesTest, WellFormedLines) {
  nu_refusal why{};
  EXPECT_EQ(nu_order_line_check(nullptr, &why), -1);
  EXPECT_STREQ(why.reason, "ORDER_LINE_INVALID");
  for (auto bad : {L(0, 0), L(-1, 0), L(NU_ORDER_LINE_QUANTITY_MAX + 1, 0), L(3, 4), L(3, -1),
                   L(3, 2, 3), L(3, 2, -1)}) {
    nu_order_line_qty l = bad;
    EXPECT_EQ(nu_order_line_check(&l, &why), -1);
    EXPECT_EQ(nu_order_line_delivery_of(&l), NU_LINE_DELIVERY_UNSPECIFIED);
  }
  for (auto good : {L(1, 0), L(3, 2, 2), L(3, 3, 0), L(NU_ORDER_LINE_QUANTITY_MAX, 0)}) {
    nu_order_line_qty l = good;
    EXPECT_EQ(nu_order_line_check(&l, &why), 0);
  }
  nu_order_line_qty a = L(3, 0), b = L(3, 2), c = L(3, 3, 1);
  EXPECT_EQ(nu_order_line_delivery_of(&a), NU_LINE_NOT_DELIVERED);
  EXPECT_EQ(nu_order_line_delivery_of(&b), NU_LINE_PARTIALLY_DELIVERED);
  EXPECT_EQ(nu_order_line_delivery_of(&c), NU_LINE_DELIVERED);
}

TEST(OrderLinesTest, DeliveryReportsAreCumulativeAndNeverGoDown) {
  nu_order_line_qty l = L(5, 2), out{};
  bool raised = true;
  nu_refusal why{};
  ASSERT_EQ(nu_order_line_deliver(&l, 2, &out, &raised, &why), 0);  // a replay
  EXPECT_FALSE(raised);
  EXPECT_EQ(out.delivered, 2);
  ASSERT_EQ(nu_order_line_deliver(&l, 4, &out, &raised, &why), 0);
  EXPECT_TRUE(raised);
  EXPECT_EQ(out.delivered, 4);
  EXPECT_EQ(out.ordered, 5);
  ASSERT_EQ(nu_order_line_deliver(&l, 5, &out, &raised, &why), 0);
  EXPECT_EQ(nu_order_line_delivery_of(&out), NU_LINE_DELIVERED);
  EXPECT_EQ(nu_order_line_deliver(&l, 1, &out, &raised, &why), -1);
  EXPECT_STREQ(why.reason, "DELIVERED_QUANTITY_DECREASED");
  EXPECT_EQ(nu_order_line_deliver(&l, 6, &out, &raised, &why), -1);
  EXPECT_STREQ(why.reason, "DELIVERED_QUANTITY_EXCEEDS_ORDERED");
  nu_order_line_qty bad = L(5, 6);
  EXPECT_EQ(nu_order_line_deliver(&bad, 6, &out, &raised, &why), -1);
  EXPECT_STREQ(why.reason, "ORDER_LINE_INVALID");
}

TEST(OrderLinesTest, AdmissionCoversDeliveredUnitsOnlyOnce) {
  nu_order_line_qty l = L(5, 3, 1), out{};
  nu_refusal why{};
  ASSERT_EQ(nu_order_line_admit(&l, 2, &out, &why), 0);
  EXPECT_EQ(out.admitted, 3);
  EXPECT_EQ(nu_order_line_admit(&out, 1, &out, &why), -1);
  EXPECT_STREQ(why.reason, "ADMISSION_EXCEEDS_DELIVERY");
  EXPECT_EQ(nu_order_line_admit(&l, 3, &out, &why), -1);
  EXPECT_STREQ(why.reason, "ADMISSION_EXCEEDS_DELIVERY");
  EXPECT_EQ(nu_order_line_admit(&l, 0, &out, &why), -1);
  EXPECT_STREQ(why.reason, "ADMITTED_QUANTITY_INVALID");
  EXPECT_EQ(nu_order_line_admit(&l, -1, &out, &why), -1);
  EXPECT_STREQ(why.reason, "ADMITTED_QUANTITY_INVALID");
}

TEST(OrderLinesTest, OrderStateFromLines) {
  std::vector<nu_order_line_qty> none = {L(2, 0), L(1, 0)};
  std::vector<nu_order_line_qty> some = {L(2, 0), L(1, 1)};
  std::vector<nu_order_line_qty> part = {L(2, 1), L(1, 1)};
  std::vector<nu_order_line_qty> all = {L(2, 2), L(1, 1)};
  std::vector<nu_order_line_qty> bad = {L(2, 2), L(1, 2)};
  EXPECT_EQ(nu_order_state_of_lines(none.data(), none.size()), NU_ORDER_TO_DELIVER);
  EXPECT_EQ(nu_order_state_of_lines(some.data(), some.size()), NU_ORDER_PARTIALLY_DELIVERED);
  EXPECT_EQ(nu_order_state_of_lines(part.data(), part.size()), NU_ORDER_PARTIALLY_DELIVERED);
  EXPECT_EQ(nu_order_state_of_lines(all.data(), all.size()), NU_ORDER_DELIVERED);
  EXPECT_EQ(nu_order_state_of_lines(bad.data(), bad.size()), NU_ORDER_STATE_UNSPECIFIED);
  EXPECT_EQ(nu_order_state_of_lines(nullptr, 0), NU_ORDER_STATE_UNSPECIFIED);

  nu_order_event ev{};
  nu_refusal why{};
  ASSERT_EQ(nu_order_delivery_event(some.data(), some.size(), &ev, &why), 0);
  EXPECT_EQ(ev, NU_ORDER_EVENT_DELIVERED_PARTIAL);
  ASSERT_EQ(nu_order_delivery_event(all.data(), all.size(), &ev, &why), 0);
  EXPECT_EQ(ev, NU_ORDER_EVENT_DELIVERED_FULL);
  EXPECT_EQ(nu_order_delivery_event(bad.data(), bad.size(), &ev, &why), -1);
  EXPECT_STREQ(why.reason, "ORDER_LINE_INVALID");
  EXPECT_EQ(nu_order_delivery_event(nullptr, 0, &ev, &why), -1);
}

TEST(OrderLinesTest, AdmittedWhenEveryLineIsAdmittedInFull) {
  std::vector<nu_order_line_qty> lines = {L(2, 2, 2), L(1, 1, 0)};
  EXPECT_FALSE(nu_order_lines_admitted(lines.data(), lines.size()));
  lines[1].admitted = 1;
  EXPECT_TRUE(nu_order_lines_admitted(lines.data(), lines.size()));
  EXPECT_FALSE(nu_order_lines_admitted(nullptr, 0));
}

// The path of a two-line order through both modules: reports, then
// admission.
TEST(OrderLinesTest, ReportsDriveTheStateMachine) {
  std::vector<nu_order_line_qty> lines = {L(2, 0), L(1, 0)};
  nu_order_state state = NU_ORDER_INITIAL_STATE;
  auto deliver = [&](size_t i, int64_t q) {
    bool raised = false;
    ASSERT_EQ(nu_order_line_deliver(&lines[i], q, &lines[i], &raised, nullptr), 0);
    ASSERT_TRUE(raised);
    nu_order_event ev{};
    ASSERT_EQ(nu_order_delivery_event(lines.data(), lines.size(), &ev, nullptr), 0);
    nu_order_transition t{};
    ASSERT_EQ(nu_order_status_next(state, ev, nullptr, &t, nullptr), 0);
    EXPECT_TRUE(t.issue_delivery_note);
    state = t.to;
  };
  deliver(0, 1);
  EXPECT_EQ(state, NU_ORDER_PARTIALLY_DELIVERED);
  deliver(0, 2);
  EXPECT_EQ(state, NU_ORDER_PARTIALLY_DELIVERED);
  deliver(1, 1);
  EXPECT_EQ(state, NU_ORDER_DELIVERED);
  for (auto& l : lines) ASSERT_EQ(nu_order_line_admit(&l, l.delivered, &l, nullptr), 0);
  ASSERT_TRUE(nu_order_lines_admitted(lines.data(), lines.size()));
  nu_order_transition t{};
  ASSERT_EQ(nu_order_status_next(state, NU_ORDER_EVENT_ADMITTED, nullptr, &t, nullptr), 0);
  EXPECT_EQ(t.to, NU_ORDER_ADMITTED);
}

}  // namespace
