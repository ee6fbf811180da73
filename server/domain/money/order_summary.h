/*
 * order_summary.h — the money of an order: its lines, its VAT table (rate
 * → taxable base, VAT) and its totals excl./incl. VAT (DOMAIN.md §5, §6),
 * in exact int64 cents. Invoices print the same table.
 *
 * Lines are nu_money_line (money.h): those of nu_estimate_compute for an
 * order from a catalogue plan, or nu_order_summary_price for a line priced
 * as unit × quantity × periods (months of a monthly price, 1 for a one-off
 * amount). Negative lines (rebates) lower their rate's base.
 *
 * Rounding — two rules, the caller names one:
 *   NU_VAT_PER_RATE  the VAT of each rate is computed once, on the sum of
 *                    the lines at that rate (the base), rounded half away
 *                    from zero to the cent. This is how French invoices
 *                    state VAT ("total par taux", CGI art. 242 nonies A)
 *                    and the rule EN 16931 checks (BR-CO-17: a rate's VAT
 *                    = its base × rate, rounded), which Factur-X invoices
 *                    sent to Chorus Pro must pass. Recommended.
 *   NU_VAT_PER_LINE  each line's VAT is rounded (nu_money_vat) and a rate's
 *                    VAT is the sum of its lines' — the rule DOMAIN.md §6
 *                    and money.h state today, and the estimates use.
 * The two differ by at most half a cent per line at a rate (seven lines of
 * 0.03 at 20 %: 0.04 per rate, on 0.21; 0.07 per line, 0.006 rounded up
 * seven times). With either, totals are
 * the sums of the table: excl = Σ bases, VAT = Σ VATs, incl = excl + VAT,
 * never VAT recomputed on the total of several rates.
 *
 * Pure: no allocation, no I/O.
 */
#ifndef NU_DOMAIN_MONEY_ORDER_SUMMARY_H
#define NU_DOMAIN_MONEY_ORDER_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "server/domain/money/money.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_vat_rounding {
  NU_VAT_PER_RATE = 0,
  NU_VAT_PER_LINE = 1,
} nu_vat_rounding;

typedef enum nu_order_summary_result {
  NU_ORDER_SUMMARY_OK = 0,
  NU_ORDER_SUMMARY_OVERFLOW = -1,       /* an amount does not fit in int64 cents */
  NU_ORDER_SUMMARY_BAD_RATE = -2,       /* a rate outside 0..NU_VAT_RATE_MAX_BP */
  NU_ORDER_SUMMARY_TOO_MANY_RATES = -3, /* more than NU_VAT_TABLE_MAX rates */
  NU_ORDER_SUMMARY_INVALID = -4,        /* quantity or periods below 1, an unknown rule */
} nu_order_summary_result;

/* France has four VAT rates (20, 10, 5.5, 2.1 %) and 0; room to spare. */
#define NU_VAT_TABLE_MAX 8

typedef struct nu_vat_row {
  int32_t rate_bp;
  int64_t base_cents; /* Σ excl_cents of the lines at this rate */
  int64_t vat_cents;
} nu_vat_row;

typedef struct nu_order_summary {
  nu_vat_row vat[NU_VAT_TABLE_MAX]; /* by increasing rate */
  size_t n_rates;
  nu_money_totals totals;
} nu_order_summary;

/* *out = a line of quantity × periods units at unit_cents, VAT at rate_bp
 * (its vat_cents and incl_cents follow the per-line rule; the summary
 * recomputes what it needs). INVALID for quantity or periods below 1. */
nu_order_summary_result nu_order_summary_price(int64_t quantity, int32_t periods,
                                               int64_t unit_cents, int32_t rate_bp,
                                               nu_money_line *out);

/* The VAT table and totals of lines[0..n) under `rule` (n may be 0: an
 * empty table, zero totals). Only excl_cents and vat_rate_bp of each line
 * are read. *out is left alone on error. */
nu_order_summary_result nu_order_summary_of(const nu_money_line *lines, size_t n,
                                            nu_vat_rounding rule, nu_order_summary *out);

#ifdef __cplusplus
}
#endif

#endif
