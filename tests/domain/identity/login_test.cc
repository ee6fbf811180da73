// login_test.cc — login syntax, e-mail syntax and normalisation, phone
// numbers to E.164, preferred language.
#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <string>

#include "server/domain/identity/login.h"

namespace {

void ExpectReason(const char *why) {
  ASSERT_NE(why, nullptr);
  ASSERT_NE(why[0], '\0');
  EXPECT_TRUE(islower(static_cast<unsigned char>(why[0]))) << why;
  EXPECT_NE(why[strlen(why) - 1], '.') << why;
}

bool LoginOk(const std::string &s) {
  const char *why = "untouched";
  int rc = nu_login_check(s.c_str(), &why);
  if (rc == 0) {
    EXPECT_EQ(why, nullptr);
  } else {
    EXPECT_EQ(rc, -1);
    ExpectReason(why);
  }
  return rc == 0;
}

TEST(Login, Valid) {
  EXPECT_TRUE(LoginOk("jdupont1"));  // 8
  EXPECT_TRUE(LoginOk("Jean.Dupont"));
  EXPECT_TRUE(LoginOk("jean_dupont-75"));
  EXPECT_TRUE(LoginOk("........"));
  EXPECT_TRUE(LoginOk("0123456789"));
  EXPECT_TRUE(LoginOk(std::string(64, 'a')));
}

TEST(Login, Length) {
  EXPECT_FALSE(LoginOk("jdupont"));  // 7
  EXPECT_FALSE(LoginOk(""));
  EXPECT_FALSE(LoginOk(std::string(65, 'a')));
  const char *why = nullptr;
  EXPECT_EQ(nu_login_check("short", &why), -1);
  EXPECT_STREQ(why, "must be 8 to 64 characters");
  EXPECT_EQ(nu_login_check(nullptr, &why), -1);
  EXPECT_STREQ(why, "must be 8 to 64 characters");
}

TEST(Login, Characters) {
  for (const char *bad : {"jean dupont", "jean@dupont", "jean+dupont", "jean/dupont",
                          "j\xc3\xa9r\xc3\xb4me-d", "jeandupont\n", "jean'dupont"}) {
    EXPECT_FALSE(LoginOk(bad)) << bad;
    const char *why = nullptr;
    nu_login_check(bad, &why);
    EXPECT_STREQ(why, "must contain only letters, digits, '.', '_' and '-'") << bad;
  }
  EXPECT_EQ(nu_login_check("jean.dupont", nullptr), 0);
  EXPECT_EQ(nu_login_check("jean dupont", nullptr), -1);
}

// ---- e-mail ---------------------------------------------------------------

std::string Email(const std::string &in) {
  char out[NU_EMAIL_BUF_SIZE];
  memset(out, 'Z', sizeof out);
  const char *why = "untouched";
  if (nu_email_normalize(in.c_str(), out, sizeof out, &why) != 0) {
    ExpectReason(why);
    return std::string("invalid: ") + why;
  }
  EXPECT_EQ(why, nullptr);
  EXPECT_EQ(nu_email_normalize(in.c_str(), nullptr, 0, nullptr), 0) << "check only";
  return out;
}

bool EmailOk(const std::string &in) {
  return nu_email_normalize(in.c_str(), nullptr, 0, nullptr) == 0;
}

TEST(Email, ValidAndNormalised) {
  EXPECT_EQ(Email("jean.dupont@interieur.gouv.fr"), "jean.dupont@interieur.gouv.fr");
  // Domain lower-cased, local part kept as typed (it may be case-sensitive).
  EXPECT_EQ(Email("Jean.Dupont@Interieur.GOUV.fr"), "Jean.Dupont@interieur.gouv.fr");
  EXPECT_EQ(Email("a@b.co"), "a@b.co");
  EXPECT_EQ(Email("first+tag@sub-domain.example.org"), "first+tag@sub-domain.example.org");
  EXPECT_EQ(Email("o'brien@ville-paris.fr"), "o'brien@ville-paris.fr");
  EXPECT_EQ(Email("x@123.example"), "x@123.example");
  EXPECT_EQ(Email("!#$%&'*+/=?^_`{|}~-@x.fr"), "!#$%&'*+/=?^_`{|}~-@x.fr");
}

TEST(Email, ExactlyOneAt) {
  EXPECT_EQ(Email("jean.dupont.gouv.fr"), "invalid: must contain exactly one @");
  EXPECT_EQ(Email("jean@dupont@gouv.fr"), "invalid: must contain exactly one @");
  EXPECT_EQ(Email(""), "invalid: must contain exactly one @");
  const char *why = nullptr;
  EXPECT_EQ(nu_email_normalize(nullptr, nullptr, 0, &why), -1);
  ExpectReason(why);
}

TEST(Email, LocalPart) {
  EXPECT_EQ(Email("@gouv.fr"), "invalid: local part must not be empty");
  EXPECT_TRUE(EmailOk(std::string(64, 'a') + "@gouv.fr"));
  EXPECT_EQ(Email(std::string(65, 'a') + "@gouv.fr"),
            "invalid: local part must be at most 64 characters");
  for (const char *bad : {"jean dupont@gouv.fr", "jean,dupont@gouv.fr", "jean\"d@gouv.fr",
                          "j\xc3\xa9r\xc3\xb4me@gouv.fr", "jean(d)@gouv.fr", "a\\b@gouv.fr"})
    EXPECT_EQ(Email(bad), "invalid: local part contains an invalid character") << bad;
  for (const char *bad : {".jean@gouv.fr", "jean.@gouv.fr", "jean..dupont@gouv.fr"})
    EXPECT_EQ(Email(bad), "invalid: local part has a misplaced dot") << bad;
}

TEST(Email, Domain) {
  EXPECT_EQ(Email("jean@localhost"), "invalid: domain must contain a dot");
  EXPECT_EQ(Email("jean@"), "invalid: domain must contain a dot");
  for (const char *bad : {"jean@.gouv.fr", "jean@gouv.fr.", "jean@gouv..fr", "jean@."})
    EXPECT_EQ(Email(bad), "invalid: domain has an empty label") << bad;
  for (const char *bad : {"jean@-gouv.fr", "jean@gouv-.fr", "jean@gouv.fr-", "jean@gouv.-fr"})
    EXPECT_EQ(Email(bad), "invalid: domain label must not start or end with a hyphen") << bad;
  for (const char *bad : {"jean@gouv_fr.fr", "jean@gouv fr.fr", "jean@[127.0.0.1]",
                          "jean@gouv.fr>"})
    EXPECT_EQ(Email(bad), "invalid: domain contains an invalid character") << bad;
  EXPECT_TRUE(EmailOk("jean@a-b--c.fr"));  // inner hyphens, even doubled (xn--)
  EXPECT_TRUE(EmailOk("jean@xn--rgion-bva.fr"));
  EXPECT_TRUE(EmailOk("jean@" + std::string(63, 'a') + ".fr"));
  EXPECT_EQ(Email("jean@" + std::string(64, 'a') + ".fr"),
            "invalid: domain label must be at most 63 characters");
}

// Domains in Unicode become their A-label form (UTS #46, libidn2) before
// any check; the local part stays as typed (and ASCII).
TEST(Email, InternationalisedDomain) {
  EXPECT_EQ(Email("agent@imp\xc3\xb4ts.gouv.fr"), "agent@xn--impts-8ta.gouv.fr");
  EXPECT_EQ(Email("jean@r\xc3\xa9gion.fr"), "jean@xn--rgion-bsa.fr");
  // Upper case, in Unicode and ASCII, is folded; the local part is kept.
  EXPECT_EQ(Email("Agent@IMP\xc3\x94TS.Gouv.FR"), "Agent@xn--impts-8ta.gouv.fr");
  // NFC: "o" + U+0302 (combining circumflex) is "ô".
  EXPECT_EQ(Email("agent@impo\xcc\x82ts.gouv.fr"), "agent@xn--impts-8ta.gouv.fr");
  // Nontransitional: "ß" stays ß (xn--), it is not mapped to "ss".
  EXPECT_EQ(Email("a@stra\xc3\x9f" "e.de"), "a@xn--strae-oqa.de");
  // The A-label form is what the ASCII rules then check.
  EXPECT_EQ(Email("jean@r\xc3\xa9gion"), "invalid: domain must contain a dot");
  for (const char *bad :
       {"jean@r\xc3\xa9gion\xff.fr", "jean@-\xc3\xa9t\xc3\xa9.fr", "jean@\xc3\xa9 x.fr"})
    EXPECT_EQ(Email(bad), "invalid: domain is not a valid internationalised domain name") << bad;
  // UTS #46 maps some characters away (U+200B): the ASCII rules then
  // judge what is left.
  EXPECT_EQ(Email("jean@\xe2\x80\x8b.fr"), "invalid: domain has an empty label");
  // A local part in Unicode is still refused: only domains are converted.
  EXPECT_EQ(Email("j\xc3\xa9r\xc3\xb4me@imp\xc3\xb4ts.gouv.fr"),
            "invalid: local part contains an invalid character");
  // 254 characters at most, counted on the converted address.
  std::string dom = std::string(50, 'a') + "\xc3\xa9." + std::string(63, 'b') + "." +
                    std::string(63, 'c') + ".ddd.fr";
  std::string in = std::string(64, 'l') + "@" + dom;
  ASSERT_EQ(in.size(), 252u);  // 258 once converted
  EXPECT_EQ(Email(in), "invalid: must be at most 254 characters");
}

TEST(Email, TotalLength) {
  // 64 + 1 + 189 = 254: the most a path in SMTP allows.
  std::string dom = std::string(63, 'a') + "." + std::string(63, 'b') + "." +
                    std::string(58, 'c') + ".fr";
  ASSERT_EQ(dom.size(), 189u);
  std::string ok = std::string(64, 'l') + "@" + dom;
  ASSERT_EQ(ok.size(), 254u);
  EXPECT_EQ(Email(ok), ok);
  std::string too_long = std::string(64, 'l') + "@" + "d" + dom;
  EXPECT_EQ(Email(too_long), "invalid: must be at most 254 characters");
}

TEST(Email, OutputBufferTooSmall) {
  char out[8];
  const char *why = nullptr;
  EXPECT_EQ(nu_email_normalize("jean@gouv.fr", out, sizeof out, &why), -1);
  EXPECT_STREQ(why, "output buffer too small");
  char fits[13];
  EXPECT_EQ(nu_email_normalize("jean@Gouv.fr", fits, sizeof fits, &why), 0);
  EXPECT_STREQ(fits, "jean@gouv.fr");
}

// ---- phone ----------------------------------------------------------------

std::string Phone(const std::string &in) {
  char out[NU_PHONE_BUF_SIZE];
  const char *why = "untouched";
  if (nu_phone_normalize(in.c_str(), out, sizeof out, &why) != 0) {
    ExpectReason(why);
    return "invalid";
  }
  EXPECT_EQ(why, nullptr);
  return out;
}

TEST(Phone, FrenchNationalToE164) {
  EXPECT_EQ(Phone("0612345678"), "+33612345678");
  EXPECT_EQ(Phone("0140000000"), "+33140000000");
  EXPECT_EQ(Phone("0987654321"), "+33987654321");
  // Separators people type between digit groups.
  EXPECT_EQ(Phone("06 12 34 56 78"), "+33612345678");
  EXPECT_EQ(Phone("06.12.34.56.78"), "+33612345678");
  EXPECT_EQ(Phone("06-12-34-56-78"), "+33612345678");
}

TEST(Phone, FrenchNationalInvalid) {
  EXPECT_EQ(Phone("061234567"), "invalid");    // 9 digits
  EXPECT_EQ(Phone("06123456789"), "invalid");  // 11 digits
  EXPECT_EQ(Phone("612345678"), "invalid");    // no trunk 0
  EXPECT_EQ(Phone("0012345678"), "invalid");   // 00 is the international prefix
  EXPECT_EQ(Phone("1234567890"), "invalid");
}

TEST(Phone, International) {
  EXPECT_EQ(Phone("+33612345678"), "+33612345678");
  EXPECT_EQ(Phone("+33 6 12 34 56 78"), "+33612345678");
  EXPECT_EQ(Phone("+4930123456"), "+4930123456");
  EXPECT_EQ(Phone("+12025550123"), "+12025550123");
  EXPECT_EQ(Phone("+26212345678"), "+26212345678");  // La Réunion, not +33
  EXPECT_EQ(Phone("+12345678"), "+12345678");              // 8 digits
  EXPECT_EQ(Phone("+123456789012345"), "+123456789012345");  // 15
  EXPECT_EQ(Phone("+1234567"), "invalid");           // 7
  EXPECT_EQ(Phone("+1234567890123456"), "invalid");  // 16
  EXPECT_EQ(Phone("+0612345678"), "invalid");        // no country code 0
}

// +33 has exactly 9 digits after it, the national number without its 0.
TEST(Phone, FrenchInInternationalForm) {
  EXPECT_EQ(Phone("+330612345678"), "invalid");  // trunk 0 kept by mistake
  EXPECT_EQ(Phone("+3361234567"), "invalid");
  EXPECT_EQ(Phone("+336123456789"), "invalid");
}

TEST(Phone, Malformed) {
  for (const char *bad : {"", "+", "06 12 34 56 7a", "+33 6 12 34 56 78 ", " 0612345678",
                          "06  12 34 56 78", "06 .12345678", "++33612345678", "+ 33612345678",
                          "33+612345678", "(0)6 12 34 56 78", "06/12/34/56/78", "0612345678-",
                          "\xd9\xa0\xd9\xa6\xd9\xa1\xd9\xa2\xd9\xa3"})
    EXPECT_EQ(Phone(bad), "invalid") << bad;
  const char *why = nullptr;
  char out[NU_PHONE_BUF_SIZE];
  EXPECT_EQ(nu_phone_normalize(nullptr, out, sizeof out, &why), -1);
  ExpectReason(why);
}

TEST(Phone, OutputBuffer) {
  char small[12];
  const char *why = nullptr;
  EXPECT_EQ(nu_phone_normalize("0612345678", small, sizeof small, &why), -1);
  EXPECT_STREQ(why, "output buffer too small");
  char exact[13];
  EXPECT_EQ(nu_phone_normalize("0612345678", exact, sizeof exact, &why), 0);
  EXPECT_STREQ(exact, "+33612345678");
  // NULL output: check only.
  EXPECT_EQ(nu_phone_normalize("06 12 34 56 78", nullptr, 0, nullptr), 0);
  EXPECT_EQ(nu_phone_normalize("06 12", nullptr, 0, nullptr), -1);
}

// ---- language -------------------------------------------------------------

TEST(Language, FrenchAndEnglish) {
  nu_language l = NU_LANGUAGE_UNSPECIFIED;
  EXPECT_EQ(nu_language_parse("fr", &l), 0);
  EXPECT_EQ(l, NU_LANGUAGE_FR);
  EXPECT_EQ(nu_language_parse("en", &l), 0);
  EXPECT_EQ(l, NU_LANGUAGE_EN);
  EXPECT_STREQ(nu_language_code(NU_LANGUAGE_FR), "fr");
  EXPECT_STREQ(nu_language_code(NU_LANGUAGE_EN), "en");
}

TEST(Language, AnythingElseRefused) {
  for (const char *bad : {"", "FR", "En", "de", "fr-FR", "fra", "f", "fr ", " en"}) {
    nu_language l = NU_LANGUAGE_EN;
    EXPECT_EQ(nu_language_parse(bad, &l), -1) << bad;
    EXPECT_EQ(l, NU_LANGUAGE_EN) << "output untouched on failure";
  }
  nu_language l = NU_LANGUAGE_FR;
  EXPECT_EQ(nu_language_parse(nullptr, &l), -1);
  EXPECT_EQ(nu_language_code(NU_LANGUAGE_UNSPECIFIED), nullptr);
  EXPECT_EQ(nu_language_code(static_cast<nu_language>(42)), nullptr);
}

}  // namespace

namespace {

// An e-mail is looked up as stored (domain in A-labels, lower case); a
// login, or an address that does not normalise, as typed.
TEST(LoginLookupFormTest, EmailsAsStoredAnythingElseAsTyped) {
  char out[NU_EMAIL_BUF_SIZE];
  ASSERT_EQ(nu_login_lookup_form("agent@imp\xc3\xb4ts.gouv.fr", out, sizeof(out)), 0);
  EXPECT_STREQ(out, "agent@xn--impts-8ta.gouv.fr");
  ASSERT_EQ(nu_login_lookup_form("Agent@Finances.GOUV.fr", out, sizeof(out)), 0);
  EXPECT_STREQ(out, "Agent@finances.gouv.fr");
  ASSERT_EQ(nu_login_lookup_form("jean.dupont", out, sizeof(out)), 0);
  EXPECT_STREQ(out, "jean.dupont");
  ASSERT_EQ(nu_login_lookup_form("a@@b", out, sizeof(out)), 0);
  EXPECT_STREQ(out, "a@@b");
  char small[4];
  EXPECT_EQ(nu_login_lookup_form("jean.dupont", small, sizeof(small)), -1);
}

}  // namespace
