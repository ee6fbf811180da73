// nul_string_test.cc — a string field holding a NUL byte is refused at
// decoding, for every request message of the method table.
//
// protobuf-c hands the server NUL-terminated strings, so without the check
// "x@culture.gouv.fr\0.evil.com" was checked as "x@culture.gouv.fr". The
// test does not list the RPCs: it walks the server's own method table
// (nu_methods_build) and, for every string field reachable from a request
// message (nested messages, repeated fields and oneof members included, a
// few levels deep), sends a request whose only field is that one, holding
// "a\0b". The answer must be INVALID_ARGUMENT, reason NUL_IN_STRING, with
// one field violation naming that exact path ("product.pricing_plans[0].name").
// Unary and server-streaming requests go without credentials: decoding comes
// before authentication. Bidirectional streams decode each message after
// authorisation, so their first message goes with an operator's token.
//
// The requests are built as wire bytes from the protobuf-c descriptors:
// protobuf-c's own packing would stop at the NUL, as its strings do.
#include <gtest/gtest.h>
#include <protobuf-c/protobuf-c.h>

#include <cstdio>
#include <string>
#include <vector>

#include "nuage/v1/auth.grpc.pb.h"
#include "nuage/v1/eligibility.grpc.pb.h"
#include "nuage/v1/user.grpc.pb.h"
#include "server/dispatch/methods.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

const char kPassword[] = "Correct-Horse-42!";
const std::string kNul("a\0b", 3);
constexpr size_t kMaxDepth = 4;

std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
  return out;
}

std::string LengthDelimited(uint32_t number, const std::string& body) {
  return Varint((uint64_t{number} << 3) | 2) + Varint(body.size()) + body;
}

// One string field reachable from a request: the fields leading to it.
using FieldPath = std::vector<const ProtobufCFieldDescriptor*>;

void CollectStrings(const ProtobufCMessageDescriptor* desc, FieldPath& at,
                    std::vector<const ProtobufCMessageDescriptor*>& chain, std::vector<FieldPath>* out) {
  for (unsigned i = 0; i < desc->n_fields; i++) {
    const ProtobufCFieldDescriptor* f = &desc->fields[i];
    if (f->type == PROTOBUF_C_TYPE_STRING) {
      at.push_back(f);
      out->push_back(at);
      at.pop_back();
    } else if (f->type == PROTOBUF_C_TYPE_MESSAGE && at.size() + 1 < kMaxDepth) {
      auto sub = static_cast<const ProtobufCMessageDescriptor*>(f->descriptor);
      bool cycle = false;
      for (auto* d : chain) cycle = cycle || d == sub;
      if (cycle) continue;
      at.push_back(f);
      chain.push_back(sub);
      CollectStrings(sub, at, chain, out);
      chain.pop_back();
      at.pop_back();
    }
  }
}

// The request whose only content is "a\0b" at the end of path.
std::string RequestBytes(const FieldPath& path) {
  std::string body = kNul;
  for (size_t i = path.size(); i-- > 0;) body = LengthDelimited(path[i]->id, body);
  return body;
}

// "product.regions[0]": the AIP-193 path of the field.
std::string PathName(const FieldPath& path) {
  std::string out;
  for (const ProtobufCFieldDescriptor* f : path) {
    if (!out.empty()) out += ".";
    out += f->name;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) out += "[0]";
  }
  return out;
}

class NulStringTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    nu_methods_options opts = {.diagnostics = true};
    {
    const char *bad_path = NULL;
    const char *why = nu_methods_build(&opts, &table_, &bad_path);
    if (why != NULL) ADD_FAILURE() << why << " " << (bad_path ? bad_path : "");
  }
    const std::string& db = SharedCluster().conninfo();
    server_ = ServerProcess::Start(db, {"--enable-diagnostics"}).release();
    std::string op = SeedUser(db, "operator.nul", "operator@nul.example", kPassword, true);
    operator_token_ = SeedSession(db, op, "");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    channel_ = Connect(server_->address());
  }

  static nu_method_table table_;
  static ServerProcess* server_;
  static std::string operator_token_;
  std::shared_ptr<grpc::Channel> channel_;
};

nu_method_table NulStringTest::table_;
ServerProcess* NulStringTest::server_ = nullptr;
std::string NulStringTest::operator_token_;

// The field of the one violation of a NUL_IN_STRING status, or a
// description of what came instead.
std::string NulField(const grpc::Status& st) {
  if (st.error_code() != StatusCode::INVALID_ARGUMENT) return "status " + Describe(st);
  auto d = StatusDetails(st);
  if (!d) return "no details";
  auto info = FindErrorInfo(*d);
  if (!info || info->reason() != "NUL_IN_STRING") return "reason " + (info ? info->reason() : "none");
  auto bad = FindBadRequest(*d);
  if (!bad || bad->field_violations_size() != 1) return "not exactly one field violation";
  return bad->field_violations(0).field();
}

