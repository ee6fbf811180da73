// protocol_test.cc — the request path seen from a client over a real port:
// health, unknown methods, malformed requests, field violations, request
// ids, credentials, the per-RPC log line, and which services are served.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include <grpcpp/generic/generic_stub.h>

#include "grpc/health/v1/health.grpc.pb.h"
#include "nuage/v1/diagnostics.grpc.pb.h"
#include "nuage/v1/system.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One server with diagnostics for the whole binary: these tests only read.
class ProtocolTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = ServerProcess::Start(SharedCluster().conninfo(), {"--enable-diagnostics"}).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(server_, nullptr) << "the server did not start";
    channel_ = Connect(server_->address());
    system_ = nuage::v1::SystemService::NewStub(channel_);
    diagnostics_ = nuage::v1::DiagnosticsService::NewStub(channel_);
  }

  std::string Log() const { return server_->Log(); }

  // The log line of the RPC that carried request_id, once written.
  std::optional<LogLine> RpcLogLine(const std::string& request_id) const {
    return AwaitLogLine([this] { return Log(); },
                        [&](const LogLine& l) {
                          auto it = l.find("request_id");
                          return it != l.end() && it->second == request_id &&
                                 l.count("msg") && l.at("msg") == "rpc";
                        });
  }

  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<nuage::v1::SystemService::Stub> system_;
  std::unique_ptr<nuage::v1::DiagnosticsService::Stub> diagnostics_;
};

ServerProcess* ProtocolTest::server_ = nullptr;

std::string InitialMetadata(const grpc::ClientContext& ctx, const std::string& key) {
  const auto& md = ctx.GetServerInitialMetadata();
  auto it = md.find(key);
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

// ---- health ----------------------------------------------------------------

TEST_F(ProtocolTest, HealthCheckOfTheServerAndItsServicesIsServing) {
  for (const char* service : {"", "nuage.v1.SystemService", "nuage.v1.DiagnosticsService",
                              "grpc.health.v1.Health"}) {
    HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
    grpc::Status st = HealthCheck(channel_, service, &serving);
    ASSERT_TRUE(st.ok()) << "service \"" << service << "\": " << Describe(st);
    EXPECT_EQ(serving, HealthCheckResponse::SERVING) << "service \"" << service << "\"";
  }
}

TEST_F(ProtocolTest, HealthCheckOfAnUnknownServiceIsNotFound) {
  grpc::Status st = HealthCheck(channel_, "nuage.v1.NoSuchService", nullptr);
  EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND) << Describe(st);
}

TEST_F(ProtocolTest, HealthWatchSendsServingFirstAndEndsWhenTheClientCancels) {
  auto stub = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  HealthCheckRequest req;
  req.set_service("nuage.v1.SystemService");
  auto reader = stub->Watch(&ctx, req);
  HealthCheckResponse resp;
  ASSERT_TRUE(reader->Read(&resp)) << Describe(reader->Finish());
  EXPECT_EQ(resp.status(), HealthCheckResponse::SERVING);
  ctx.TryCancel();
  while (reader->Read(&resp)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), StatusCode::CANCELLED);
  // The server is still fine after a watcher went away.
  HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
  ASSERT_TRUE(HealthCheck(channel_, "", &serving).ok());
  EXPECT_EQ(serving, HealthCheckResponse::SERVING);
}

TEST_F(ProtocolTest, HealthWatchOfAnUnknownServiceSaysServiceUnknown) {
  // The health protocol: Watch does not fail for an unknown service, it
  // reports SERVICE_UNKNOWN and waits for the service to appear.
  auto stub = grpc::health::v1::Health::NewStub(channel_);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  HealthCheckRequest req;
  req.set_service("nuage.v1.NoSuchService");
  auto reader = stub->Watch(&ctx, req);
  HealthCheckResponse resp;
  ASSERT_TRUE(reader->Read(&resp)) << Describe(reader->Finish());
  EXPECT_EQ(resp.status(), HealthCheckResponse::SERVICE_UNKNOWN);
  ctx.TryCancel();
  while (reader->Read(&resp)) {
  }
  reader->Finish();
}

