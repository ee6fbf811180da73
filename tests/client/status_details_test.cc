// status_details_test.cc — decoding of grpc-status-details-bin by the C
// client: a google.rpc.Status whose details are google.protobuf.Any, built
// here with protobuf-c the way a server builds it.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <nuage/client.h>

#include "google/protobuf/any.pb-c.h"
#include "google/rpc/error_details.pb-c.h"
#include "google/rpc/status.pb-c.h"

namespace {

using Bytes = std::vector<uint8_t>;

Bytes Pack(const ProtobufCMessage *m) {
  Bytes out(protobuf_c_message_get_packed_size(m));
  protobuf_c_message_pack(m, out.data());
  return out;
}

// An Any and the bytes it points to, kept alive together.
struct AnyHolder {
  std::string type_url;
  Bytes value;
  Google__Protobuf__Any any;

  AnyHolder(std::string url, Bytes v) : type_url(std::move(url)), value(std::move(v)) {
    google__protobuf__any__init(&any);
    any.type_url = &type_url[0];
    any.value.data = value.data();
    any.value.len = value.size();
  }
};

Bytes ErrorInfoBytes(const char *reason, const char *domain,
                     std::vector<std::pair<const char *, const char *>> metadata) {
  Google__Rpc__ErrorInfo info;
  google__rpc__error_info__init(&info);
  info.reason = const_cast<char *>(reason);
  info.domain = const_cast<char *>(domain);
  std::vector<Google__Rpc__ErrorInfo__MetadataEntry> entries(metadata.size());
  std::vector<Google__Rpc__ErrorInfo__MetadataEntry *> ptrs;
  for (size_t i = 0; i < metadata.size(); i++) {
    google__rpc__error_info__metadata_entry__init(&entries[i]);
    entries[i].key = const_cast<char *>(metadata[i].first);
    entries[i].value = const_cast<char *>(metadata[i].second);
    ptrs.push_back(&entries[i]);
  }
  info.n_metadata = ptrs.size();
  info.metadata = ptrs.data();
  return Pack(&info.base);
}

Bytes BadRequestBytes(std::vector<std::pair<const char *, const char *>> violations) {
  Google__Rpc__BadRequest bad;
  google__rpc__bad_request__init(&bad);
  std::vector<Google__Rpc__BadRequest__FieldViolation> fvs(violations.size());
  std::vector<Google__Rpc__BadRequest__FieldViolation *> ptrs;
  for (size_t i = 0; i < violations.size(); i++) {
    google__rpc__bad_request__field_violation__init(&fvs[i]);
    fvs[i].field = const_cast<char *>(violations[i].first);
    fvs[i].description = const_cast<char *>(violations[i].second);
    ptrs.push_back(&fvs[i]);
  }
  bad.n_field_violations = ptrs.size();
  bad.field_violations = ptrs.data();
  return Pack(&bad.base);
}

Bytes StatusBytes(int code, const char *message, std::vector<AnyHolder *> details) {
  Google__Rpc__Status st;
  google__rpc__status__init(&st);
  st.code = code;
  st.message = const_cast<char *>(message);
  std::vector<Google__Protobuf__Any *> ptrs;
  for (AnyHolder *h : details)
    ptrs.push_back(&h->any);
  st.n_details = ptrs.size();
  st.details = ptrs.data();
  return Pack(&st.base);
}

const char kErrorInfo[] = "type.googleapis.com/google.rpc.ErrorInfo";
const char kBadRequest[] = "type.googleapis.com/google.rpc.BadRequest";

class StatusDetailsTest : public ::testing::Test {
protected:
  void TearDown() override { nu_client_status_clear(&st_); }
  nu_client_status st_ = NU_CLIENT_STATUS_INIT;
};

TEST_F(StatusDetailsTest, DecodesErrorInfoAndBadRequestIgnoringUnknownTypes) {
  AnyHolder retry("type.googleapis.com/google.rpc.RetryInfo", Bytes{0x0a, 0x02, 0x08, 0x05});
  AnyHolder info(kErrorInfo, ErrorInfoBytes("INVALID_SIRET", "nuage.v1",
                                            {{"field", "siret"}, {"length", "13"}}));
  AnyHolder custom("type.googleapis.com/acme.v1.Whatever", Bytes{0xff, 0xff, 0xff});
  AnyHolder bad(kBadRequest, BadRequestBytes({{"organization.siret", "must have 14 digits"},
                                              {"organization.name", "must not be empty"}}));
  Bytes bytes = StatusBytes(3, "invalid organization", {&retry, &info, &custom, &bad});

  st_.code = 3;
  st_.message = strdup("from grpc-message");
  ASSERT_EQ(0, nu_client_decode_status_details(bytes.data(), bytes.size(), &st_));

  // The trailer's grpc-status and grpc-message stay authoritative.
  EXPECT_EQ(3, st_.code);
  EXPECT_STREQ("from grpc-message", st_.message);
  EXPECT_STREQ("INVALID_SIRET", st_.reason);
  EXPECT_STREQ("nuage.v1", st_.domain);
  ASSERT_EQ(2u, st_.metadata_count);
  EXPECT_STREQ("field", st_.metadata[0].key);
  EXPECT_STREQ("siret", st_.metadata[0].value);
  EXPECT_STREQ("length", st_.metadata[1].key);
  EXPECT_STREQ("13", st_.metadata[1].value);
  ASSERT_EQ(2u, st_.violation_count);
  EXPECT_STREQ("organization.siret", st_.violations[0].field);
  EXPECT_STREQ("must have 14 digits", st_.violations[0].description);
  EXPECT_STREQ("organization.name", st_.violations[1].field);
  EXPECT_STREQ("must not be empty", st_.violations[1].description);
}

TEST_F(StatusDetailsTest, OnlyUnknownTypesGiveNoDetails) {
  AnyHolder retry("type.googleapis.com/google.rpc.RetryInfo", Bytes{});
  AnyHolder help("type.googleapis.com/google.rpc.Help", Bytes{0x0a, 0x00});
  Bytes bytes = StatusBytes(14, "down", {&retry, &help});

  ASSERT_EQ(0, nu_client_decode_status_details(bytes.data(), bytes.size(), &st_));
  EXPECT_EQ(nullptr, st_.reason);
  EXPECT_EQ(nullptr, st_.domain);
  EXPECT_EQ(0u, st_.metadata_count);
  EXPECT_EQ(nullptr, st_.metadata);
  EXPECT_EQ(0u, st_.violation_count);
  EXPECT_EQ(nullptr, st_.violations);
}

TEST_F(StatusDetailsTest, EmptyBytesAreAnEmptyStatus) {
  ASSERT_EQ(0, nu_client_decode_status_details(nullptr, 0, &st_));
  EXPECT_EQ(nullptr, st_.reason);
  EXPECT_EQ(0u, st_.violation_count);
}

TEST_F(StatusDetailsTest, GarbageGivesNoDetailsAndDoesNotCrash) {
  const Bytes cases[] = {
      Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // endless varint
      Bytes{0x1a, 0x7f, 0x0a}, // details: length beyond the end
      Bytes{0x0f},             // wire type 7 does not exist
      Bytes{'h', 'e', 'l', 'l', 'o'},
  };
  for (const Bytes &b : cases) {
    st_.reason = strdup("stale"); // a previous decode's details go away
    EXPECT_EQ(-1, nu_client_decode_status_details(b.data(), b.size(), &st_));
    EXPECT_EQ(nullptr, st_.reason);
    EXPECT_EQ(0u, st_.violation_count);
    EXPECT_EQ(0u, st_.metadata_count);
  }
}

TEST_F(StatusDetailsTest, TruncatedStatusIsRefused) {
  AnyHolder info(kErrorInfo, ErrorInfoBytes("R", "d", {}));
  Bytes bytes = StatusBytes(5, "not found", {&info});
  for (size_t len = 1; len < bytes.size(); len++) {
    int rc = nu_client_decode_status_details(bytes.data(), len, &st_);
    // Some prefixes end on a field boundary and are valid: no crash either way,
    // and a refused one leaves no details.
    if (rc != 0) {
      EXPECT_EQ(-1, rc);
      EXPECT_EQ(nullptr, st_.reason);
    }
  }
}

TEST_F(StatusDetailsTest, RandomBytesDoNotCrash) {
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; i++) {
    Bytes b(rng() % 64);
    for (auto &c : b)
      c = static_cast<uint8_t>(rng());
    int rc = nu_client_decode_status_details(b.data(), b.size(), &st_);
    EXPECT_TRUE(rc == 0 || rc == -1);
  }
}

