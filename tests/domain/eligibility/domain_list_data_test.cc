// domain_list_data_test.cc — the real Etalab list (DINUM / Etalab,
// noms-de-domaine-organismes-publics, 2021-03-31), quirks included.
//
// The file is not in the repository: it is read at run time from
// shared/data beside the checkout (/work/main → /work/shared/data; CI
// clones the same way). $NUAGE_SHARED_DATA names the directory when set
// (bazel test --test_env=NUAGE_SHARED_DATA=…); otherwise the test walks up
// from the real path of its runfiles (the symlink of its own source leads
// back to the checkout), from $TEST_SRCDIR and from its working directory.
// A missing file fails the test: the list's quirks must stay covered.
#include <gtest/gtest.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "server/common/arena.h"
#include "server/domain/eligibility/domain_list.h"

namespace {

constexpr char kFile[] = "domaines-organismes-publics.txt";

bool Exists(const std::string &path) { return access(path.c_str(), R_OK) == 0; }

std::string RealPath(const std::string &p) {
  char buf[PATH_MAX];
  return realpath(p.c_str(), buf) ? std::string(buf) : std::string();
}

// Looks for shared/data/<kFile> in dir and each of its ancestors.
std::string WalkUp(std::string dir, std::vector<std::string> *tried) {
  while (!dir.empty()) {
    std::string candidate = dir + "/shared/data/" + kFile;
    tried->push_back(candidate);
    if (Exists(candidate)) return candidate;
    if (dir == "/") break;
    size_t slash = dir.find_last_of('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
  return "";
}

std::string FindDataFile(std::vector<std::string> *tried) {
  if (const char *env = getenv("NUAGE_SHARED_DATA")) {
    std::string p = std::string(env) + "/" + kFile;
    tried->push_back(p + " ($NUAGE_SHARED_DATA)");
    return Exists(p) ? p : "";  // an explicit setting is not second-guessed
  }
  std::vector<std::string> starts;
  if (const char *srcdir = getenv("TEST_SRCDIR")) {
    std::string own = RealPath(std::string(srcdir) +
                               "/nuage/tests/domain/eligibility/domain_list_data_test.cc");
    if (!own.empty()) starts.push_back(own.substr(0, own.find_last_of('/')));
    starts.push_back(RealPath(srcdir));
  }
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd)) starts.push_back(RealPath(cwd));
  for (const std::string &s : starts) {
    std::string found = WalkUp(s, tried);
    if (!found.empty()) return found;
  }
  return "";
}

class RealListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::string> tried;
    path_ = FindDataFile(&tried);
    std::string where;
    for (const std::string &t : tried) where += "\n  " + t;
    ASSERT_FALSE(path_.empty())
        << "cannot find the Etalab list " << kFile
        << ": set NUAGE_SHARED_DATA to the shared/data directory "
           "(bazel test --test_env=NUAGE_SHARED_DATA=/work/shared/data) or keep "
           "shared/ beside the checkout; tried:" << where;
    std::printf("reading %s\n", path_.c_str());
    std::ifstream in(path_, std::ios::binary);
    ASSERT_TRUE(in) << "cannot open " << path_;
    std::stringstream ss;
    ss << in.rdbuf();
    bytes_ = ss.str();

    arena_ = nu_arena_new();
    ASSERT_NE(arena_, nullptr);
    // Fed in odd-sized chunks, as a file read in blocks would be.
    nu_domain_parser *p = nu_domain_parser_new(arena_);
    ASSERT_NE(p, nullptr);
    for (size_t at = 0; at < bytes_.size(); at += 4093) {
      size_t n = std::min<size_t>(4093, bytes_.size() - at);
      nu_status s = nu_domain_parser_feed(p, bytes_.data() + at, n);
      ASSERT_TRUE(nu_status_is_ok(&s));
    }
    nu_status s = nu_domain_parser_finish(p, &list_);
    ASSERT_TRUE(nu_status_is_ok(&s));
  }
  void TearDown() override { nu_arena_free(arena_); }

  const nu_domain_normalised *NormalisedAt(uint32_t line) {
    for (size_t i = 0; i < list_->normalised_count; i++)
      if (list_->normalised[i].line == line) return &list_->normalised[i];
    return nullptr;
  }

  std::string path_;
  std::string bytes_;
  nu_arena *arena_ = nullptr;
  const nu_domain_list *list_ = nullptr;
};

