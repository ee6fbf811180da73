// codec_test.cc — protobuf-c decode/encode in the arena, and error statuses
// as serialized google.rpc.Status.
//
// The codec uses protobuf-c; the bytes are checked with C++ libprotobuf, an
// independent implementation, as every client will read them.
#include <google/protobuf/any.pb.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "nuage/v1/catalog.pb-c.h"
#include "nuage/v1/catalog.pb.h"
#include "nuage/v1/diagnostics.pb-c.h"
#include "nuage/v1/diagnostics.pb.h"
#include "nuage/v1/eligibility.pb-c.h"
#include "nuage/v1/eligibility.pb.h"
#include "server/codec/codec.h"
#include "server/common/arena.h"
#include "server/common/status.h"

namespace {

class CodecTest : public ::testing::Test {
 protected:
  void SetUp() override { a_ = nu_arena_new(); ASSERT_NE(a_, nullptr); }
  void TearDown() override { nu_arena_free(a_); }

  nu_status Decode(const std::string &bytes, Nuage__V1__SleepRequest **out) {
    ProtobufCMessage *m = nullptr;
    nu_status st = nu_codec_decode(a_, &nuage__v1__sleep_request__descriptor,
                                   reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), &m);
    *out = reinterpret_cast<Nuage__V1__SleepRequest *>(m);
    return st;
  }

  nu_arena *a_ = nullptr;
};

TEST_F(CodecTest, EncodeThenDecodeRoundTrip) {
  std::string payload("pay\0load\xff", 9);
  Nuage__V1__SleepRequest req;
  nuage__v1__sleep_request__init(&req);
  req.duration_ms = 1234;
  req.payload.data = reinterpret_cast<uint8_t *>(&payload[0]);
  req.payload.len = payload.size();

  uint8_t *bytes = nullptr;
  size_t len = 0;
  nu_status st = nu_codec_encode(a_, &req.base, &bytes, &len);
  ASSERT_TRUE(nu_status_is_ok(&st)) << st.message;
  ASSERT_NE(bytes, nullptr);
  EXPECT_EQ(len, protobuf_c_message_get_packed_size(&req.base));

  // C++ reads what protobuf-c wrote.
  nuage::v1::SleepRequest cc;
  ASSERT_TRUE(cc.ParseFromArray(bytes, static_cast<int>(len)));
  EXPECT_EQ(cc.duration_ms(), 1234);
  EXPECT_EQ(cc.payload(), payload);

  Nuage__V1__SleepRequest *back = nullptr;
  st = Decode(std::string(reinterpret_cast<char *>(bytes), len), &back);
  ASSERT_TRUE(nu_status_is_ok(&st)) << st.message;
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->base.descriptor, &nuage__v1__sleep_request__descriptor);
  EXPECT_EQ(back->duration_ms, 1234);
  ASSERT_EQ(back->payload.len, payload.size());
  EXPECT_EQ(memcmp(back->payload.data, payload.data(), payload.size()), 0);
}

TEST_F(CodecTest, DecodesWhatCppEncodes) {
  nuage::v1::SleepRequest cc;
  cc.set_duration_ms(-7);
  cc.set_payload(std::string(100000, 'p'));
  std::string bytes = cc.SerializeAsString();
  Nuage__V1__SleepRequest *m = nullptr;
  size_t before = nu_arena_used(a_);
  nu_status st = Decode(bytes, &m);
  ASSERT_TRUE(nu_status_is_ok(&st)) << st.message;
  EXPECT_EQ(m->duration_ms, -7);
  ASSERT_EQ(m->payload.len, 100000u);
  EXPECT_EQ(std::string(reinterpret_cast<char *>(m->payload.data), m->payload.len), cc.payload());
  EXPECT_GE(nu_arena_used(a_) - before, 100000u) << "the decoded message lives in the arena";
}

TEST_F(CodecTest, EmptyBytesAreTheDefaultMessage) {
  Nuage__V1__SleepRequest *m = nullptr;
  nu_status st = Decode("", &m);
  ASSERT_TRUE(nu_status_is_ok(&st));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->duration_ms, 0);
  EXPECT_EQ(m->payload.len, 0u);

  uint8_t *out = nullptr;
  size_t len = 99;
  st = nu_codec_encode(a_, &m->base, &out, &len);
  ASSERT_TRUE(nu_status_is_ok(&st));
  EXPECT_EQ(len, 0u);
  EXPECT_NE(out, nullptr);
}

