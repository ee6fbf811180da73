/*
 * storefront_store.h — the storefronts table: one storefront per seller
 * organisation, keyed by the organisation. Owns table storefronts.
 */
#ifndef NU_STORE_STOREFRONT_STORE_H
#define NU_STORE_STOREFRONT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One storefront. Strings owned by the arena (or borrowed from the caller
 * when it fills a row to write); times in Unix microseconds. */
typedef struct nu_storefront_row {
  const char *organization_id;
  const char *name;
  const char *description;
  const char *contact_email;
  const char *contact_phone;
  const char *website;
  int64_t version;
  int64_t created_us;
  int64_t updated_us;
} nu_storefront_row;

/* The storefront of organization_id (a uuid: the caller checks), locked
 * when for_update; *found false when none. */
nu_status nu_storefront_get(nu_conn *c, nu_arena *a, const char *organization_id, bool for_update,
                            nu_storefront_row *out, bool *found);

/* Inserts *in at now_ns; ALREADY_EXISTS when the organisation has one. */
nu_status nu_storefront_insert(nu_conn *c, nu_arena *a, const nu_storefront_row *in, int64_t now_ns,
                               nu_storefront_row *out);

/* Writes every column of *in to the storefront of in->organization_id,
 * bumps its version and update time; *out is the row after. */
nu_status nu_storefront_write(nu_conn *c, nu_arena *a, const nu_storefront_row *in, int64_t now_ns,
                              nu_storefront_row *out);

/* The storefront of a demo seller (catalog_seed_store), unless the
 * organisation has one; contact e-mail and phone empty. */
nu_status nu_storefront_ensure(nu_conn *c, nu_arena *a, const char *organization_id,
                               const char *name, const char *description, const char *website,
                               int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
