// enum_test.cc — enum values checked and named from their protobuf-c
// descriptors (validate/enum.h). The texts the database keeps were written
// by hand in tables before; the tables are copied here as they were, and
// the derived texts must equal them value for value.
#include "server/validate/enum.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "nuage/v1/catalog.pb-c.h"
#include "nuage/v1/eligibility.pb-c.h"
#include "nuage/v1/organization.pb-c.h"
#include "nuage/v1/user.pb-c.h"
#include "tests/unit/validator_testing.h"

namespace {

using nu_testing::Why;

// Index i is the database text of value i; index 0 (UNSPECIFIED) has none.
struct OldTable {
  const ProtobufCEnumDescriptor *d;
  std::vector<const char *> texts;
};

const std::vector<OldTable> &OldTables() {
  static const std::vector<OldTable> tables = {
      // server/rpc/catalog/catalog_common.c
      {&nuage__v1__product_kind__descriptor,
       {nullptr, "machine_image", "managed_service", "professional_service"}},
      {&nuage__v1__certification__descriptor,
       {nullptr, "hds", "iso_27001", "iso_27017", "iso_27018", "pci_dss", "secnumcloud",
        "isae_3402", "iso_50001"}},
      {&nuage__v1__capability__descriptor,
       {nullptr, "standard_vms", "serverless", "bare_metal", "optimized_vms", "monitoring",
        "resource_optimization", "log_analysis", "cmdb", "vdi", "training", "professional_services",
        "marketplace"}},
      {&nuage__v1__pricing_model__descriptor,
       {nullptr, "hourly", "free", "byol", "subscription", "quotation"}},
      // server/rpc/organization/organization.c (support_names)
      {&nuage__v1__support_level__descriptor,
       {nullptr, "basic", "standard", "business", "premium"}},
      // server/rpc/identity/user.c (civility_to_api, statuses)
      {&nuage__v1__civility__descriptor, {nullptr, "mr", "ms"}},
      {&nuage__v1__user_status__descriptor,
       {nullptr, "pending", "invited", "active", "locked", "disabled"}},
  };
  return tables;
}

TEST(EnumText, EqualsTheOldTables) {
  for (const OldTable &t : OldTables()) {
    SCOPED_TRACE(t.d->name);
    // The old tables covered every value, in order.
    EXPECT_EQ(t.d->n_values, t.texts.size());
    for (int v = 0; v < static_cast<int>(t.texts.size()); v++) {
      if (t.texts[v] == nullptr) {
        EXPECT_EQ(nu_enum_text(t.d, v), nullptr) << v;
        continue;
      }
      EXPECT_STREQ(nu_enum_text(t.d, v), t.texts[v]) << v;
      EXPECT_EQ(nu_enum_parse_text(t.d, t.texts[v]), v) << t.texts[v];
    }
    // Past the table: no text, as the old lookups gave none.
    EXPECT_EQ(nu_enum_text(t.d, static_cast<int>(t.texts.size())), nullptr);
    EXPECT_EQ(nu_enum_text(t.d, -1), nullptr);
  }
}

TEST(EnumText, NestedEnumsHaveTheirOwnPrefix) {
  const ProtobufCEnumDescriptor *d = &nuage__v1__invitation__state__descriptor;
  EXPECT_STREQ(nu_enum_text(d, NUAGE__V1__INVITATION__STATE__STATE_PENDING), "pending");
  EXPECT_STREQ(nu_enum_text(d, NUAGE__V1__INVITATION__STATE__STATE_REVOKED), "revoked");
  EXPECT_STREQ(nu_enum_text(&nuage__v1__credit_nature__descriptor, 1), "eligibility_voucher");
}

// The first texts of an enum may be asked for by several threads at once
// (no other test of this binary touches NormalizationKind): one table is
// built, every thread gets the same pointer.
TEST(EnumText, IsStaticAndTheSameFromEveryThread) {
  const ProtobufCEnumDescriptor *d = &nuage__v1__normalization_kind__descriptor;
  std::vector<const char *> seen(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); i++) {
    threads.emplace_back([&, i] { seen[i] = nu_enum_text(d, 4); });
  }
  for (auto &t : threads) t.join();
  for (const char *s : seen) EXPECT_EQ(s, seen[0]);
  EXPECT_STREQ(seen[0], "root_dot_removed");
  EXPECT_EQ(nu_enum_text(d, 4), seen[0]);
}

TEST(EnumParseText, OnlyTheExactLowerCaseText) {
  const ProtobufCEnumDescriptor *d = &nuage__v1__product_kind__descriptor;
  for (const char *s : {"", "MACHINE_IMAGE", "Machine_image", "machine_image ", " machine_image",
                        "machine", "machine_image_x", "product_kind_machine_image",
                        "PRODUCT_KIND_MACHINE_IMAGE", "unspecified", "UNSPECIFIED"}) {
    EXPECT_EQ(nu_enum_parse_text(d, s), 0) << s;
  }
  EXPECT_EQ(nu_enum_parse_text(d, nullptr), 0);
  EXPECT_EQ(nu_enum_parse_text(d, "machine_image"), 1);
}