TEST_F(NulStringTest, EveryStringFieldOfEveryRequestRefusesANul) {
  size_t checked = 0, methods = 0, streams = 0;
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    SCOPED_TRACE(m.path);
    std::vector<FieldPath> fields;
    FieldPath at;
    std::vector<const ProtobufCMessageDescriptor*> chain = {m.request};
    CollectStrings(m.request, at, chain, &fields);
    if (!fields.empty()) methods++;
    if (!fields.empty() && m.kind != NU_UNARY) streams++;
    for (const FieldPath& f : fields) {
      std::string name = PathName(f);
      grpc::ClientContext ctx;
      SetDeadline(&ctx, milliseconds(10000));
      if (m.kind == NU_BIDI_STREAMING) WithBearer(&ctx, operator_token_);
      // A unary call is one message then the end of the stream: for a
      // streaming method, its first message.
      grpc::Status st = RawUnary(channel_, m.path, RequestBytes(f), &ctx);
      EXPECT_EQ(NulField(st), name) << m.path << " " << name << ": " << Describe(st);
      checked++;
    }
  }
  std::printf("%zu string fields of %zu requests (%zu streaming) checked\n", checked, methods, streams);
  // The identity and catalogue requests alone hold far more than this.
  EXPECT_GT(checked, 150u);
  EXPECT_GT(methods, 40u);
  EXPECT_GE(streams, 3u) << "Health/Watch, reflection, the list import";
}

// ---- the cases of the issue -------------------------------------------------

TEST_F(NulStringTest, CheckEligibilityIsNotFooledByANul) {
  const std::string& db = SharedCluster().conninfo();
  PgQuery(db, "DELETE FROM eligible_domains");
  {
    auto stub = nuage::v1::EligibilityService::NewStub(channel_);
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    WithBearer(&ctx, operator_token_);
    auto stream = stub->ImportEligibleDomains(&ctx);
    nuage::v1::ImportEligibleDomainsRequest req;
    req.set_chunk("culture.gouv.fr\n");
    req.set_last(true);
    ASSERT_TRUE(stream->Write(req));
    stream->WritesDone();
    nuage::v1::ImportEligibleDomainsResponse resp;
    while (stream->Read(&resp)) {
    }
    grpc::Status st = stream->Finish();
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  auto stub = nuage::v1::EligibilityService::NewStub(channel_);
  nuage::v1::CheckEligibilityRequest req;
  nuage::v1::CheckEligibilityResponse resp;
  {
    grpc::ClientContext ctx;
    req.set_email("x@culture.gouv.fr");
    grpc::Status st = stub->CheckEligibility(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_TRUE(resp.eligible());
  }
  grpc::ClientContext ctx;
  req.set_email(std::string("x@culture.gouv.fr\0.evil.com", 27));
  resp.Clear();
  grpc::Status st = stub->CheckEligibility(&ctx, req, &resp);
  EXPECT_EQ(NulField(st), "email") << "eligible=" << resp.eligible();
  EXPECT_EQ(st.error_message().find("evil"), std::string::npos) << st.error_message();
}

TEST_F(NulStringTest, SignUpDoesNotMailAShortenedAddress) {
  const std::string& db = SharedCluster().conninfo();
  auto stub = nuage::v1::UserService::NewStub(channel_);
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(20000));
  nuage::v1::SignUpRequest req;
  req.set_login("camille.nul");
  req.set_email(std::string("camille@example.com\0.evil", 25));
  req.set_first_name("Camille");
  req.set_last_name("Martin");
  req.set_account_type(nuage::v1::ACCOUNT_TYPE_COMPANY);
  req.set_organization_name("Mairie de Nul");
  req.set_password(kPassword);
  nuage::v1::SignUpResponse resp;
  grpc::Status st = stub->SignUp(&ctx, req, &resp);
  EXPECT_EQ(NulField(st), "email");
  EXPECT_EQ(PgQuery(db, "SELECT count(*) FROM users WHERE login = 'camille.nul'")[0][0], "0");
  EXPECT_EQ(PgQuery(db, "SELECT count(*) FROM outbox WHERE recipient LIKE 'camille@%'")[0][0], "0");
}

TEST_F(NulStringTest, LoginIgnoresNothingAfterANul) {
  const std::string& db = SharedCluster().conninfo();
  SeedUser(db, "dominique.nul", "dominique@nul.example", kPassword);
  auto stub = nuage::v1::AuthService::NewStub(channel_);
  auto login = [&](const std::string& who, const std::string& password) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    nuage::v1::LoginRequest req;
    req.set_login(who);
    req.set_password(password);
    nuage::v1::LoginResponse resp;
    grpc::Status st = stub->Login(&ctx, req, &resp);
    EXPECT_TRUE(!st.ok() || resp.session_token().empty() || resp.session_token().rfind("nus_", 0) == 0);
    return st;
  };
  std::string sessions = "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id"
                         " WHERE u.login = 'dominique.nul'";
  std::string before = PgQuery(db, sessions)[0][0];
  grpc::Status st = login("dominique.nul", std::string(kPassword) + std::string("\0junk", 5));
  EXPECT_EQ(NulField(st), "password");
  st = login(std::string("dominique.nul\0junk", 18), kPassword);
  EXPECT_EQ(NulField(st), "login");
  EXPECT_EQ(PgQuery(db, sessions)[0][0], before) << "no session was opened";
  // The real password still works.
  st = login("dominique.nul", kPassword);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

}  // namespace
}  // namespace nuage::testing
