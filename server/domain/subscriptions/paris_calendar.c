/*
 * paris_calendar.c — civil dates and the days of Europe/Paris (see
 * paris_calendar.h). Day counts follow H. Hinnant's days_from_civil and
 * civil_from_days (eras of 400 years, March-based years).
 */
#include "server/domain/subscriptions/paris_calendar.h"

#include <stdio.h>
#include <string.h>

#define NS_PER_S INT64_C(1000000000)
#define S_PER_DAY INT64_C(86400)

static bool leap(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int nu_days_in_month(int32_t y, int32_t m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return 0;
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool nu_date_valid(nu_date d) {
  return d.year >= 1 && d.year <= 9999 && d.day >= 1 && d.day <= nu_days_in_month(d.year, d.month);
}

int nu_date_cmp(nu_date a, nu_date b) {
  if (a.year != b.year) return a.year < b.year ? -1 : 1;
  if (a.month != b.month) return a.month < b.month ? -1 : 1;
  if (a.day != b.day) return a.day < b.day ? -1 : 1;
  return 0;
}

int64_t nu_date_to_days(nu_date d) {
  int64_t y = d.year - (d.month <= 2);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;                                                  /* [0, 399] */
  int64_t doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1; /* [0, 365] */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                          /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

nu_date nu_date_from_days(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int32_t day = (int32_t)(doy - (153 * mp + 2) / 5 + 1);
  int32_t month = (int32_t)(mp < 10 ? mp + 3 : mp - 9);
  int32_t year = (int32_t)(yoe + era * 400 + (month <= 2));
  return (nu_date){year, month, day};
}

nu_date nu_date_first_of_next_month(nu_date d) {
  return d.month == 12 ? (nu_date){d.year + 1, 1, 1} : (nu_date){d.year, d.month + 1, 1};
}

int nu_date_add_months(nu_date d, int32_t months, nu_date *out) {
  if (!nu_date_valid(d)) return -1;
  int64_t m0 = (int64_t)d.year * 12 + (d.month - 1) + months;
  if (m0 < 12 || m0 >= INT64_C(10000) * 12) return -1;
  nu_date r = {(int32_t)(m0 / 12), (int32_t)(m0 % 12) + 1, d.day};
  int last = nu_days_in_month(r.year, r.month);
  if (r.day > last) r.day = last;
  *out = r;
  return 0;
}

int nu_date_format(nu_date d, char *buf, size_t cap) {
  if (!nu_date_valid(d) || buf == NULL || cap < 11) return -1;
  int n = snprintf(buf, cap, "%04d-%02d-%02d", (int)d.year, (int)d.month, (int)d.day);
  return n == 10 ? n : -1;
}

/* n ASCII digits at s (no sign, no space), or -1. */
static int32_t digits(const char *s, int n) {
  int32_t v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int nu_date_parse(const char *s, nu_date *out) {
  if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
  nu_date d = {digits(s, 4), digits(s + 5, 2), digits(s + 8, 2)};
  if (!nu_date_valid(d)) return -1;
  *out = d;
  return 0;
}

/* floor(a / b) for b > 0. */
static int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && a < 0); }

/* The Unix second of 01:00 UTC on the last Sunday of month m of year y. */
static int64_t last_sunday_1h_utc(int32_t y, int32_t m) {
  int64_t last = nu_date_to_days((nu_date){y, m, 31}); /* March and October have 31 days */
  int64_t weekday = ((last + 4) % 7 + 7) % 7;          /* 1970-01-01 was a Thursday; 0: Sunday */
  return (last - weekday) * S_PER_DAY + 3600;
}

int32_t nu_paris_utc_offset(int64_t unix_ns) {
  int64_t t = floor_div(unix_ns, NS_PER_S);
  int32_t y = nu_date_from_days(floor_div(t, S_PER_DAY)).year;
  return t >= last_sunday_1h_utc(y, 3) && t < last_sunday_1h_utc(y, 10) ? 7200 : 3600;
}

nu_date nu_paris_date_of(int64_t unix_ns) {
  int64_t t = floor_div(unix_ns, NS_PER_S) + nu_paris_utc_offset(unix_ns);
  return nu_date_from_days(floor_div(t, S_PER_DAY));
}

int64_t nu_paris_day_start(nu_date d) {
  if (!nu_date_valid(d)) return INT64_MIN;
  /* Local midnight as if it were UTC, minus the offset in force then: no
   * change of offset happens between 22:00 and 00:00 UTC, so the offset one
   * hour before local midnight read as UTC is the one at midnight. */
  int64_t local = nu_date_to_days(d) * S_PER_DAY;
  int64_t probe;
  if (__builtin_mul_overflow(local - 3600, NS_PER_S, &probe)) return INT64_MIN;
  int64_t ns;
  if (__builtin_mul_overflow(local - nu_paris_utc_offset(probe), NS_PER_S, &ns)) return INT64_MIN;
  return ns;
}
