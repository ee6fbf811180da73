// catalog_testing.cc — see catalog_testing.h.
#include "tests/catalog/catalog_testing.h"

#include <atomic>

namespace nuage::testing {

ServerProcess* CatalogTest::server_ = nullptr;

void CatalogTest::SetUpTestSuite() {
  server_ = ServerProcess::Start(SharedCluster().conninfo(), {}).release();
}

void CatalogTest::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
}

void CatalogTest::SetUp() {
  ASSERT_NE(server_, nullptr) << "the server did not start";
  channel_ = Connect(server_->address());
  stub_ = nuage::v1::CatalogService::NewStub(channel_);
}

std::string CatalogTest::Unique(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + std::to_string(100000 + n++);
}

std::unique_ptr<grpc::ClientContext> CatalogTest::Ctx(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  SetDeadline(ctx.get(), milliseconds(10000));
  if (!token.empty()) WithBearer(ctx.get(), token);
  return ctx;
}

CatalogTest::Team CatalogTest::NewTeam(bool buyer, bool seller, const std::string& status) {
  Team t;
  std::string login = Unique("referent");
  t.email = login + "@editeur-test.fr";
  t.referent = SeedUser(Db(), login, t.email, "Str0ng&Password!");
  t.org = SeedOrganization(Db(), Unique("Editeur "), t.referent, buyer, seller, status);
  t.token = SeedSession(Db(), t.referent, t.org);
  return t;
}

std::string CatalogTest::Reason(const grpc::Status& st) {
  auto details = StatusDetails(st);
  if (!details) return "";
  auto info = FindErrorInfo(*details);
  return info ? info->reason() : "";
}

bool CatalogTest::HasViolation(const grpc::Status& st, const std::string& field) {
  auto details = StatusDetails(st);
  if (!details) return false;
  auto br = FindBadRequest(*details);
  if (!br) return false;
  for (const auto& v : br->field_violations()) {
    if (v.field() == field) return true;
  }
  return false;
}

std::string CatalogTest::One(const std::string& sql) {
  auto rows = PgQuery(Db(), sql);
  return rows.empty() || rows[0].empty() ? "" : rows[0][0];
}

int CatalogTest::Count(const std::string& sql) {
  auto rows = PgQuery(Db(), sql);
  return rows.empty() ? -1 : std::stoi(rows[0][0]);
}

}  // namespace nuage::testing
