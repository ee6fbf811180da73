// invitation_status_test.cc — the invitation lifecycle, every (state, event)
// pair, and expiry derived from the clock.
#include "server/domain/organization/invitation_status.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

namespace {

struct Want {
  bool ok;
  nu_invitation_state to;  // when ok
  const char* reason;      // when refused
};

const std::map<std::pair<int, int>, Want> kTable = {
    {{NU_INVITATION_STATE_PENDING, NU_INVITATION_EVENT_RESEND},
     {true, NU_INVITATION_STATE_PENDING, nullptr}},
    {{NU_INVITATION_STATE_PENDING, NU_INVITATION_EVENT_REVOKE},
     {true, NU_INVITATION_STATE_REVOKED, nullptr}},
    {{NU_INVITATION_STATE_PENDING, NU_INVITATION_EVENT_ACCEPT},
     {true, NU_INVITATION_STATE_ACCEPTED, nullptr}},
    {{NU_INVITATION_STATE_EXPIRED, NU_INVITATION_EVENT_RESEND},
     {true, NU_INVITATION_STATE_PENDING, nullptr}},
    {{NU_INVITATION_STATE_EXPIRED, NU_INVITATION_EVENT_REVOKE},
     {true, NU_INVITATION_STATE_REVOKED, nullptr}},
    {{NU_INVITATION_STATE_EXPIRED, NU_INVITATION_EVENT_ACCEPT},
     {false, NU_INVITATION_STATE_UNSPECIFIED, "INVITATION_EXPIRED"}},
    {{NU_INVITATION_STATE_ACCEPTED, NU_INVITATION_EVENT_RESEND},
     {false, NU_INVITATION_STATE_UNSPECIFIED, "INVITATION_CLOSED"}},
    {{NU_INVITATION_STATE_ACCEPTED, NU_INVITATION_EVENT_REVOKE},
     {false, NU_INVITATION_STATE_UNSPECIFIED, "INVITATION_CLOSED"}},
    {{NU_INVITATION_STATE_ACCEPTED, NU_INVITATION_EVENT_ACCEPT},
     {false, NU_INVITATION_STATE_UNSPECIFIED, "INVITATION_CLOSED"}},
    {{NU_INVITATION_STATE_REVOKED, NU_INVITATION_EVENT_RESEND},
     {false, NU_INVITATION_STATE_UNSPECIFIED, "INVITATION_CLOSED"}},
    {{NU_INVITATION_STATE_REVOKED, NU_INVITATION_EVENT_REVOKE},
     {false, NU_INVITATION_STATE_UNSPECIFIED, "INVITATION_CLOSED"}},
    {{NU_INVITATION_STATE_REVOKED, NU_INVITATION_EVENT_ACCEPT},
     {false, NU_INVITATION_STATE_UNSPECIFIED, "INVITATION_CLOSED"}},
};

TEST(InvitationStatusTest, EveryStateAndEvent) {
  for (int s = 1; s < NU_INVITATION_STATE_COUNT; s++) {
    for (int e = 0; e < NU_INVITATION_EVENT_COUNT; e++) {
      SCOPED_TRACE(std::string(nu_invitation_state_name(static_cast<nu_invitation_state>(s))) +
                   " event " + std::to_string(e));
      auto it = kTable.find({s, e});
      ASSERT_NE(it, kTable.end()) << "no expectation for this pair";
      nu_invitation_state to = NU_INVITATION_STATE_UNSPECIFIED;
      nu_refusal why{};
      int rc = nu_invitation_status_next(static_cast<nu_invitation_state>(s),
                                         static_cast<nu_invitation_event>(e), &to, &why);
      if (it->second.ok) {
        EXPECT_EQ(rc, 0);
        EXPECT_EQ(to, it->second.to);
      } else {
        EXPECT_EQ(rc, -1);
        EXPECT_STREQ(why.reason, it->second.reason);
        EXPECT_NE(why.message, nullptr);
      }
    }
  }
}

TEST(InvitationStatusTest, ExpiryIsDerivedFromTheClock) {
  const int64_t expires = 1'000'000;
  EXPECT_EQ(nu_invitation_state_at(NU_INVITATION_STATE_PENDING, expires, expires - 1),
            NU_INVITATION_STATE_PENDING);
  // The lifetime ends at the instant itself.
  EXPECT_EQ(nu_invitation_state_at(NU_INVITATION_STATE_PENDING, expires, expires),
            NU_INVITATION_STATE_EXPIRED);
  EXPECT_EQ(nu_invitation_state_at(NU_INVITATION_STATE_ACCEPTED, expires, expires + 1),
            NU_INVITATION_STATE_ACCEPTED);
  EXPECT_EQ(nu_invitation_state_at(NU_INVITATION_STATE_REVOKED, expires, expires + 1),
            NU_INVITATION_STATE_REVOKED);
}

TEST(InvitationStatusTest, ExpiredIsNeverStored) {
  EXPECT_EQ(nu_invitation_state_parse("expired"), NU_INVITATION_STATE_UNSPECIFIED);
  for (auto s : {NU_INVITATION_STATE_PENDING, NU_INVITATION_STATE_ACCEPTED,
                 NU_INVITATION_STATE_REVOKED}) {
    EXPECT_EQ(nu_invitation_state_parse(nu_invitation_state_name(s)), s);
  }
  nu_invitation_state to;
  nu_refusal why{};
  EXPECT_EQ(nu_invitation_status_next(NU_INVITATION_STATE_UNSPECIFIED, NU_INVITATION_EVENT_REVOKE,
                                      &to, &why),
            -1);
  EXPECT_STREQ(why.reason, "INVITATION_STATE_UNKNOWN");
}

}  // namespace
