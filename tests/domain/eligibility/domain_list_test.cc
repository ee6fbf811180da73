// domain_list_test.cc — the Etalab list parser and the e-mail match on
// small inputs: chunk splits at every byte, CRLF, case, whitespace,
// no-break spaces, root dots, invalid lines with their numbers,
// duplicates, empty input.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "server/common/arena.h"
#include "server/domain/eligibility/domain_list.h"

namespace {

class DomainListTest : public ::testing::Test {
 protected:
  void SetUp() override { arena_ = nu_arena_new(); ASSERT_NE(arena_, nullptr); }
  void TearDown() override { nu_arena_free(arena_); }

  const nu_domain_list *Parse(const std::string &text) {
    const nu_domain_list *list = nullptr;
    nu_status s = nu_domain_list_parse(arena_, text.data(), text.size(), &list);
    EXPECT_TRUE(nu_status_is_ok(&s)) << (s.message ? s.message : "");
    return list;
  }

  // Feeds text in chunks whose boundaries are at the given offsets.
  const nu_domain_list *ParseSplit(const std::string &text, std::vector<size_t> cuts) {
    nu_domain_parser *p = nu_domain_parser_new(arena_);
    EXPECT_NE(p, nullptr);
    size_t at = 0;
    cuts.push_back(text.size());
    for (size_t cut : cuts) {
      nu_status s = nu_domain_parser_feed(p, text.data() + at, cut - at);
      EXPECT_TRUE(nu_status_is_ok(&s));
      at = cut;
    }
    const nu_domain_list *list = nullptr;
    nu_status s = nu_domain_parser_finish(p, &list);
    EXPECT_TRUE(nu_status_is_ok(&s));
    return list;
  }

