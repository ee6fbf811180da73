/*
 * estimate.c — lines and totals of a price estimate (see estimate.h).
 */
#include "server/domain/money/estimate.h"

#include <inttypes.h>
#include <stdio.h>

static nu_estimate_result refuse(const char **field, const char **why, const char *f, const char *w,
                                 nu_estimate_result r) {
  if (field != NULL) *field = f;
  if (why != NULL) *why = w;
  return r;
}

/* Appends a line of count billed units at unit_cents. */
static nu_estimate_result add_line(nu_estimate *e, nu_estimate_line_kind kind,
                                   const nu_estimate_request *req, int64_t count,
                                   int64_t unit_cents, int32_t vat_rate_bp) {
  nu_estimate_line *l = &e->lines[e->n];
  *l = (nu_estimate_line){.kind = kind, .units = req->quantity};
  if (nu_money_line_make(count, unit_cents, vat_rate_bp, &l->money) != NU_MONEY_OK) {
    return NU_ESTIMATE_OVERFLOW;
  }
  e->n++;
  return NU_ESTIMATE_OK;
}

nu_estimate_result nu_estimate_compute(const nu_plan_terms *plan, const nu_estimate_request *req,
                                       nu_estimate *out, const char **field, const char **why) {
  if (nu_plan_check(plan, NULL, 0) != 0) {
    return refuse(field, why, "plan_id", "the plan is not well formed", NU_ESTIMATE_BAD_PLAN);
  }
  if (plan->model == NU_PRICING_QUOTATION) {
    return refuse(field, why, "plan_id", "priced on quotation", NU_ESTIMATE_QUOTATION);
  }
  if (req->quantity < 1) {
    return refuse(field, why, "quantity", "must be at least 1", NU_ESTIMATE_INVALID);
  }
  nu_estimate e = {.n = 0};
  nu_estimate_result r = NU_ESTIMATE_OK;
  int64_t count = 0;
  switch (plan->model) {
    case NU_PRICING_HOURLY:
      if (req->hours < 1) {
        return refuse(field, why, "hours", "must be at least 1", NU_ESTIMATE_INVALID);
      }
      if (nu_money_mul(req->quantity, req->hours, &count) != NU_MONEY_OK) {
        r = NU_ESTIMATE_OVERFLOW;
        break;
      }
      r = add_line(&e, NU_LINE_HOURLY, req, count, plan->hourly_cents, plan->vat_rate_bp);
      e.lines[0].hours = req->hours;
      break;
    case NU_PRICING_SUBSCRIPTION: {
      int32_t months = req->months == 0 ? plan->commitment_months : req->months;
      if (months < plan->commitment_months) {
        return refuse(field, why, "months", "must be at least the plan's commitment",
                      NU_ESTIMATE_INVALID);
      }
      if (nu_money_mul(req->quantity, months, &count) != NU_MONEY_OK) {
        r = NU_ESTIMATE_OVERFLOW;
        break;
      }
      r = add_line(&e, NU_LINE_SUBSCRIPTION, req, count, plan->monthly_cents, plan->vat_rate_bp);
      if (r != NU_ESTIMATE_OK) break;
      e.lines[0].months = months;
      if (plan->has_upfront && plan->upfront_cents != 0) {
        r = add_line(&e, NU_LINE_UPFRONT, req, req->quantity, plan->upfront_cents,
                     plan->vat_rate_bp);
      }
      break;
    }
    case NU_PRICING_FREE:
    case NU_PRICING_BYOL:
      r = add_line(&e, plan->model == NU_PRICING_FREE ? NU_LINE_FREE : NU_LINE_BYOL, req,
                   req->quantity, 0, plan->vat_rate_bp);
      break;
    default:
      return refuse(field, why, "plan_id", "the plan is not well formed", NU_ESTIMATE_BAD_PLAN);
  }
  if (r == NU_ESTIMATE_OK) {
    nu_money_line ml[NU_ESTIMATE_MAX_LINES];
    for (size_t i = 0; i < e.n; i++) ml[i] = e.lines[i].money;
    if (nu_money_totals_of(ml, e.n, &e.totals) != NU_MONEY_OK) r = NU_ESTIMATE_OVERFLOW;
  }
  if (r == NU_ESTIMATE_OVERFLOW) {
    return refuse(field, why, "quantity", "makes the amount too large", r);
  }
  *out = e;
  if (field != NULL) *field = NULL;
  if (why != NULL) *why = NULL;
  return NU_ESTIMATE_OK;
}

int nu_estimate_line_describe(const nu_estimate_line *l, char *buf, size_t cap) {
  int n = -1;
  switch (l->kind) {
    case NU_LINE_HOURLY:
      n = snprintf(buf, cap, "Usage horaire : %" PRId64 " × %" PRId64 " h", l->units, l->hours);
      break;
    case NU_LINE_SUBSCRIPTION:
      n = snprintf(buf, cap, "Abonnement mensuel : %" PRId64 " × %" PRId32 " mois", l->units,
                   l->months);
      break;
    case NU_LINE_UPFRONT: n = snprintf(buf, cap, "Paiement initial : %" PRId64, l->units); break;
    case NU_LINE_FREE: n = snprintf(buf, cap, "Gratuit / open source : %" PRId64, l->units); break;
    case NU_LINE_BYOL:
      n = snprintf(buf, cap, "Licence apportée (BYOL) : %" PRId64, l->units);
      break;
  }
  if (n < 0 || (size_t)n >= cap) return -1;
  return n;
}
