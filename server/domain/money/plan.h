/*
 * plan.h — what makes a pricing plan well formed (DOMAIN.md §3).
 *
 * A plan is priced one of five ways: hourly (a price per unit-hour), free /
 * open source, bring your own licence, subscription (a monthly price, a
 * commitment of 12, 24 or 36 months, optionally an upfront amount per
 * unit), or on quotation. Each model takes exactly the amounts it uses: an
 * amount a model does not use is refused rather than stored and ignored,
 * so what a seller sees is what buyers are charged. Pure.
 */
#ifndef NU_DOMAIN_MONEY_PLAN_H
#define NU_DOMAIN_MONEY_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The values of the API's PricingModel enum. */
typedef enum nu_pricing_model {
  NU_PRICING_UNSPECIFIED = 0,
  NU_PRICING_HOURLY = 1,
  NU_PRICING_FREE = 2,
  NU_PRICING_BYOL = 3,
  NU_PRICING_SUBSCRIPTION = 4,
  NU_PRICING_QUOTATION = 5,
} nu_pricing_model;

/* "hourly", "free", "byol", "subscription", "quotation" (the database's
 * words); NULL for anything else. */
const char *nu_pricing_model_name(nu_pricing_model m);
/* The model named s; NU_PRICING_UNSPECIFIED when none. */
nu_pricing_model nu_pricing_model_parse(const char *s);

/* Commitments a subscription may have, in months. */
#define NU_PLAN_COMMITMENT_MIN 12
/* The largest price of a plan: 1 000 000 000.00 a unit (10^11 cents),
 * which keeps hourly × 730 h, and any estimate of sane size, far from
 * int64's limit. */
#define NU_PLAN_PRICE_MAX_CENTS INT64_C(100000000000)
/* Hours in a month for comparing hourly and monthly prices (365 × 24 / 12). */
#define NU_HOURS_PER_MONTH 730

/* The terms of a plan; has_* tell which amounts are set. */
typedef struct nu_plan_terms {
  nu_pricing_model model;
  bool has_hourly;
  int64_t hourly_cents;
  bool has_monthly;
  int64_t monthly_cents;
  int32_t commitment_months; /* 0: none */
  bool has_upfront;
  int64_t upfront_cents;
  int32_t vat_rate_bp;
} nu_plan_terms;

/* One thing wrong with a plan: field is the plan's field name
 * ("hourly_price", "commitment_months", …) and message a static
 * lower-case reason without a trailing period. */
typedef struct nu_plan_problem {
  const char *field;
  const char *message;
} nu_plan_problem;

#define NU_PLAN_MAX_PROBLEMS 8

/* Checks t; writes up to cap problems into out (may be NULL when cap is
 * 0) and returns how many there are (0: well formed). */
size_t nu_plan_check(const nu_plan_terms *t, nu_plan_problem *out, size_t cap);

/* Whether commitment is 12, 24 or 36. */
bool nu_plan_commitment_valid(int32_t months);

/* The plan's price for one unit over a month, for sorting and showing the
 * cheapest plan: hourly × 730 h, or the monthly price; false for models
 * without a price (free, BYOL, quotation). Assumes t is well formed. */
bool nu_plan_monthly_cents(const nu_plan_terms *t, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif
