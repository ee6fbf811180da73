// siret_test.cc — SIRET syntax and check digits: Luhn, and La Poste's
// digit-sum exception.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "server/domain/identity/siret.h"

namespace {

// Valid and carries no reason; why may be NULL.
void ExpectValid(const char *s) {
  const char *why = "untouched";
  EXPECT_TRUE(nu_siret_valid(s, &why)) << s << ": " << why;
  EXPECT_EQ(why, nullptr) << s;
  EXPECT_TRUE(nu_siret_valid(s, nullptr)) << s;
}

// Invalid, with a lower-case reason without a trailing period.
std::string Invalid(const char *s) {
  const char *why = nullptr;
  EXPECT_FALSE(nu_siret_valid(s, &why)) << (s ? s : "(null)");
  EXPECT_FALSE(nu_siret_valid(s, nullptr));
  if (why == nullptr) {
    ADD_FAILURE() << "no reason for " << (s ? s : "(null)");
    return "";
  }
  std::string w(why);
  EXPECT_FALSE(w.empty());
  EXPECT_TRUE(islower(static_cast<unsigned char>(w[0]))) << w;
  EXPECT_NE(w.back(), '.') << w;
  return w;
}

TEST(Siret, RealEstablishments) {
  ExpectValid("73282932000074");  // Apple France
  ExpectValid("35600000000048");  // La Poste head office (Luhn)
  ExpectValid("55208131766522");  // Électricité de France
  ExpectValid("30206838200050");
  ExpectValid("44126652500019");
  ExpectValid("77556323200104");
}

TEST(Siret, WrongCheckDigit) {
  EXPECT_EQ(Invalid("73282932000079"), "invalid check digit");
  EXPECT_EQ(Invalid("73282932000075"), "invalid check digit");
  EXPECT_EQ(Invalid("55208131766523"), "invalid check digit");
  // Two adjacent digits swapped: Luhn catches it.
  EXPECT_EQ(Invalid("73282932000047"), "invalid check digit");
}

TEST(Siret, EveryOtherLastDigitIsRefused) {
  for (char c = '0'; c <= '9'; c++) {
    std::string s = "7328293200007";
    s += c;
    EXPECT_EQ(nu_siret_valid(s.c_str(), nullptr), c == '4') << s;
  }
}

// Luhn over the 14 digits can hold while the SIREN's own key does not:
// the SIREN is itself a Luhn number.
TEST(Siret, SirenKeyChecked) {
  // 732829321 is not a valid SIREN; the NIC is chosen to make the 14-digit
  // Luhn sum right anyway.
  EXPECT_EQ(Invalid("73282932100007"), "invalid siren check digit");
}

TEST(Siret, Length) {
  EXPECT_EQ(Invalid("7328293200007"), "must be 14 digits");    // 13
  EXPECT_EQ(Invalid("732829320000740"), "must be 14 digits");  // 15
  EXPECT_EQ(Invalid(""), "must be 14 digits");
  EXPECT_EQ(Invalid("732829320"), "must be 14 digits");  // a SIREN alone
}

TEST(Siret, OnlyAsciiDigits) {
  EXPECT_EQ(Invalid("732 829 320 00074"), "must contain only digits");
  EXPECT_EQ(Invalid("73282932000074 "), "must contain only digits");
  EXPECT_EQ(Invalid(" 73282932000074"), "must contain only digits");
  EXPECT_EQ(Invalid("7328293200007A"), "must contain only digits");
  EXPECT_EQ(Invalid("A3282932000074"), "must contain only digits");
  EXPECT_EQ(Invalid("7328293200-074"), "must contain only digits");
  EXPECT_EQ(Invalid("+3282932000074"), "must contain only digits");
  // Arabic-Indic digit four (U+0664): not an ASCII digit.
  EXPECT_EQ(Invalid("7328293200007\xd9\xa4"), "must contain only digits");
}

TEST(Siret, Null) { EXPECT_EQ(Invalid(nullptr), "must be 14 digits"); }

// La Poste (SIREN 356000000) numbers its establishments so that the sum of
// the 14 digits is a multiple of 5, not by Luhn. The head office
// (35600000000048, digit sum 26) is the exception to the exception: a Luhn
// number (INSEE; python-stdnum does the same).
TEST(SiretLaPoste, EstablishmentsUseTheDigitSum) {
  ExpectValid("35600000009075");  // sum 35, not a Luhn number
  ExpectValid("35600000049837");  // sum 45, not a Luhn number
  ExpectValid("35600000000024");  // sum 20
  EXPECT_EQ(Invalid("35600000049838"), "invalid check digit");  // sum 46
  EXPECT_EQ(Invalid("35600000000023"), "invalid check digit");  // sum 19
}

TEST(SiretLaPoste, LuhnDoesNotApplyToEstablishments) {
  // Luhn numbers whose digit sum is not a multiple of 5.
  EXPECT_EQ(Invalid("35600000000055"), "invalid check digit");  // sum 24
  EXPECT_EQ(Invalid("35600000000030"), "invalid check digit");  // sum 17
}

TEST(SiretLaPoste, HeadOfficeIsLuhn) {
  ExpectValid("35600000000048");
  // Its neighbours follow the digit-sum rule like any establishment.
  ExpectValid("35600000000047");                                // sum 25
  EXPECT_EQ(Invalid("35600000000049"), "invalid check digit");  // sum 27
}

TEST(SiretLaPoste, OnlyThatSiren) {
  // Digit sum a multiple of 5 but another SIREN: Luhn applies.
  EXPECT_EQ(Invalid("73282932000072"), "invalid check digit");  // sum 45
}

}  // namespace
