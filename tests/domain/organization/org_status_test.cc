// org_status_test.cc — the organisation lifecycle, every (state, event) pair.
#include "server/domain/organization/org_status.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

namespace {

struct Want {
  nu_org_state to;
  bool changed;
};

// Every pair the machine can meet, with what must come out. The test below
// fails when a state or an event is added without a row here.
const std::map<std::pair<int, int>, Want> kTable = {
    {{NU_ORG_STATE_PENDING_VALIDATION, NU_ORG_EVENT_VALIDATE}, {NU_ORG_STATE_VALIDATED, true}},
    {{NU_ORG_STATE_PENDING_VALIDATION, NU_ORG_EVENT_SUSPEND}, {NU_ORG_STATE_SUSPENDED, true}},
    {{NU_ORG_STATE_VALIDATED, NU_ORG_EVENT_VALIDATE}, {NU_ORG_STATE_VALIDATED, false}},
    {{NU_ORG_STATE_VALIDATED, NU_ORG_EVENT_SUSPEND}, {NU_ORG_STATE_SUSPENDED, true}},
    {{NU_ORG_STATE_SUSPENDED, NU_ORG_EVENT_VALIDATE}, {NU_ORG_STATE_VALIDATED, true}},
    {{NU_ORG_STATE_SUSPENDED, NU_ORG_EVENT_SUSPEND}, {NU_ORG_STATE_SUSPENDED, false}},
};

TEST(OrgStatusTest, EveryStateAndEvent) {
  for (int s = 1; s < NU_ORG_STATE_COUNT; s++) {
    for (int e = 0; e < NU_ORG_EVENT_COUNT; e++) {
      SCOPED_TRACE(std::string(nu_org_state_name(static_cast<nu_org_state>(s))) + " event " +
                   std::to_string(e));
      auto it = kTable.find({s, e});
      ASSERT_NE(it, kTable.end()) << "no expectation for this pair";
      nu_org_transition t{};
      nu_refusal why{};
      ASSERT_EQ(nu_org_status_next(static_cast<nu_org_state>(s), static_cast<nu_org_event>(e),
                                   &t, &why),
                0);
      EXPECT_EQ(t.to, it->second.to);
      EXPECT_EQ(t.changed, it->second.changed);
    }
  }
}

TEST(OrgStatusTest, UnknownStateAndEventAreRefused) {
  nu_org_transition t{};
  nu_refusal why{};
  EXPECT_EQ(nu_org_status_next(NU_ORG_STATE_UNSPECIFIED, NU_ORG_EVENT_VALIDATE, &t, &why), -1);
  EXPECT_STREQ(why.reason, "ORGANIZATION_STATE_UNKNOWN");
  EXPECT_EQ(nu_org_status_next(NU_ORG_STATE_VALIDATED, static_cast<nu_org_event>(7), &t, &why),
            -1);
  EXPECT_STREQ(why.reason, "ORGANIZATION_EVENT_UNKNOWN");
  EXPECT_EQ(nu_org_status_next(NU_ORG_STATE_UNSPECIFIED, NU_ORG_EVENT_SUSPEND, &t, nullptr), -1);
}

TEST(OrgStatusTest, OnlyValidatedOrganizationsTransact) {
  nu_refusal why{};
  EXPECT_EQ(nu_org_may_transact(NU_ORG_STATE_VALIDATED, &why), 0);
  for (nu_org_state s : {NU_ORG_STATE_PENDING_VALIDATION, NU_ORG_STATE_SUSPENDED,
                         NU_ORG_STATE_UNSPECIFIED}) {
    why = {};
    EXPECT_EQ(nu_org_may_transact(s, &why), -1);
    EXPECT_STREQ(why.reason, "ORGANIZATION_NOT_VALIDATED");
    EXPECT_NE(why.message, nullptr);
  }
}

TEST(OrgStatusTest, NamesRoundTrip) {
  for (int s = 1; s < NU_ORG_STATE_COUNT; s++) {
    auto st = static_cast<nu_org_state>(s);
    EXPECT_EQ(nu_org_state_parse(nu_org_state_name(st)), st);
  }
  EXPECT_EQ(nu_org_state_name(NU_ORG_STATE_UNSPECIFIED), nullptr);
  EXPECT_EQ(nu_org_state_name(static_cast<nu_org_state>(NU_ORG_STATE_COUNT)), nullptr);
  EXPECT_EQ(nu_org_state_parse("Validated"), NU_ORG_STATE_UNSPECIFIED);
  EXPECT_EQ(nu_org_state_parse(nullptr), NU_ORG_STATE_UNSPECIFIED);
}

}  // namespace
