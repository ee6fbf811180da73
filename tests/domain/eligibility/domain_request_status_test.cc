// domain_request_status_test.cc — the eligible-domain request lifecycle,
// every (state, event) pair, and the stored names.
#include "server/domain/eligibility/domain_request_status.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

namespace {

struct Want {
  bool ok;
  nu_domain_request_state to;  // when ok
  const char* reason;          // when refused
};

const std::map<std::pair<int, int>, Want> kTable = {
    {{NU_DOMAIN_REQUEST_STATE_PENDING, NU_DOMAIN_REQUEST_EVENT_ACCEPT},
     {true, NU_DOMAIN_REQUEST_STATE_ACCEPTED, nullptr}},
    {{NU_DOMAIN_REQUEST_STATE_PENDING, NU_DOMAIN_REQUEST_EVENT_REFUSE},
     {true, NU_DOMAIN_REQUEST_STATE_REFUSED, nullptr}},
    {{NU_DOMAIN_REQUEST_STATE_ACCEPTED, NU_DOMAIN_REQUEST_EVENT_ACCEPT},
     {false, NU_DOMAIN_REQUEST_STATE_UNSPECIFIED, "REQUEST_ALREADY_DECIDED"}},
    {{NU_DOMAIN_REQUEST_STATE_ACCEPTED, NU_DOMAIN_REQUEST_EVENT_REFUSE},
     {false, NU_DOMAIN_REQUEST_STATE_UNSPECIFIED, "REQUEST_ALREADY_DECIDED"}},
    {{NU_DOMAIN_REQUEST_STATE_REFUSED, NU_DOMAIN_REQUEST_EVENT_ACCEPT},
     {false, NU_DOMAIN_REQUEST_STATE_UNSPECIFIED, "REQUEST_ALREADY_DECIDED"}},
    {{NU_DOMAIN_REQUEST_STATE_REFUSED, NU_DOMAIN_REQUEST_EVENT_REFUSE},
     {false, NU_DOMAIN_REQUEST_STATE_UNSPECIFIED, "REQUEST_ALREADY_DECIDED"}},
};

TEST(DomainRequestStatusTest, EveryStateAndEvent) {
  for (int s = 1; s < NU_DOMAIN_REQUEST_STATE_COUNT; s++) {
    for (int e = 0; e < NU_DOMAIN_REQUEST_EVENT_COUNT; e++) {
      SCOPED_TRACE(std::string(nu_domain_request_state_name(static_cast<nu_domain_request_state>(s))) +
                   " event " + std::to_string(e));
      auto it = kTable.find({s, e});
      ASSERT_NE(it, kTable.end()) << "no expectation for this pair";
      nu_domain_request_state to = NU_DOMAIN_REQUEST_STATE_UNSPECIFIED;
      nu_refusal why{};
      int rc = nu_domain_request_next(static_cast<nu_domain_request_state>(s),
                                      static_cast<nu_domain_request_event>(e), &to, &why);
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

TEST(DomainRequestStatusTest, AnUnknownStateDecidesNothing) {
  nu_domain_request_state to = NU_DOMAIN_REQUEST_STATE_UNSPECIFIED;
  nu_refusal why{};
  EXPECT_EQ(nu_domain_request_next(NU_DOMAIN_REQUEST_STATE_UNSPECIFIED,
                                   NU_DOMAIN_REQUEST_EVENT_ACCEPT, &to, &why),
            -1);
  EXPECT_STREQ(why.reason, "REQUEST_STATE_UNKNOWN");
  EXPECT_EQ(to, NU_DOMAIN_REQUEST_STATE_UNSPECIFIED);
}

TEST(DomainRequestStatusTest, StoredNamesRoundTrip) {
  for (int s = 1; s < NU_DOMAIN_REQUEST_STATE_COUNT; s++) {
    auto st = static_cast<nu_domain_request_state>(s);
    ASSERT_NE(nu_domain_request_state_name(st), nullptr);
    EXPECT_EQ(nu_domain_request_state_parse(nu_domain_request_state_name(st)), st);
  }
  EXPECT_EQ(nu_domain_request_state_name(NU_DOMAIN_REQUEST_STATE_UNSPECIFIED), nullptr);
  EXPECT_EQ(nu_domain_request_state_parse("Pending"), NU_DOMAIN_REQUEST_STATE_UNSPECIFIED);
  EXPECT_EQ(nu_domain_request_state_parse(nullptr), NU_DOMAIN_REQUEST_STATE_UNSPECIFIED);
}

}  // namespace