  nu_arena *arena_ = nullptr;
};

std::vector<std::string> Names(const nu_domain_list *l) {
  std::vector<std::string> v;
  for (size_t i = 0; i < l->entry_count; i++) v.push_back(l->entries[i].name);
  return v;
}

// Everything observable of a list, to compare two parses.
std::string Dump(const nu_domain_list *l) {
  std::string s;
  for (size_t i = 0; i < l->entry_count; i++)
    s += "E " + std::string(l->entries[i].name) + " " + std::to_string(l->entries[i].line) + "\n";
  for (size_t i = 0; i < l->invalid_count; i++)
    s += "I " + std::to_string(l->invalid[i].line) + " " + l->invalid[i].reason + " [" +
         std::string(l->invalid[i].text, l->invalid[i].text_len) + "]\n";
  for (size_t i = 0; i < l->normalised_count; i++)
    s += "N " + std::to_string(l->normalised[i].line) + " " +
         std::to_string(l->normalised[i].kinds) + " " + l->normalised[i].result + "\n";
  for (size_t i = 0; i < l->duplicate_count; i++)
    s += "D " + std::to_string(l->duplicates[i].line) + " " +
         std::to_string(l->duplicates[i].first_line) + " " + l->duplicates[i].name + "\n";
  const nu_domain_counts &c = l->counts;
  s += "C " + std::to_string(c.lines) + " " + std::to_string(c.valid) + " " +
       std::to_string(c.invalid) + " " + std::to_string(c.duplicates) + " " +
       std::to_string(c.empty) + " " + std::to_string(c.comments) + " " +
       std::to_string(c.crlf) + "\n";
  return s;
}

// Every kind of line at once, CRLF and a no-break space included, no final
// line feed.
const std::string kSample =
    "finances.gouv.fr\r\n"
    "Chu-Toulouse.FR\n"
    "  pca.social.gouv.fr\xc2\xa0 \n"
    "\n"
    "# comment\n"
    "bad_domain.fr\n"
    "finances.gouv.fr\n"
    "diffusion.sante.gouv.fr.\r\n"
    "xn--conomie-9xa.gouv.fr";

TEST_F(DomainListTest, SampleParsedAsExpected) {
  const nu_domain_list *l = Parse(kSample);
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(Names(l), (std::vector<std::string>{"chu-toulouse.fr", "diffusion.sante.gouv.fr",
                                                "finances.gouv.fr", "pca.social.gouv.fr",
                                                "xn--conomie-9xa.gouv.fr"}));
  EXPECT_EQ(l->counts.lines, 9u);
  EXPECT_EQ(l->counts.valid, 6u);
  EXPECT_EQ(l->counts.invalid, 1u);
  EXPECT_EQ(l->counts.duplicates, 1u);
  EXPECT_EQ(l->counts.empty, 1u);
  EXPECT_EQ(l->counts.comments, 1u);
  EXPECT_EQ(l->counts.crlf, 2u);

  ASSERT_EQ(l->invalid_count, 1u);
  EXPECT_EQ(l->invalid[0].line, 6u);
  EXPECT_STREQ(l->invalid[0].reason, "invalid character '_' at column 4");
  EXPECT_EQ(std::string(l->invalid[0].text, l->invalid[0].text_len), "bad_domain.fr");

  ASSERT_EQ(l->normalised_count, 3u);
  EXPECT_EQ(l->normalised[0].line, 2u);
  EXPECT_EQ(l->normalised[0].kinds, unsigned{NU_DOMAIN_NORM_LOWERCASED});
  EXPECT_STREQ(l->normalised[0].result, "chu-toulouse.fr");
  EXPECT_EQ(l->normalised[1].line, 3u);
  EXPECT_EQ(l->normalised[1].kinds,
            unsigned{NU_DOMAIN_NORM_TRIMMED | NU_DOMAIN_NORM_TRIMMED_NBSP});
  EXPECT_STREQ(l->normalised[1].result, "pca.social.gouv.fr");
  EXPECT_EQ(l->normalised[2].line, 8u);
  EXPECT_EQ(l->normalised[2].kinds, unsigned{NU_DOMAIN_NORM_ROOT_DOT});

  ASSERT_EQ(l->duplicate_count, 1u);
  EXPECT_EQ(l->duplicates[0].line, 7u);
  EXPECT_EQ(l->duplicates[0].first_line, 1u);
  EXPECT_STREQ(l->duplicates[0].name, "finances.gouv.fr");
}

TEST_F(DomainListTest, EverySingleSplitGivesTheSameList) {
  const std::string whole = Dump(Parse(kSample));
  for (size_t cut = 0; cut <= kSample.size(); cut++) {
    EXPECT_EQ(Dump(ParseSplit(kSample, {cut})), whole) << "cut at " << cut;
  }
}

TEST_F(DomainListTest, EveryPairOfSplitsGivesTheSameList) {
  const std::string whole = Dump(Parse(kSample));
  for (size_t a = 0; a <= kSample.size(); a++)
    for (size_t b = a; b <= kSample.size(); b++)
      ASSERT_EQ(Dump(ParseSplit(kSample, {a, b})), whole) << "cuts at " << a << ", " << b;
}

TEST_F(DomainListTest, OneByteAtATimeGivesTheSameList) {
  std::vector<size_t> cuts;
  for (size_t i = 1; i < kSample.size(); i++) cuts.push_back(i);
  EXPECT_EQ(Dump(ParseSplit(kSample, cuts)), Dump(Parse(kSample)));
}

TEST_F(DomainListTest, EmptyInput) {
  const nu_domain_list *l = Parse("");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(Dump(l), "C 0 0 0 0 0 0 0\n");
  const nu_domain_entry *m = nullptr;
  EXPECT_EQ(nu_domain_match(l, "a@finances.gouv.fr", &m), 0);
  EXPECT_EQ(m, nullptr);
}

TEST_F(DomainListTest, FinalLineFeedEndsTheLastLine) {
  EXPECT_EQ(Parse("a.fr\n")->counts.lines, 1u);
  EXPECT_EQ(Parse("a.fr")->counts.lines, 1u);
  EXPECT_EQ(Parse("a.fr\n\n")->counts.lines, 2u);
  EXPECT_EQ(Parse("\n")->counts.empty, 1u);
}

TEST_F(DomainListTest, CrlfIsALineEndingNotATrim) {
  const nu_domain_list *l = Parse("a.fr\r\nb.fr\r\n");
  EXPECT_EQ(l->counts.crlf, 2u);
  EXPECT_EQ(l->normalised_count, 0u);
  EXPECT_EQ(Names(l), (std::vector<std::string>{"a.fr", "b.fr"}));
  // A CR anywhere else is whitespace, trimmed and reported.
  l = Parse("c.fr\r\r\n");
  EXPECT_EQ(l->counts.crlf, 1u);
  ASSERT_EQ(l->normalised_count, 1u);
  EXPECT_EQ(l->normalised[0].kinds, unsigned{NU_DOMAIN_NORM_TRIMMED});
}

TEST_F(DomainListTest, WhitespaceOnlyLinesAreEmptyNotNormalised) {
  const nu_domain_list *l = Parse(" \t\n\xc2\xa0\n");
  EXPECT_EQ(l->counts.empty, 2u);
  EXPECT_EQ(l->counts.lines, 2u);
  EXPECT_EQ(l->normalised_count, 0u);
}

TEST_F(DomainListTest, InvalidLinesCarryTheirNumberAndReason) {
  const nu_domain_list *l = Parse(
      "ok.fr\n"               // 1
      "localhost\n"           // 2
      "-a.fr\n"               // 3
      "a-.fr\n"               // 4
      "a..fr\n"               // 5
      ".a.fr\n"               // 6
      "*.gouv.fr\n"           // 7
      "agent@gouv.fr\n"       // 8
      "@gouv.fr\n"            // 9
      "1.2.3.4\n"             // 10
      "a b.fr\n"              // 11
      "caf\xc3\xa9.fr\n"      // 12
      "a.fr..\n"              // 13
      "  # not a comment?\n"  // 14: comment after trimming
      "é.fr # x\n"            // 15
      "-caf\xc3\xa9.fr\n");    // 16
  ASSERT_NE(l, nullptr);
  std::vector<std::pair<uint32_t, std::string>> got;
  for (size_t i = 0; i < l->invalid_count; i++) got.push_back({l->invalid[i].line, l->invalid[i].reason});
  std::vector<std::pair<uint32_t, std::string>> want = {
      {2, "a single label, a domain needs at least two"},
      {3, "label starts with a hyphen"},
      {4, "label ends with a hyphen"},
      {5, "empty label"},
      {6, "empty label"},
      {7, "wildcard \"*.\" not supported: list the domain itself"},
      {8, "contains '@': an e-mail address, not a domain"},
      {9, "contains '@': an e-mail address, not a domain"},
      {10, "last label all digits: an ip address, not a domain"},
      {11, "invalid character ' ' at column 2"},
      {13, "empty label"},
      // Converted to A-labels ("xn--9ca.fr # x"), the space stays refused.
      {15, "invalid character ' ' at column 11"},
      {16, "not a valid internationalised domain name (string start/ends with forbidden hyphen)"},
  };
  EXPECT_EQ(got, want);
  EXPECT_EQ(l->counts.comments, 1u);
  EXPECT_EQ(l->counts.valid, 2u);  // ok.fr and café.fr, in its A-label form
  EXPECT_EQ(l->counts.lines, 16u);
  EXPECT_EQ(l->counts.lines,
            l->counts.valid + l->counts.invalid + l->counts.empty + l->counts.comments);
}

TEST_F(DomainListTest, LengthLimits) {
  std::string label63(63, 'a'), label64(64, 'a');
  EXPECT_EQ(nu_domain_name_problem((label63 + ".fr").c_str(), 66), nullptr);
  EXPECT_STREQ(nu_domain_name_problem((label64 + ".fr").c_str(), 67),
               "label longer than 63 characters");
  std::string name253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  ASSERT_EQ(name253.size(), 253u);
  EXPECT_EQ(nu_domain_name_problem(name253.c_str(), name253.size()), nullptr);
  std::string name254 = name253 + "b";
  EXPECT_STREQ(nu_domain_name_problem(name254.c_str(), name254.size()),
               "longer than 253 characters");
  EXPECT_STREQ(nu_domain_name_problem("", 0), "empty label");

  // A line too long for the buffer is reported, the next line still read.
  std::string lng(NU_DOMAIN_LINE_MAX + 10, 'a');
  const nu_domain_list *l = Parse(lng + "\nb.fr\n");
  ASSERT_EQ(l->invalid_count, 1u);
  EXPECT_EQ(l->invalid[0].line, 1u);
  EXPECT_STREQ(l->invalid[0].reason, "line longer than 1024 bytes");
  EXPECT_EQ(l->invalid[0].text_len, size_t{NU_DOMAIN_LINE_MAX});
  EXPECT_EQ(Names(l), (std::vector<std::string>{"b.fr"}));
}

TEST_F(DomainListTest, DuplicatesAfterNormalisationAreCounted) {
  const nu_domain_list *l = Parse("a.fr\nA.FR\n a.fr \na.fr.\nb.fr\na.fr\n");
  EXPECT_EQ(Names(l), (std::vector<std::string>{"a.fr", "b.fr"}));
  EXPECT_EQ(l->counts.duplicates, 4u);
  ASSERT_EQ(l->duplicate_count, 4u);
  const uint32_t lines[] = {2, 3, 4, 6};
  for (size_t i = 0; i < 4; i++) {
    EXPECT_EQ(l->duplicates[i].line, lines[i]);
    EXPECT_EQ(l->duplicates[i].first_line, 1u);
  }
  EXPECT_EQ(l->entries[0].line, 1u);
}

TEST_F(DomainListTest, FeedAfterFinishIsRefused) {
  nu_domain_parser *p = nu_domain_parser_new(arena_);
  const nu_domain_list *l = nullptr;
  nu_status s = nu_domain_parser_finish(p, &l);
  ASSERT_TRUE(nu_status_is_ok(&s));
  s = nu_domain_parser_feed(p, "a.fr\n", 5);
  EXPECT_EQ(s.code, NU_FAILED_PRECONDITION);
  s = nu_domain_parser_finish(p, &l);
  EXPECT_EQ(s.code, NU_FAILED_PRECONDITION);
  EXPECT_EQ(l, nullptr);
}

TEST_F(DomainListTest, MatchOnDomainOrParent) {
  const nu_domain_list *l = Parse("finances.gouv.fr\nsante.fr\nars.sante.fr\nexample.com\n");
  const nu_domain_entry *m = nullptr;
  auto match = [&](const char *email) {
    m = nullptr;
    return nu_domain_match(l, email, &m);
  };
  EXPECT_EQ(match("agent@finances.gouv.fr"), 0);
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->name, "finances.gouv.fr");
  EXPECT_EQ(match("agent@dgfip.finances.gouv.fr"), 0);
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->name, "finances.gouv.fr");
  EXPECT_EQ(match("Agent.Name@DGFiP.Finances.GOUV.fr"), 0);
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->name, "finances.gouv.fr");
  // The broadest entry listed is reported, even when a narrower one is
  // listed too.
  EXPECT_EQ(match("x@paca.ars.sante.fr"), 0);
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->name, "sante.fr");
  EXPECT_EQ(match("x@ars.sante.fr"), 0);
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->name, "sante.fr");
  // Not eligible: a suffix that is not a whole label, a sibling, the TLD.
  EXPECT_EQ(match("x@notfinances.gouv.fr"), 0);
  EXPECT_EQ(m, nullptr);
  EXPECT_EQ(match("x@gouv.fr"), 0);
  EXPECT_EQ(m, nullptr);
  EXPECT_EQ(match("x@fr"), -1);
  EXPECT_EQ(match("x@finances.gouv.fr.evil.com"), 0);
  EXPECT_EQ(m, nullptr);
}

