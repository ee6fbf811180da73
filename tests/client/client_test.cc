// client_test.cc — the C client's transport without a server: argument
// checks, local failures reported as statuses, and the stream's life cycle
// against an address that refuses connections (127.0.0.1:1). Calls that
// reach a real server are covered by nuagectl_e2e_test.sh.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include <nuage/client.h>

#include "grpc/health/v1/health.pb-c.h"

namespace {

const char kRefused[] = "127.0.0.1:1";
const char kCheck[] = "/grpc.health.v1.Health/Check";
const char kWatch[] = "/grpc.health.v1.Health/Watch";

class ClientTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(0, nu_client_open(kRefused, &client_));
    grpc__health__v1__health_check_request__init(&req_);
  }
  void TearDown() override {
    nu_client_status_clear(&st_);
    nu_client_close(client_);
  }

  nu_client *client_ = nullptr;
  Grpc__Health__V1__HealthCheckRequest req_;
  nu_client_status st_ = NU_CLIENT_STATUS_INIT;
};

TEST(ClientOpenTest, RefusesEmptyTarget) {
  nu_client *c = reinterpret_cast<nu_client *>(1);
  EXPECT_EQ(-1, nu_client_open("", &c));
  EXPECT_EQ(nullptr, c);
  EXPECT_EQ(-1, nu_client_open(nullptr, &c));
  EXPECT_EQ(-1, nu_client_open(kRefused, nullptr));
  nu_client_close(nullptr);
}

TEST(ClientOpenTest, SeveralClientsOpenAndCloseInAnyOrder) {
  nu_client *a, *b;
  ASSERT_EQ(0, nu_client_open(kRefused, &a));
  ASSERT_EQ(0, nu_client_open("localhost:2", &b));
  nu_client_close(a);
  nu_client_close(b);
  ASSERT_EQ(0, nu_client_open(kRefused, &a));
  nu_client_close(a);
}

TEST_F(ClientTest, UnreachableServerIsUnavailable) {
  ProtobufCMessage *resp = reinterpret_cast<ProtobufCMessage *>(1);
  nu_client_options opts = {2000, nullptr, 0};
  int rc = nu_client_call(client_, kCheck, &req_.base,
                          &grpc__health__v1__health_check_response__descriptor, &opts, &resp, &st_);
  EXPECT_EQ(NU_CLIENT_UNAVAILABLE, rc);
  EXPECT_EQ(rc, st_.code);
  EXPECT_EQ(nullptr, resp);
  ASSERT_NE(nullptr, st_.message);
  EXPECT_EQ(nullptr, st_.reason);
  EXPECT_EQ(0u, st_.violation_count);
  EXPECT_EQ(nullptr, st_.request_id);
}

TEST_F(ClientTest, StatusIsReusedAcrossCalls) {
  ProtobufCMessage *resp;
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(NU_CLIENT_UNAVAILABLE,
              nu_client_call(client_, kCheck, &req_.base,
                             &grpc__health__v1__health_check_response__descriptor, nullptr, &resp,
                             &st_));
  }
}

TEST_F(ClientTest, IllegalMetadataIsRefusedWithoutQuotingTheValue) {
  const nu_client_pair md[] = {{"authorization", "Bearer s3cret\ninjected: yes"}};
  nu_client_options opts = {1000, md, 1};
  ProtobufCMessage *resp;
  int rc = nu_client_call(client_, kCheck, &req_.base,
                          &grpc__health__v1__health_check_response__descriptor, &opts, &resp, &st_);
  EXPECT_EQ(NU_CLIENT_INVALID_ARGUMENT, rc);
  ASSERT_NE(nullptr, st_.message);
  EXPECT_NE(nullptr, strstr(st_.message, "authorization"));
  EXPECT_EQ(nullptr, strstr(st_.message, "s3cret"));

  const nu_client_pair bad_key[] = {{"Upper Case", "v"}};
  opts.metadata = bad_key;
  EXPECT_EQ(NU_CLIENT_INVALID_ARGUMENT,
            nu_client_call(client_, kCheck, &req_.base,
                           &grpc__health__v1__health_check_response__descriptor, &opts, &resp,
                           &st_));
}

