// eligibility_test.cc — importing the eligible-domain list (the real
// 2,586-line Etalab file, streamed and from the server's import directory),
// its quirks reported with their line numbers, the import directory's
// confinement, CheckEligibility, and who may import.
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class EligibilityTest : public AccountTest {
 protected:
  std::string ListPath() { return EtalabListPath("tests/identity/account/eligibility_test.cc"); }

  // ImportEligibleDomainsFromFile of path as token.
  grpc::Status ImportFile(const std::string& token, const std::string& path,
                          nuage::v1::EligibleDomainImport* summary) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(30000));
    WithBearer(&ctx, token);
    nuage::v1::ImportEligibleDomainsFromFileRequest req;
    req.set_path(path);
    return eligibility_->ImportEligibleDomainsFromFile(&ctx, req, summary);
  }

  nuage::v1::CheckEligibilityResponse Check(const std::string& email) {
    grpc::ClientContext ctx;
    nuage::v1::CheckEligibilityRequest req;
    req.set_email(email);
    nuage::v1::CheckEligibilityResponse resp;
    grpc::Status st = eligibility_->CheckEligibility(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return resp;
  }

  static const nuage::v1::NormalizedLine* At(const nuage::v1::EligibleDomainImport& s, int line) {
    for (const auto& n : s.normalized_lines()) {
      if (n.line() == line) return &n;
    }
    return nullptr;
  }

  static void ExpectEtalabSummary(const nuage::v1::EligibleDomainImport& s) {
    EXPECT_EQ(s.lines(), 2586);
    EXPECT_EQ(s.invalid(), 0);
    EXPECT_EQ(s.duplicates(), 7);
    EXPECT_EQ(s.accepted(), 2579);
    EXPECT_EQ(s.normalized(), 11);
    ASSERT_EQ(s.normalized_lines_size(), 11);
    // Line 419: upper case, lower-cased.
    const nuage::v1::NormalizedLine* n = At(s, 419);
    ASSERT_NE(n, nullptr);
    EXPECT_EQ(n->result(), "chu-toulouse.fr");
    ASSERT_EQ(n->kinds_size(), 1);
    EXPECT_EQ(n->kinds(0), nuage::v1::NORMALIZATION_KIND_LOWERCASED);
    // Trailing no-break spaces trimmed.
    for (int line : {514, 622, 670, 672, 789, 1570, 1877}) {
      n = At(s, line);
      ASSERT_NE(n, nullptr) << line;
      ASSERT_EQ(n->kinds_size(), 1);
      EXPECT_EQ(n->kinds(0), nuage::v1::NORMALIZATION_KIND_TRIMMED_NO_BREAK_SPACE) << line;
    }
    EXPECT_EQ(At(s, 1570)->result(), "pca.social.gouv.fr");
    // Root dots removed.
    for (int line : {674, 676, 678}) {
      n = At(s, line);
      ASSERT_NE(n, nullptr) << line;
      EXPECT_EQ(n->kinds(0), nuage::v1::NORMALIZATION_KIND_ROOT_DOT_REMOVED) << line;
    }
    // Duplicates with the line that gave the domain first.
    ASSERT_EQ(s.duplicate_lines_size(), 7);
    EXPECT_EQ(s.duplicate_lines(2).line(), 622);
    EXPECT_EQ(s.duplicate_lines(2).first_line(), 621);
    EXPECT_EQ(s.duplicate_lines(2).domain(), "declarations-pharmacie.ars.sante.fr");
  }
};

TEST_F(EligibilityTest, StreamedEtalabListImportsWithItsQuirksReported) {
  std::string path = ListPath();
  ASSERT_FALSE(path.empty());
  std::string text = ReadFile(path);
  ASSERT_GT(text.size(), 10000u);
  std::string op = OperatorToken();
  nuage::v1::EligibleDomainImport summary;
  int progress = 0;
  grpc::Status st = ImportText(op, text, &summary, 4093, &progress);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_GE(progress, static_cast<int>(text.size() / 4093) - 1);
  ExpectEtalabSummary(summary);
  EXPECT_EQ(summary.source(), "test list");

  auto rows = PgQuery(conninfo(), "SELECT count(*) FROM eligible_domains");
  EXPECT_EQ(rows[0][0], "2579");
  auto imports = PgQuery(conninfo(), "SELECT lines, accepted, normalised, duplicates, invalid"
                                     " FROM eligible_domain_imports WHERE id = '" + summary.id() + "'");
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0], (std::vector<std::string>{"2586", "2579", "11", "7", "0"}));

  nuage::v1::CheckEligibilityResponse r = Check("agent@dgfip.finances.gouv.fr");
  EXPECT_TRUE(r.eligible());
  EXPECT_EQ(r.matched_domain(), "finances.gouv.fr");
  EXPECT_EQ(r.matched_line(), 917);
  r = Check("Agent@Exemple-Service.Finances.Gouv.FR");
  EXPECT_TRUE(r.eligible());
  EXPECT_EQ(r.matched_domain(), "finances.gouv.fr");
  EXPECT_TRUE(Check("x@chu-toulouse.fr").eligible());
  EXPECT_TRUE(Check("x@pca.social.gouv.fr").eligible());
  r = Check("someone@gmail.com");
  EXPECT_FALSE(r.eligible());
  EXPECT_EQ(r.matched_domain(), "");
}