TEST_F(CodecTest, UnknownFieldsAreAccepted) {
  // field 1 = 5, then unknown field 99 (varint 1)
  const std::string bytes("\x08\x05\x98\x06\x01", 5);
  Nuage__V1__SleepRequest *m = nullptr;
  nu_status st = Decode(bytes, &m);
  ASSERT_TRUE(nu_status_is_ok(&st)) << st.message;
  EXPECT_EQ(m->duration_ms, 5);
}

TEST_F(CodecTest, MalformedBytesAreInvalidArgument) {
  const std::string cases[] = {
      std::string("\x08", 1),                          // tag without its varint
      std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),  // varint too long
      std::string("\x12\x05" "ab", 4),                 // payload shorter than its length
      std::string("\x12\xff\xff\xff\xff\x0f", 6),      // absurd length
      std::string("\x0f", 1),                          // wire type 7 does not exist
      std::string("\x00", 1),                          // field number 0
      std::string("\x0a\x01" "x", 3),                  // field 1 as bytes: wrong wire type
      std::string("\xff\xff\xff\xff\xff\xff", 6),
  };
  for (const auto &bytes : cases) {
    Nuage__V1__SleepRequest *m = nullptr;
    nu_status st = Decode(bytes, &m);
    SCOPED_TRACE(testing::PrintToString(bytes));
    EXPECT_EQ(st.code, NU_INVALID_ARGUMENT);
    EXPECT_STREQ(st.reason, "MALFORMED_REQUEST");
    ASSERT_NE(st.message, nullptr);
    EXPECT_NE(std::string(st.message).find("nuage.v1.SleepRequest"), std::string::npos)
        << st.message;
  }
}

TEST_F(CodecTest, AllocatorDrawsFromTheArena) {
  ProtobufCAllocator alloc = nu_codec_allocator(a_);
  EXPECT_EQ(alloc.allocator_data, a_);
  size_t before = nu_arena_used(a_);
  void *p = alloc.alloc(alloc.allocator_data, 1000);
  ASSERT_NE(p, nullptr);
  EXPECT_GE(nu_arena_used(a_), before + 1000);
  memset(p, 1, 1000);
  alloc.free(alloc.allocator_data, p);  // a no-op: the arena owns it
}

// ---- strings holding a NUL byte --------------------------------------------
//
// protobuf-c hands strings to C NUL-terminated, so "a\0b" would be read as
// "a": decoding refuses it, naming the field's path (AIP-193 notation).

// The status of decoding msg's bytes (from C++ libprotobuf) as desc.
nu_status DecodeAs(nu_arena *a, const ProtobufCMessageDescriptor *desc,
                   const google::protobuf::Message &msg) {
  std::string bytes = msg.SerializeAsString();
  ProtobufCMessage *m = nullptr;
  return nu_codec_decode(a, desc, reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(),
                         &m);
}

// The one violation's field of a NUL_IN_STRING status ("" otherwise).
std::string NulPath(const nu_status &st) {
  if (st.code != NU_INVALID_ARGUMENT || st.reason == nullptr ||
      std::string(st.reason) != "NUL_IN_STRING" || nu_status_violation_count(&st) != 1) {
    return "";
  }
  return st.violations->field;
}

const std::string kNul("a\0b", 3);

TEST_F(CodecTest, ANulInATopLevelStringIsRefused) {
  nuage::v1::CheckEligibilityRequest req;
  req.set_email(std::string("x@culture.gouv.fr\0.evil.com", 27));
  nu_status st = DecodeAs(a_, &nuage__v1__check_eligibility_request__descriptor, req);
  EXPECT_EQ(NulPath(st), "email") << (st.message ? st.message : "ok");
  ASSERT_NE(st.message, nullptr);
  EXPECT_EQ(std::string(st.message).find("evil"), std::string::npos) << "no byte of the value";
  // A NUL at either end too.
  req.set_email(std::string("\0x@a.fr", 7));
  EXPECT_EQ(NulPath(DecodeAs(a_, &nuage__v1__check_eligibility_request__descriptor, req)), "email");
  req.set_email(std::string("x@a.fr\0", 7));
  EXPECT_EQ(NulPath(DecodeAs(a_, &nuage__v1__check_eligibility_request__descriptor, req)), "email");
  req.set_email("x@a.fr");
  st = DecodeAs(a_, &nuage__v1__check_eligibility_request__descriptor, req);
  EXPECT_TRUE(nu_status_is_ok(&st)) << st.message;
}

