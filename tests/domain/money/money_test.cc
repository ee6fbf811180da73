// money_test.cc — int64 cents: overflow-checked arithmetic, VAT per line
// rounded half away from zero, lines and totals, formatting.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "server/domain/money/money.h"

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

int64_t Vat(int64_t amount, int32_t rate) {
  int64_t v = 0x5a5a;
  EXPECT_EQ(nu_money_vat(amount, rate, &v), NU_MONEY_OK) << amount << " @" << rate;
  return v;
}

// The definition, in 128-bit arithmetic: amount × rate / 10000 rounded half
// away from zero.
int64_t ReferenceVat(int64_t amount, int32_t rate) {
  __int128 x = (__int128)amount * rate;
  __int128 mag = x < 0 ? -x : x;
  __int128 r = (mag + 5000) / 10000;
  return (int64_t)(x < 0 ? -r : r);
}

TEST(MoneyTest, CurrencyIsEurOnly) {
  EXPECT_TRUE(nu_money_currency_accepted("EUR"));
  EXPECT_FALSE(nu_money_currency_accepted("eur"));
  EXPECT_FALSE(nu_money_currency_accepted("USD"));
  EXPECT_FALSE(nu_money_currency_accepted(""));
  EXPECT_FALSE(nu_money_currency_accepted("EURO"));
  EXPECT_FALSE(nu_money_currency_accepted(nullptr));
}

TEST(MoneyTest, AddChecksOverflow) {
  int64_t r = 7;
  EXPECT_EQ(nu_money_add(150, -200, &r), NU_MONEY_OK);
  EXPECT_EQ(r, -50);
  EXPECT_EQ(nu_money_add(kMax - 1, 1, &r), NU_MONEY_OK);
  EXPECT_EQ(r, kMax);
  r = 7;
  EXPECT_EQ(nu_money_add(kMax, 1, &r), NU_MONEY_OVERFLOW);
  EXPECT_EQ(r, 7) << "left alone on overflow";
  EXPECT_EQ(nu_money_add(kMin, -1, &r), NU_MONEY_OVERFLOW);
  EXPECT_EQ(nu_money_add(kMin, kMax, &r), NU_MONEY_OK);
  EXPECT_EQ(r, -1);
}

TEST(MoneyTest, MulChecksOverflow) {
  int64_t r = 7;
  EXPECT_EQ(nu_money_mul(1999, 3, &r), NU_MONEY_OK);
  EXPECT_EQ(r, 5997);
  EXPECT_EQ(nu_money_mul(-1999, 3, &r), NU_MONEY_OK);
  EXPECT_EQ(r, -5997);
  EXPECT_EQ(nu_money_mul(0, kMax, &r), NU_MONEY_OK);
  EXPECT_EQ(r, 0);
  r = 7;
  EXPECT_EQ(nu_money_mul(kMax / 2 + 1, 2, &r), NU_MONEY_OVERFLOW);
  EXPECT_EQ(r, 7);
  EXPECT_EQ(nu_money_mul(INT64_C(100000000000), INT64_C(100000000000), &r), NU_MONEY_OVERFLOW);
  EXPECT_EQ(nu_money_mul(kMin, -1, &r), NU_MONEY_OVERFLOW);
  EXPECT_EQ(nu_money_mul(-1, kMax, &r), NU_MONEY_OK);
  EXPECT_EQ(r, -kMax);
}

TEST(MoneyTest, VatAtTwentyPercent) {
  EXPECT_EQ(Vat(10000, 2000), 2000);  // 100.00 → 20.00
  EXPECT_EQ(Vat(1, 2000), 0);         // 0.2 cent
  EXPECT_EQ(Vat(2, 2000), 0);         // 0.4 cent
  EXPECT_EQ(Vat(3, 2000), 1);         // 0.6 cent
  EXPECT_EQ(Vat(999, 2000), 200);     // 199.8
  EXPECT_EQ(Vat(0, 2000), 0);
}