TEST_F(ProtocolTest, ManyWatchersComingAndGoingLeaveTheServerHealthy) {
  auto stub = grpc::health::v1::Health::NewStub(channel_);
  constexpr int kWatchers = 100;
  std::vector<std::unique_ptr<grpc::ClientContext>> ctxs;
  std::vector<std::unique_ptr<grpc::ClientReader<HealthCheckResponse>>> readers;
  HealthCheckRequest req;
  req.set_service("");
  for (int i = 0; i < kWatchers; i++) {
    ctxs.push_back(std::make_unique<grpc::ClientContext>());
    SetDeadline(ctxs.back().get(), milliseconds(20000));
    readers.push_back(stub->Watch(ctxs.back().get(), req));
  }
  for (auto& r : readers) {
    HealthCheckResponse resp;
    ASSERT_TRUE(r->Read(&resp));
    EXPECT_EQ(resp.status(), HealthCheckResponse::SERVING);
  }
  for (int i = 0; i < kWatchers; i++) {
    ctxs[i]->TryCancel();
    HealthCheckResponse resp;
    while (readers[i]->Read(&resp)) {
    }
    EXPECT_EQ(readers[i]->Finish().error_code(), StatusCode::CANCELLED);
  }
  HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
  ASSERT_TRUE(HealthCheck(channel_, "", &serving).ok());
  EXPECT_EQ(serving, HealthCheckResponse::SERVING);
}

// ---- unknown methods, malformed requests ------------------------------------

TEST_F(ProtocolTest, UnknownMethodIsUnimplementedAtOnce) {
  for (const char* path : {"/nuage.v1.NoSuchService/Nothing", "/nuage.v1.SystemService/NoSuchMethod",
                           "/grpc.health.v1.Health/Nope"}) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    auto start = Clock::now();
    grpc::Status st = RawUnary(channel_, path, "", &ctx);
    int64_t ms = MsSince(start);
    EXPECT_EQ(st.error_code(), StatusCode::UNIMPLEMENTED) << path << ": " << Describe(st);
    EXPECT_LT(ms, 1000) << path << " took " << ms << " ms with a 10 s deadline";
    auto details = StatusDetails(st);
    ASSERT_TRUE(details.has_value()) << path;
    auto info = FindErrorInfo(*details);
    ASSERT_TRUE(info.has_value()) << path;
    EXPECT_EQ(info->reason(), "UNKNOWN_METHOD");
    EXPECT_EQ(info->domain(), "nuage.v1");
  }
}

TEST_F(ProtocolTest, GarbageBytesAreInvalidArgumentWithMalformedRequestDetails) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  const std::string garbage("\xff\xff\xff\xff\xff", 5);
  grpc::Status st = RawUnary(channel_, "/nuage.v1.SystemService/GetServerInfo", garbage, &ctx);
  ASSERT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->code(), static_cast<int>(StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(details->message(), st.error_message());
  auto info = FindErrorInfo(*details);
  ASSERT_TRUE(info.has_value()) << details->DebugString();
  EXPECT_EQ(info->reason(), "MALFORMED_REQUEST");
  EXPECT_EQ(info->domain(), "nuage.v1");

  // The server is unharmed.
  HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
  ASSERT_TRUE(HealthCheck(channel_, "", &serving).ok());
  EXPECT_EQ(serving, HealthCheckResponse::SERVING);
}

TEST_F(ProtocolTest, ValidRawBytesAreServed) {
  // The same GenericStub path with a well-formed (empty) request works: the
  // failure above is about the bytes, not the raw call.
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  std::string reply;
  grpc::Status st =
      RawUnary(channel_, "/nuage.v1.SystemService/GetServerInfo", "", &ctx, &reply);
  ASSERT_TRUE(st.ok()) << Describe(st);
  nuage::v1::ServerInfo info;
  ASSERT_TRUE(info.ParseFromString(reply));
  EXPECT_FALSE(info.server_version().empty());
}

TEST_F(ProtocolTest, UnknownFieldsAreIgnored) {
  // A newer client may send fields this server does not know (field 99,
  // varint 7): proto3 says skip them.
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  std::string reply;
  grpc::Status st = RawUnary(channel_, "/nuage.v1.SystemService/GetServerInfo",
                             std::string("\x98\x06\x07", 3), &ctx, &reply);
  ASSERT_TRUE(st.ok()) << Describe(st);
  nuage::v1::ServerInfo info;
  ASSERT_TRUE(info.ParseFromString(reply));
  EXPECT_EQ(info.server_version(), "0.1.0");
}

TEST_F(ProtocolTest, NegativeSleepDurationIsAFieldViolation) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  nuage::v1::SleepRequest req;
  req.set_duration_ms(-5);
  nuage::v1::SleepResponse resp;
  grpc::Status st = diagnostics_->Sleep(&ctx, req, &resp);
  ASSERT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details.has_value());
  auto bad = FindBadRequest(*details);
  ASSERT_TRUE(bad.has_value()) << details->DebugString();
  ASSERT_EQ(bad->field_violations_size(), 1) << bad->DebugString();
  EXPECT_EQ(bad->field_violations(0).field(), "duration_ms");
  EXPECT_FALSE(bad->field_violations(0).description().empty());
}