TEST_F(ClientTest, BinaryMetadataMayHoldAnyBytes) {
  const nu_client_pair md[] = {{"x-trace-bin", "\x01\x02\x7f"}, {"x-request-id", "abc"}};
  nu_client_options opts = {1000, md, 2};
  ProtobufCMessage *resp;
  EXPECT_EQ(NU_CLIENT_UNAVAILABLE,
            nu_client_call(client_, kCheck, &req_.base,
                           &grpc__health__v1__health_check_response__descriptor, &opts, &resp,
                           &st_));
}

TEST_F(ClientTest, NullArgumentsAreRefused) {
  ProtobufCMessage *resp;
  EXPECT_EQ(-1, nu_client_call(nullptr, kCheck, &req_.base,
                               &grpc__health__v1__health_check_response__descriptor, nullptr, &resp,
                               &st_));
  EXPECT_EQ(-1, nu_client_call(client_, kCheck, &req_.base, nullptr, nullptr, &resp, &st_));
  EXPECT_EQ(-1, nu_client_call(client_, kCheck, &req_.base,
                               &grpc__health__v1__health_check_response__descriptor, nullptr, &resp,
                               nullptr));
}

TEST_F(ClientTest, StreamToUnreachableServerEndsUnavailableAndStaysEnded) {
  nu_client_stream *s = nullptr;
  ProtobufCMessage *msg;
  ASSERT_EQ(0, nu_client_stream_open(client_, kWatch, &req_.base, nullptr, &s));
  int rc;
  do {
    rc = nu_client_stream_read(s, 100, &grpc__health__v1__health_check_response__descriptor, &msg,
                               &st_);
  } while (rc == NU_CLIENT_STREAM_TIMEOUT);
  EXPECT_EQ(NU_CLIENT_STREAM_END, rc);
  EXPECT_EQ(NU_CLIENT_UNAVAILABLE, st_.code);
  EXPECT_EQ(nullptr, msg);

  nu_client_status again = NU_CLIENT_STATUS_INIT;
  EXPECT_EQ(NU_CLIENT_STREAM_END,
            nu_client_stream_read(s, 0, &grpc__health__v1__health_check_response__descriptor, &msg,
                                  &again));
  EXPECT_EQ(NU_CLIENT_UNAVAILABLE, again.code);
  EXPECT_STREQ(st_.message, again.message);
  nu_client_status_clear(&again);
  nu_client_stream_close(s);
}

TEST_F(ClientTest, StreamWithIllegalMetadataEndsAtFirstRead) {
  const nu_client_pair md[] = {{"authorization", "Bearer a\r\nb"}};
  nu_client_options opts = {0, md, 1};
  nu_client_stream *s = nullptr;
  ProtobufCMessage *msg;
  ASSERT_EQ(0, nu_client_stream_open(client_, kWatch, &req_.base, &opts, &s));
  EXPECT_EQ(NU_CLIENT_STREAM_END,
            nu_client_stream_read(s, -1, &grpc__health__v1__health_check_response__descriptor, &msg,
                                  &st_));
  EXPECT_EQ(NU_CLIENT_INVALID_ARGUMENT, st_.code);
  nu_client_stream_close(s);
}

TEST_F(ClientTest, StreamClosedWithoutReadingOrMidRead) {
  nu_client_stream *s = nullptr;
  ASSERT_EQ(0, nu_client_stream_open(client_, kWatch, &req_.base, nullptr, &s));
  nu_client_stream_close(s); // never read: the call is cancelled and drained

  ProtobufCMessage *msg;
  ASSERT_EQ(0, nu_client_stream_open(client_, kWatch, &req_.base, nullptr, &s));
  int rc =
      nu_client_stream_read(s, 0, &grpc__health__v1__health_check_response__descriptor, &msg, &st_);
  EXPECT_TRUE(rc == NU_CLIENT_STREAM_TIMEOUT || rc == NU_CLIENT_STREAM_END);
  nu_client_stream_close(s); // a read may still be armed
  nu_client_stream_close(nullptr);
}

TEST(ClientStreamArgsTest, NullArgumentsAreRefused) {
  nu_client_stream *s = reinterpret_cast<nu_client_stream *>(1);
  Grpc__Health__V1__HealthCheckRequest req;
  grpc__health__v1__health_check_request__init(&req);
  EXPECT_EQ(-1, nu_client_stream_open(nullptr, kWatch, &req.base, nullptr, &s));
  EXPECT_EQ(nullptr, s);
  ProtobufCMessage *msg;
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  EXPECT_EQ(-1, nu_client_stream_read(
                    nullptr, 0, &grpc__health__v1__health_check_response__descriptor, &msg, &st));
}

} // namespace