TEST(MoneyTest, VatHalfRoundsUp) {
  EXPECT_EQ(Vat(25, 2000), 5);        // exactly 5
  EXPECT_EQ(Vat(1, 5000), 1);         // 0.5 → 1
  EXPECT_EQ(Vat(3, 5000), 2);         // 1.5 → 2
  EXPECT_EQ(Vat(5, 1000), 1);         // 0.5 → 1
  EXPECT_EQ(Vat(15, 1000), 2);        // 1.5 → 2 (not to even)
  EXPECT_EQ(Vat(25, 1000), 3);        // 2.5 → 3 (not to even)
  EXPECT_EQ(Vat(1, 4999), 0);         // 0.4999 → 0
  EXPECT_EQ(Vat(1, 5001), 1);         // 0.5001 → 1
  EXPECT_EQ(Vat(125, 1000), 13);      // 12.5 → 13
  EXPECT_EQ(Vat(45, 550), 2);         // 5.5 % of 0.45 = 2.475 → 2
  EXPECT_EQ(Vat(1000, 550), 55);
  EXPECT_EQ(Vat(1010, 550), 56);      // 55.55 → 56
  EXPECT_EQ(Vat(1001, 210), 21);      // 2.1 %: 21.021 → 21
}

TEST(MoneyTest, VatOfCreditsIsTheNegatedVat) {
  // Credit notes: half rounds away from zero, so a credit cancels its charge
  // exactly.
  EXPECT_EQ(Vat(-1, 5000), -1);
  EXPECT_EQ(Vat(-3, 5000), -2);
  EXPECT_EQ(Vat(-15, 1000), -2);
  EXPECT_EQ(Vat(-25, 1000), -3);
  EXPECT_EQ(Vat(-3, 2000), -1);
  EXPECT_EQ(Vat(-2, 2000), 0);
  EXPECT_EQ(Vat(-10000, 2000), -2000);
  for (int64_t a = -20000; a <= 20000; a += 7) {
    for (int32_t rate : {0, 1, 210, 550, 1000, 2000, 4999, 5000, 10000}) {
      ASSERT_EQ(Vat(-a, rate), -Vat(a, rate)) << a << " @" << rate;
    }
  }
}

TEST(MoneyTest, VatRateBounds) {
  int64_t v = 42;
  EXPECT_EQ(Vat(12345, 0), 0);
  EXPECT_EQ(Vat(12345, 10000), 12345);
  EXPECT_EQ(nu_money_vat(100, -1, &v), NU_MONEY_BAD_RATE);
  EXPECT_EQ(nu_money_vat(100, 10001, &v), NU_MONEY_BAD_RATE);
  EXPECT_EQ(v, 42);
}

TEST(MoneyTest, VatNeverOverflowsAtTheExtremes) {
  // amount × rate overflows int64 well before these amounts; the VAT does not.
  for (int64_t a : {kMax, kMax - 1, kMin, kMin + 1, kMax / 10000 * 10000 - 1,
                    INT64_C(922337203685478), INT64_C(-922337203685478)}) {
    for (int32_t rate : {0, 1, 2000, 5000, 9999, 10000}) {
      EXPECT_EQ(Vat(a, rate), ReferenceVat(a, rate)) << a << " @" << rate;
    }
  }
}

TEST(MoneyTest, VatMatchesTheDefinitionOnRandomAmounts) {
  std::mt19937_64 rng(20240604);
  std::uniform_int_distribution<int32_t> rates(0, 10000);
  for (int i = 0; i < 200000; i++) {
    int64_t a = (int64_t)rng();
    if (i % 3 == 0) a %= 1000000;       // small amounts, where rounding shows
    else if (i % 3 == 1) a %= INT64_C(100000000000000);
    int32_t rate = i % 5 == 0 ? 2000 : rates(rng);
    ASSERT_EQ(Vat(a, rate), ReferenceVat(a, rate)) << a << " @" << rate;
  }
}

TEST(MoneyTest, LineIsQuantityTimesUnitPlusVat) {
  nu_money_line l{};
  ASSERT_EQ(nu_money_line_make(3, 1999, 2000, &l), NU_MONEY_OK);
  EXPECT_EQ(l.quantity, 3);
  EXPECT_EQ(l.unit_cents, 1999);
  EXPECT_EQ(l.excl_cents, 5997);
  EXPECT_EQ(l.vat_rate_bp, 2000);
  EXPECT_EQ(l.vat_cents, 1199);  // 1199.4
  EXPECT_EQ(l.incl_cents, 7196);
}

