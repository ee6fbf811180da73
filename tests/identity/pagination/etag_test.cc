// etag_test.cc — one etag rule in every update RPC.
//
// A malformed etag (anything but "<digits>" within int64) is INVALID_ARGUMENT
// with a violation on the field that carried it; a well-formed one that is
// not the resource's version is FAILED_PRECONDITION ETAG_MISMATCH.
//
// The walk takes every method of the server's own table whose request has
// an `etag` field (and, for updates without one, the etag of the resource
// they carry, e.g. organization.etag), sends it malformed etags — among
// them 19 and 20 digits past INT64_MAX, which overflowed the parser
// (undefined behaviour) — and expects the violation on that field. The
// requests are otherwise empty (sub-messages present but blank): the
// validator must refuse the etag whatever else is wrong.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "nuage/v1/catalog.pb.h"
#include "nuage/v1/organization.grpc.pb.h"
#include "nuage/v1/user.grpc.pb.h"
#include "server/dispatch/methods.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

namespace pb = google::protobuf;

const char* const kMalformed[] = {
    "\"9223372036854775808\"",   // INT64_MAX + 1, 19 digits
    "\"9999999999999999999\"",   // 19 digits
    "\"99999999999999999999\"",  // 20 digits
    "\"18446744073709551617\"",  // wraps to 1 in uint64
    "W/\"1\"",                   // weak validator
    "1",                         // no quotes
    "\"\"",                      // no digits
    "\"-1\"",
    "\"1a\"",
    "\"01\"",                    // not how the server writes versions
};

class EtagTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    nu_methods_options opts = {.diagnostics = true};
    {
    const char *bad_path = NULL;
    const char *why = nu_methods_build(&opts, &table_, &bad_path);
    if (why != NULL) ADD_FAILURE() << why << " " << (bad_path ? bad_path : "");
  }
    const std::string& db = SharedCluster().conninfo();
    server_ = ServerProcess::Start(db).release();
    std::string referent = SeedUser(db, "referent.etag", "referent@etag.example", "Correct-Horse-42!");
    std::string op = SeedUser(db, "operator.etag", "operator@etag.example", "Correct-Horse-42!", true);
    org_ = SeedOrganization(db, "Etag Org", referent, true, true);
    manager_ = SeedSession(db, referent, org_);
    operator_ = SeedSession(db, op, "");
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    channel_ = Connect(server_->address());
  }

  static std::unique_ptr<pb::Message> NewMessage(const char* full_name) {
    const pb::Descriptor* d = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(full_name);
    if (d == nullptr) return nullptr;
    return std::unique_ptr<pb::Message>(pb::MessageFactory::generated_factory()->GetPrototype(d)->New());
  }

  grpc::Status Call(const nu_method& m, const pb::Message& req) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    WithBearer(&ctx, m.access == NU_ACCESS_OPERATOR ? operator_ : manager_);
    return RawUnary(channel_, m.path, req.SerializeAsString(), &ctx);
  }

  static bool HasViolation(const grpc::Status& st, const std::string& field) {
    auto d = StatusDetails(st);
    if (!d.has_value()) return false;
    auto bad = FindBadRequest(*d);
    if (!bad.has_value()) return false;
    for (const auto& v : bad->field_violations()) {
      if (v.field() == field) return true;
    }
    return false;
  }

  static nu_method_table table_;
  static ServerProcess* server_;
  static std::string org_, manager_, operator_;
  std::shared_ptr<grpc::Channel> channel_;
};

nu_method_table EtagTest::table_;
ServerProcess* EtagTest::server_ = nullptr;
std::string EtagTest::org_;
std::string EtagTest::manager_;
std::string EtagTest::operator_;

TEST_F(EtagTest, EveryUpdateRefusesMalformedEtagsOnTheEtagField) {
  size_t walked = 0;
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    if (m.kind != NU_UNARY) continue;
    auto proto = NewMessage(m.request->name);
    ASSERT_NE(proto, nullptr) << m.request->name;
    const pb::Descriptor* d = proto->GetDescriptor();
    // Where this request carries the etag it is checked against.
    std::string path;
    const pb::FieldDescriptor* holder = nullptr;
    if (d->FindFieldByName("etag") != nullptr) {
      path = "etag";
    } else if (std::string(m.path).find("/Update") != std::string::npos ||
               std::string(m.path).find("/Upsert") != std::string::npos) {
      for (int f = 0; f < d->field_count() && holder == nullptr; f++) {
        const pb::FieldDescriptor* fd = d->field(f);
        if (fd->type() == pb::FieldDescriptor::TYPE_MESSAGE && !fd->is_repeated() &&
            fd->message_type()->FindFieldByName("etag") != nullptr) {
          holder = fd;
          path = fd->name() + ".etag";
        }
      }
    }
    if (path.empty()) continue;
    SCOPED_TRACE(std::string(m.path) + " " + path);
    walked++;
    for (const char* etag : kMalformed) {
      SCOPED_TRACE(etag);
      std::unique_ptr<pb::Message> req(proto->New());
      const pb::Reflection* r = req->GetReflection();
      // Blank sub-messages, so that validators get past "is required".
      for (int f = 0; f < d->field_count(); f++) {
        const pb::FieldDescriptor* fd = d->field(f);
        if (fd->type() == pb::FieldDescriptor::TYPE_MESSAGE && !fd->is_repeated()) r->MutableMessage(req.get(), fd);
      }
      if (holder == nullptr) {
        r->SetString(req.get(), d->FindFieldByName("etag"), etag);
      } else {
        pb::Message* sub = r->MutableMessage(req.get(), holder);
        sub->GetReflection()->SetString(sub, sub->GetDescriptor()->FindFieldByName("etag"), etag);
      }
      grpc::Status st = Call(m, *req);
      EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(st);
      EXPECT_TRUE(HasViolation(st, path)) << Describe(st);
    }
  }
  // Storefront, products (update, publish, unpublish), plans, versions
  // (update, publish, unpublish), organisations (update, account level),
  // members, the current user.
  EXPECT_GE(walked, 12u);
}

