// order_status_test.cc — the order lifecycle: every (state, event) pair,
// the effects of each event, and dispute resolution from the lines' facts.
#include "server/domain/orders/order_status.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <map>
#include <string>
#include <utility>

namespace {

struct Want {
  bool ok;
  nu_order_state to;
  bool changed;
  const char* reason;
};

constexpr auto TD = NU_ORDER_TO_DELIVER;
constexpr auto PD = NU_ORDER_PARTIALLY_DELIVERED;
constexpr auto DL = NU_ORDER_DELIVERED;
constexpr auto AD = NU_ORDER_ADMITTED;
constexpr auto DI = NU_ORDER_DISPUTED;
constexpr auto CA = NU_ORDER_CANCELLED;

constexpr auto PROG = NU_ORDER_EVENT_LINE_IN_PROGRESS;
constexpr auto FAIL = NU_ORDER_EVENT_LINE_FAILED;
constexpr auto PART = NU_ORDER_EVENT_DELIVERED_PARTIAL;
constexpr auto FULL = NU_ORDER_EVENT_DELIVERED_FULL;
constexpr auto ADMIT = NU_ORDER_EVENT_ADMITTED;
constexpr auto CONTEST = NU_ORDER_EVENT_CONTESTED;
constexpr auto RESOLVE = NU_ORDER_EVENT_DISPUTE_RESOLVED;
constexpr auto CANCEL = NU_ORDER_EVENT_CANCELLED;

Want Go(nu_order_state to, bool changed) { return {true, to, changed, nullptr}; }
Want No(const char* reason) { return {false, NU_ORDER_STATE_UNSPECIFIED, false, reason}; }

// Dispute resolution with the lines partially delivered and no other
// incident open.
const std::map<std::pair<int, int>, Want> kTable = {
    {{TD, PROG}, Go(TD, false)},
    {{TD, FAIL}, Go(TD, false)},
    {{TD, PART}, Go(PD, true)},
    {{TD, FULL}, Go(DL, true)},
    {{TD, ADMIT}, No("ORDER_NOT_DELIVERED")},
    {{TD, CONTEST}, No("NOTHING_DELIVERED")},
    {{TD, RESOLVE}, No("ORDER_NOT_DISPUTED")},
    {{TD, CANCEL}, Go(CA, true)},

    {{PD, PROG}, Go(PD, false)},
    {{PD, FAIL}, Go(PD, false)},
    {{PD, PART}, Go(PD, false)},
    {{PD, FULL}, Go(DL, true)},
    {{PD, ADMIT}, No("ORDER_NOT_DELIVERED")},
    {{PD, CONTEST}, Go(DI, true)},
    {{PD, RESOLVE}, No("ORDER_NOT_DISPUTED")},
    {{PD, CANCEL}, Go(CA, true)},

    {{DL, PROG}, No("ORDER_ALREADY_DELIVERED")},
    {{DL, FAIL}, No("ORDER_ALREADY_DELIVERED")},
    {{DL, PART}, No("ORDER_ALREADY_DELIVERED")},
    {{DL, FULL}, No("ORDER_ALREADY_DELIVERED")},
    {{DL, ADMIT}, Go(AD, true)},
    {{DL, CONTEST}, Go(DI, true)},
    {{DL, RESOLVE}, No("ORDER_NOT_DISPUTED")},
    {{DL, CANCEL}, No("ORDER_DELIVERED")},

    {{AD, PROG}, No("ORDER_ADMITTED")},
    {{AD, FAIL}, No("ORDER_ADMITTED")},
    {{AD, PART}, No("ORDER_ADMITTED")},
    {{AD, FULL}, No("ORDER_ADMITTED")},
    {{AD, ADMIT}, No("ORDER_ALREADY_ADMITTED")},
    {{AD, CONTEST}, No("ORDER_ADMITTED")},
    {{AD, RESOLVE}, No("ORDER_NOT_DISPUTED")},
    {{AD, CANCEL}, No("ORDER_ADMITTED")},

    {{DI, PROG}, Go(DI, false)},
    {{DI, FAIL}, Go(DI, false)},
    {{DI, PART}, Go(DI, false)},
    {{DI, FULL}, Go(DI, false)},
    {{DI, ADMIT}, No("ORDER_DISPUTED")},
    {{DI, CONTEST}, Go(DI, false)},
    {{DI, RESOLVE}, Go(PD, true)},
    {{DI, CANCEL}, Go(CA, true)},

    {{CA, PROG}, No("ORDER_CANCELLED")},
    {{CA, FAIL}, No("ORDER_CANCELLED")},
    {{CA, PART}, No("ORDER_CANCELLED")},
    {{CA, FULL}, No("ORDER_CANCELLED")},
    {{CA, ADMIT}, No("ORDER_CANCELLED")},
    {{CA, CONTEST}, No("ORDER_CANCELLED")},
    {{CA, RESOLVE}, No("ORDER_NOT_DISPUTED")},
    {{CA, CANCEL}, Go(CA, false)},
};

TEST(OrderStatusTest, EveryStateAndEvent) {
  nu_order_facts facts{};
  facts.delivery_state = PD;
  facts.open_incidents_left = 0;
  int seen = 0;
  for (int s = 1; s < NU_ORDER_STATE_COUNT; s++) {
    for (int e = 0; e < NU_ORDER_EVENT_COUNT; e++) {
      SCOPED_TRACE(std::string(nu_order_state_name(static_cast<nu_order_state>(s))) + " + " +
                   nu_order_event_name(static_cast<nu_order_event>(e)));
      auto it = kTable.find({s, e});
      ASSERT_NE(it, kTable.end()) << "no expectation for this pair";
      seen++;
      nu_order_transition t{};
      nu_refusal why{};
      int rc = nu_order_status_next(static_cast<nu_order_state>(s), static_cast<nu_order_event>(e),
                                    &facts, &t, &why);
      if (it->second.ok) {
        ASSERT_EQ(rc, 0) << why.reason;
        EXPECT_EQ(t.to, it->second.to);
        EXPECT_EQ(t.changed, it->second.changed);
      } else {
        ASSERT_EQ(rc, -1);
        EXPECT_STREQ(why.reason, it->second.reason);
        ASSERT_NE(why.message, nullptr);
        EXPECT_TRUE(islower(static_cast<unsigned char>(why.message[0])));
        EXPECT_NE(why.message[strlen(why.message) - 1], '.');
      }
    }
  }
  EXPECT_EQ(seen, static_cast<int>(kTable.size()));
  EXPECT_EQ(seen, (NU_ORDER_STATE_COUNT - 1) * NU_ORDER_EVENT_COUNT);
}

TEST(OrderStatusTest, EffectsOfEachEvent) {
  nu_order_transition t{};
  ASSERT_EQ(nu_order_status_next(TD, PROG, nullptr, &t, nullptr), 0);
  EXPECT_FALSE(t.notify_buyer || t.notify_provider || t.issue_delivery_note || t.open_incident);
  ASSERT_EQ(nu_order_status_next(PD, FAIL, nullptr, &t, nullptr), 0);
  EXPECT_TRUE(t.notify_buyer);
  EXPECT_FALSE(t.issue_delivery_note);
  // Every delivery, even one that leaves the state alone, issues a note.
  for (auto from : {TD, PD, DI}) {
    for (auto ev : {PART, FULL}) {
      ASSERT_EQ(nu_order_status_next(from, ev, nullptr, &t, nullptr), 0);
      EXPECT_TRUE(t.issue_delivery_note);
      EXPECT_TRUE(t.notify_buyer);
      EXPECT_FALSE(t.open_incident);
    }
  }
  ASSERT_EQ(nu_order_status_next(DL, ADMIT, nullptr, &t, nullptr), 0);
  EXPECT_TRUE(t.notify_buyer && t.notify_provider);
  EXPECT_FALSE(t.issue_delivery_note);
  // A second contest opens a second incident.
  for (auto from : {PD, DL, DI}) {
    ASSERT_EQ(nu_order_status_next(from, CONTEST, nullptr, &t, nullptr), 0);
    EXPECT_TRUE(t.open_incident && t.notify_provider && t.notify_buyer);
  }
  // Cancelling again tells nobody again.
  ASSERT_EQ(nu_order_status_next(TD, CANCEL, nullptr, &t, nullptr), 0);
  EXPECT_TRUE(t.notify_buyer && t.notify_provider);
  ASSERT_EQ(nu_order_status_next(CA, CANCEL, nullptr, &t, nullptr), 0);
  EXPECT_FALSE(t.changed || t.notify_buyer || t.notify_provider);
}

TEST(OrderStatusTest, DisputeResolvedReturnsToWhatTheLinesSay) {
  nu_order_transition t{};
  nu_refusal why{};
  for (auto s : {TD, PD, DL}) {
    nu_order_facts f{s, 0};
    ASSERT_EQ(nu_order_status_next(DI, RESOLVE, &f, &t, &why), 0);
    EXPECT_EQ(t.to, s);
    EXPECT_TRUE(t.changed);
  }
  // Another incident still open: the order stays disputed.
  nu_order_facts open{DL, 1};
  ASSERT_EQ(nu_order_status_next(DI, RESOLVE, &open, &t, &why), 0);
  EXPECT_EQ(t.to, DI);
  EXPECT_FALSE(t.changed);
  // The lines must be known, and never say admitted or disputed.
  EXPECT_EQ(nu_order_status_next(DI, RESOLVE, nullptr, &t, &why), -1);
  EXPECT_STREQ(why.reason, "ORDER_FACTS_MISSING");
  for (auto s : {NU_ORDER_STATE_UNSPECIFIED, AD, DI, CA}) {
    nu_order_facts f{s, 0};
    EXPECT_EQ(nu_order_status_next(DI, RESOLVE, &f, &t, &why), -1);
    EXPECT_STREQ(why.reason, "ORDER_FACTS_MISSING");
  }
}

TEST(OrderStatusTest, UnknownStatesEventsAndNames) {
  nu_order_transition t{};
  nu_refusal why{};
  EXPECT_EQ(nu_order_status_next(NU_ORDER_STATE_UNSPECIFIED, PROG, nullptr, &t, &why), -1);
  EXPECT_STREQ(why.reason, "ORDER_STATE_UNKNOWN");
  EXPECT_EQ(nu_order_status_next(static_cast<nu_order_state>(7), PROG, nullptr, &t, &why), -1);
  EXPECT_STREQ(why.reason, "ORDER_STATE_UNKNOWN");
  EXPECT_EQ(nu_order_status_next(TD, static_cast<nu_order_event>(8), nullptr, &t, &why), -1);
  EXPECT_STREQ(why.reason, "ORDER_EVENT_UNKNOWN");
  EXPECT_EQ(nu_order_status_next(TD, static_cast<nu_order_event>(-1), nullptr, &t, nullptr), -1);
  for (int s = 1; s < NU_ORDER_STATE_COUNT; s++) {
    auto st = static_cast<nu_order_state>(s);
    EXPECT_EQ(nu_order_state_parse(nu_order_state_name(st)), st);
  }
  EXPECT_STREQ(nu_order_state_name(NU_ORDER_INITIAL_STATE), "to_deliver");
  EXPECT_EQ(nu_order_state_parse("Delivered"), NU_ORDER_STATE_UNSPECIFIED);
  EXPECT_EQ(nu_order_state_parse(nullptr), NU_ORDER_STATE_UNSPECIFIED);
  EXPECT_EQ(nu_order_state_name(NU_ORDER_STATE_UNSPECIFIED), nullptr);
  EXPECT_STREQ(nu_order_event_name(RESOLVE), "dispute_resolved");
  EXPECT_EQ(nu_order_event_name(static_cast<nu_order_event>(NU_ORDER_EVENT_COUNT)), nullptr);
}

}  // namespace