TEST_F(ProtocolTest, SleepEchoesItsPayload) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  nuage::v1::SleepRequest req;
  req.set_duration_ms(10);
  req.set_payload(std::string("echo\0me", 7));
  nuage::v1::SleepResponse resp;
  grpc::Status st = diagnostics_->Sleep(&ctx, req, &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(resp.payload(), req.payload());
  EXPECT_GE(resp.slept_ms(), 9);
}

// A call that sends no request message at all (a unary path reached
// through a generic bidi call that half-closes at once).
grpc::Status CallWithoutMessage(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& path) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&ctx, path, &cq);
  void* tag = nullptr;
  bool ok = false;
  int start = 1, done = 2, read = 3, finish = 4;
  call->StartCall(&start);
  EXPECT_TRUE(cq.Next(&tag, &ok) && tag == &start);
  call->WritesDone(&done);
  EXPECT_TRUE(cq.Next(&tag, &ok) && tag == &done);
  grpc::ByteBuffer reply;
  call->Read(&reply, &read);
  EXPECT_TRUE(cq.Next(&tag, &ok) && tag == &read);
  EXPECT_FALSE(ok) << "a reply to a call without a request";
  grpc::Status status;
  call->Finish(&status, &finish);
  EXPECT_TRUE(cq.Next(&tag, &ok) && tag == &finish);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

TEST_F(ProtocolTest, UnaryCallWithoutARequestMessageIsInvalidArgument) {
  grpc::Status st = CallWithoutMessage(channel_, "/nuage.v1.SystemService/GetServerInfo");
  ASSERT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details.has_value());
  auto info = FindErrorInfo(*details);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "MISSING_REQUEST");
}

TEST_F(ProtocolTest, GarbageToAStreamingMethodIsInvalidArgument) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  grpc::Status st = RawUnary(channel_, "/grpc.health.v1.Health/Watch",
                             std::string("\xff\xff\xff\xff\xff", 5), &ctx);
  ASSERT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details.has_value());
  auto info = FindErrorInfo(*details);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "MALFORMED_REQUEST");
}

TEST_F(ProtocolTest, SleepLongerThanAMinuteIsAFieldViolation) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  nuage::v1::SleepRequest req;
  req.set_duration_ms(60001);
  nuage::v1::SleepResponse resp;
  auto start = Clock::now();
  grpc::Status st = diagnostics_->Sleep(&ctx, req, &resp);
  ASSERT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_LT(MsSince(start), 5000) << "validation must come before any sleeping";
  auto details = StatusDetails(st);
  ASSERT_TRUE(details.has_value());
  auto bad = FindBadRequest(*details);
  ASSERT_TRUE(bad.has_value());
  ASSERT_EQ(bad->field_violations_size(), 1);
  EXPECT_EQ(bad->field_violations(0).field(), "duration_ms");
}

TEST_F(ProtocolTest, OverlongHealthServiceNameIsAFieldViolation) {
  grpc::Status st = HealthCheck(channel_, std::string(200, 's'), nullptr);
  ASSERT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details.has_value());
  auto bad = FindBadRequest(*details);
  ASSERT_TRUE(bad.has_value());
  ASSERT_EQ(bad->field_violations_size(), 1);
  EXPECT_EQ(bad->field_violations(0).field(), "service");
}

// ---- GetServerInfo ----------------------------------------------------------

TEST_F(ProtocolTest, GetServerInfoDescribesServerAndDatabase) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  nuage::v1::ServerInfo info;
  grpc::Status st = system_->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(info.server_version(), "0.1.0");
  EXPECT_GE(info.known_migrations(), 1);
  // Migration numbers may leave gaps (they are reserved per feature); the
  // schema is at the newest one and the server knows at least as many.
  EXPECT_GE(info.schema_version(), info.known_migrations());
  EXPECT_EQ(PgQuery(SharedCluster().conninfo(), "SELECT count(*) FROM schema_migrations")[0][0],
            std::to_string(info.known_migrations()));
  EXPECT_FALSE(info.database_version().empty());
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  EXPECT_NEAR(info.database_time().seconds(), now, 60);
  EXPECT_LE(info.start_time().seconds(), now + 1);
  EXPECT_GT(info.start_time().seconds(), now - 600);
}

// ---- request ids ------------------------------------------------------------

