// reflection_test.cc — server reflection through the generated C++ stubs of
// both grpc.reflection.v1 and v1alpha, as grpcurl or Postman would use it:
// list the services, then rebuild a service's descriptors from what the
// server sends (file_containing_symbol, then file_by_filename for imports).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <type_traits>

#include "grpc/reflection/v1/reflection.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

// The v1 and v1alpha APIs have the same shape in different namespaces.
struct V1 {
  using Service = grpc::reflection::v1::ServerReflection;
  using Request = grpc::reflection::v1::ServerReflectionRequest;
  using Response = grpc::reflection::v1::ServerReflectionResponse;
};
struct V1Alpha {
  using Service = grpc::reflection::v1alpha::ServerReflection;
  using Request = grpc::reflection::v1alpha::ServerReflectionRequest;
  using Response = grpc::reflection::v1alpha::ServerReflectionResponse;
};

template <typename Api>
class ReflectionTest : public ::testing::Test {
 protected:
  using Request = typename Api::Request;
  using Response = typename Api::Response;

  // One server per API version, for all of its tests.
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
    stub_ = Api::Service::NewStub(channel_);
    SetDeadline(&ctx_, milliseconds(10000));
    stream_ = stub_->ServerReflectionInfo(&ctx_);
  }

  void TearDown() override {
    if (stream_ == nullptr) return;
    stream_->WritesDone();
    Response ignored;
    EXPECT_FALSE(stream_->Read(&ignored)) << "a response nobody asked for";
    grpc::Status st = stream_->Finish();
    EXPECT_TRUE(st.ok()) << "closing our side ends the stream cleanly: " << Describe(st);
  }

  // One request, one response, on the same stream each time.
  Response Ask(const Request& req) {
    Response resp;
    EXPECT_TRUE(stream_->Write(req));
    EXPECT_TRUE(stream_->Read(&resp));
    return resp;
  }

  std::set<std::string> ListServices() {
    Request req;
    req.set_list_services("*");
    Response resp = Ask(req);
    EXPECT_TRUE(resp.has_list_services_response()) << resp.DebugString();
    std::set<std::string> names;
    for (const auto& s : resp.list_services_response().service()) names.insert(s.name());
    return names;
  }

  // Adds the files of a FileDescriptorResponse to db_; returns their names.
  std::vector<std::string> AddFiles(const Response& resp) {
    std::vector<std::string> names;
    EXPECT_TRUE(resp.has_file_descriptor_response()) << resp.DebugString();
    for (const std::string& bytes : resp.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto file;
      EXPECT_TRUE(file.ParseFromString(bytes));
      names.push_back(file.name());
      if (have_.insert(file.name()).second) {
        EXPECT_TRUE(db_.Add(file)) << file.name();
      }
    }
    return names;
  }

  // What a reflection client does: the file of a symbol, then every import
  // it does not have yet, by file name.
  void FetchSymbolWithImports(const std::string& symbol) {
    Request req;
    req.set_file_containing_symbol(symbol);
    std::vector<std::string> todo = AddFiles(Ask(req));
    ASSERT_FALSE(todo.empty());
    while (!todo.empty()) {
      google::protobuf::FileDescriptorProto file;
      ASSERT_TRUE(db_.FindFileByName(todo.back(), &file)) << todo.back();
      todo.pop_back();
      for (const std::string& dep : file.dependency()) {
        if (have_.count(dep)) continue;
        Request by_name;
        by_name.set_file_by_filename(dep);
        for (const std::string& n : AddFiles(Ask(by_name))) todo.push_back(n);
        ASSERT_TRUE(have_.count(dep)) << "the server did not send " << dep;
      }
    }
  }

  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<typename Api::Service::Stub> stub_;
  grpc::ClientContext ctx_;
  std::unique_ptr<grpc::ClientReaderWriter<Request, Response>> stream_;
  google::protobuf::SimpleDescriptorDatabase db_;
  std::set<std::string> have_;
};

template <typename Api>
ServerProcess* ReflectionTest<Api>::server_ = nullptr;

using Apis = ::testing::Types<V1, V1Alpha>;
struct ApiName {
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, V1> ? "v1" : "v1alpha";
  }
};
TYPED_TEST_SUITE(ReflectionTest, Apis, ApiName);

TYPED_TEST(ReflectionTest, ListsEveryServedService) {
  std::set<std::string> names = this->ListServices();
  for (const char* want : {"grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection",
                           "grpc.reflection.v1alpha.ServerReflection", "nuage.v1.SystemService",
                           "nuage.v1.DiagnosticsService"}) {
    EXPECT_TRUE(names.count(want)) << want << " missing";
  }
  // Twice on one stream: the stream serves any number of requests.
  EXPECT_EQ(this->ListServices(), names);
}

TYPED_TEST(ReflectionTest, FileContainingSymbolDescribesSystemService) {
  this->FetchSymbolWithImports("nuage.v1.SystemService");
  google::protobuf::DescriptorPool pool(&this->db_);
  const google::protobuf::ServiceDescriptor* service =
      pool.FindServiceByName("nuage.v1.SystemService");
  ASSERT_NE(service, nullptr) << "the descriptors sent do not build";
  EXPECT_EQ(service->file()->name(), "nuage/v1/system.proto");
  const google::protobuf::MethodDescriptor* method = service->FindMethodByName("GetServerInfo");
  ASSERT_NE(method, nullptr);
  EXPECT_EQ(method->input_type()->full_name(), "nuage.v1.GetServerInfoRequest");
  EXPECT_EQ(method->output_type()->full_name(), "nuage.v1.ServerInfo");
  // The Timestamp import came along, so the whole message resolves.
  const google::protobuf::FieldDescriptor* f = method->output_type()->FindFieldByName("start_time");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message_type()->full_name(), "google.protobuf.Timestamp");
}

TYPED_TEST(ReflectionTest, FileContainingAMessageSymbol) {
  this->FetchSymbolWithImports("nuage.v1.SleepRequest");
  google::protobuf::DescriptorPool pool(&this->db_);
  const google::protobuf::Descriptor* msg = pool.FindMessageTypeByName("nuage.v1.SleepRequest");
  ASSERT_NE(msg, nullptr);
  EXPECT_NE(msg->FindFieldByName("duration_ms"), nullptr);
  EXPECT_NE(pool.FindServiceByName("nuage.v1.DiagnosticsService"), nullptr);
}

TYPED_TEST(ReflectionTest, StreamClosedWithoutARequestEndsOk) {
  // TearDown half-closes at once: no request, no response, status OK.
}

TYPED_TEST(ReflectionTest, FileByUnknownFilenameIsNotFound) {
  typename TestFixture::Request req;
  req.set_file_by_filename("nuage/v1/no_such.proto");
  auto resp = this->Ask(req);
  ASSERT_TRUE(resp.has_error_response()) << resp.DebugString();
  EXPECT_EQ(resp.error_response().error_code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
}

TYPED_TEST(ReflectionTest, UnknownSymbolIsNotFoundAndTheStreamGoesOn) {
  typename TestFixture::Request req;
  req.set_file_containing_symbol("nuage.v1.NoSuchThing");
  auto resp = this->Ask(req);
  ASSERT_TRUE(resp.has_error_response()) << resp.DebugString();
  EXPECT_EQ(resp.error_response().error_code(), static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(resp.original_request().file_containing_symbol(), "nuage.v1.NoSuchThing");
  EXPECT_FALSE(this->ListServices().empty());
}

}  // namespace
}  // namespace nuage::testing
