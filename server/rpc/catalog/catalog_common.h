/*
 * catalog_common.h — what the CatalogService handlers share: the enum
 * values between the API and the database's text, and the API view of a
 * stored product.
 *
 * The database keeps enums as lower-case text ("machine_image", "hds",
 * "hourly", "published"); the API numbers them. Each pair of functions maps
 * one way and the other: *_name gives the database text of an API value
 * (NULL for UNSPECIFIED or a number this server does not know), *_parse the
 * API value of a database text (0, UNSPECIFIED, for NULL or unknown text).
 * The texts come from the enums' descriptors (validate/enum.h), the states'
 * from the domain (domain/catalog/publication.h).
 */
#ifndef NU_RPC_CATALOG_COMMON_H
#define NU_RPC_CATALOG_COMMON_H

#include <stdbool.h>

#include "nuage/v1/catalog.pb-c.h"
#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/catalog/product_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ProductKind: "machine_image", "managed_service", "professional_service". */
const char *nu_catalog_kind_name(int kind);
int nu_catalog_kind_parse(const char *s);

/* Certification: "hds", "iso_27001", "iso_27017", "iso_27018", "pci_dss",
 * "secnumcloud", "isae_3402", "iso_50001". */
const char *nu_catalog_certification_name(int certification);
int nu_catalog_certification_parse(const char *s);

/* Capability: "standard_vms", "serverless", "bare_metal", "optimized_vms",
 * "monitoring", "resource_optimization", "log_analysis", "cmdb", "vdi",
 * "training", "professional_services", "marketplace". */
const char *nu_catalog_capability_name(int capability);
int nu_catalog_capability_parse(const char *s);

/* PricingModel: "hourly", "free", "byol", "subscription", "quotation". */
const char *nu_catalog_pricing_model_name(int model);
int nu_catalog_pricing_model_parse(const char *s);

/* Product.State and ProductVersion.State (the same numbers): "draft",
 * "published", "unpublished". */
int nu_catalog_state_parse(const char *s);

/* The API view of a stored product into *out (arena), without its pricing
 * plans (GetProduct adds them). RESOURCE_EXHAUSTED when out of memory. */
nu_status nu_catalog_product_to_api(nu_arena *a, const nu_product_row *r, Nuage__V1__Product **out);

/* Whether the caller (principal of the call) acts for organisation org_id:
 * the seller's own view of its products (drafts, unpublished). The
 * platform operator acts for every organisation. */
struct nu_principal;
bool nu_catalog_acts_for(const struct nu_principal *p, const char *org_id);

#ifdef __cplusplus
}
#endif

#endif