TEST(MoneyTest, CreditLine) {
  nu_money_line l{};
  ASSERT_EQ(nu_money_line_make(-3, 1999, 2000, &l), NU_MONEY_OK);
  EXPECT_EQ(l.excl_cents, -5997);
  EXPECT_EQ(l.vat_cents, -1199);
  EXPECT_EQ(l.incl_cents, -7196);
  ASSERT_EQ(nu_money_line_make(1, -25, 1000, &l), NU_MONEY_OK);
  EXPECT_EQ(l.vat_cents, -3);  // -2.5 → -3
  EXPECT_EQ(l.incl_cents, -28);
}

TEST(MoneyTest, LineOverflows) {
  nu_money_line l{};
  EXPECT_EQ(nu_money_line_make(kMax, 2, 2000, &l), NU_MONEY_OVERFLOW);
  // The amount fits but adding its VAT does not.
  EXPECT_EQ(nu_money_line_make(1, kMax - 10, 2000, &l), NU_MONEY_OVERFLOW);
  EXPECT_EQ(nu_money_line_make(1, kMax, 0, &l), NU_MONEY_OK);
  EXPECT_EQ(l.incl_cents, kMax);
  EXPECT_EQ(nu_money_line_make(1, 100, 20000, &l), NU_MONEY_BAD_RATE);
}

TEST(MoneyTest, TotalsAreSumsOfLines) {
  // Three lines whose VAT rounds down each: the total VAT is the sum of the
  // rounded VATs (0), not the VAT of the total (0.6 → 1).
  nu_money_line lines[3];
  for (auto &l : lines) ASSERT_EQ(nu_money_line_make(1, 1, 2000, &l), NU_MONEY_OK);
  nu_money_totals t{};
  ASSERT_EQ(nu_money_totals_of(lines, 3, &t), NU_MONEY_OK);
  EXPECT_EQ(t.excl_cents, 3);
  EXPECT_EQ(t.vat_cents, 0);
  EXPECT_EQ(t.incl_cents, 3);
  ASSERT_EQ(nu_money_totals_of(nullptr, 0, &t), NU_MONEY_OK);
  EXPECT_EQ(t.excl_cents, 0);
  EXPECT_EQ(t.vat_cents, 0);
  EXPECT_EQ(t.incl_cents, 0);
}

TEST(MoneyTest, TotalsWithCreditsAndOverflow) {
  nu_money_line lines[2];
  ASSERT_EQ(nu_money_line_make(1, 10000, 2000, &lines[0]), NU_MONEY_OK);
  ASSERT_EQ(nu_money_line_make(1, -15000, 2000, &lines[1]), NU_MONEY_OK);
  nu_money_totals t{};
  ASSERT_EQ(nu_money_totals_of(lines, 2, &t), NU_MONEY_OK);
  EXPECT_EQ(t.excl_cents, -5000);
  EXPECT_EQ(t.vat_cents, -1000);
  EXPECT_EQ(t.incl_cents, -6000);
  ASSERT_EQ(nu_money_line_make(1, kMax / 2, 0, &lines[0]), NU_MONEY_OK);
  ASSERT_EQ(nu_money_line_make(1, kMax / 2 + 2, 0, &lines[1]), NU_MONEY_OK);
  t = {1, 2, 3};
  EXPECT_EQ(nu_money_totals_of(lines, 2, &t), NU_MONEY_OVERFLOW);
  EXPECT_EQ(t.excl_cents, 1) << "left alone on overflow";
}

std::string Format(int64_t c) {
  char buf[32];
  int n = nu_money_format(c, buf, sizeof buf);
  EXPECT_GT(n, 0);
  return std::string(buf);
}

TEST(MoneyTest, Format) {
  EXPECT_EQ(Format(0), "0.00");
  EXPECT_EQ(Format(5), "0.05");
  EXPECT_EQ(Format(-5), "-0.05");
  EXPECT_EQ(Format(123456), "1234.56");
  EXPECT_EQ(Format(-100), "-1.00");
  EXPECT_EQ(Format(kMax), "92233720368547758.07");
  EXPECT_EQ(Format(kMin), "-92233720368547758.08");
  char small[5];
  EXPECT_EQ(nu_money_format(12345, small, sizeof small), -1);
  EXPECT_EQ(nu_money_format(123, small, sizeof small), 4);
}

}  // namespace
