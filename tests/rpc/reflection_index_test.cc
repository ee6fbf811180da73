// reflection_index_test.cc — server reflection's answers, checked against the
// descriptor set embedded in the server and against small hand-made sets.
//
// The module uses protobuf-c; the test builds its hand-made sets and checks
// the answers with C++ libprotobuf, an independent implementation: a
// DescriptorPool accepting the returned files is what a real client does.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "server/common/arena.h"
#include "server/rpc/system/reflection_index.h"

extern "C" {
extern const unsigned char nu_descriptor_set[];
extern const size_t nu_descriptor_set_len;
}

namespace {

using Request = Grpc__Reflection__V1alpha__ServerReflectionRequest;
using Response = Grpc__Reflection__V1alpha__ServerReflectionResponse;
using google::protobuf::FileDescriptorProto;
using google::protobuf::FileDescriptorSet;

const char *const kServed[] = {
    "grpc.health.v1.Health",
    "grpc.reflection.v1alpha.ServerReflection",
    "grpc.reflection.v1.ServerReflection",
    "nuage.v1.SystemService",
};
constexpr size_t kNumServed = sizeof(kServed) / sizeof(kServed[0]);

std::string EmbeddedSet() {
  return std::string(reinterpret_cast<const char *>(nu_descriptor_set), nu_descriptor_set_len);
}

// Builds an index; nullptr when nu_reflection_index_new fails.
nu_reflection_index *Build(const std::string &set, const std::vector<const char *> &services,
                           nu_status *st_out = nullptr) {
  nu_reflection_index *ix = reinterpret_cast<nu_reflection_index *>(0x1);  // must be reset
  nu_status st = nu_reflection_index_new(reinterpret_cast<const unsigned char *>(set.data()),
                                         set.size(), services.data(), services.size(), &ix);
  if (st_out != nullptr) *st_out = st;
  if (!nu_status_is_ok(&st)) {
    EXPECT_EQ(ix, nullptr) << "a failed build must leave *out NULL";
    EXPECT_NE(st.message, nullptr);
    return nullptr;
  }
  EXPECT_NE(ix, nullptr);
  return ix;
}

Request NewRequest() {
  Request req;
  grpc__reflection__v1alpha__server_reflection_request__init(&req);
  req.host = const_cast<char *>("localhost:50051");
  return req;
}

Request ByFilename(const char *name) {
  Request req = NewRequest();
  req.message_request_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_BY_FILENAME;
  req.file_by_filename = const_cast<char *>(name);
  return req;
}

Request BySymbol(const char *symbol) {
  Request req = NewRequest();
  req.message_request_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_SYMBOL;
  req.file_containing_symbol = const_cast<char *>(symbol);
  return req;
}

Request ExtensionNumbers(const char *type) {
  Request req = NewRequest();
  req.message_request_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_ALL_EXTENSION_NUMBERS_OF_TYPE;
  req.all_extension_numbers_of_type = const_cast<char *>(type);
  return req;
}

// The ExtensionRequest must outlive the request: the caller owns it.
Request ByExtension(Grpc__Reflection__V1alpha__ExtensionRequest *ext, const char *type,
                    int32_t number) {
  grpc__reflection__v1alpha__extension_request__init(ext);
  ext->containing_type = const_cast<char *>(type);
  ext->extension_number = number;
  Request req = NewRequest();
  req.message_request_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_EXTENSION;
  req.file_containing_extension = ext;
  return req;
}

class ReflectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    arena_ = nu_arena_new();
    ASSERT_NE(arena_, nullptr);
    set_ = EmbeddedSet();
    ix_ = Build(set_, std::vector<const char *>(kServed, kServed + kNumServed));
    ASSERT_NE(ix_, nullptr);
  }
  void TearDown() override {
    nu_reflection_index_free(ix_);
    nu_arena_free(arena_);
  }

  Response Ask(const Request &req, const nu_reflection_index *ix = nullptr) {
    Response resp;
    nu_status st = nu_reflection_answer(ix != nullptr ? ix : ix_, &req, arena_, &resp);
    EXPECT_TRUE(nu_status_is_ok(&st)) << st.message;
    EXPECT_STREQ(resp.valid_host, req.host);
    EXPECT_EQ(resp.original_request, &req);
    return resp;
  }

  // Names of the files in a file_descriptor_response, in order. Checks that
  // each is served with exactly the bytes it has in set.
  std::vector<std::string> Files(const Response &resp, const std::string &set) {
    std::vector<std::string> names;
    EXPECT_EQ(resp.message_response_case,
              GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_FILE_DESCRIPTOR_RESPONSE)
        << ErrorOf(resp);
    if (resp.message_response_case !=
        GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_FILE_DESCRIPTOR_RESPONSE) {
      return names;
    }
    const auto *fdr = resp.file_descriptor_response;
    for (size_t i = 0; i < fdr->n_file_descriptor_proto; i++) {
      std::string bytes(reinterpret_cast<const char *>(fdr->file_descriptor_proto[i].data),
                        fdr->file_descriptor_proto[i].len);
      FileDescriptorProto fd;
      EXPECT_TRUE(fd.ParseFromString(bytes));
      EXPECT_TRUE(IsFileOf(set, bytes)) << fd.name() << " is not served verbatim";
      names.push_back(fd.name());
    }
    return names;
  }
  std::vector<std::string> Files(const Response &resp) { return Files(resp, set_); }

  // True when bytes occur in set as one `file` field: tag 0x0a, the length
  // as a varint, then the bytes.
  static bool IsFileOf(const std::string &set, const std::string &bytes) {
    std::string prefix = "\x0a";
    for (uint64_t n = bytes.size(); ; n >>= 7) {
      prefix += static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0));
      if (n < 0x80) break;
    }
    return set.find(prefix + bytes) != std::string::npos;
  }

  static std::string ErrorOf(const Response &resp) {
    if (resp.message_response_case !=
        GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ERROR_RESPONSE) {
      return "";
    }
    return std::to_string(resp.error_response->error_code) + " " +
           resp.error_response->error_message;
  }

  void ExpectError(const Response &resp, int code, const std::string &message) {
    ASSERT_EQ(resp.message_response_case,
              GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ERROR_RESPONSE);
    EXPECT_EQ(resp.error_response->error_code, code);
    if (!message.empty()) {
      EXPECT_EQ(message, resp.error_response->error_message);
    }
  }

  nu_arena *arena_ = nullptr;
  nu_reflection_index *ix_ = nullptr;
  std::string set_;
};