TEST_F(EligibilityTest, ServerFileImportGivesTheSameSummary) {
  std::string path = ListPath();
  ASSERT_FALSE(path.empty());
  // A copy in the import directory: a symbolic link to the list would be
  // refused (see below).
  ASSERT_EQ(mkdir((import_dir_ + "/lists").c_str(), 0700), 0);
  WriteFile(import_dir_ + "/lists/etalab.txt", ReadFile(path));
  std::string op = OperatorToken();
  nuage::v1::EligibleDomainImport summary;
  grpc::Status st = ImportFile(op, "lists/etalab.txt", &summary);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ExpectEtalabSummary(summary);
  EXPECT_EQ(summary.source(), "lists/etalab.txt");
}

// Regression (issue 8, point 2): the path named any file the server could
// read (/etc/shadow's line count; a file with one domain line replaced the
// list and echoed its other lines, secrets included, in invalid_lines).
TEST_F(EligibilityTest, FileImportNeverLeavesTheImportDirectory) {
  std::string op = OperatorToken();
  nuage::v1::EligibleDomainImport summary;
  ASSERT_TRUE(ImportText(op, "kept.fr\n", &summary).ok());
  // Outside the import directory: one valid domain line and a secret.
  std::string outside = TempDir("outside");
  WriteFile(outside + "/secret.env", "leaked.fr\nDB_PASSWORD=hunter2\n");
  ASSERT_EQ(symlink((outside + "/secret.env").c_str(), (import_dir_ + "/link.txt").c_str()), 0);
  ASSERT_EQ(symlink((outside + "/absent.env").c_str(), (import_dir_ + "/dangling.txt").c_str()), 0);
  ASSERT_EQ(symlink(outside.c_str(), (import_dir_ + "/outside").c_str()), 0);
  ASSERT_EQ(mkdir((import_dir_ + "/sub").c_str(), 0700), 0);
  ASSERT_EQ(mkfifo((import_dir_ + "/fifo").c_str(), 0600), 0);

  struct Case {
    std::string path;
    StatusCode code;
    std::string reason;
  };
  const StatusCode kBad = StatusCode::INVALID_ARGUMENT, kNone = StatusCode::FAILED_PRECONDITION;
  const Case cases[] = {
      {"/etc/passwd", kBad, "INVALID_ARGUMENT"},
      {"/etc/shadow", kBad, "INVALID_ARGUMENT"},
      {"/proc/self/environ", kBad, "INVALID_ARGUMENT"},
      {outside + "/secret.env", kBad, "INVALID_ARGUMENT"},
      {import_dir_ + "/link.txt", kBad, "INVALID_ARGUMENT"},
      {"../" + outside.substr(outside.find_last_of('/') + 1) + "/secret.env", kBad, "INVALID_ARGUMENT"},
      {"sub/../../etc/passwd", kBad, "INVALID_ARGUMENT"},
      {"../../../../../../../../etc/passwd", kBad, "INVALID_ARGUMENT"},
      {"./link.txt", kBad, "INVALID_ARGUMENT"},
      {"", kBad, "INVALID_ARGUMENT"},
      // Inside, but not a regular file of the directory: one answer,
      // whether the link's target exists or not.
      {"link.txt", kNone, "FILE_UNREADABLE"},
      {"dangling.txt", kNone, "FILE_UNREADABLE"},
      {"outside/secret.env", kNone, "FILE_UNREADABLE"},
      {"absent.txt", kNone, "FILE_UNREADABLE"},
      {"sub", kNone, "FILE_UNREADABLE"},
      {"fifo", kNone, "FILE_UNREADABLE"},
  };
  std::string unreadable_message;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.path);
    summary.Clear();
    grpc::Status st = ImportFile(op, c.path, &summary);
    EXPECT_EQ(st.error_code(), c.code) << Describe(st);
    std::string reply = summary.SerializeAsString();
    EXPECT_EQ(ReasonOf(st), c.reason);
    for (const char* leak : {"hunter2", "DB_PASSWORD", "leaked", "root:", "lines"}) {
      EXPECT_EQ(st.error_message().find(leak), std::string::npos) << st.error_message();
      EXPECT_EQ(st.error_details().find(leak), std::string::npos) << leak;
      EXPECT_EQ(reply.find(leak), std::string::npos) << leak;
    }
    if (c.reason == "FILE_UNREADABLE") {
      if (unreadable_message.empty()) unreadable_message = st.error_message();
      EXPECT_EQ(st.error_message(), unreadable_message) << "the answers must not differ";
    }
  }
  // The list is unchanged.
  auto rows = PgQuery(conninfo(), "SELECT domain FROM eligible_domains");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "kept.fr");
}

