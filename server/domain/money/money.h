/*
 * money.h — amounts, VAT and totals (DOMAIN.md §6), the one set of rules
 * the catalogue's estimates and billing's invoices share.
 *
 * Money is an int64 number of cents with a currency code; never floating
 * point. VAT is computed per line, as amount × rate / 10000 (rates in basis
 * points: 2000 = 20 %) rounded half away from zero to the cent — half-up
 * for charges, and a credit note's line is exactly the negation of the
 * charge it cancels. A line including VAT is its amount plus its VAT;
 * totals are the sums of the lines, never VAT recomputed on a total.
 * Every operation checks for overflow and reports it instead of wrapping.
 *
 * Pure: no allocation, no I/O.
 */
#ifndef NU_DOMAIN_MONEY_MONEY_H
#define NU_DOMAIN_MONEY_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outcomes of the operations below. */
typedef enum nu_money_result {
  NU_MONEY_OK = 0,
  NU_MONEY_OVERFLOW = -1, /* the exact result does not fit in int64 */
  NU_MONEY_BAD_RATE = -2, /* a VAT rate outside 0..NU_VAT_RATE_MAX_BP */
} nu_money_result;

/* The French standard rate, and the highest rate accepted (100 %). */
#define NU_VAT_RATE_DEFAULT_BP 2000
#define NU_VAT_RATE_MAX_BP 10000

/* The only currency the platform trades in for now. */
#define NU_MONEY_CURRENCY "EUR"

/* Whether currency is one the platform accepts (NU_MONEY_CURRENCY);
 * NULL is not. */
bool nu_money_currency_accepted(const char *currency);

/* *out = a + b, or NU_MONEY_OVERFLOW (then *out is left alone). */
nu_money_result nu_money_add(int64_t a, int64_t b, int64_t *out);

/* *out = amount × factor (a unit price times a quantity), or
 * NU_MONEY_OVERFLOW (then *out is left alone). */
nu_money_result nu_money_mul(int64_t amount, int64_t factor, int64_t *out);

/* *vat = amount × rate_bp / 10000 rounded half away from zero to the cent:
 * 0.5 cent and above rounds up for positive amounts, down for negative ones
 * (so vat(-x) == -vat(x)). NU_MONEY_BAD_RATE for a rate outside
 * 0..10000; exact for every int64 amount (the rate is at most 100 %, so
 * the VAT never overflows). */
nu_money_result nu_money_vat(int64_t amount, int32_t rate_bp, int64_t *vat);

/* One line of an estimate or an invoice: quantity × unit price, its VAT and
 * the amount including VAT. */
typedef struct nu_money_line {
  int64_t quantity;
  int64_t unit_cents;
  int64_t excl_cents; /* quantity × unit_cents */
  int32_t vat_rate_bp;
  int64_t vat_cents;  /* nu_money_vat(excl_cents, vat_rate_bp) */
  int64_t incl_cents; /* excl_cents + vat_cents */
} nu_money_line;

/* Fills *out for quantity units at unit_cents with VAT at rate_bp.
 * Negative quantities or prices make credit lines. NU_MONEY_OVERFLOW or
 * NU_MONEY_BAD_RATE leave *out unspecified. */
nu_money_result nu_money_line_make(int64_t quantity, int64_t unit_cents, int32_t rate_bp,
                                   nu_money_line *out);

typedef struct nu_money_totals {
  int64_t excl_cents;
  int64_t vat_cents;
  int64_t incl_cents;
} nu_money_totals;

/* The sums of lines[0..n) (n may be 0: all zero). NU_MONEY_OVERFLOW when a
 * sum does not fit. */
nu_money_result nu_money_totals_of(const nu_money_line *lines, size_t n, nu_money_totals *out);

/* Writes cents as a decimal amount with two decimals and no grouping
 * ("1234.56", "-0.05") into buf (cap bytes, 24 are always enough).
 * Returns the length, or -1 when cap is too small. */
int nu_money_format(int64_t cents, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
