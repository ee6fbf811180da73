/*
 * catalog_pricing.h — CatalogService: pricing plans (CreatePricingPlan,
 * UpdatePricingPlan, ListPricingPlans) and EstimatePrice.
 *
 * Plans are changed by storefront managers of the product's seller; for
 * anyone else a product is NOT_FOUND as if absent. Plans and estimates are
 * public for published products; the seller also sees its drafts,
 * unpublished products and inactive plans. The rules (what a plan of each
 * model needs, how an estimate is computed) are in domain/money.
 */
#ifndef NU_RPC_CATALOG_PRICING_H
#define NU_RPC_CATALOG_PRICING_H

#include <stddef.h>

#include "nuage/v1/catalog.pb-c.h"
#include "server/common/arena.h"
#include "server/dispatch/method.h"
#include "server/store/catalog/plan_store.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_catalog_pricing_methods[];
extern const size_t nu_catalog_pricing_methods_count;

/* The API view of a stored plan (arena); NULL when out of memory. */
Nuage__V1__PricingPlan *nu_catalog_plan_to_api(nu_arena *a, const nu_plan_row *r);

#ifdef __cplusplus
}
#endif

#endif
