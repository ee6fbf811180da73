/*
 * catalog_version.h — CatalogService: versions of a product
 * (CreateProductVersion, UpdateProductVersion, PublishProductVersion,
 * UnpublishProductVersion, ListProductVersions).
 */
#ifndef NU_RPC_CATALOG_VERSION_H
#define NU_RPC_CATALOG_VERSION_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_catalog_version_methods[];
extern const size_t nu_catalog_version_methods_count;

#ifdef __cplusplus
}
#endif

#endif
