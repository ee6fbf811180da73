// e2e_testing.cc — channels, status details, the JSON log and libpq for the
// end-to-end tests.
#include "tests/e2e/e2e_testing.h"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <postgresql/libpq-fe.h>

#include <sstream>
#include <thread>

namespace nuage::testing {

std::shared_ptr<grpc::Channel> Connect(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
  args.SetMaxSendMessageSize(-1);
  args.SetMaxReceiveMessageSize(-1);
  // A channel of its own per call site: tests must not share subchannels
  // (and their GOAWAY state) by accident.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

void SetDeadline(grpc::ClientContext* ctx, milliseconds ms) {
  ctx->set_deadline(std::chrono::system_clock::now() + ms);
}

int64_t MsSince(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

std::string Describe(const grpc::Status& st) {
  return std::to_string(static_cast<int>(st.error_code())) + ": " + st.error_message();
}

std::optional<google::rpc::Status> StatusDetails(const grpc::Status& st) {
  if (st.error_details().empty()) {
    ADD_FAILURE() << "no grpc-status-details-bin with status " << Describe(st);
    return std::nullopt;
  }
  google::rpc::Status details;
  if (!details.ParseFromString(st.error_details())) {
    ADD_FAILURE() << "grpc-status-details-bin is not a google.rpc.Status";
    return std::nullopt;
  }
  return details;
}

std::optional<google::rpc::ErrorInfo> FindErrorInfo(const google::rpc::Status& st) {
  for (const auto& any : st.details()) {
    google::rpc::ErrorInfo info;
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) return info;
  }
  return std::nullopt;
}

std::optional<google::rpc::BadRequest> FindBadRequest(const google::rpc::Status& st) {
  for (const auto& any : st.details()) {
    google::rpc::BadRequest bad;
    if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad)) return bad;
  }
  return std::nullopt;
}

grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& path, const std::string& request,
                      grpc::ClientContext* ctx, std::string* reply) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1);
  grpc::ByteBuffer resp;
  grpc::Status status;
  auto call = stub.PrepareUnaryCall(ctx, path, req, &cq);
  call->StartCall();
  int tag = 1;
  call->Finish(&resp, &status, &tag);
  void* got = nullptr;
  bool ok = false;
  EXPECT_TRUE(cq.Next(&got, &ok));
  EXPECT_EQ(got, &tag);
  cq.Shutdown();
  while (cq.Next(&got, &ok)) {
  }
  if (status.ok() && reply != nullptr) {
    std::vector<grpc::Slice> slices;
    EXPECT_TRUE(resp.Dump(&slices).ok());
    reply->clear();
    for (const auto& s : slices) reply->append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return status;
}

grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         grpc::health::v1::HealthCheckResponse::ServingStatus* serving) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(5000));
  grpc::health::v1::HealthCheckRequest req;
  req.set_service(service);
  grpc::health::v1::HealthCheckResponse resp;
  grpc::Status st = stub->Check(&ctx, req, &resp);
  if (st.ok() && serving != nullptr) *serving = resp.status();
  return st;
}

namespace {

std::string ValueText(const google::protobuf::Value& v) {
  switch (v.kind_case()) {
    case google::protobuf::Value::kStringValue:
      return v.string_value();
    case google::protobuf::Value::kNumberValue: {
      std::ostringstream s;
      s << v.number_value();
      return s.str();
    }
    case google::protobuf::Value::kBoolValue:
      return v.bool_value() ? "true" : "false";
    case google::protobuf::Value::kNullValue:
      return "null";
    default: {
      std::string json;
      (void)google::protobuf::util::MessageToJsonString(v, &json);
      return json;
    }
  }
}

}  // namespace

std::vector<LogLine> ParseLog(const std::string& log) {
  std::vector<LogLine> lines;
  std::istringstream in(log);
  std::string text;
  while (std::getline(in, text)) {
    if (text.empty()) continue;
    google::protobuf::Struct obj;
    auto st = google::protobuf::util::JsonStringToMessage(text, &obj);
    if (!st.ok()) {
      ADD_FAILURE() << "log line is not a JSON object: " << text;
      continue;
    }
    LogLine line;
    for (const auto& [key, value] : obj.fields()) line[key] = ValueText(value);
    lines.push_back(std::move(line));
  }
  return lines;
}

std::optional<LogLine> AwaitLogLine(const std::function<std::string()>& read_log,
                                    const std::function<bool(const LogLine&)>& match,
                                    milliseconds timeout) {
  auto until = Clock::now() + timeout;
  for (;;) {
    for (const LogLine& line : ParseLog(read_log())) {
      if (match(line)) return line;
    }
    if (Clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(20));
  }
}

std::vector<std::vector<std::string>> PgQuery(const std::string& conninfo, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  PGconn* pg = PQconnectdb(conninfo.c_str());
  if (PQstatus(pg) != CONNECTION_OK) {
    ADD_FAILURE() << "cannot connect to " << conninfo << ": " << PQerrorMessage(pg);
    PQfinish(pg);
    return rows;
  }
  PGresult* res = PQexec(pg, sql.c_str());
  if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK) {
    ADD_FAILURE() << sql << ": " << PQresultErrorMessage(res);
  } else {
    for (int r = 0; r < PQntuples(res); r++) {
      std::vector<std::string> row;
      for (int c = 0; c < PQnfields(res); c++) row.push_back(PQgetvalue(res, r, c));
      rows.push_back(std::move(row));
    }
  }
  PQclear(res);
  PQfinish(pg);
  return rows;
}

bool Eventually(const std::function<bool()>& cond, milliseconds timeout) {
  auto until = Clock::now() + timeout;
  for (;;) {
    if (cond()) return true;
    if (Clock::now() >= until) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
}

}  // namespace nuage::testing