TEST_F(CodecTest, ANulInANestedStringNamesItsPath) {
  nuage::v1::CreateProductRequest req;
  req.set_request_id("r-1");
  req.mutable_product()->set_description("fine");
  req.mutable_product()->set_name(kNul);
  nu_status st = DecodeAs(a_, &nuage__v1__create_product_request__descriptor, req);
  EXPECT_EQ(NulPath(st), "product.name") << (st.message ? st.message : "ok");
  ASSERT_NE(st.message, nullptr);
  EXPECT_NE(std::string(st.message).find("product.name"), std::string::npos) << st.message;
}

TEST_F(CodecTest, ANulInARepeatedFieldNamesItsIndex) {
  nuage::v1::CreateProductRequest req;
  nuage::v1::Product *p = req.mutable_product();
  p->add_regions("eu-west-1");
  p->add_regions("eu-west-2");
  p->add_regions(kNul);
  EXPECT_EQ(NulPath(DecodeAs(a_, &nuage__v1__create_product_request__descriptor, req)),
            "product.regions[2]");

  // Elements of a repeated message, interleaved on the wire with other
  // fields, and a message nested in the element.
  p->clear_regions();
  p->add_pricing_plans()->set_name("Standard");
  p->add_pricing_plans()->set_name("Plus");
  p->add_pricing_plans()->mutable_hourly_price()->set_currency(kNul);
  std::string bytes = req.SerializeAsString();
  nuage::v1::CreateProductRequest more;
  more.mutable_product()->add_regions("eu-west-3");  // after the plans on the wire
  bytes += more.SerializeAsString();
  ProtobufCMessage *m = nullptr;
  nu_status st = nu_codec_decode(a_, &nuage__v1__create_product_request__descriptor,
                                 reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), &m);
  EXPECT_EQ(NulPath(st), "product.pricing_plans[2].hourly_price.currency")
      << (st.message ? st.message : "ok");
}

TEST_F(CodecTest, ANulInAFieldMaskPathIsRefused) {
  nuage::v1::UpdateProductRequest req;
  req.mutable_product()->set_name("ok");
  req.mutable_update_mask()->add_paths("name");
  req.mutable_update_mask()->add_paths(kNul);
  EXPECT_EQ(NulPath(DecodeAs(a_, &nuage__v1__update_product_request__descriptor, req)),
            "update_mask.paths[1]");
}

TEST_F(CodecTest, ANulInAOneofMemberNamesTheMember) {
  nuage::v1::ImportEligibleDomainsResponse resp;
  auto *line = resp.mutable_summary()->add_invalid_lines();
  line->set_text(kNul);
  EXPECT_EQ(NulPath(DecodeAs(a_, &nuage__v1__import_eligible_domains_response__descriptor, resp)),
            "summary.invalid_lines[0].text");
}

TEST_F(CodecTest, BytesAndUnknownFieldsMayHoldNuls) {
  nuage::v1::ImportEligibleDomainsRequest req;
  req.set_chunk(std::string("a.fr\0\n", 6));
  req.set_source("ok");
  nu_status st = DecodeAs(a_, &nuage__v1__import_eligible_domains_request__descriptor, req);
  EXPECT_TRUE(nu_status_is_ok(&st)) << st.message;
  // Unknown field 99, length-delimited, holding a NUL: never a C string.
  std::string bytes = std::string("\x0a\x04x@a.", 6) + std::string("\x9a\x06\x03" "a\0b", 6);
  ProtobufCMessage *m = nullptr;
  st = nu_codec_decode(a_, &nuage__v1__check_eligibility_request__descriptor,
                       reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), &m);
  EXPECT_TRUE(nu_status_is_ok(&st)) << st.message;
}

// ---- nu_codec_status_details ---------------------------------------------

google::rpc::Status Details(nu_arena *a, const nu_status &st) {
  uint8_t *bytes = nullptr;
  size_t len = 0;
  nu_status r = nu_codec_status_details(a, &st, &bytes, &len);
  EXPECT_TRUE(nu_status_is_ok(&r)) << (r.message ? r.message : "");
  google::rpc::Status out;
  EXPECT_TRUE(out.ParseFromArray(bytes, static_cast<int>(len)));
  return out;
}

