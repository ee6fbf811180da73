// account_testing.cc — see account_testing.h.
#include "tests/identity/account/account_testing.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>

namespace nuage::testing {

ServerProcess* AccountTest::server_ = nullptr;
std::string AccountTest::import_dir_;

void AccountTest::SetUpTestSuite() {
  import_dir_ = TempDir("import");
  server_ = ServerProcess::Start(SharedCluster().conninfo(),
                                 {"--enable-diagnostics", "--import-dir=" + import_dir_})
                .release();
}

void AccountTest::TearDownTestSuite() {
  delete server_;
  server_ = nullptr;
}

void AccountTest::SetUp() {
  ASSERT_NE(server_, nullptr) << "the server did not start";
  channel_ = Connect(server_->address());
  users_ = nuage::v1::UserService::NewStub(channel_);
  eligibility_ = nuage::v1::EligibilityService::NewStub(channel_);
  audit_ = nuage::v1::AuditService::NewStub(channel_);
}

std::string AccountTest::UniqueLogin(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(1000 + counter++);
}

grpc::Status AccountTest::SignUp(const std::string& login, const std::string& email,
                                 const std::string& password) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(20000));
  nuage::v1::SignUpRequest req;
  req.set_login(login);
  req.set_email(email);
  req.set_first_name("Camille");
  req.set_last_name("Martin");
  req.set_account_type(nuage::v1::ACCOUNT_TYPE_COMPANY);
  req.set_organization_name("Mairie de " + login);
  req.set_password(password);
  nuage::v1::SignUpResponse resp;
  return users_->SignUp(&ctx, req, &resp);
}

std::string AccountTest::ConfirmToken(const std::string& email) {
  std::string payload = LatestOutbox(conninfo(), email, "confirm_email");
  if (payload.empty()) return "";
  return TokenFromLink(JsonField(payload, "link"));
}

grpc::Status AccountTest::Confirm(const std::string& token, nuage::v1::ConfirmEmailResponse* resp,
                                  const std::string& mobile) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(20000));
  nuage::v1::ConfirmEmailRequest req;
  req.set_token(token);
  req.set_phone_mobile(mobile);
  nuage::v1::ConfirmEmailResponse local;
  return users_->ConfirmEmail(&ctx, req, resp != nullptr ? resp : &local);
}

grpc::Status AccountTest::AcceptTerms(const std::string& login, const std::string& password,
                                      nuage::v1::User* user) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(20000));
  nuage::v1::AcceptTermsRequest req;
  req.set_login(login);
  req.set_password(password);
  req.set_accept(true);
  nuage::v1::User local;
  return users_->AcceptTerms(&ctx, req, user != nullptr ? user : &local);
}

std::string AccountTest::ActiveSignedUpUser(const std::string& login, const std::string& email) {
  grpc::Status st = SignUp(login, email);
  EXPECT_TRUE(st.ok()) << Describe(st);
  st = Confirm(ConfirmToken(email));
  EXPECT_TRUE(st.ok()) << Describe(st);
  nuage::v1::User user;
  st = AcceptTerms(login, kAccountPassword, &user);
  EXPECT_TRUE(st.ok()) << Describe(st);
  return user.id();
}

std::string AccountTest::OperatorToken() {
  std::string login = UniqueLogin("operator.");
  std::string id = SeedUser(conninfo(), login, login + "@nuage.example", kAccountPassword, true);
  return SeedSession(conninfo(), id, "");
}

grpc::Status AccountTest::ImportText(const std::string& token, const std::string& text,
                                     nuage::v1::EligibleDomainImport* out, size_t chunk,
                                     int* progress_messages) {
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(30000));
  WithBearer(&ctx, token);
  auto stream = eligibility_->ImportEligibleDomains(&ctx);
  int progress = 0;
  int64_t last_bytes = 0;
  for (size_t at = 0; at < text.size() || at == 0; at += chunk) {
    nuage::v1::ImportEligibleDomainsRequest req;
    req.set_chunk(text.substr(at, chunk));
    if (at == 0) req.set_source("test list");
    bool last = at + chunk >= text.size();
    req.set_last(last);
    if (!stream->Write(req)) break;
    if (last) break;
    nuage::v1::ImportEligibleDomainsResponse resp;
    if (!stream->Read(&resp)) break;
    EXPECT_TRUE(resp.has_progress());
    EXPECT_GT(resp.progress().bytes(), last_bytes);
    last_bytes = resp.progress().bytes();
    progress++;
  }
  nuage::v1::ImportEligibleDomainsResponse resp;
  while (stream->Read(&resp)) {
    if (resp.has_summary()) *out = resp.summary();
  }
  stream->WritesDone();
  if (progress_messages != nullptr) *progress_messages = progress;
  return stream->Finish();
}

std::string ReasonOf(const grpc::Status& st) {
  auto details = StatusDetails(st);
  if (!details) return "";
  auto info = FindErrorInfo(*details);
  return info ? info->reason() : "";
}

namespace {

constexpr char kFile[] = "domaines-organismes-publics.txt";

std::string RealPath(const std::string& p) {
  char buf[PATH_MAX];
  return realpath(p.c_str(), buf) ? std::string(buf) : std::string();
}

std::string WalkUp(std::string dir) {
  while (!dir.empty()) {
    std::string candidate = dir + "/shared/data/" + kFile;
    if (access(candidate.c_str(), R_OK) == 0) return candidate;
    if (dir == "/") break;
    size_t slash = dir.find_last_of('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  return "";
}

}  // namespace

std::string EtalabListPath(const std::string& self) {
  if (const char* env = getenv("NUAGE_SHARED_DATA")) return std::string(env) + "/" + kFile;
  std::vector<std::string> starts;
  if (const char* srcdir = getenv("TEST_SRCDIR")) {
    std::string own = RealPath(std::string(srcdir) + "/nuage/" + self);
    if (!own.empty()) starts.push_back(own.substr(0, own.find_last_of('/')));
    starts.push_back(RealPath(srcdir));
  }
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd)) starts.push_back(RealPath(cwd));
  for (const std::string& s : starts) {
    std::string found = WalkUp(s);
    if (!found.empty()) return found;
  }
  ADD_FAILURE() << "cannot find the Etalab list " << kFile
                << ": set NUAGE_SHARED_DATA or keep shared/ beside the checkout";
  return "";
}

std::string TempDir(const std::string& name) {
  const char* base = getenv("TEST_TMPDIR");
  std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/" + name + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  EXPECT_NE(mkdtemp(buf.data()), nullptr);
  return std::string(buf.data());
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  EXPECT_TRUE(out.good()) << path;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace nuage::testing
