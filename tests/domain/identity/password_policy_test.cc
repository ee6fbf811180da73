// password_policy_test.cc — every rule alone, every failure reported at
// once, code points not bytes, and messages that never echo the password.
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "server/domain/identity/password_policy.h"

namespace {

const uint32_t kAllRules[] = {
    NU_PASSWORD_TOO_SHORT, NU_PASSWORD_TOO_LONG,   NU_PASSWORD_HAS_NUL,
    NU_PASSWORD_NOT_UTF8,  NU_PASSWORD_NO_LOWER,   NU_PASSWORD_NO_UPPER,
    NU_PASSWORD_NO_DIGIT,  NU_PASSWORD_NO_SPECIAL, NU_PASSWORD_SAME_AS_LOGIN,
};

uint32_t Check(const std::string &pw, const char *login = "jean.dupont") {
  uint32_t failed = 0xdeadbeef;
  int rc = nu_password_check(pw.data(), pw.size(), login, &failed);
  EXPECT_EQ(rc, failed == 0 ? 0 : -1) << "status agrees with the set";
  return failed;
}

TEST(PasswordPolicy, GoodPasswords) {
  EXPECT_EQ(Check("Correct-Horse9"), 0u);
  EXPECT_EQ(Check("aB3!aB3!aB3!"), 0u);  // exactly 12
  EXPECT_EQ(Check("Un mot de passe 2 phrases"), 0u);  // space is special
  EXPECT_EQ(Check("Zz9~Zz9~Zz9~Zz9~"), 0u);
}

TEST(PasswordPolicy, RuleBitsAreDistinctAndCounted) {
  uint32_t all = 0;
  for (uint32_t r : kAllRules) {
    EXPECT_EQ(r & (r - 1), 0u) << "one bit per rule";
    EXPECT_EQ(all & r, 0u);
    all |= r;
  }
  EXPECT_EQ(sizeof kAllRules / sizeof kAllRules[0], (size_t)NU_PASSWORD_RULE_COUNT);
  EXPECT_EQ(all, (uint32_t)NU_PASSWORD_ALL_RULES);
}

TEST(PasswordPolicy, Length) {
  EXPECT_EQ(Check("aB3!aB3!aB3"), (uint32_t)NU_PASSWORD_TOO_SHORT);  // 11
  EXPECT_EQ(Check("aB3!aB3!aB3!"), 0u);                              // 12
  EXPECT_EQ(Check("aB3!"), (uint32_t)NU_PASSWORD_TOO_SHORT);
}

// 12 code points are enough even when they are fewer than 12 bytes... and
// 11 code points are too few however many bytes they take.
TEST(PasswordPolicy, LengthCountsCodePointsNotBytes) {
  // "aB3é" * 2 + "aB3" + "!" = 11 code points, 14 bytes.
  const std::string eleven = "aB3\xc3\xa9" "aB3\xc3\xa9" "aB!";
  ASSERT_EQ(eleven.size(), 13u);
  EXPECT_EQ(Check(eleven), (uint32_t)NU_PASSWORD_TOO_SHORT);
  EXPECT_EQ(Check(eleven + "x"), 0u);  // 12 code points
  // Four-byte code points (emoji U+1F512): 11 of them plus "aB3" would be
  // plenty of bytes; 8 of them + "aB3" is 11 code points, 35 bytes.
  std::string lock = "\xf0\x9f\x94\x92";
  std::string s = "aB3";
  for (int i = 0; i < 8; i++) s += lock;
  EXPECT_EQ(Check(s), (uint32_t)NU_PASSWORD_TOO_SHORT);
  EXPECT_EQ(Check(s + lock), 0u);
}

// Accented Latin letters are letters with a case, as a French user expects:
// "Élève" has an upper-case letter, "é" is lower-case and not a special
// character. Letters of other scripts and symbols count as special.
TEST(PasswordPolicy, AccentedLatinLettersHaveTheirCase) {
  EXPECT_EQ(Check("\xc3\x89l\xc3\xa8ve-2026-Paris"), 0u);               // Élève-2026-Paris
  EXPECT_EQ(Check("\xc3\x89t\xc3\xa9\xc3\xa9t\xc3\xa9t\xc3\xa9t\xc3\xa9tt7!"), 0u);  // Étéététététt7!
  EXPECT_EQ(Check("Motdepasse9\xc3\xa9"), (uint32_t)NU_PASSWORD_NO_SPECIAL);  // é is a letter
  EXPECT_EQ(Check("MOTDEPASSE9\xc3\xa9"), (uint32_t)NU_PASSWORD_NO_SPECIAL);  // é is lower-case
  EXPECT_EQ(Check("motdepasse9\xc3\x89!"), 0u);                           // É is upper-case
  EXPECT_EQ(Check("\xc5\x92uvre-2026-\xc5\x93il"), 0u);                   // Œuvre-2026-œil
  EXPECT_EQ(Check("\xc3\x9f\xc3\x9f\xc3\x9f\xc3\x9f" "ABC123!!"), 0u);    // ß is lower-case
  EXPECT_EQ(Check("\xc4\xb0stanbul-2026"), 0u);                           // İ upper, Latin Ext-A
  EXPECT_EQ(Check("\xc5\x81\xc3\xb3" "d\xc5\xba-2026-xy"), 0u);              // Łódź: Ł upper, ź lower
  // ×, ÷ and Cyrillic letters are not Latin letters: special.
  EXPECT_EQ(Check("motdepasse9X\xc3\x97"), 0u);
  EXPECT_EQ(Check("motdepasse9X\xd0\x96"), 0u);
}

TEST(PasswordPolicy, EachCharacterClass) {
  EXPECT_EQ(Check("ABCDEFGH123!"), (uint32_t)NU_PASSWORD_NO_LOWER);
  EXPECT_EQ(Check("abcdefgh123!"), (uint32_t)NU_PASSWORD_NO_UPPER);
  EXPECT_EQ(Check("abcdefGHIJK!"), (uint32_t)NU_PASSWORD_NO_DIGIT);
  EXPECT_EQ(Check("abcdefGHIJK1"), (uint32_t)NU_PASSWORD_NO_SPECIAL);
}

TEST(PasswordPolicy, EverySpecialAsciiCharacterCounts) {
  for (int c = 0x20; c < 0x7f; c++) {
    if (isalnum(c)) continue;
    std::string pw = "abcdefGHIJK1";
    pw += static_cast<char>(c);
    EXPECT_EQ(Check(pw), 0u) << "character " << c;
  }
  // Control characters other than NUL are not letters or digits either.
  EXPECT_EQ(Check("abcdefGHIJK1\t"), 0u);
}

TEST(PasswordPolicy, EveryFailureReportedAtOnce) {
  EXPECT_EQ(Check(""), (uint32_t)(NU_PASSWORD_TOO_SHORT | NU_PASSWORD_NO_LOWER |
                                  NU_PASSWORD_NO_UPPER | NU_PASSWORD_NO_DIGIT |
                                  NU_PASSWORD_NO_SPECIAL));
  EXPECT_EQ(Check("abc"), (uint32_t)(NU_PASSWORD_TOO_SHORT | NU_PASSWORD_NO_UPPER |
                                     NU_PASSWORD_NO_DIGIT | NU_PASSWORD_NO_SPECIAL));
  EXPECT_EQ(Check("!!!!!!!!!!!!!"), (uint32_t)(NU_PASSWORD_NO_LOWER | NU_PASSWORD_NO_UPPER |
                                               NU_PASSWORD_NO_DIGIT));
}

TEST(PasswordPolicy, NullPasswordWithZeroLength) {
  uint32_t failed = 0;
  EXPECT_EQ(nu_password_check(nullptr, 0, "jean.dupont", &failed), -1);
  EXPECT_EQ(failed, (uint32_t)(NU_PASSWORD_TOO_SHORT | NU_PASSWORD_NO_LOWER |
                               NU_PASSWORD_NO_UPPER | NU_PASSWORD_NO_DIGIT |
                               NU_PASSWORD_NO_SPECIAL));
}

TEST(PasswordPolicy, DifferentFromLoginIgnoringCase) {
  EXPECT_EQ(Check("Jean.Dupont-75", "Jean.Dupont-75"), (uint32_t)NU_PASSWORD_SAME_AS_LOGIN);
  EXPECT_EQ(Check("jEAN.dUPONT-75", "Jean.Dupont-75"), (uint32_t)NU_PASSWORD_SAME_AS_LOGIN);
  EXPECT_EQ(Check("JEAN.DUPONT-75", "jean.dupont-75"),
            (uint32_t)(NU_PASSWORD_NO_LOWER | NU_PASSWORD_SAME_AS_LOGIN));
  // A prefix, a suffix or one character more is a different password.
  EXPECT_EQ(Check("Jean.Dupont-7", "Jean.Dupont-75"), 0u);
  EXPECT_EQ(Check("Jean.Dupont-75", "Jean.Dupont-7"), 0u);
  EXPECT_EQ(Check("Jean.Dupont-75!", "Jean.Dupont-75"), 0u);
  // Same as the login and failing other rules too: all are reported.
  EXPECT_EQ(Check("jean.dupont", "jean.dupont"),
            (uint32_t)(NU_PASSWORD_TOO_SHORT | NU_PASSWORD_NO_UPPER |
                       NU_PASSWORD_NO_DIGIT | NU_PASSWORD_SAME_AS_LOGIN));
}

TEST(PasswordPolicy, NoLoginYet) {
  EXPECT_EQ(Check("Jean.Dupont-75", nullptr), 0u);
  EXPECT_EQ(Check("", nullptr) & NU_PASSWORD_SAME_AS_LOGIN, 0u);
}

TEST(PasswordPolicy, MaxBytes) {
  std::string pw = "aB3!";
  pw.append(NU_PASSWORD_MAX_BYTES - pw.size(), 'x');
  ASSERT_EQ(pw.size(), 1024u);
  EXPECT_EQ(Check(pw), 0u);
  pw += 'x';
  EXPECT_EQ(Check(pw), (uint32_t)NU_PASSWORD_TOO_LONG);
  // The limit is in bytes: 513 two-byte characters are 1026 bytes.
  std::string e = "aB3!";
  for (int i = 0; i < 511; i++) e += "\xc3\xa9";
  ASSERT_EQ(e.size(), 1026u);
  EXPECT_EQ(Check(e), (uint32_t)NU_PASSWORD_TOO_LONG);
}

TEST(PasswordPolicy, NulRefusedAnywhere) {
  std::string pw("Correct-Horse9", 14);
  EXPECT_EQ(Check(pw), 0u);
  for (size_t at : {size_t(0), size_t(5), pw.size()}) {
    std::string p = pw;
    p.insert(at, 1, '\0');
    EXPECT_EQ(Check(p), (uint32_t)NU_PASSWORD_HAS_NUL) << "at " << at;
  }
}

TEST(PasswordPolicy, InvalidUtf8Refused) {
  const std::string base = "Correct-Horse9";
  const char *bad[] = {
      "\x80",                  // lone continuation byte
      "\xc3",                  // truncated two-byte sequence
      "\xc3(",                 // bad continuation
      "\xc0\xaf",              // overlong '/'
      "\xe0\x80\xaf",          // overlong '/' in three bytes
      "\xed\xa0\x80",          // UTF-16 surrogate U+D800
      "\xf4\x90\x80\x80",      // above U+10FFFF
      "\xf8\x88\x80\x80\x80",  // five-byte form
      "\xff",
  };
  for (const char *b : bad) {
    EXPECT_EQ(Check(base + b), (uint32_t)NU_PASSWORD_NOT_UTF8) << "suffix";
    EXPECT_EQ(Check(b + base), (uint32_t)NU_PASSWORD_NOT_UTF8) << "prefix";
  }
  // Edges that are valid.
  EXPECT_EQ(Check(base + "\xed\x9f\xbf"), 0u);      // U+D7FF
  EXPECT_EQ(Check(base + "\xf4\x8f\xbf\xbf"), 0u);  // U+10FFFF
  EXPECT_EQ(Check(base + "\xc2\x80"), 0u);          // U+0080
}

TEST(PasswordPolicyMessage, OnePerRuleLowerCaseNoPeriod) {
  std::vector<std::string> seen;
  for (uint32_t r : kAllRules) {
    const char *m = nu_password_rule_message(r);
    ASSERT_NE(m, nullptr) << r;
    std::string s(m);
    ASSERT_FALSE(s.empty());
    EXPECT_TRUE(islower(static_cast<unsigned char>(s[0]))) << s;
    EXPECT_NE(s.back(), '.') << s;
    for (const auto &o : seen) EXPECT_NE(o, s);
    seen.push_back(s);
  }
  EXPECT_STREQ(nu_password_rule_message(NU_PASSWORD_TOO_SHORT),
               "must be at least 12 characters");
  EXPECT_STREQ(nu_password_rule_message(NU_PASSWORD_SAME_AS_LOGIN),
               "must differ from the login");
}

TEST(PasswordPolicyMessage, NotOneRule) {
  EXPECT_EQ(nu_password_rule_message(0), nullptr);
  EXPECT_EQ(nu_password_rule_message(NU_PASSWORD_TOO_SHORT | NU_PASSWORD_NO_DIGIT), nullptr);
  EXPECT_EQ(nu_password_rule_message(1u << 31), nullptr);
}

// Messages depend on the rule only: nothing of the password can leak.
TEST(PasswordPolicyMessage, NeverContainsThePassword) {
  const std::string pw = "zebra";  // fails every rule it can
  uint32_t failed = 0;
  ASSERT_EQ(nu_password_check(pw.data(), pw.size(), "zebra", &failed), -1);
  int reported = 0;
  for (uint32_t r : kAllRules) {
    if (!(failed & r)) continue;
    reported++;
    EXPECT_EQ(std::strstr(nu_password_rule_message(r), "zebra"), nullptr);
  }
  EXPECT_EQ(reported, 5);  // short, upper, digit, special, same as login
}

}  // namespace
