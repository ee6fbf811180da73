/*
 * cmd_catalog_estimate.c — `nuagectl catalog estimate PRODUCT PLAN`: the
 * price of a plan for a quantity and a duration
 * (nuage.v1.CatalogService/EstimatePrice), as a table of lines with VAT
 * and totals, or one JSON object.
 *
 * Amounts stay integer cents end to end; they are only formatted ("36.00")
 * for people, with the same formatter as the server (domain/money).
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "client/ctl/ctl.h"
#include "nuage/v1/catalog.pb-c.h"
#include "server/domain/money/money.h"

#define METHOD "/nuage.v1.CatalogService/EstimatePrice"
#define DEFAULT_TIMEOUT_MS 10000

/* *out = the option's value as a whole number in min..max; absent leaves
 * *out alone. Returns 0, or NU_CTL_EXIT_USAGE after saying why. */
static int int_option(const nu_ctl *ctx, const char *name, int64_t min, int64_t max, int64_t *out) {
  const char *s = nu_ctl_option_value(ctx, name);
  if (s == NULL) return 0;
  char *end = NULL;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (s[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
    fprintf(stderr,
            "nuagectl: catalog estimate: --%s '%s': expected a whole number, %" PRId64 "..%" PRId64
            "\n",
            name, s, min, max);
    return NU_CTL_EXIT_USAGE;
  }
  *out = v;
  return 0;
}

static int64_t cents(const Nuage__V1__Money *m) { return m != NULL ? m->amount_cents : 0; }

/* "36.00" of a Money (unset is 0.00). */
static const char *amount(const Nuage__V1__Money *m, char *buf, size_t cap) {
  if (nu_money_format(cents(m), buf, cap) < 0) snprintf(buf, cap, "?");
  return buf;
}

/* Characters as a terminal shows them: UTF-8 continuation bytes take no
 * column. */
static size_t columns(const char *s) {
  size_t n = 0;
  for (; *s != '\0'; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static void pad(FILE *f, const char *s, size_t width) {
  nu_out_text(f, s);
  for (size_t n = columns(s); n < width; n++) fputc(' ', f);
}

static void print_table(FILE *f, const Nuage__V1__PriceEstimate *e) {
  size_t width = strlen("TOTAL");
  for (size_t i = 0; i < e->n_lines; i++) {
    size_t w = columns(e->lines[i]->description);
    if (w > width) width = w;
  }
  pad(f, "DESCRIPTION", width);
  fprintf(f, "  %12s  %12s  %14s  %8s  %12s  %14s\n", "QUANTITY", "UNIT PRICE", "EXCL. VAT",
          "VAT RATE", "VAT", "INCL. VAT");
  char a[32], b[32], c[32], d[32], r[32];
  for (size_t i = 0; i < e->n_lines; i++) {
    const Nuage__V1__PriceLine *l = e->lines[i];
    pad(f, l->description, width);
    snprintf(r, sizeof r, "%d.%02d %%", l->vat_rate_bp / 100, l->vat_rate_bp % 100);
    fprintf(f, "  %12" PRId64 "  %12s  %14s  %8s  %12s  %14s\n", l->quantity,
            amount(l->unit_price, a, sizeof a), amount(l->amount_excl_vat, b, sizeof b), r,
            amount(l->vat, c, sizeof c), amount(l->amount_incl_vat, d, sizeof d));
  }
  pad(f, "TOTAL", width);
  fprintf(f, "  %12s  %12s  %14s  %8s  %12s  %14s\n", "", "",
          amount(e->total_excl_vat, b, sizeof b), "", amount(e->total_vat, c, sizeof c),
          amount(e->total_incl_vat, d, sizeof d));
  const char *currency = e->total_incl_vat != NULL ? e->total_incl_vat->currency : "";
  fputs("currency: ", f);
  nu_out_text(f, currency);
  fputc('\n', f);
  fflush(f);
}

static void print_json(nu_out *o, const Nuage__V1__PriceEstimate *e) {
  nu_out_begin(o);
  nu_out_begin_array(o, "lines");
  for (size_t i = 0; i < e->n_lines; i++) {
    const Nuage__V1__PriceLine *l = e->lines[i];
    nu_out_begin_object(o, NULL);
    nu_out_str(o, "description", l->description);
    nu_out_int(o, "quantity", l->quantity);
    nu_out_int(o, "unit_price_cents", cents(l->unit_price));
    nu_out_int(o, "amount_excl_vat_cents", cents(l->amount_excl_vat));
    nu_out_int(o, "vat_rate_bp", l->vat_rate_bp);
    nu_out_int(o, "vat_cents", cents(l->vat));
    nu_out_int(o, "amount_incl_vat_cents", cents(l->amount_incl_vat));
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
  nu_out_int(o, "total_excl_vat_cents", cents(e->total_excl_vat));
  nu_out_int(o, "total_vat_cents", cents(e->total_vat));
  nu_out_int(o, "total_incl_vat_cents", cents(e->total_incl_vat));
  nu_out_str(o, "currency", e->total_incl_vat != NULL ? e->total_incl_vat->currency : NULL);
  nu_out_end(o);
}

int nu_ctl_cmd_catalog_estimate(nu_ctl *ctx) {
  Nuage__V1__EstimatePriceRequest req = NUAGE__V1__ESTIMATE_PRICE_REQUEST__INIT;
  int64_t quantity = 1, hours = 0, months = 0;
  int rc;

  if ((rc = int_option(ctx, "quantity", 1, INT64_MAX, &quantity)) != 0 ||
      (rc = int_option(ctx, "hours", 1, INT64_MAX, &hours)) != 0 ||
      (rc = int_option(ctx, "months", 1, INT32_MAX, &months)) != 0)
    return rc;
  req.product_id = ctx->argv[0];
  req.plan_id = ctx->argv[1];
  req.quantity = quantity;
  req.hours = hours;
  req.months = (int32_t)months;

  ProtobufCMessage *msg = NULL;
  rc = nu_ctl_call(ctx, METHOD, &req.base, &nuage__v1__price_estimate__descriptor,
                   DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  const Nuage__V1__PriceEstimate *e = (const Nuage__V1__PriceEstimate *)msg;
  if (ctx->json)
    print_json(&ctx->out, e);
  else
    print_table(ctx->out.f, e);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}