TEST_F(DomainListTest, InvalidEmailsAreRefused) {
  const nu_domain_list *l = Parse("finances.gouv.fr\n");
  const char *bad[] = {
      "",  "finances.gouv.fr", "@finances.gouv.fr", "a@", "a@@finances.gouv.fr",
      "a@b@finances.gouv.fr", "a b@finances.gouv.fr", "a@finances.gouv.fr.",
      "a@finances..gouv.fr", "a@-finances.gouv.fr", "a@finances_gouv.fr",
      "a@finances.gouv.fr ", "a\n@finances.gouv.fr",
  };
  for (const char *e : bad) {
    const nu_domain_entry *m = reinterpret_cast<const nu_domain_entry *>(1);
    EXPECT_EQ(nu_domain_match(l, e, &m), -1) << e;
    EXPECT_EQ(m, nullptr) << e;
  }
  std::string long_local = std::string(65, 'a') + "@finances.gouv.fr";
  const nu_domain_entry *m = nullptr;
  EXPECT_EQ(nu_domain_match(l, long_local.c_str(), &m), -1);
  std::string ok_local = std::string(64, 'a') + "@finances.gouv.fr";
  EXPECT_EQ(nu_domain_match(l, ok_local.c_str(), &m), 0);
  EXPECT_NE(m, nullptr);
  // 254 bytes in all at most.
  std::string dom = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                    std::string(63, 'c') + ".finances.gouv.fr";
  std::string too_long = std::string(64, 'x') + "@" + dom;
  ASSERT_GT(too_long.size(), 254u);
  EXPECT_EQ(nu_domain_match(l, too_long.c_str(), &m), -1);
}

