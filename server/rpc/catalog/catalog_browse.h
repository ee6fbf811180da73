/*
 * catalog_browse.h — CatalogService browsing: ListProducts (search,
 * filters, sorts, keyset pages) and GetProduct (by id or code, with its
 * plans). Both are public: anonymous callers and buyers see published
 * products; a caller acting for the seller also sees its drafts and
 * unpublished products.
 */
#ifndef NU_RPC_CATALOG_BROWSE_H
#define NU_RPC_CATALOG_BROWSE_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_catalog_browse_methods[];
extern const size_t nu_catalog_browse_methods_count;

#ifdef __cplusplus
}
#endif

#endif