TEST(EnumName, AsTheProtoWritesIt) {
  EXPECT_STREQ(nu_enum_name(&nuage__v1__product_kind__descriptor, 1), "PRODUCT_KIND_MACHINE_IMAGE");
  EXPECT_STREQ(nu_enum_name(&nuage__v1__product_kind__descriptor, 0), "PRODUCT_KIND_UNSPECIFIED");
  EXPECT_EQ(nu_enum_name(&nuage__v1__product_kind__descriptor, 4), nullptr);
}

TEST(EnumValid, KnownValuesAndTheZero) {
  const ProtobufCEnumDescriptor *d = &nuage__v1__account_type__descriptor;
  struct Case {
    int value;
    bool zero_ok, valid;
  } cases[] = {
      {0, true, true},  {0, false, false}, {1, false, true},       {2, false, true},
      {3, true, false}, {-1, true, false}, {1 << 30, true, false},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(nu_enum_valid(d, c.value, c.zero_ok), c.valid) << c.value << " " << c.zero_ok;
  }
}

TEST(ValidateEnum, ListsWhatIsAccepted) {
  struct Case {
    const ProtobufCEnumDescriptor *d;
    int value;
    bool zero_ok;
    std::string why;
  } cases[] = {
      {&nuage__v1__account_type__descriptor, 1, false, ""},
      {&nuage__v1__account_type__descriptor, 0, false, "must be PERSONAL or COMPANY"},
      {&nuage__v1__account_type__descriptor, 3, false, "must be PERSONAL or COMPANY"},
      {&nuage__v1__civility__descriptor, 0, true, ""},
      {&nuage__v1__civility__descriptor, 7, true, "must be UNSPECIFIED, MR or MS"},
      {&nuage__v1__credit_nature__descriptor, 0, false, "must be ELIGIBILITY_VOUCHER"},
      {&nuage__v1__credit_nature__descriptor, 2, true,
       "must be UNSPECIFIED or ELIGIBILITY_VOUCHER"},
      {&nuage__v1__product_kind__descriptor, -1, false,
       "must be MACHINE_IMAGE, MANAGED_SERVICE or PROFESSIONAL_SERVICE"},
      {&nuage__v1__invitation__state__descriptor, 5, true,
       "must be UNSPECIFIED, PENDING, ACCEPTED, EXPIRED or REVOKED"},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(Why([&](nu_validator *v) { nu_validate_enum(v, "f", c.d, c.value, c.zero_ok); }),
              c.why)
        << c.d->name << " " << c.value;
  }
}

TEST(ValidateEnumList, EachBadItemByIndexOrTooMany) {
  const ProtobufCEnumDescriptor *d = &nuage__v1__certification__descriptor;
  const int items[] = {1, 0, 8, 9, 2};
  auto vs = nu_testing::RunChecks(
      [&](nu_validator *v) { nu_validate_enum_list(v, "certifications", d, items, 5, 5); });
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[0].first, "certifications[1]");
  EXPECT_EQ(vs[1].first, "certifications[3]");
  EXPECT_EQ(vs[1].second.rfind("must be HDS, ISO_27001, ", 0), 0u) << vs[1].second;

  // Past the bound, only the bound is reported (however many items are bad).
  vs = nu_testing::RunChecks(
      [&](nu_validator *v) { nu_validate_enum_list(v, "certifications", d, items, 5, 4); });
  ASSERT_EQ(vs.size(), 1u);
  EXPECT_EQ(vs[0], std::make_pair(std::string("certifications"), std::string("at most 4 values")));

  EXPECT_TRUE(nu_testing::RunChecks([&](nu_validator *v) {
                nu_validate_enum_list(v, "certifications", d, nullptr, 0, 0);
              }).empty());
}

// An enum whose zero is not *_UNSPECIFIED keeps its names whole.
TEST(EnumText, WithoutAnUnspecifiedZeroNothingIsStripped) {
  static const ProtobufCEnumValue values[] = {
      {"FIRST", "FIRST", 1},
      {"SECOND_ONE", "SECOND_ONE", 2},
  };
  static const ProtobufCIntRange ranges[] = {{1, 0}, {0, 2}};
  static const ProtobufCEnumValueIndex by_name[] = {{"FIRST", 0}, {"SECOND_ONE", 1}};
  // The fields in their order, as protoc-c writes them.
  // clang-format off
  static const ProtobufCEnumDescriptor d = {
      PROTOBUF_C__ENUM_DESCRIPTOR_MAGIC, "t.Plain", "Plain", "T__Plain", "t", 2, values, 2, by_name,
      1, ranges, nullptr, nullptr, nullptr, nullptr};
  // clang-format on
  EXPECT_STREQ(nu_enum_text(&d, 1), "first");
  EXPECT_STREQ(nu_enum_text(&d, 2), "second_one");
  EXPECT_EQ(nu_enum_parse_text(&d, "second_one"), 2);
  EXPECT_EQ(Why([&](nu_validator *v) { nu_validate_enum(v, "f", &d, 0, true); }),
            "must be FIRST or SECOND_ONE");
}

}  // namespace