TEST_F(CodecTest, DetailsWithReasonAndViolations) {
  nu_status st = nu_error(a_, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", "%d fields are invalid", 3);
  ASSERT_EQ(nu_status_add_violation(a_, &st, "duration_ms", "must be between 0 and 60000"), 0);
  ASSERT_EQ(nu_status_add_violation(a_, &st, "items[2].name", "is required"), 0);
  ASSERT_EQ(nu_status_add_violation(a_, &st, "payload", "is \"too\" long"), 0);

  google::rpc::Status s = Details(a_, st);
  EXPECT_EQ(s.code(), 3);
  EXPECT_EQ(s.message(), "3 fields are invalid");
  ASSERT_EQ(s.details_size(), 2);

  EXPECT_EQ(s.details(0).type_url(), "type.googleapis.com/google.rpc.ErrorInfo");
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(s.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "INVALID_ARGUMENT");
  EXPECT_EQ(info.domain(), "nuage.v1");
  EXPECT_TRUE(info.metadata().empty());

  EXPECT_EQ(s.details(1).type_url(), "type.googleapis.com/google.rpc.BadRequest");
  google::rpc::BadRequest bad;
  ASSERT_TRUE(s.details(1).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 3);
  EXPECT_EQ(bad.field_violations(0).field(), "duration_ms");
  EXPECT_EQ(bad.field_violations(0).description(), "must be between 0 and 60000");
  EXPECT_EQ(bad.field_violations(1).field(), "items[2].name");
  EXPECT_EQ(bad.field_violations(1).description(), "is required");
  EXPECT_EQ(bad.field_violations(2).field(), "payload");
  EXPECT_EQ(bad.field_violations(2).description(), "is \"too\" long");
}

TEST_F(CodecTest, DetailsWithoutReasonHaveNoErrorInfo) {
  nu_status st = nu_error(a_, NU_INVALID_ARGUMENT, nullptr, "bad");
  ASSERT_EQ(nu_status_add_violation(a_, &st, "f", "is required"), 0);
  google::rpc::Status s = Details(a_, st);
  ASSERT_EQ(s.details_size(), 1);
  EXPECT_TRUE(s.details(0).Is<google::rpc::BadRequest>());
  google::rpc::BadRequest bad;
  ASSERT_TRUE(s.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 1);
  EXPECT_EQ(bad.field_violations(0).field(), "f");
}

TEST_F(CodecTest, DetailsWithoutViolationsHaveNoBadRequest) {
  nu_status st = nu_error(a_, NU_NOT_FOUND, "ORDER_NOT_FOUND", "no order %d", 42);
  google::rpc::Status s = Details(a_, st);
  EXPECT_EQ(s.code(), 5);
  EXPECT_EQ(s.message(), "no order 42");
  ASSERT_EQ(s.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(s.details(0).Is<google::rpc::ErrorInfo>());
  ASSERT_TRUE(s.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "ORDER_NOT_FOUND");
  EXPECT_EQ(info.domain(), "nuage.v1");
}

TEST_F(CodecTest, DetailsWithNeitherHaveNoDetails) {
  nu_status st = nu_error(a_, NU_UNAVAILABLE, nullptr, "database unavailable");
  google::rpc::Status s = Details(a_, st);
  EXPECT_EQ(s.code(), 14);
  EXPECT_EQ(s.message(), "database unavailable");
  EXPECT_EQ(s.details_size(), 0);
}

TEST_F(CodecTest, DetailsWithNullMessage) {
  nu_status st = nu_ok();
  st.code = NU_INTERNAL;
  google::rpc::Status s = Details(a_, st);
  EXPECT_EQ(s.code(), 13);
  EXPECT_EQ(s.message(), "");
}

TEST_F(CodecTest, DetailsOfManyViolationsKeepTheirOrder) {
  nu_status st = nu_error(a_, NU_INVALID_ARGUMENT, "INVALID_ARGUMENT", "many");
  for (int i = 0; i < 200; i++) {
    ASSERT_EQ(nu_status_add_violation(a_, &st, "items", "number %d", i), 0);
  }
  google::rpc::Status s = Details(a_, st);
  ASSERT_EQ(s.details_size(), 2);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(s.details(1).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 200);
  for (int i = 0; i < 200; i++) {
    EXPECT_EQ(bad.field_violations(i).description(), "number " + std::to_string(i));
  }
}

}  // namespace