TEST_F(ProtocolTest, ClientRequestIdIsEchoedInInitialMetadata) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  ctx.AddMetadata("x-request-id", "e2e-echo-1234");
  nuage::v1::ServerInfo info;
  grpc::Status st = system_->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(InitialMetadata(ctx, "x-request-id"), "e2e-echo-1234");
}

TEST_F(ProtocolTest, RequestIdIsEchoedOnErrorsToo) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  ctx.AddMetadata("x-request-id", "e2e-echo-error");
  grpc::Status st = RawUnary(channel_, "/nuage.v1.SystemService/Nope", "", &ctx);
  ASSERT_EQ(st.error_code(), StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(InitialMetadata(ctx, "x-request-id"), "e2e-echo-error");
}

TEST_F(ProtocolTest, RequestIdIsGeneratedWhenAbsentAndDiffersPerCall) {
  std::string ids[2];
  for (std::string& id : ids) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    nuage::v1::ServerInfo info;
    grpc::Status st = system_->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info);
    ASSERT_TRUE(st.ok()) << Describe(st);
    id = InitialMetadata(ctx, "x-request-id");
    ASSERT_EQ(id.size(), 32u) << "\"" << id << "\"";
    EXPECT_TRUE(std::all_of(id.begin(), id.end(), [](char c) { return std::isxdigit(c); })) << id;
  }
  EXPECT_NE(ids[0], ids[1]);
}

TEST_F(ProtocolTest, InvalidRequestIdIsReplacedNotEchoed) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  ctx.AddMetadata("x-request-id", "has spaces and \"quotes\"");
  nuage::v1::ServerInfo info;
  ASSERT_TRUE(system_->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info).ok());
  EXPECT_EQ(InitialMetadata(ctx, "x-request-id").size(), 32u);
}

TEST_F(ProtocolTest, RequestIdOf128CharactersIsEchoedAndLongerIsReplaced) {
  for (size_t n : {128u, 129u}) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    std::string id(n, 'r');
    ctx.AddMetadata("x-request-id", id);
    nuage::v1::ServerInfo info;
    ASSERT_TRUE(system_->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info).ok());
    std::string got = InitialMetadata(ctx, "x-request-id");
    if (n == 128) {
      EXPECT_EQ(got, id);
    } else {
      EXPECT_EQ(got.size(), 32u) << got;
    }
  }
}

// ---- the log ----------------------------------------------------------------

TEST_F(ProtocolTest, EachRpcWritesOneJsonLogLine) {
  const int kCalls = 5;
  for (int i = 0; i < kCalls; i++) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    ctx.AddMetadata("x-request-id", "e2e-log-" + std::to_string(i));
    nuage::v1::ServerInfo info;
    ASSERT_TRUE(system_->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info).ok());
  }
  {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    ctx.AddMetadata("x-request-id", "e2e-log-error");
    RawUnary(channel_, "/nuage.v1.SystemService/GetServerInfo", "\xff\xff", &ctx);
  }
  auto last = RpcLogLine("e2e-log-error");
  ASSERT_TRUE(last.has_value()) << Log();
  for (int i = 0; i < kCalls; i++) ASSERT_TRUE(RpcLogLine("e2e-log-" + std::to_string(i)));

  // Every line of the log is a JSON object (ParseLog fails the test if not),
  // and each of our calls has exactly one.
  std::vector<LogLine> lines = ParseLog(Log());
  for (int i = 0; i <= kCalls; i++) {
    std::string id = i < kCalls ? "e2e-log-" + std::to_string(i) : "e2e-log-error";
    int n = static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const LogLine& l) {
      return l.count("request_id") && l.at("request_id") == id;
    }));
    EXPECT_EQ(n, 1) << id;
  }
  for (const LogLine& l : lines) {
    if (!l.count("request_id") || l.at("request_id").rfind("e2e-log-", 0) != 0) continue;
    EXPECT_EQ(l.at("msg"), "rpc");
    EXPECT_EQ(l.at("method"), "/nuage.v1.SystemService/GetServerInfo");
    ASSERT_TRUE(l.count("peer"));
    EXPECT_NE(l.at("peer").find("127.0.0.1"), std::string::npos) << l.at("peer");
    ASSERT_TRUE(l.count("duration_ms"));
    char* end = nullptr;
    double ms = std::strtod(l.at("duration_ms").c_str(), &end);
    EXPECT_TRUE(end != nullptr && *end == '\0') << l.at("duration_ms");
    EXPECT_GE(ms, 0.0);
    EXPECT_LT(ms, 10000.0);
    EXPECT_TRUE(l.count("ts"));
    EXPECT_TRUE(l.count("level"));
  }
  auto ok_line = RpcLogLine("e2e-log-0");
  EXPECT_EQ(ok_line->at("status"), "OK");
  EXPECT_EQ(ok_line->at("code"), "0");
  EXPECT_EQ(last->at("status"), "INVALID_ARGUMENT");
  EXPECT_EQ(last->at("reason"), "MALFORMED_REQUEST");
}