TEST_F(EligibilityTest, FileImportRefusesAFileOverTheBound) {
  std::string op = OperatorToken();
  std::string big = import_dir_ + "/big.txt";
  WriteFile(big, "x.fr\n");
  ASSERT_EQ(truncate(big.c_str(), (16 << 20) + 1), 0);  // sparse: costs no disk
  nuage::v1::EligibleDomainImport summary;
  grpc::Status st = ImportFile(op, "big.txt", &summary);
  EXPECT_EQ(st.error_code(), StatusCode::RESOURCE_EXHAUSTED) << Describe(st);
  EXPECT_EQ(ReasonOf(st), "IMPORT_TOO_LARGE");
}

TEST_F(EligibilityTest, WithoutAnImportDirectoryFileImportIsRefused) {
  auto plain = ServerProcess::Start(conninfo());
  ASSERT_NE(plain, nullptr);
  auto stub = nuage::v1::EligibilityService::NewStub(Connect(plain->address()));
  WriteFile(import_dir_ + "/list.txt", "other.fr\n");
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(30000));
  WithBearer(&ctx, OperatorToken());
  nuage::v1::ImportEligibleDomainsFromFileRequest req;
  req.set_path("list.txt");
  nuage::v1::EligibleDomainImport summary;
  grpc::Status st = stub->ImportEligibleDomainsFromFile(&ctx, req, &summary);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(ReasonOf(st), "IMPORT_DIR_NOT_CONFIGURED");
}

TEST_F(EligibilityTest, InvalidLinesAreReportedAndTheListReplacedAtomically) {
  std::string op = OperatorToken();
  nuage::v1::EligibleDomainImport summary;
  grpc::Status st = ImportText(op, "Exemple.GOUV.fr\nnot a domain\n\n# comment\nville.fr.\nville.fr\n",
                               &summary, 7);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(summary.lines(), 6);
  EXPECT_EQ(summary.accepted(), 2);
  EXPECT_EQ(summary.invalid(), 1);
  ASSERT_EQ(summary.invalid_lines_size(), 1);
  EXPECT_EQ(summary.invalid_lines(0).line(), 2);
  EXPECT_EQ(summary.invalid_lines(0).text(), "not a domain");
  EXPECT_FALSE(summary.invalid_lines(0).reason().empty());
  EXPECT_EQ(summary.empty(), 1);
  EXPECT_EQ(summary.comments(), 1);
  EXPECT_EQ(summary.duplicates(), 1);
  // The previous list is gone: only these two domains remain.
  auto rows = PgQuery(conninfo(), "SELECT domain FROM eligible_domains ORDER BY domain");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "exemple.gouv.fr");
  EXPECT_EQ(rows[1][0], "ville.fr");
  EXPECT_TRUE(Check("a@sub.exemple.gouv.fr").eligible());
  EXPECT_FALSE(Check("a@finances.gouv.fr").eligible());
}

TEST_F(EligibilityTest, AStreamCutShortOrEmptyChangesNothing) {
  std::string op = OperatorToken();
  nuage::v1::EligibleDomainImport summary;
  ASSERT_TRUE(ImportText(op, "kept.fr\n", &summary).ok());
  {
    // No message marked last.
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    WithBearer(&ctx, op);
    auto stream = eligibility_->ImportEligibleDomains(&ctx);
    nuage::v1::ImportEligibleDomainsRequest req;
    req.set_chunk("other.fr\n");
    ASSERT_TRUE(stream->Write(req));
    nuage::v1::ImportEligibleDomainsResponse resp;
    ASSERT_TRUE(stream->Read(&resp));
    stream->WritesDone();
    while (stream->Read(&resp)) {
    }
    grpc::Status st = stream->Finish();
    EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  }
  // A file with no valid domain does not empty the list.
  grpc::Status st = ImportText(op, "not a domain\n", &summary);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  auto rows = PgQuery(conninfo(), "SELECT domain FROM eligible_domains");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "kept.fr");
}

TEST_F(EligibilityTest, OnlyTheOperatorImports) {
  std::string login = UniqueLogin("notop.");
  std::string id = SeedUser(conninfo(), login, login + "@example.org", kAccountPassword);
  std::string org = SeedOrganization(conninfo(), "Org " + login, id);
  std::string token = SeedSession(conninfo(), id, org);
  nuage::v1::EligibleDomainImport summary;
  grpc::Status st = ImportText(token, "x.fr\n", &summary);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);
  grpc::ClientContext ctx;
  WithBearer(&ctx, token);
  nuage::v1::ImportEligibleDomainsFromFileRequest req;
  req.set_path("/etc/hostname");
  st = eligibility_->ImportEligibleDomainsFromFile(&ctx, req, &summary);
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);
  // Anonymous: no credentials at all.
  grpc::ClientContext anon;
  st = eligibility_->ImportEligibleDomainsFromFile(&anon, req, &summary);
  EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED) << Describe(st);
}

TEST_F(EligibilityTest, CheckRefusesMalformedAddresses) {
  grpc::ClientContext ctx;
  nuage::v1::CheckEligibilityRequest req;
  req.set_email("no-at-sign");
  nuage::v1::CheckEligibilityResponse resp;
  grpc::Status st = eligibility_->CheckEligibility(&ctx, req, &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
}

}  // namespace
}  // namespace nuage::testing