TEST_F(ReflectionTest, IndexesEveryFileOfTheSet) {
  FileDescriptorSet set;
  ASSERT_TRUE(set.ParseFromString(set_));
  EXPECT_EQ(nu_reflection_index_file_count(ix_), static_cast<size_t>(set.file_size()));
  for (const auto &f : set.file()) {
    Request req = ByFilename(f.name().c_str());
    std::vector<std::string> names = Files(Ask(req));
    ASSERT_FALSE(names.empty());
    EXPECT_EQ(names[0], f.name());
  }
}

TEST_F(ReflectionTest, ListsTheServedServicesInOrder) {
  Request req = NewRequest();
  req.message_request_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_LIST_SERVICES;
  req.list_services = const_cast<char *>("*");
  Response resp = Ask(req);
  ASSERT_EQ(resp.message_response_case,
            GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_LIST_SERVICES_RESPONSE);
  ASSERT_EQ(resp.list_services_response->n_service, kNumServed);
  for (size_t i = 0; i < kNumServed; i++) {
    EXPECT_STREQ(resp.list_services_response->service[i]->name, kServed[i]);
  }
}

TEST_F(ReflectionTest, NullHostIsAnsweredAsEmpty) {
  Request req = ByFilename("grpc/health/v1/health.proto");
  req.host = nullptr;
  Response resp;
  nu_status st = nu_reflection_answer(ix_, &req, arena_, &resp);
  ASSERT_TRUE(nu_status_is_ok(&st));
  EXPECT_STREQ(resp.valid_host, "");
}

TEST_F(ReflectionTest, FileByFilenameIncludesImports) {
  Request req = ByFilename("nuage/v1/system.proto");
  EXPECT_EQ(Files(Ask(req)),
            (std::vector<std::string>{"nuage/v1/system.proto", "google/protobuf/timestamp.proto",
                                      "nuage/v1/access.proto", "google/protobuf/descriptor.proto",
                                      "nuage/v1/common.proto"}));
}