TEST_F(RealListTest, CountsOfTheList) {
  const nu_domain_counts &c = list_->counts;
  EXPECT_EQ(c.lines, 2586u);
  EXPECT_EQ(c.invalid, 0u);
  EXPECT_EQ(c.valid, 2586u);
  EXPECT_EQ(c.empty, 0u);
  EXPECT_EQ(c.comments, 0u);
  EXPECT_EQ(c.crlf, 0u);
  // Six domains are listed twice as they are (ansm.sante.fr, cnam.fr,
  // enac.fr, enpc.fr, sdli.ars.sante.fr, ut-capitole.fr), and line 622
  // repeats line 621 once its no-break space is trimmed.
  EXPECT_EQ(c.duplicates, 7u);
  const uint32_t dup_lines[][2] = {{143, 142}, {450, 449},   {622, 621},  {798, 797},
                                   {808, 807}, {1828, 1827}, {2102, 2101}};
  ASSERT_EQ(list_->duplicate_count, 7u);
  for (size_t i = 0; i < 7; i++) {
    EXPECT_EQ(list_->duplicates[i].line, dup_lines[i][0]);
    EXPECT_EQ(list_->duplicates[i].first_line, dup_lines[i][1]);
  }
  EXPECT_STREQ(list_->duplicates[2].name, "declarations-pharmacie.ars.sante.fr");
  EXPECT_EQ(list_->entry_count, 2579u);
  for (size_t i = 1; i < list_->entry_count; i++)
    ASSERT_LT(strcmp(list_->entries[i - 1].name, list_->entries[i].name), 0) << i;
}

TEST_F(RealListTest, QuirksAreReportedWithTheirLineNumbers) {
  // Line 419 has upper case.
  const nu_domain_normalised *n = NormalisedAt(419);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->kinds, unsigned{NU_DOMAIN_NORM_LOWERCASED});
  EXPECT_STREQ(n->result, "chu-toulouse.fr");

  // The "trailing spaces" are each one no-break space (U+00A0, c2 a0), no
  // ASCII space: trimming ASCII whitespace alone would leave them invalid.
  const uint32_t nbsp_lines[] = {514, 622, 670, 672, 789, 1570, 1877};
  for (uint32_t line : nbsp_lines) {
    n = NormalisedAt(line);
    ASSERT_NE(n, nullptr) << line;
    EXPECT_EQ(n->kinds, unsigned{NU_DOMAIN_NORM_TRIMMED_NBSP}) << line;
  }
  EXPECT_STREQ(NormalisedAt(1570)->result, "pca.social.gouv.fr");

  // Three absolute names end with a root dot.
  const uint32_t dot_lines[] = {674, 676, 678};
  for (uint32_t line : dot_lines) {
    n = NormalisedAt(line);
    ASSERT_NE(n, nullptr) << line;
    EXPECT_EQ(n->kinds, unsigned{NU_DOMAIN_NORM_ROOT_DOT}) << line;
  }
  EXPECT_STREQ(NormalisedAt(676)->result, "diffusion.sante.gouv.fr");

  EXPECT_EQ(list_->normalised_count, 11u);
}

TEST_F(RealListTest, DgfipAgentIsEligibleThroughFinancesGouvFr) {
  // The list holds finances.gouv.fr (line 917) and also
  // dgfip.finances.gouv.fr (line 654): the broadest entry is the one
  // reported, as the acceptance asks.
  const nu_domain_entry *m = nullptr;
  ASSERT_EQ(nu_domain_match(list_, "agent@dgfip.finances.gouv.fr", &m), 0);
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->name, "finances.gouv.fr");
  EXPECT_EQ(m->line, 917u);

  ASSERT_EQ(nu_domain_match(list_, "agent@bureau.dgfip.finances.gouv.fr", &m), 0);
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->name, "finances.gouv.fr");

  ASSERT_EQ(nu_domain_match(list_, "Agent@Exemple-Service.Finances.Gouv.FR", &m), 0);
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->name, "finances.gouv.fr");
  EXPECT_EQ(m->line, 917u);

  ASSERT_EQ(nu_domain_match(list_, "someone@gmail.com", &m), 0);
  EXPECT_EQ(m, nullptr);
  // Found through normalisation: upper case and no-break space.
  ASSERT_EQ(nu_domain_match(list_, "x@chu-toulouse.fr", &m), 0);
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(nu_domain_match(list_, "x@pca.social.gouv.fr", &m), 0);
  ASSERT_NE(m, nullptr);
}

}  // namespace
