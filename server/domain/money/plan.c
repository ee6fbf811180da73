/*
 * plan.c — pricing plan rules (see plan.h).
 */
#include "server/domain/money/plan.h"

#include <string.h>

#include "server/domain/money/money.h"

static const char *const model_names[] = {NULL,   "hourly",       "free",
                                          "byol", "subscription", "quotation"};
#define MODEL_COUNT (sizeof(model_names) / sizeof(model_names[0]))

const char *nu_pricing_model_name(nu_pricing_model m) {
  return (unsigned)m < MODEL_COUNT ? model_names[m] : NULL;
}

nu_pricing_model nu_pricing_model_parse(const char *s) {
  for (size_t i = 1; s != NULL && i < MODEL_COUNT; i++) {
    if (strcmp(model_names[i], s) == 0) return (nu_pricing_model)i;
  }
  return NU_PRICING_UNSPECIFIED;
}

bool nu_plan_commitment_valid(int32_t months) {
  return months == 12 || months == 24 || months == 36;
}

typedef struct problems {
  nu_plan_problem *out;
  size_t cap;
  size_t n;
} problems;

static void add(problems *p, const char *field, const char *message) {
  if (p->n < p->cap) p->out[p->n] = (nu_plan_problem){field, message};
  p->n++;
}

/* An amount the model uses: present, not negative, not absurd. */
static void need_amount(problems *p, const char *field, bool has, int64_t cents) {
  if (!has) {
    add(p, field, "is required");
  } else if (cents < 0) {
    add(p, field, "must not be negative");
  } else if (cents > NU_PLAN_PRICE_MAX_CENTS) {
    add(p, field, "must be at most 1000000000.00");
  }
}

/* An amount the model does not use. */
static void refuse(problems *p, const char *field, bool has, const char *message) {
  if (has) add(p, field, message);
}

size_t nu_plan_check(const nu_plan_terms *t, nu_plan_problem *out, size_t cap) {
  problems p = {out, cap, 0};
  bool hourly = t->model == NU_PRICING_HOURLY;
  bool subscription = t->model == NU_PRICING_SUBSCRIPTION;
  if (nu_pricing_model_name(t->model) == NULL) {
    add(&p, "model", "must be hourly, free, byol, subscription or quotation");
    return p.n;
  }
  if (hourly) {
    need_amount(&p, "hourly_price", t->has_hourly, t->hourly_cents);
  } else {
    refuse(&p, "hourly_price", t->has_hourly, "is only for hourly plans");
  }
  if (subscription) {
    need_amount(&p, "monthly_price", t->has_monthly, t->monthly_cents);
    if (!nu_plan_commitment_valid(t->commitment_months)) {
      add(&p, "commitment_months", "must be 12, 24 or 36");
    }
    if (t->has_upfront) need_amount(&p, "upfront", true, t->upfront_cents);
  } else {
    refuse(&p, "monthly_price", t->has_monthly, "is only for subscription plans");
    refuse(&p, "commitment_months", t->commitment_months != 0, "is only for subscription plans");
    refuse(&p, "upfront", t->has_upfront, "is only for subscription plans");
  }
  if (t->vat_rate_bp < 0 || t->vat_rate_bp > NU_VAT_RATE_MAX_BP) {
    add(&p, "vat_rate_bp", "must be between 0 and 10000");
  }
  return p.n;
}

bool nu_plan_monthly_cents(const nu_plan_terms *t, int64_t *out) {
  if (t->model == NU_PRICING_HOURLY && t->has_hourly) {
    return nu_money_mul(t->hourly_cents, NU_HOURS_PER_MONTH, out) == NU_MONEY_OK;
  }
  if (t->model == NU_PRICING_SUBSCRIPTION && t->has_monthly) {
    *out = t->monthly_cents;
    return true;
  }
  return false;
}
