/*
 * paris_calendar.h — calendar dates as French public buyers read them:
 * days of Europe/Paris, not of UTC.
 *
 * Why Paris and not UTC: "the first day of the month after the order" is a
 * date on the buyer's purchase order and on the invoice. An order placed on
 * 31 December at 23:30 in Paris (22:30 UTC) is a December order and its
 * reservation starts on 1 January; at 00:30 on 1 January in Paris (still
 * 31 December 23:30 UTC) it is a January order that starts on 1 February.
 * UTC would date about one order in twelve of the last evening of each
 * month in the wrong month.
 *
 * Europe/Paris is UTC+1 (CET) and UTC+2 (CEST) from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC, the EU rule in
 * force since 1996 (Directive 2000/84/EC). It is computed here, not read
 * from tzdata: pure, no global TZ, no files. Instants before 1996 get the
 * same rule (France's dates then differed; the platform holds none). Should
 * the EU end seasonal changes, this file is the one place to change. A day
 * of Paris always begins at 00:00 local time (the changes happen at 02:00
 * and 03:00), so "midnight" is never ambiguous or missing.
 *
 * Dates are proleptic Gregorian, years 1..9999. Instants are Unix
 * nanoseconds as the nu_clock gives them. Pure.
 */
#ifndef NU_DOMAIN_SUBSCRIPTIONS_PARIS_CALENDAR_H
#define NU_DOMAIN_SUBSCRIPTIONS_PARIS_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_date {
  int32_t year;  /* 1..9999 */
  int32_t month; /* 1..12 */
  int32_t day;   /* 1..days in the month */
} nu_date;

/* Days in month m (1..12) of year y; 0 for a month outside 1..12. */
int nu_days_in_month(int32_t y, int32_t m);
bool nu_date_valid(nu_date d);
/* <0, 0, >0 as a is before, the same as, after b. */
int nu_date_cmp(nu_date a, nu_date b);

/* Days since 1970-01-01 of a valid date, and back (z within the years
 * 1..9999). */
int64_t nu_date_to_days(nu_date d);
nu_date nu_date_from_days(int64_t z);

/* The first day of the month after d's. */
nu_date nu_date_first_of_next_month(nu_date d);

/* *out = d plus `months` months (may be negative), the day kept or, when
 * the month is shorter, its last day (31 January + 1 month = 28 or 29
 * February). -1 when d is invalid or the result leaves the years 1..9999. */
int nu_date_add_months(nu_date d, int32_t months, nu_date *out);

/* "YYYY-MM-DD" (10 characters, as PostgreSQL's date prints) into buf (cap
 * bytes, 11 are enough): the length, or -1 when d is invalid or cap too
 * small. Parsing is strict: 0 and *out, or -1. */
int nu_date_format(nu_date d, char *buf, size_t cap);
int nu_date_parse(const char *s, nu_date *out);

/* Seconds Paris is ahead of UTC at instant unix_ns: 3600 or 7200. */
int32_t nu_paris_utc_offset(int64_t unix_ns);

/* The date in Paris at instant unix_ns. */
nu_date nu_paris_date_of(int64_t unix_ns);

/* The instant (Unix ns) at which the Paris day d begins (00:00 local), or
 * INT64_MIN for an invalid date. */
int64_t nu_paris_day_start(nu_date d);

#ifdef __cplusplus
}
#endif

#endif