TEST_F(ReflectionTest, FileWithoutImportsComesAlone) {
  Request req = ByFilename("grpc/health/v1/health.proto");
  EXPECT_EQ(Files(Ask(req)), (std::vector<std::string>{"grpc/health/v1/health.proto"}));
}

TEST_F(ReflectionTest, UnknownFileIsNotFound) {
  Request req = ByFilename("nuage/v1/nope.proto");
  ExpectError(Ask(req), 5, "file not found: nuage/v1/nope.proto");
}

TEST_F(ReflectionTest, FileContainingSymbol) {
  struct Case {
    const char *symbol;
    const char *file;
  } cases[] = {
      {"nuage.v1.SystemService", "nuage/v1/system.proto"},                    // service
      {"nuage.v1.SystemService.GetServerInfo", "nuage/v1/system.proto"},      // method
      {"grpc.health.v1.Health.Check", "grpc/health/v1/health.proto"},         // method
      {"grpc.health.v1.Health.Watch", "grpc/health/v1/health.proto"},         // method
      {"nuage.v1.ServerInfo", "nuage/v1/system.proto"},                       // message
      {"nuage.v1.ServerInfo.schema_version", "nuage/v1/system.proto"},        // field
      {"grpc.health.v1.HealthCheckResponse.ServingStatus",                    // nested enum
       "grpc/health/v1/health.proto"},
      {"grpc.health.v1.HealthCheckResponse.SERVING",                          // enum value
       "grpc/health/v1/health.proto"},
      {"google.protobuf.Timestamp", "google/protobuf/timestamp.proto"},       // import
      {"grpc.reflection.v1.ServerReflectionRequest",                          // v1, not v1alpha
       "grpc/reflection/v1/reflection.proto"},
      {"grpc.reflection.v1alpha.ServerReflection.ServerReflectionInfo",
       "grpc/reflection/v1alpha/reflection.proto"},
      {"grpc.reflection.v1alpha.ServerReflectionRequest.message_request",     // oneof
       "grpc/reflection/v1alpha/reflection.proto"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.symbol);
    Request req = BySymbol(c.symbol);
    std::vector<std::string> names = Files(Ask(req));
    ASSERT_FALSE(names.empty());
    EXPECT_EQ(names[0], c.file);
  }
}

TEST_F(ReflectionTest, AnswerIsEnoughToBuildTheService) {
  // What grpcurl and the Python/Node reflection clients do with the answer.
  Request req = BySymbol("nuage.v1.SystemService");
  Response resp = Ask(req);
  google::protobuf::SimpleDescriptorDatabase db;
  ASSERT_EQ(resp.message_response_case,
            GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_FILE_DESCRIPTOR_RESPONSE);
  for (size_t i = 0; i < resp.file_descriptor_response->n_file_descriptor_proto; i++) {
    FileDescriptorProto fd;
    const ProtobufCBinaryData &b = resp.file_descriptor_response->file_descriptor_proto[i];
    ASSERT_TRUE(fd.ParseFromArray(b.data, static_cast<int>(b.len)));
    ASSERT_TRUE(db.Add(fd));
  }
  google::protobuf::DescriptorPool pool(&db);
  const auto *svc = pool.FindServiceByName("nuage.v1.SystemService");
  ASSERT_NE(svc, nullptr);
  const auto *m = svc->FindMethodByName("GetServerInfo");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->output_type()->FindFieldByName("database_time")->message_type()->full_name(),
            "google.protobuf.Timestamp");
}

TEST_F(ReflectionTest, UnknownSymbolIsNotFound) {
  for (const char *s : {"foo.Bar", "", "nuage.v1", "nuage.v1.SystemService.", ".nuage.v1.ServerInfo",
                        "nuage/v1/system.proto"}) {
    SCOPED_TRACE(s);
    Request req = BySymbol(s);
    ExpectError(Ask(req), 5, std::string("symbol not found: ") + s);
  }
}

