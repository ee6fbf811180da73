/*
 * money.c — amounts, VAT and totals in int64 cents (see money.h).
 */
#include "server/domain/money/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

bool nu_money_currency_accepted(const char *currency) {
  return currency != NULL && strcmp(currency, NU_MONEY_CURRENCY) == 0;
}

nu_money_result nu_money_add(int64_t a, int64_t b, int64_t *out) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return NU_MONEY_OVERFLOW;
  *out = r;
  return NU_MONEY_OK;
}

nu_money_result nu_money_mul(int64_t amount, int64_t factor, int64_t *out) {
  int64_t r;
  if (__builtin_mul_overflow(amount, factor, &r)) return NU_MONEY_OVERFLOW;
  *out = r;
  return NU_MONEY_OK;
}

nu_money_result nu_money_vat(int64_t amount, int32_t rate_bp, int64_t *vat) {
  if (rate_bp < 0 || rate_bp > NU_VAT_RATE_MAX_BP) return NU_MONEY_BAD_RATE;
  /* amount × rate would overflow for amounts above ~9.2e14 cents, so split
   * amount = q × 10000 + r: q × rate is exact cents (and at most |amount|),
   * only r × rate (below 10^8 in magnitude) has a fraction to round. C
   * division truncates toward zero, so q and r carry amount's sign and the
   * rounding of r × rate is symmetric. */
  int64_t q = amount / 10000;
  int64_t r = amount % 10000;
  int64_t whole = q * rate_bp;
  int64_t part = r * rate_bp; /* |part| < 10^8 */
  int64_t rounded = part >= 0 ? (part + 5000) / 10000 : -((-part + 5000) / 10000);
  *vat = whole + rounded; /* |vat| <= |amount|: cannot overflow */
  return NU_MONEY_OK;
}

nu_money_result nu_money_line_make(int64_t quantity, int64_t unit_cents, int32_t rate_bp,
                                   nu_money_line *out) {
  nu_money_line l = {.quantity = quantity, .unit_cents = unit_cents, .vat_rate_bp = rate_bp};
  nu_money_result r = nu_money_mul(unit_cents, quantity, &l.excl_cents);
  if (r != NU_MONEY_OK) return r;
  r = nu_money_vat(l.excl_cents, rate_bp, &l.vat_cents);
  if (r != NU_MONEY_OK) return r;
  r = nu_money_add(l.excl_cents, l.vat_cents, &l.incl_cents);
  if (r != NU_MONEY_OK) return r;
  *out = l;
  return NU_MONEY_OK;
}

nu_money_result nu_money_totals_of(const nu_money_line *lines, size_t n, nu_money_totals *out) {
  nu_money_totals t = {0, 0, 0};
  for (size_t i = 0; i < n; i++) {
    if (nu_money_add(t.excl_cents, lines[i].excl_cents, &t.excl_cents) != NU_MONEY_OK ||
        nu_money_add(t.vat_cents, lines[i].vat_cents, &t.vat_cents) != NU_MONEY_OK ||
        nu_money_add(t.incl_cents, lines[i].incl_cents, &t.incl_cents) != NU_MONEY_OK) {
      return NU_MONEY_OVERFLOW;
    }
  }
  *out = t;
  return NU_MONEY_OK;
}

int nu_money_format(int64_t cents, char *buf, size_t cap) {
  /* INT64_MIN has no positive counterpart: work on the unsigned magnitude. */
  uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
  int n =
      snprintf(buf, cap, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", mag / 100, mag % 100);
  if (n < 0 || (size_t)n >= cap) return -1;
  return n;
}