// A line in Unicode is imported in its A-label form and reported as
// normalised; the Etalab list's own form is kept as is.
TEST_F(DomainListTest, UnicodeLinesBecomeALabels) {
  const nu_domain_list *l = Parse(
      "IMP\xc3\x94TS.gouv.fr\n"     // 1: upper case in both alphabets
      "xn--impts-8ta.gouv.fr\n"      // 2: the same name, as Etalab lists it
      "r\xc3\xa9gion.fr.\n");        // 3: with its root dot
  ASSERT_NE(l, nullptr);
  ASSERT_EQ(l->entry_count, 2u);
  EXPECT_STREQ(l->entries[0].name, "xn--impts-8ta.gouv.fr");
  EXPECT_EQ(l->entries[0].line, 1u);
  EXPECT_STREQ(l->entries[1].name, "xn--rgion-bsa.fr");
  EXPECT_EQ(l->duplicate_count, 1u);
  EXPECT_EQ(l->duplicates[0].line, 2u);
  ASSERT_EQ(l->normalised_count, 2u);
  EXPECT_EQ(l->normalised[0].kinds, unsigned{NU_DOMAIN_NORM_LOWERCASED | NU_DOMAIN_NORM_IDNA});
  EXPECT_STREQ(l->normalised[0].result, "xn--impts-8ta.gouv.fr");
  EXPECT_EQ(l->normalised[1].kinds, unsigned{NU_DOMAIN_NORM_ROOT_DOT | NU_DOMAIN_NORM_IDNA});
  const nu_domain_entry *m = nullptr;
  ASSERT_EQ(nu_domain_match(l, "agent@xn--impts-8ta.gouv.fr", &m), 0);
  ASSERT_NE(m, nullptr);
  EXPECT_STREQ(m->name, "xn--impts-8ta.gouv.fr");
}

