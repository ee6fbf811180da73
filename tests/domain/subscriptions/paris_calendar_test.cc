// paris_calendar_test.cc — civil dates, month arithmetic and the days of
// Europe/Paris, cross-checked against the system's tzdata.
#include "server/domain/subscriptions/paris_calendar.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include <unistd.h>

namespace {

constexpr int64_t kNsPerS = 1000000000;

// The instant of a UTC civil time.
int64_t Utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return (nu_date_to_days(nu_date{y, mo, d}) * 86400 + h * 3600 + mi * 60 + s) * kNsPerS;
}

std::string Str(nu_date d) {
  char buf[11];
  if (nu_date_format(d, buf, sizeof buf) < 0) return "invalid";
  return buf;
}

TEST(ParisCalendarTest, DaysInMonthsAndLeapYears) {
  EXPECT_EQ(nu_days_in_month(2027, 2), 28);
  EXPECT_EQ(nu_days_in_month(2028, 2), 29);
  EXPECT_EQ(nu_days_in_month(2100, 2), 28);
  EXPECT_EQ(nu_days_in_month(2000, 2), 29);
  EXPECT_EQ(nu_days_in_month(2027, 4), 30);
  EXPECT_EQ(nu_days_in_month(2027, 12), 31);
  EXPECT_EQ(nu_days_in_month(2027, 13), 0);
  EXPECT_FALSE(nu_date_valid({2027, 2, 29}));
  EXPECT_TRUE(nu_date_valid({2028, 2, 29}));
  EXPECT_FALSE(nu_date_valid({2027, 4, 31}));
  EXPECT_FALSE(nu_date_valid({2027, 0, 1}));
  EXPECT_FALSE(nu_date_valid({0, 1, 1}));
}

TEST(ParisCalendarTest, DayCountsRoundTrip) {
  EXPECT_EQ(nu_date_to_days({1970, 1, 1}), 0);
  EXPECT_EQ(nu_date_to_days({2000, 3, 1}), 11017);
  EXPECT_EQ(nu_date_to_days({1969, 12, 31}), -1);
  for (int64_t z = nu_date_to_days({1, 1, 1}); z <= nu_date_to_days({9999, 12, 31}); z += 97) {
    nu_date d = nu_date_from_days(z);
    ASSERT_TRUE(nu_date_valid(d)) << z;
    ASSERT_EQ(nu_date_to_days(d), z);
  }
}

TEST(ParisCalendarTest, NextMonthAndAddingMonths) {
  EXPECT_EQ(Str(nu_date_first_of_next_month({2027, 12, 31})), "2028-01-01");
  EXPECT_EQ(Str(nu_date_first_of_next_month({2028, 2, 29})), "2028-03-01");
  EXPECT_EQ(Str(nu_date_first_of_next_month({2027, 1, 1})), "2027-02-01");
  nu_date r{};
  ASSERT_EQ(nu_date_add_months({2027, 1, 31}, 1, &r), 0);
  EXPECT_EQ(Str(r), "2027-02-28");
  ASSERT_EQ(nu_date_add_months({2028, 1, 31}, 1, &r), 0);
  EXPECT_EQ(Str(r), "2028-02-29");
  ASSERT_EQ(nu_date_add_months({2027, 3, 31}, 1, &r), 0);
  EXPECT_EQ(Str(r), "2027-04-30");
  ASSERT_EQ(nu_date_add_months({2027, 11, 1}, 14, &r), 0);
  EXPECT_EQ(Str(r), "2029-01-01");
  ASSERT_EQ(nu_date_add_months({2027, 3, 1}, -3, &r), 0);
  EXPECT_EQ(Str(r), "2026-12-01");
  EXPECT_EQ(nu_date_add_months({2027, 2, 30}, 1, &r), -1);
  EXPECT_EQ(nu_date_add_months({9999, 12, 1}, 1, &r), -1);
  EXPECT_EQ(nu_date_add_months({1, 1, 1}, -1, &r), -1);
}

TEST(ParisCalendarTest, FormatAndStrictParse) {
  nu_date d{};
  ASSERT_EQ(nu_date_parse("2028-02-29", &d), 0);
  EXPECT_EQ(Str(d), "2028-02-29");
  for (const char* bad : {"2027-02-29", "2027-2-01", "2027/02/01", "2027-02-01 ", "+027-02-01",
                          "2027-13-01", "", "20270201xx"}) {
    EXPECT_EQ(nu_date_parse(bad, &d), -1) << bad;
  }
  EXPECT_EQ(nu_date_parse(nullptr, &d), -1);
  char small[10];
  EXPECT_EQ(nu_date_format({2027, 1, 1}, small, sizeof small), -1);
  EXPECT_EQ(nu_date_cmp({2027, 1, 1}, {2027, 1, 2}), -1);
  EXPECT_EQ(nu_date_cmp({2027, 2, 1}, {2027, 1, 31}), 1);
  EXPECT_EQ(nu_date_cmp({2027, 2, 1}, {2027, 2, 1}), 0);
}

TEST(ParisCalendarTest, WinterAndSummerOffsets) {
  // 2027: summer time from 28 March 01:00 UTC to 31 October 01:00 UTC.
  EXPECT_EQ(nu_paris_utc_offset(Utc(2027, 1, 15)), 3600);
  EXPECT_EQ(nu_paris_utc_offset(Utc(2027, 3, 28, 0, 59, 59)), 3600);
  EXPECT_EQ(nu_paris_utc_offset(Utc(2027, 3, 28, 1)), 7200);
  EXPECT_EQ(nu_paris_utc_offset(Utc(2027, 10, 31, 0, 59, 59)), 7200);
  EXPECT_EQ(nu_paris_utc_offset(Utc(2027, 10, 31, 1)), 3600);
  // 2028 (leap year): 26 March and 29 October.
  EXPECT_EQ(nu_paris_utc_offset(Utc(2028, 3, 26, 1) - 1), 3600);
  EXPECT_EQ(nu_paris_utc_offset(Utc(2028, 3, 26, 1)), 7200);
  EXPECT_EQ(nu_paris_utc_offset(Utc(2028, 10, 29, 1) - 1), 7200);
  EXPECT_EQ(nu_paris_utc_offset(Utc(2028, 10, 29, 1)), 3600);
}

TEST(ParisCalendarTest, ParisDaysBeginAtLocalMidnight) {
  // Winter: midnight in Paris is 23:00 UTC the day before.
  EXPECT_EQ(Str(nu_paris_date_of(Utc(2027, 12, 31, 22, 59, 59))), "2027-12-31");
  EXPECT_EQ(Str(nu_paris_date_of(Utc(2027, 12, 31, 23))), "2028-01-01");
  EXPECT_EQ(nu_paris_day_start({2028, 1, 1}), Utc(2027, 12, 31, 23));
  // Summer: 22:00 UTC.
  EXPECT_EQ(Str(nu_paris_date_of(Utc(2027, 6, 30, 21, 59, 59))), "2027-06-30");
  EXPECT_EQ(Str(nu_paris_date_of(Utc(2027, 6, 30, 22))), "2027-07-01");
  EXPECT_EQ(nu_paris_day_start({2027, 7, 1}), Utc(2027, 6, 30, 22));
  // The days of the changes begin at the offset of the night before.
  EXPECT_EQ(nu_paris_day_start({2027, 3, 28}), Utc(2027, 3, 27, 23));
  EXPECT_EQ(nu_paris_day_start({2027, 3, 29}), Utc(2027, 3, 28, 22));
  EXPECT_EQ(nu_paris_day_start({2027, 10, 31}), Utc(2027, 10, 30, 22));
  EXPECT_EQ(nu_paris_day_start({2027, 11, 1}), Utc(2027, 10, 31, 23));
  // Before 1970, instants are negative.
  EXPECT_EQ(Str(nu_paris_date_of(Utc(1969, 12, 31, 23))), "1970-01-01");
  EXPECT_EQ(Str(nu_paris_date_of(-1)), "1970-01-01");
  EXPECT_EQ(nu_paris_day_start({2027, 2, 29}), INT64_MIN);
  EXPECT_EQ(nu_paris_day_start({2500, 1, 1}), INT64_MIN);  // beyond int64 nanoseconds
}

// The rule computed here agrees with the system's Europe/Paris, hour by
// hour around every change and at every midnight, 1996 to 2060.
TEST(ParisCalendarTest, AgreesWithTzdata) {
  if (access("/usr/share/zoneinfo/Europe/Paris", R_OK) != 0) GTEST_SKIP() << "no tzdata";
  const char* old = getenv("TZ");
  std::string saved = old ? old : "";
  setenv("TZ", "Europe/Paris", 1);
  tzset();
  auto check = [](int64_t t_s) {
    time_t t = static_cast<time_t>(t_s);
    struct tm lt {};
    ASSERT_NE(localtime_r(&t, &lt), nullptr);
    ASSERT_EQ(nu_paris_utc_offset(t_s * kNsPerS), lt.tm_gmtoff) << t_s;
    nu_date d = nu_paris_date_of(t_s * kNsPerS);
    ASSERT_EQ(d.year, lt.tm_year + 1900) << t_s;
    ASSERT_EQ(d.month, lt.tm_mon + 1) << t_s;
    ASSERT_EQ(d.day, lt.tm_mday) << t_s;
  };
  for (int y = 1996; y <= 2060; y++) {
    for (int m : {3, 10}) {
      int64_t base = Utc(y, m, 24) / kNsPerS;
      for (int64_t h = 0; h < 8 * 24; h++) {
        check(base + h * 3600 - 1);
        check(base + h * 3600);
      }
    }
    for (int m = 1; m <= 12; m++) {
      int64_t start = nu_paris_day_start({y, m, 1}) / kNsPerS;
      check(start - 1);
      check(start);
    }
  }
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

}  // namespace
