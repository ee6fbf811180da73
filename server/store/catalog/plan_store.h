/*
 * plan_store.h — the pricing_plans table, and the summary of a product's
 * plans kept on the product (products.pricing_models, min_monthly_cents)
 * for filtering and sorting.
 *
 * Owns table pricing_plans. Every insert or write of a plan refreshes that
 * summary (nu_product_refresh_plans: products are product_store's) in the
 * same transaction, so browsing never sees a plan without its summary or the
 * other way round. Callers lock the product first (nu_product_get FOR
 * UPDATE): concurrent plan changes of one product then run one after the
 * other and each summary is computed from every committed plan.
 */
#ifndef NU_STORE_PLAN_STORE_H
#define NU_STORE_PLAN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/domain/money/plan.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One plan. Strings are owned by the arena (or borrowed from the caller
 * when it fills a row to write); model holds the database's text
 * ("hourly", …); amounts are cents in currency, has_* false for NULL;
 * commitment_months 0 for NULL; times are Unix microseconds. */
typedef struct nu_plan_row {
  const char *id;
  const char *product_id;
  const char *name;
  const char *model;
  const char *currency;
  bool has_hourly;
  int64_t hourly_cents;
  bool has_monthly;
  int64_t monthly_cents;
  int32_t commitment_months;
  bool has_upfront;
  int64_t upfront_cents;
  int32_t vat_rate_bp;
  bool active;
  int64_t version;
  int64_t created_us;
  int64_t updated_us;
} nu_plan_row;

/* Inserts a plan from *in (product_id, name, model, currency, amounts,
 * commitment, vat rate, active) at now_ns and refreshes the product's
 * summary; *out is the stored row. */
/* The terms of a stored plan, as the money rules read them. */
nu_plan_terms nu_plan_row_terms(const nu_plan_row *r);

nu_status nu_plan_insert(nu_conn *c, nu_arena *a, const nu_plan_row *in, int64_t now_ns,
                         nu_plan_row *out);

/* The plan of id, locked for the transaction when for_update; *found false
 * when none (also for an id that is not a uuid). */
nu_status nu_plan_get(nu_conn *c, nu_arena *a, const char *id, bool for_update, nu_plan_row *out,
                      bool *found);

/* Writes the mutable columns of *in (name, amounts, commitment, vat rate,
 * active) to plan in->id, bumps its version and update time, refreshes
 * the product's summary; *out is the row after. */
nu_status nu_plan_write(nu_conn *c, nu_arena *a, const nu_plan_row *in, int64_t now_ns,
                        nu_plan_row *out);

/* The plans of a product in creation order (only the active ones when
 * active_only) into *rows (arena), *n of them. */
nu_status nu_plan_list(nu_conn *c, nu_arena *a, const char *product_id, bool active_only,
                       nu_plan_row **rows, size_t *n);

/* One page of nu_plan_list's listing (creation order, then id: a stable
 * keyset): at most limit plans after the plan created at after_us with id
 * after_id (after_id NULL for the first page) into *rows (arena). */
nu_status nu_plan_list_page(nu_conn *c, nu_arena *a, const char *product_id, bool active_only,
                            int64_t after_us, const char *after_id, int limit, nu_plan_row **rows,
                            size_t *n);

#ifdef __cplusplus
}
#endif

#endif