// One name normalised as the import normalises a line (domain requests).
TEST_F(DomainListTest, OneNameIsNormalisedLikeALine) {
  const char *out = nullptr;
  EXPECT_EQ(nu_domain_name_normalise(arena_, "  Mairie-Exemple.FR. ", &out), nullptr);
  ASSERT_NE(out, nullptr);
  EXPECT_STREQ(out, "mairie-exemple.fr");
  EXPECT_EQ(nu_domain_name_normalise(arena_, "\xc2\xa0ville.gouv.fr", &out), nullptr);
  EXPECT_STREQ(out, "ville.gouv.fr");
  // Names in Unicode become their A-label form, as e-mail domains do.
  EXPECT_EQ(nu_domain_name_normalise(arena_, " Imp\xc3\xb4ts.Gouv.FR ", &out), nullptr);
  EXPECT_STREQ(out, "xn--impts-8ta.gouv.fr");
  EXPECT_EQ(nu_domain_name_normalise(arena_, "\xc3\xa9.fr", &out), nullptr);
  EXPECT_STREQ(out, "xn--9ca.fr");
  for (const char *bad : {"", "   ", "fr", "-x.fr", "a..fr", "exa mple.fr", "x.123",
                          "\xc3\xa9 x.fr", "imp\xc3\xb4ts\xff.fr"}) {
    SCOPED_TRACE(bad);
    EXPECT_NE(nu_domain_name_normalise(arena_, bad, &out), nullptr);
    EXPECT_EQ(out, nullptr);
  }
  EXPECT_NE(nu_domain_name_normalise(arena_, nullptr, &out), nullptr);
}

}  // namespace