TEST_F(ReflectionTest, LongNamesAreNotEchoedWhole) {
  std::string name(100000, 'x');
  Request req = BySymbol(name.c_str());
  Response resp = Ask(req);
  ExpectError(resp, 5, "");
  EXPECT_LT(strlen(resp.error_response->error_message), 400u);
}

TEST_F(ReflectionTest, EmptyRequestIsInvalid) {
  Request req = NewRequest();
  Response resp = Ask(req);
  ExpectError(resp, 3, "");
  EXPECT_NE(strstr(resp.error_response->error_message, "empty reflection request"), nullptr);
}

TEST_F(ReflectionTest, ExtensionsOfTheEmbeddedSet) {
  // Messages of ours have no extensions; unknown types are NOT_FOUND.
  Request req = ExtensionNumbers("nuage.v1.ServerInfo");
  Response resp = Ask(req);
  ASSERT_EQ(resp.message_response_case,
            GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ALL_EXTENSION_NUMBERS_RESPONSE);
  EXPECT_STREQ(resp.all_extension_numbers_response->base_type_name, "nuage.v1.ServerInfo");
  EXPECT_EQ(resp.all_extension_numbers_response->n_extension_number, 0u);

  Request unknown = ExtensionNumbers("no.such.Type");
  ExpectError(Ask(unknown), 5, "type not found: no.such.Type");

  Request service = ExtensionNumbers("nuage.v1.SystemService");  // not a message
  ExpectError(Ask(service), 5, "type not found: nuage.v1.SystemService");

  Grpc__Reflection__V1alpha__ExtensionRequest ext;
  Request by_ext = ByExtension(&ext, "nuage.v1.ServerInfo", 1);
  ExpectError(Ask(by_ext), 5, "extension not found: nuage.v1.ServerInfo number 1");

  Request null_ext = NewRequest();
  null_ext.message_request_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_EXTENSION;
  null_ext.file_containing_extension = nullptr;
  ExpectError(Ask(null_ext), 3, "");
}

// The access option is discoverable: MethodOptions has exactly the
// extension (nuage.v1.access), and asking for it gives access.proto.
TEST_F(ReflectionTest, TheAccessOptionIsAnExtensionOfMethodOptions) {
  Request req = ExtensionNumbers("google.protobuf.MethodOptions");
  Response resp = Ask(req);
  ASSERT_EQ(resp.message_response_case,
            GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ALL_EXTENSION_NUMBERS_RESPONSE);
  const auto *en = resp.all_extension_numbers_response;
  EXPECT_EQ(std::vector<int32_t>(en->extension_number, en->extension_number + en->n_extension_number),
            std::vector<int32_t>{51000});

  Grpc__Reflection__V1alpha__ExtensionRequest ext;
  Request by_ext = ByExtension(&ext, "google.protobuf.MethodOptions", 51000);
  std::vector<std::string> files = Files(Ask(by_ext));
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files[0], "nuage/v1/access.proto");
}

