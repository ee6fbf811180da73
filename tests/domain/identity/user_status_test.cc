// user_status_test.cc — the user account lifecycle, every (state, event)
// pair, with its effects on sessions and access keys.
#include "server/domain/identity/user_status.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

namespace {

struct Want {
  bool ok;
  nu_user_state to;
  const char* reason;
  bool revoke_sessions, revoke_keys, clear_lockout;
};

constexpr auto PEND = NU_USER_STATE_PENDING;
constexpr auto INV = NU_USER_STATE_INVITED;
constexpr auto ACT = NU_USER_STATE_ACTIVE;
constexpr auto LCK = NU_USER_STATE_LOCKED;
constexpr auto DIS = NU_USER_STATE_DISABLED;
constexpr auto TERMS = NU_USER_EVENT_ACCEPT_TERMS;
constexpr auto ENROLL = NU_USER_EVENT_ENROLL;
constexpr auto ACTIVATE = NU_USER_EVENT_OPERATOR_ACTIVATE;
constexpr auto LOCK = NU_USER_EVENT_OPERATOR_LOCK;
constexpr auto DISABLE = NU_USER_EVENT_OPERATOR_DISABLE;

Want Ok(nu_user_state to, bool sessions = false, bool keys = false, bool lockout = false) {
  return {true, to, nullptr, sessions, keys, lockout};
}
Want No(const char* reason) { return {false, NU_USER_STATE_UNSPECIFIED, reason, false, false, false}; }

// With the e-mail confirmed.
const std::map<std::pair<int, int>, Want> kTable = {
    {{PEND, TERMS}, Ok(ACT, false, false, true)},
    {{PEND, ENROLL}, No("NOT_INVITED")},
    {{PEND, ACTIVATE}, No("USER_NOT_ENROLLED")},
    {{PEND, LOCK}, No("USER_NOT_ENROLLED")},
    {{PEND, DISABLE}, Ok(DIS, true, true)},
    {{INV, TERMS}, No("NOT_PENDING")},
    {{INV, ENROLL}, Ok(ACT)},
    {{INV, ACTIVATE}, No("USER_NOT_ENROLLED")},
    {{INV, LOCK}, No("USER_NOT_ENROLLED")},
    {{INV, DISABLE}, Ok(DIS, true, true)},
    {{ACT, TERMS}, No("NOT_PENDING")},
    {{ACT, ENROLL}, No("NOT_INVITED")},
    {{ACT, ACTIVATE}, Ok(ACT, false, false, true)},
    {{ACT, LOCK}, Ok(LCK, true)},
    {{ACT, DISABLE}, Ok(DIS, true, true)},
    {{LCK, TERMS}, No("NOT_PENDING")},
    {{LCK, ENROLL}, No("NOT_INVITED")},
    {{LCK, ACTIVATE}, Ok(ACT, false, false, true)},
    {{LCK, LOCK}, Ok(LCK, true)},
    {{LCK, DISABLE}, Ok(DIS, true, true)},
    {{DIS, TERMS}, No("NOT_PENDING")},
    {{DIS, ENROLL}, No("NOT_INVITED")},
    {{DIS, ACTIVATE}, Ok(ACT, false, false, true)},
    {{DIS, LOCK}, No("USER_DISABLED")},
    {{DIS, DISABLE}, Ok(DIS, true, true)},
};

TEST(UserStatusTest, EveryStateAndEvent) {
  nu_user_facts f{};
  f.email_confirmed = true;
  for (int s = 1; s < NU_USER_STATE_COUNT; s++) {
    for (int e = 0; e < NU_USER_EVENT_COUNT; e++) {
      SCOPED_TRACE(std::string(nu_user_state_name(static_cast<nu_user_state>(s))) + " event " +
                   std::to_string(e));
      auto it = kTable.find({s, e});
      ASSERT_NE(it, kTable.end()) << "no expectation for this pair";
      const Want& w = it->second;
      nu_user_transition t{};
      nu_refusal why{};
      int rc = nu_user_status_next(static_cast<nu_user_state>(s), static_cast<nu_user_event>(e),
                                   &f, &t, &why);
      if (!w.ok) {
        ASSERT_EQ(rc, -1);
        EXPECT_STREQ(why.reason, w.reason);
        EXPECT_NE(why.message, nullptr);
        continue;
      }
      ASSERT_EQ(rc, 0);
      EXPECT_EQ(t.to, w.to);
      EXPECT_EQ(t.changed, s != w.to);
      EXPECT_EQ(t.revoke_sessions, w.revoke_sessions);
      EXPECT_EQ(t.revoke_access_keys, w.revoke_keys);
      EXPECT_EQ(t.clear_lockout, w.clear_lockout);
    }
  }
}

TEST(UserStatusTest, TermsNeedAConfirmedEmail) {
  nu_user_facts f{};
  nu_user_transition t{};
  nu_refusal why{};
  EXPECT_EQ(nu_user_status_next(PEND, TERMS, &f, &t, &why), -1);
  EXPECT_STREQ(why.reason, "EMAIL_NOT_CONFIRMED");
  EXPECT_EQ(nu_user_status_next(PEND, TERMS, nullptr, &t, &why), -1);
  EXPECT_STREQ(why.reason, "EMAIL_NOT_CONFIRMED");
}

TEST(UserStatusTest, OnlyActiveUsersSignIn) {
  for (int s = 0; s < NU_USER_STATE_COUNT; s++) {
    EXPECT_EQ(nu_user_may_sign_in(static_cast<nu_user_state>(s)), s == ACT) << s;
  }
}

TEST(UserStatusTest, UnknownStatesAndNames) {
  nu_user_transition t{};
  nu_refusal why{};
  EXPECT_EQ(nu_user_status_next(NU_USER_STATE_UNSPECIFIED, DISABLE, nullptr, &t, &why), -1);
  EXPECT_STREQ(why.reason, "USER_STATE_UNKNOWN");
  EXPECT_EQ(nu_user_status_next(ACT, static_cast<nu_user_event>(9), nullptr, &t, &why), -1);
  EXPECT_STREQ(why.reason, "USER_EVENT_UNKNOWN");
  for (int s = 1; s < NU_USER_STATE_COUNT; s++) {
    auto st = static_cast<nu_user_state>(s);
    EXPECT_EQ(nu_user_state_parse(nu_user_state_name(st)), st);
  }
  EXPECT_EQ(nu_user_state_parse("Active"), NU_USER_STATE_UNSPECIFIED);
}

}  // namespace