TEST_F(ProtocolTest, UnknownMethodPathWithQuotesKeepsTheLogValidJson) {
  // The path of an unknown method is the client's text: it must be escaped.
  const std::string path = "/nuage.v1.Evil\"Service/Do\\\"It";
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  ctx.AddMetadata("x-request-id", "e2e-log-escape");
  grpc::Status st = RawUnary(channel_, path, "", &ctx);
  ASSERT_EQ(st.error_code(), StatusCode::UNIMPLEMENTED) << Describe(st);
  auto line = RpcLogLine("e2e-log-escape");  // every line parses (ParseLog)
  ASSERT_TRUE(line.has_value()) << Log();
  EXPECT_EQ(line->at("method"), path);
  EXPECT_EQ(line->at("status"), "UNIMPLEMENTED");
}

// ---- credentials ------------------------------------------------------------

TEST_F(ProtocolTest, BearerTokenIsUnauthenticatedAndNeverLogged) {
  const std::string token = "e2e-secret-Tok3n-9f2c7a41";
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.AddMetadata("x-request-id", "e2e-bearer");
  nuage::v1::ServerInfo info;
  grpc::Status st = system_->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info);
  // No authenticator exists yet: any token is refused, even on a public
  // method (a client that sends credentials wants them checked).
  ASSERT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED) << Describe(st);
  EXPECT_EQ(st.error_message().find(token), std::string::npos);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details.has_value());
  auto info_detail = FindErrorInfo(*details);
  ASSERT_TRUE(info_detail.has_value());
  EXPECT_EQ(info_detail->reason(), "INVALID_CREDENTIALS");

  auto line = RpcLogLine("e2e-bearer");
  ASSERT_TRUE(line.has_value()) << Log();
  EXPECT_EQ(line->at("status"), "UNAUTHENTICATED");
  std::string log = Log();
  EXPECT_EQ(log.find(token), std::string::npos) << "the bearer token leaked into the log:\n"
                                                << log;
  EXPECT_EQ(log.find("9f2c7a41"), std::string::npos);
}

TEST_F(ProtocolTest, MalformedAuthorizationIsUnauthenticated) {
  for (const char* value : {"Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer two words",
                            "token-without-scheme"}) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    ctx.AddMetadata("authorization", value);
    nuage::v1::ServerInfo info;
    grpc::Status st = system_->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info);
    ASSERT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED) << "\"" << value << "\": "
                                                             << Describe(st);
    auto details = StatusDetails(st);
    ASSERT_TRUE(details.has_value());
    auto info_detail = FindErrorInfo(*details);
    ASSERT_TRUE(info_detail.has_value());
    EXPECT_EQ(info_detail->reason(), "MALFORMED_CREDENTIALS") << "\"" << value << "\"";
  }
  std::string log = Log();
  EXPECT_EQ(log.find("dXNlcjpwYXNz"), std::string::npos) << log;
}

TEST_F(ProtocolTest, NoCredentialsOnAPublicMethodIsFine) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  nuage::v1::ServerInfo info;
  grpc::Status st = system_->GetServerInfo(&ctx, nuage::v1::GetServerInfoRequest(), &info);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

// ---- diagnostics is opt-in --------------------------------------------------

TEST(DiagnosticsFlagTest, DiagnosticsServiceIsUnimplementedWithoutTheFlag) {
  auto server = ServerProcess::Start(SharedCluster().conninfo());
  ASSERT_NE(server, nullptr);
  auto channel = Connect(server->address());
  auto stub = nuage::v1::DiagnosticsService::NewStub(channel);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  nuage::v1::SleepRequest req;
  req.set_duration_ms(1);
  nuage::v1::SleepResponse resp;
  auto start = Clock::now();
  grpc::Status st = stub->Sleep(&ctx, req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::UNIMPLEMENTED) << Describe(st);
  EXPECT_LT(MsSince(start), 1000);
  // Nor is it reported as a served service.
  st = HealthCheck(channel, "nuage.v1.DiagnosticsService", nullptr);
  EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND) << Describe(st);
  HealthCheckResponse::ServingStatus serving = HealthCheckResponse::UNKNOWN;
  ASSERT_TRUE(HealthCheck(channel, "nuage.v1.SystemService", &serving).ok());
  EXPECT_EQ(serving, HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace nuage::testing
