/*
 * catalog_product.h — CatalogService: storefronts (UpsertStorefront,
 * GetStorefront) and the write side of products (CreateProduct,
 * UpdateProduct, PublishProduct, UnpublishProduct).
 *
 * Also what the version RPCs share with them: finding a product the caller
 * may change, and telling subscribed organisations that it went away.
 */
#ifndef NU_RPC_CATALOG_PRODUCT_H
#define NU_RPC_CATALOG_PRODUCT_H

#include <stddef.h>

#include "server/dispatch/method.h"
#include "server/store/catalog/product_store.h"
#include "server/store/core/pool.h"
#include "server/transport/call.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_catalog_product_methods[];
extern const size_t nu_catalog_product_methods_count;

/* The product id_or_code, locked for the transaction, when the caller acts
 * for its seller (or is the platform operator); NOT_FOUND "product not
 * found" otherwise, as for an absent product. */
nu_status nu_catalog_product_for_change(nu_call *call, nu_conn *c, const char *id_or_code,
                                        nu_product_row *out);

/* Queues one e-mail (template product_unpublished) per organisation with a
 * live subscription to the product, to its referent, in the transaction of
 * the change; *notified is how many. */
nu_status nu_catalog_notify_unpublished(nu_call *call, nu_conn *c, const nu_product_row *p,
                                        size_t *notified);

#ifdef __cplusplus
}
#endif

#endif