// One etag convention (AIP-154): an Update or Upsert that carries its
// resource takes the etag in that resource, never beside it. Custom methods
// (Publish, SetAccountLevel, UpdateMemberRoles, whose request names a member
// by organisation and user instead of carrying one) take a request etag.
TEST_F(EtagTest, UpdatesCarryTheEtagInTheirResource) {
  size_t updates = 0;
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    std::string path = m.path;
    std::string method = path.substr(path.rfind('/') + 1);
    if (method.rfind("Update", 0) != 0 && method.rfind("Upsert", 0) != 0) continue;
    auto proto = NewMessage(m.request->name);
    ASSERT_NE(proto, nullptr) << m.request->name;
    const pb::Descriptor* d = proto->GetDescriptor();
    const pb::FieldDescriptor* resource = nullptr;
    for (int f = 0; f < d->field_count(); f++) {
      const pb::FieldDescriptor* fd = d->field(f);
      if (fd->type() == pb::FieldDescriptor::TYPE_MESSAGE && !fd->is_repeated() &&
          fd->message_type()->FindFieldByName("etag") != nullptr) {
        resource = fd;
      }
    }
    if (resource == nullptr) continue;  // a custom method without its resource
    updates++;
    EXPECT_EQ(d->FindFieldByName("etag"), nullptr)
        << path << ": the etag belongs in " << resource->name() << ".etag";
  }
  // Storefront, product, plan, version, organisation, current user.
  EXPECT_GE(updates, 6u);
}

// The etag in the resource (AIP-154) is checked on its own path.
TEST_F(EtagTest, TheResourcesEtagIsCheckedOnItsOwnPath) {
  for (const char* method : {"UpdateProduct", "UpdatePricingPlan", "UpdateProductVersion"}) {
    const nu_method* m = nu_method_find(&table_, (std::string("/nuage.v1.CatalogService/") + method).c_str());
    ASSERT_NE(m, nullptr) << method;
    auto req = NewMessage(m->request->name);
    const pb::Descriptor* d = req->GetDescriptor();
    const pb::FieldDescriptor* holder = nullptr;
    for (const char* name : {"product", "plan", "version"}) {
      if (holder == nullptr) holder = d->FindFieldByName(name);
    }
    ASSERT_NE(holder, nullptr) << method;
    pb::Message* sub = req->GetReflection()->MutableMessage(req.get(), holder);
    sub->GetReflection()->SetString(sub, sub->GetDescriptor()->FindFieldByName("etag"), "\"9999999999999999999\"");
    grpc::Status st = Call(*m, *req);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method << ": " << Describe(st);
    EXPECT_TRUE(HasViolation(st, holder->name() + ".etag")) << method << ": " << Describe(st);
  }
}

// Well-formed but not current: FAILED_PRECONDITION ETAG_MISMATCH; the
// largest int64 is well-formed.
TEST_F(EtagTest, StaleEtagsAreAFailedPrecondition) {
  auto orgs = nuage::v1::OrganizationService::NewStub(channel_);
  nuage::v1::Organization current;
  {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    WithBearer(&ctx, manager_);
    nuage::v1::GetOrganizationRequest get;
    get.set_organization_id(org_);
    ASSERT_TRUE(orgs->GetOrganization(&ctx, get, &current).ok());
  }
  for (const char* etag : {"\"9223372036854775807\"", "\"0\""}) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    WithBearer(&ctx, manager_);
    nuage::v1::UpdateOrganizationRequest req;
    req.mutable_organization()->set_id(org_);
    req.mutable_organization()->set_name("Etag Org Renamed");
    req.mutable_organization()->set_etag(etag);
    req.mutable_update_mask()->add_paths("name");
    nuage::v1::Organization out;
    grpc::Status st = orgs->UpdateOrganization(&ctx, req, &out);
    ASSERT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << etag << ": " << Describe(st);
    auto d = StatusDetails(st);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(FindErrorInfo(*d)->reason(), "ETAG_MISMATCH");
  }
  // The same request with a 19-digit etag past INT64_MAX is malformed.
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  WithBearer(&ctx, manager_);
  nuage::v1::UpdateOrganizationRequest req;
  req.mutable_organization()->set_id(org_);
  req.mutable_organization()->set_name("Etag Org Renamed");
  req.mutable_organization()->set_etag("\"9223372036854775808\"");
  req.mutable_update_mask()->add_paths("name");
  nuage::v1::Organization out;
  grpc::Status st = orgs->UpdateOrganization(&ctx, req, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "organization.etag")) << Describe(st);
  // And the current etag still works.
  grpc::ClientContext ok_ctx;
  SetDeadline(&ok_ctx, milliseconds(10000));
  WithBearer(&ok_ctx, manager_);
  req.mutable_organization()->set_etag(current.etag());
  st = orgs->UpdateOrganization(&ok_ctx, req, &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

}  // namespace
}  // namespace nuage::testing