TEST_F(ReflectionTest, ConcurrentAnswersShareTheIndex) {
  // The transport answers from several completion-queue threads at once.
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; t++) {
    threads.emplace_back([this, t, &failures] {
      for (int i = 0; i < 500; i++) {
        nu_arena *a = nu_arena_new();
        Request req = BySymbol(i % 2 ? "nuage.v1.SystemService" : "grpc.health.v1.Health");
        Response resp;
        nu_status st = nu_reflection_answer(ix_, &req, a, &resp);
        if (!nu_status_is_ok(&st) ||
            resp.message_response_case !=
                GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_FILE_DESCRIPTOR_RESPONSE) {
          failures[t]++;
        }
        nu_arena_free(a);
      }
    });
  }
  for (auto &th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

// ---- hand-made sets ----

// ext/a.proto: message Base (extendable), message Outer { message Inner {
// enum Color } }. ext/b.proto imports a: extension 100 of Base at file
// scope, 101 inside message Holder. ext/c.proto imports a and b (a diamond).
FileDescriptorSet HandMadeSet() {
  FileDescriptorSet set;
  FileDescriptorProto *a = set.add_file();
  a->set_name("ext/a.proto");
  a->set_package("ext");
  a->set_syntax("proto2");
  auto *base = a->add_message_type();
  base->set_name("Base");
  auto *range = base->add_extension_range();
  range->set_start(100);
  range->set_end(200);
  auto *outer = a->add_message_type();
  outer->set_name("Outer");
  auto *inner = outer->add_nested_type();
  inner->set_name("Inner");
  auto *color = inner->add_enum_type();
  color->set_name("Color");
  color->add_value()->set_name("RED");

  FileDescriptorProto *b = set.add_file();
  b->set_name("ext/b.proto");
  b->set_package("ext");
  b->set_syntax("proto2");
  b->add_dependency("ext/a.proto");
  auto *top = b->add_extension();
  top->set_name("top_ext");
  top->set_number(100);
  top->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
  top->set_type(google::protobuf::FieldDescriptorProto::TYPE_INT32);
  top->set_extendee(".ext.Base");
  auto *holder = b->add_message_type();
  holder->set_name("Holder");
  auto *nested = holder->add_extension();
  nested->CopyFrom(*top);
  nested->set_name("holder_ext");
  nested->set_number(101);

  FileDescriptorProto *c = set.add_file();
  c->set_name("ext/c.proto");
  c->set_package("ext.c");
  c->add_dependency("ext/a.proto");
  c->add_dependency("ext/b.proto");
  c->add_service()->set_name("Svc");
  return set;
}

std::string Serialize(const FileDescriptorSet &set) {
  std::string out;
  EXPECT_TRUE(set.SerializeToString(&out));
  return out;
}

TEST_F(ReflectionTest, HandMadeSetIsValidForLibprotobuf) {
  // Guards the fixture: the set must be one protoc could have written.
  FileDescriptorSet set = HandMadeSet();
  google::protobuf::SimpleDescriptorDatabase db;
  for (const auto &f : set.file()) ASSERT_TRUE(db.Add(f));
  google::protobuf::DescriptorPool pool(&db);
  ASSERT_NE(pool.FindServiceByName("ext.c.Svc"), nullptr);
  ASSERT_NE(pool.FindExtensionByName("ext.Holder.holder_ext"), nullptr);
}

TEST_F(ReflectionTest, HandMadeSetAnswers) {
  std::string bytes = Serialize(HandMadeSet());
  nu_reflection_index *ix = Build(bytes, {"ext.c.Svc"});
  ASSERT_NE(ix, nullptr);

  Request diamond = ByFilename("ext/c.proto");
  EXPECT_EQ(Files(Ask(diamond, ix), bytes),
            (std::vector<std::string>{"ext/c.proto", "ext/a.proto", "ext/b.proto"}));

  Request nested_msg = BySymbol("ext.Outer.Inner");
  EXPECT_EQ(Files(Ask(nested_msg, ix), bytes), (std::vector<std::string>{"ext/a.proto"}));
  Request nested_enum = BySymbol("ext.Outer.Inner.Color");
  EXPECT_EQ(Files(Ask(nested_enum, ix), bytes), (std::vector<std::string>{"ext/a.proto"}));
  Request nested_value = BySymbol("ext.Outer.Inner.RED");
  EXPECT_EQ(Files(Ask(nested_value, ix), bytes), (std::vector<std::string>{"ext/a.proto"}));
  Request ext_symbol = BySymbol("ext.Holder.holder_ext");
  EXPECT_EQ(Files(Ask(ext_symbol, ix), bytes),
            (std::vector<std::string>{"ext/b.proto", "ext/a.proto"}));

  Request numbers = ExtensionNumbers("ext.Base");
  Response resp = Ask(numbers, ix);
  ASSERT_EQ(resp.message_response_case,
            GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ALL_EXTENSION_NUMBERS_RESPONSE);
  const auto *en = resp.all_extension_numbers_response;
  EXPECT_STREQ(en->base_type_name, "ext.Base");
  EXPECT_EQ(std::vector<int32_t>(en->extension_number, en->extension_number + en->n_extension_number),
            (std::vector<int32_t>{100, 101}));

  Request none = ExtensionNumbers("ext.Outer");
  resp = Ask(none, ix);
  ASSERT_EQ(resp.message_response_case,
            GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ALL_EXTENSION_NUMBERS_RESPONSE);
  EXPECT_EQ(resp.all_extension_numbers_response->n_extension_number, 0u);

  Grpc__Reflection__V1alpha__ExtensionRequest ext;
  Request by_ext = ByExtension(&ext, "ext.Base", 101);
  EXPECT_EQ(Files(Ask(by_ext, ix), bytes), (std::vector<std::string>{"ext/b.proto", "ext/a.proto"}));
  Request missing = ByExtension(&ext, "ext.Base", 150);
  ExpectError(Ask(missing, ix), 5, "extension not found: ext.Base number 150");
  Request unknown_type = ByExtension(&ext, "ext.Nope", 100);
  ExpectError(Ask(unknown_type, ix), 5, "type not found: ext.Nope");

  nu_reflection_index_free(ix);
}

// ---- sets that must be refused ----

TEST(ReflectionIndexNew, RefusesAServiceTheSetLacks) {
  std::string set = EmbeddedSet();
  EXPECT_EQ(Build(set, {"grpc.health.v1.Health", "nuage.v1.NoSuchService"}), nullptr);
  EXPECT_EQ(Build(set, {"nuage.v1.ServerInfo"}), nullptr);  // a message, not a service
  EXPECT_EQ(Build(set, {"grpc.health.v1.Health.Check"}), nullptr);  // a method
  EXPECT_EQ(Build("", {"grpc.health.v1.Health"}), nullptr);
}

TEST(ReflectionIndexNew, AcceptsTheDiagnosticsServiceAndAnEmptySet) {
  nu_reflection_index *ix = Build(EmbeddedSet(), {"nuage.v1.DiagnosticsService"});
  EXPECT_NE(ix, nullptr);
  nu_reflection_index_free(ix);
  ix = Build("", {});
  ASSERT_NE(ix, nullptr);
  EXPECT_EQ(nu_reflection_index_file_count(ix), 0u);
  nu_reflection_index_free(ix);
}

TEST(ReflectionIndexNew, RefusesAMissingDependency) {
  FileDescriptorSet set = HandMadeSet();
  set.mutable_file()->DeleteSubrange(0, 1);  // drop ext/a.proto
  nu_status st;
  EXPECT_EQ(Build(Serialize(set), {}, &st), nullptr);
  EXPECT_EQ(st.code, NU_INVALID_ARGUMENT);
  EXPECT_STREQ(st.message, "descriptor set lacks a dependency of one of its files");
}

TEST(ReflectionIndexNew, RefusesDuplicates) {
  std::string set = EmbeddedSet();
  EXPECT_EQ(Build(set + set, {}), nullptr);  // every file twice

  FileDescriptorSet dup_symbol = HandMadeSet();
  FileDescriptorProto *d = dup_symbol.add_file();
  d->set_name("ext/d.proto");
  d->set_package("ext");
  d->add_message_type()->set_name("Base");
  EXPECT_EQ(Build(Serialize(dup_symbol), {}), nullptr);

  FileDescriptorSet dup_ext = HandMadeSet();
  dup_ext.mutable_file(1)->mutable_message_type(0)->mutable_extension(0)->set_number(100);
  EXPECT_EQ(Build(Serialize(dup_ext), {}), nullptr);
}

TEST(ReflectionIndexNew, RefusesUnnamedThings) {
  FileDescriptorSet unnamed_file = HandMadeSet();
  unnamed_file.mutable_file(2)->clear_name();
  EXPECT_EQ(Build(Serialize(unnamed_file), {}), nullptr);

  FileDescriptorSet unnamed_msg = HandMadeSet();
  unnamed_msg.mutable_file(0)->mutable_message_type(1)->mutable_nested_type(0)->clear_name();
  EXPECT_EQ(Build(Serialize(unnamed_msg), {}), nullptr);

  FileDescriptorSet no_extendee = HandMadeSet();
  no_extendee.mutable_file(1)->mutable_extension(0)->clear_extendee();
  EXPECT_EQ(Build(Serialize(no_extendee), {}), nullptr);
}

TEST(ReflectionIndexNew, RefusesDeepNesting) {
  FileDescriptorSet set;
  FileDescriptorProto *f = set.add_file();
  f->set_name("deep.proto");
  auto *m = f->add_message_type();
  m->set_name("M");
  for (int i = 0; i < 100; i++) {
    m = m->add_nested_type();
    m->set_name("M");
  }
  nu_status st;
  EXPECT_EQ(Build(Serialize(set), {}, &st), nullptr);
  EXPECT_STREQ(st.message, "descriptor set nests messages too deeply");
}

TEST(ReflectionIndexNew, SkipsUnknownFieldsOfTheSet) {
  // Field 2 varint, field 3 fixed64, field 4 bytes, field 5 fixed32: not
  // part of FileDescriptorSet, skipped like any protobuf parser does.
  static const char kExtra[] = "\x10\x01\x19" "12345678" "\x22\x02hi\x2d" "1234";
  std::string extra(kExtra, sizeof(kExtra) - 1);
  nu_reflection_index *plain = Build(EmbeddedSet(), {"grpc.health.v1.Health"});
  nu_reflection_index *ix = Build(extra + EmbeddedSet() + extra, {"grpc.health.v1.Health"});
  ASSERT_NE(plain, nullptr);
  ASSERT_NE(ix, nullptr);
  EXPECT_GT(nu_reflection_index_file_count(ix), 6u);
  EXPECT_EQ(nu_reflection_index_file_count(ix), nu_reflection_index_file_count(plain));
  nu_reflection_index_free(ix);
  nu_reflection_index_free(plain);
}

TEST(ReflectionIndexNew, RefusesEveryTruncation) {
  // The last file of the set declares a served service, so no strict prefix
  // can be a complete set for these services.
  std::string set = EmbeddedSet();
  std::vector<const char *> services(kServed, kServed + kNumServed);
  int accepted = 0;
  for (size_t len = 0; len < set.size(); len++) {
    nu_status st;
    nu_reflection_index *ix = Build(set.substr(0, len), services, &st);
    if (ix != nullptr) {
      accepted++;
      nu_reflection_index_free(ix);
    }
  }
  EXPECT_EQ(accepted, 0);
}

TEST(ReflectionIndexNew, RefusesMalformedWire) {
  const std::vector<std::string> bad = {
      std::string("\x0a", 1),                      // key, no length
      std::string("\x0a\x05" "abc", 5),            // length past the end
      std::string("\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),  // varint too long
      std::string("\x08\x01", 2),                  // file as a varint
      std::string("\x00\x00", 2),                  // field 0
      std::string("\x0b\x0c", 2),                  // groups
      std::string("\x0e", 1),                      // wire type 6
      std::string("\x19" "1234", 5),               // truncated fixed64
      std::string("\x0a\x02\xff\xff", 4),          // file that does not parse
  };
  for (const std::string &b : bad) {
    nu_status st;
    EXPECT_EQ(Build(b, {}, &st), nullptr);
    EXPECT_EQ(st.code, NU_INVALID_ARGUMENT);
  }
}

TEST(ReflectionIndexNew, SurvivesGarbageAndBitFlips) {
  // Fault injection: random buffers and random corruptions of the real set
  // must either be refused or give an index that answers; never crash.
  std::mt19937 rng(20261121);
  std::string set = EmbeddedSet();
  int accepted = 0;
  for (int round = 0; round < 2000; round++) {
    std::string buf;
    if (round % 2 == 0) {
      buf.resize(rng() % 512);
      for (char &c : buf) c = static_cast<char>(rng());
    } else {
      buf = set;
      int flips = 1 + static_cast<int>(rng() % 4);
      for (int i = 0; i < flips; i++) buf[rng() % buf.size()] ^= static_cast<char>(1u << (rng() % 8));
    }
    nu_reflection_index *ix = Build(buf, {});
    if (ix == nullptr) continue;
    accepted++;
    nu_arena *a = nu_arena_new();
    Request req = BySymbol("grpc.health.v1.Health");
    Response resp;
    nu_status st = nu_reflection_answer(ix, &req, a, &resp);
    EXPECT_TRUE(nu_status_is_ok(&st));
    nu_arena_free(a);
    nu_reflection_index_free(ix);
  }
  // Some flips only touch names or options, so some corruptions pass.
  RecordProperty("accepted", accepted);
}

}  // namespace
