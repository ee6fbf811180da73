/*
 * order_summary.c — VAT table and totals of an order (see
 * order_summary.h).
 */
#include "server/domain/money/order_summary.h"

nu_order_summary_result nu_order_summary_price(int64_t quantity, int32_t periods,
                                               int64_t unit_cents, int32_t rate_bp,
                                               nu_money_line *out) {
  if (quantity < 1 || periods < 1) return NU_ORDER_SUMMARY_INVALID;
  int64_t units;
  if (nu_money_mul(quantity, periods, &units) != NU_MONEY_OK) return NU_ORDER_SUMMARY_OVERFLOW;
  switch (nu_money_line_make(units, unit_cents, rate_bp, out)) {
    case NU_MONEY_OK: return NU_ORDER_SUMMARY_OK;
    case NU_MONEY_BAD_RATE: return NU_ORDER_SUMMARY_BAD_RATE;
    default: return NU_ORDER_SUMMARY_OVERFLOW;
  }
}

/* The row of rate in s, inserted in rate order when new; NULL when the
 * table is full. */
static nu_vat_row *row_of(nu_order_summary *s, int32_t rate) {
  size_t i = 0;
  while (i < s->n_rates && s->vat[i].rate_bp < rate) i++;
  if (i < s->n_rates && s->vat[i].rate_bp == rate) return &s->vat[i];
  if (s->n_rates == NU_VAT_TABLE_MAX) return NULL;
  for (size_t j = s->n_rates; j > i; j--) s->vat[j] = s->vat[j - 1];
  s->vat[i] = (nu_vat_row){.rate_bp = rate};
  s->n_rates++;
  return &s->vat[i];
}

nu_order_summary_result nu_order_summary_of(const nu_money_line *lines, size_t n,
                                            nu_vat_rounding rule, nu_order_summary *out) {
  if (rule != NU_VAT_PER_RATE && rule != NU_VAT_PER_LINE) return NU_ORDER_SUMMARY_INVALID;
  nu_order_summary s = {.n_rates = 0};
  for (size_t i = 0; i < n; i++) {
    int32_t rate = lines[i].vat_rate_bp;
    if (rate < 0 || rate > NU_VAT_RATE_MAX_BP) return NU_ORDER_SUMMARY_BAD_RATE;
    nu_vat_row *r = row_of(&s, rate);
    if (r == NULL) return NU_ORDER_SUMMARY_TOO_MANY_RATES;
    if (nu_money_add(r->base_cents, lines[i].excl_cents, &r->base_cents) != NU_MONEY_OK) {
      return NU_ORDER_SUMMARY_OVERFLOW;
    }
    if (rule == NU_VAT_PER_LINE) {
      int64_t vat;
      nu_money_vat(lines[i].excl_cents, rate, &vat); /* the rate is checked */
      if (nu_money_add(r->vat_cents, vat, &r->vat_cents) != NU_MONEY_OK) {
        return NU_ORDER_SUMMARY_OVERFLOW;
      }
    }
  }
  for (size_t i = 0; i < s.n_rates; i++) {
    nu_vat_row *r = &s.vat[i];
    if (rule == NU_VAT_PER_RATE) nu_money_vat(r->base_cents, r->rate_bp, &r->vat_cents);
    if (nu_money_add(s.totals.excl_cents, r->base_cents, &s.totals.excl_cents) != NU_MONEY_OK ||
        nu_money_add(s.totals.vat_cents, r->vat_cents, &s.totals.vat_cents) != NU_MONEY_OK) {
      return NU_ORDER_SUMMARY_OVERFLOW;
    }
  }
  if (nu_money_add(s.totals.excl_cents, s.totals.vat_cents, &s.totals.incl_cents) != NU_MONEY_OK) {
    return NU_ORDER_SUMMARY_OVERFLOW;
  }
  *out = s;
  return NU_ORDER_SUMMARY_OK;
}
