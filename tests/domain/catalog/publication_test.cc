// publication_test.cc — the product and version lifecycle, every (subject,
// state, event) triple, with the facts a product publication needs.
#include "server/domain/catalog/publication.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>

namespace {

struct Want {
  bool ok;
  nu_publication_state to;
  bool changed;
  const char* reason;
};

constexpr auto P = NU_PUBLICATION_PRODUCT;
constexpr auto V = NU_PUBLICATION_VERSION;
constexpr auto DRAFT = NU_PUBLICATION_DRAFT;
constexpr auto PUB = NU_PUBLICATION_PUBLISHED;
constexpr auto UNPUB = NU_PUBLICATION_UNPUBLISHED;
constexpr auto PUBLISH = NU_PUBLICATION_EVENT_PUBLISH;
constexpr auto UNPUBLISH = NU_PUBLICATION_EVENT_UNPUBLISH;

// With every fact favourable (validated seller, an active plan).
const std::map<std::tuple<int, int, int>, Want> kTable = {
    {{P, DRAFT, PUBLISH}, {true, PUB, true, nullptr}},
    {{P, PUB, PUBLISH}, {true, PUB, false, nullptr}},
    {{P, UNPUB, PUBLISH}, {true, PUB, true, nullptr}},
    {{P, DRAFT, UNPUBLISH}, {false, {}, false, "PRODUCT_NOT_PUBLISHED"}},
    {{P, PUB, UNPUBLISH}, {true, UNPUB, true, nullptr}},
    {{P, UNPUB, UNPUBLISH}, {false, {}, false, "PRODUCT_NOT_PUBLISHED"}},
    {{V, DRAFT, PUBLISH}, {true, PUB, true, nullptr}},
    {{V, PUB, PUBLISH}, {true, PUB, false, nullptr}},
    {{V, UNPUB, PUBLISH}, {true, PUB, true, nullptr}},
    {{V, DRAFT, UNPUBLISH}, {false, {}, false, "VERSION_NOT_PUBLISHED"}},
    {{V, PUB, UNPUBLISH}, {true, UNPUB, true, nullptr}},
    {{V, UNPUB, UNPUBLISH}, {false, {}, false, "VERSION_NOT_PUBLISHED"}},
};

TEST(PublicationTest, EverySubjectStateAndEvent) {
  nu_publication_facts good{};
  good.seller_validated = true;
  good.has_active_plan = true;
  good.published_versions_left = 1;
  for (int w : {P, V}) {
    for (int s = 1; s < NU_PUBLICATION_STATE_COUNT; s++) {
      for (int e = 0; e < NU_PUBLICATION_EVENT_COUNT; e++) {
        SCOPED_TRACE(std::to_string(w) + " " +
                     nu_publication_state_name(static_cast<nu_publication_state>(s)) + " event " +
                     std::to_string(e));
        auto it = kTable.find({w, s, e});
        ASSERT_NE(it, kTable.end()) << "no expectation for this triple";
        nu_publication_transition t{};
        nu_refusal why{};
        int rc = nu_publication_next(static_cast<nu_publication_subject>(w),
                                     static_cast<nu_publication_state>(s),
                                     static_cast<nu_publication_event>(e), &good, &t, &why);
        if (it->second.ok) {
          ASSERT_EQ(rc, 0);
          EXPECT_EQ(t.to, it->second.to);
          EXPECT_EQ(t.changed, it->second.changed);
        } else {
          ASSERT_EQ(rc, -1);
          EXPECT_STREQ(why.reason, it->second.reason);
        }
      }
    }
  }
}

TEST(PublicationTest, ProductPublicationNeedsAValidatedSellerThenAPlan) {
  nu_publication_transition t{};
  nu_refusal why{};
  nu_publication_facts f{};
  f.has_active_plan = true;
  EXPECT_EQ(nu_publication_next(P, DRAFT, PUBLISH, &f, &t, &why), -1);
  EXPECT_STREQ(why.reason, "ORGANIZATION_NOT_VALIDATED");
  f.seller_validated = true;
  f.has_active_plan = false;
  EXPECT_EQ(nu_publication_next(P, UNPUB, PUBLISH, &f, &t, &why), -1);
  EXPECT_STREQ(why.reason, "NO_ACTIVE_PLAN");
  // Both missing: the seller is named first.
  f.seller_validated = false;
  EXPECT_EQ(nu_publication_next(P, DRAFT, PUBLISH, &f, &t, &why), -1);
  EXPECT_STREQ(why.reason, "ORGANIZATION_NOT_VALIDATED");
  // Already published: nothing is checked, nothing changes.
  EXPECT_EQ(nu_publication_next(P, PUB, PUBLISH, &f, &t, &why), 0);
  EXPECT_FALSE(t.changed);
  // Versions need neither.
  EXPECT_EQ(nu_publication_next(V, DRAFT, PUBLISH, &f, &t, &why), 0);
  EXPECT_TRUE(t.changed);
}

TEST(PublicationTest, WithdrawalNotices) {
  nu_publication_transition t{};
  nu_publication_facts f{};
  f.published_versions_left = 2;
  ASSERT_EQ(nu_publication_next(P, PUB, UNPUBLISH, &f, &t, nullptr), 0);
  EXPECT_TRUE(t.notify_withdrawn);  // the product itself goes
  ASSERT_EQ(nu_publication_next(V, PUB, UNPUBLISH, &f, &t, nullptr), 0);
  EXPECT_FALSE(t.notify_withdrawn);  // other versions remain
  f.published_versions_left = 0;
  ASSERT_EQ(nu_publication_next(V, PUB, UNPUBLISH, &f, &t, nullptr), 0);
  EXPECT_TRUE(t.notify_withdrawn);  // the last published version went
}

TEST(PublicationTest, UnknownStatesAndNames) {
  nu_publication_transition t{};
  nu_refusal why{};
  EXPECT_EQ(nu_publication_next(P, NU_PUBLICATION_UNSPECIFIED, PUBLISH, nullptr, &t, &why), -1);
  EXPECT_STREQ(why.reason, "PUBLICATION_STATE_UNKNOWN");
  EXPECT_EQ(nu_publication_next(V, DRAFT, static_cast<nu_publication_event>(5), nullptr, &t, &why),
            -1);
  EXPECT_STREQ(why.reason, "PUBLICATION_EVENT_UNKNOWN");
  for (auto s : {DRAFT, PUB, UNPUB}) {
    EXPECT_EQ(nu_publication_state_parse(nu_publication_state_name(s)), s);
  }
  EXPECT_EQ(nu_publication_state_parse("Published"), NU_PUBLICATION_UNSPECIFIED);
}

}  // namespace
