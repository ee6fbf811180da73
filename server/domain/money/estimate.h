/*
 * estimate.h — the price of a plan for a quantity and a duration
 * (DOMAIN.md §3, "estimate"), as lines with VAT and totals.
 *
 *   hourly        one line: quantity × hours unit-hours at the hourly price
 *   subscription  one line: quantity × months at the monthly price, months
 *                 at least the commitment (0 means the commitment), then
 *                 an upfront line (quantity × upfront) when the plan has one
 *   free, BYOL    one zero line for the quantity
 *   quotation     no price: NU_ESTIMATE_QUOTATION
 *
 * VAT and totals follow money.h: per line, half-up to the cent; totals are
 * the sums. Pure.
 */
#ifndef NU_DOMAIN_MONEY_ESTIMATE_H
#define NU_DOMAIN_MONEY_ESTIMATE_H

#include <stddef.h>
#include <stdint.h>

#include "server/domain/money/money.h"
#include "server/domain/money/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_estimate_result {
  NU_ESTIMATE_OK = 0,
  NU_ESTIMATE_INVALID = -1,   /* a bad quantity, hours or months: see *field, *why */
  NU_ESTIMATE_QUOTATION = -2, /* the plan is priced on quotation */
  NU_ESTIMATE_OVERFLOW = -3,  /* an amount would not fit in int64 cents */
  NU_ESTIMATE_BAD_PLAN = -4,  /* the plan's terms fail nu_plan_check */
} nu_estimate_result;

/* What is estimated. */
typedef struct nu_estimate_request {
  int64_t quantity; /* units, at least 1 */
  int64_t hours;    /* hourly: hours of use per unit, at least 1 */
  int32_t months;   /* subscription: 0 = the commitment; else at least it */
} nu_estimate_request;

typedef enum nu_estimate_line_kind {
  NU_LINE_HOURLY = 1,
  NU_LINE_SUBSCRIPTION = 2,
  NU_LINE_UPFRONT = 3,
  NU_LINE_FREE = 4,
  NU_LINE_BYOL = 5,
} nu_estimate_line_kind;

typedef struct nu_estimate_line {
  nu_estimate_line_kind kind;
  int64_t units;  /* the request's quantity */
  int64_t hours;  /* NU_LINE_HOURLY */
  int32_t months; /* NU_LINE_SUBSCRIPTION */
  nu_money_line money;
} nu_estimate_line;

#define NU_ESTIMATE_MAX_LINES 2

typedef struct nu_estimate {
  nu_estimate_line lines[NU_ESTIMATE_MAX_LINES];
  size_t n;
  nu_money_totals totals;
} nu_estimate;

/* Estimates req on plan into *out. On NU_ESTIMATE_INVALID, *field
 * ("quantity", "hours", "months") and *why (static, lower-case) say what is
 * wrong; on NU_ESTIMATE_OVERFLOW *field names the request field that made
 * the amount too large. field and why may be NULL. */
nu_estimate_result nu_estimate_compute(const nu_plan_terms *plan, const nu_estimate_request *req,
                                       nu_estimate *out, const char **field, const char **why);

/* What a line charges, in French ("Usage horaire : 3 × 100 h"), into buf
 * (cap bytes); returns the length or -1 when it does not fit. */
int nu_estimate_line_describe(const nu_estimate_line *l, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