TEST_F(StatusDetailsTest, MalformedDetailIsIgnoredOthersKept) {
  AnyHolder broken(kErrorInfo, Bytes{0x0a, 0x50, 'x'}); // reason: length beyond end
  AnyHolder bad(kBadRequest, BadRequestBytes({{"page_size", "must be positive"}}));
  Bytes bytes = StatusBytes(3, "bad", {&broken, &bad});

  ASSERT_EQ(0, nu_client_decode_status_details(bytes.data(), bytes.size(), &st_));
  EXPECT_EQ(nullptr, st_.reason);
  ASSERT_EQ(1u, st_.violation_count);
  EXPECT_STREQ("page_size", st_.violations[0].field);
}

TEST_F(StatusDetailsTest, FirstErrorInfoWinsAndBadRequestsAccumulate) {
  AnyHolder first(kErrorInfo, ErrorInfoBytes("FIRST", "nuage.v1", {}));
  AnyHolder second(kErrorInfo, ErrorInfoBytes("SECOND", "other", {{"k", "v"}}));
  AnyHolder bad1(kBadRequest, BadRequestBytes({{"a", "one"}}));
  AnyHolder bad2(kBadRequest, BadRequestBytes({{"b", "two"}, {"c", "three"}}));
  Bytes bytes = StatusBytes(3, "bad", {&bad1, &first, &second, &bad2});

  ASSERT_EQ(0, nu_client_decode_status_details(bytes.data(), bytes.size(), &st_));
  EXPECT_STREQ("FIRST", st_.reason);
  EXPECT_STREQ("nuage.v1", st_.domain);
  EXPECT_EQ(0u, st_.metadata_count);
  ASSERT_EQ(3u, st_.violation_count);
  EXPECT_STREQ("a", st_.violations[0].field);
  EXPECT_STREQ("b", st_.violations[1].field);
  EXPECT_STREQ("three", st_.violations[2].description);
}

TEST_F(StatusDetailsTest, TypeUrlHostDoesNotMatter) {
  AnyHolder info("example.com/google.rpc.ErrorInfo", ErrorInfoBytes("R", "d", {}));
  AnyHolder bare("google.rpc.BadRequest", BadRequestBytes({{"f", "d"}}));
  AnyHolder lookalike("type.googleapis.com/google.rpc.ErrorInfoX",
                      ErrorInfoBytes("NOT_ME", "d", {}));
  Bytes bytes = StatusBytes(3, "bad", {&lookalike, &info, &bare});

  ASSERT_EQ(0, nu_client_decode_status_details(bytes.data(), bytes.size(), &st_));
  EXPECT_STREQ("R", st_.reason);
  EXPECT_EQ(1u, st_.violation_count);
}

TEST_F(StatusDetailsTest, EmptyReasonAndDomainAreAbsent) {
  AnyHolder info(kErrorInfo, ErrorInfoBytes("", "", {}));
  Bytes bytes = StatusBytes(13, "x", {&info});

  ASSERT_EQ(0, nu_client_decode_status_details(bytes.data(), bytes.size(), &st_));
  EXPECT_EQ(nullptr, st_.reason);
  EXPECT_EQ(nullptr, st_.domain);
}

TEST_F(StatusDetailsTest, DecodingAgainReplacesDetails) {
  AnyHolder bad(kBadRequest, BadRequestBytes({{"a", "one"}, {"b", "two"}}));
  Bytes bytes = StatusBytes(3, "bad", {&bad});

  ASSERT_EQ(0, nu_client_decode_status_details(bytes.data(), bytes.size(), &st_));
  ASSERT_EQ(0, nu_client_decode_status_details(bytes.data(), bytes.size(), &st_));
  EXPECT_EQ(2u, st_.violation_count);
}

TEST(StatusTest, ClearReleasesAndZeroes) {
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  st.code = 5;
  st.message = strdup("m");
  st.request_id = strdup("r");
  nu_client_status_clear(&st);
  EXPECT_EQ(0, st.code);
  EXPECT_EQ(nullptr, st.message);
  EXPECT_EQ(nullptr, st.request_id);
  nu_client_status_clear(&st); // twice is fine
  nu_client_status_clear(nullptr);
}

TEST(StatusTest, CodeNames) {
  EXPECT_STREQ("OK", nu_client_code_name(NU_CLIENT_OK));
  EXPECT_STREQ("INVALID_ARGUMENT", nu_client_code_name(NU_CLIENT_INVALID_ARGUMENT));
  EXPECT_STREQ("DEADLINE_EXCEEDED", nu_client_code_name(4));
  EXPECT_STREQ("UNAVAILABLE", nu_client_code_name(14));
  EXPECT_STREQ("UNAUTHENTICATED", nu_client_code_name(16));
  EXPECT_STREQ("UNKNOWN_CODE", nu_client_code_name(17));
  EXPECT_STREQ("UNKNOWN_CODE", nu_client_code_name(-1));
}

} // namespace
