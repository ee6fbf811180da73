/*
 * catalog_seed_store.h — what the demo catalogue (app/catalog_seed.h) needs
 * besides the product and plan stores: its seller organisations with their
 * storefronts, and finding a product it already loaded.
 *
 * Seed rows have fixed ids, so loading twice finds them instead of adding
 * copies. This file owns no table: it calls the owners of users,
 * organizations and storefronts.
 */
#ifndef NU_STORE_CATALOG_SEED_STORE_H
#define NU_STORE_CATALOG_SEED_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A seller of the demo catalogue. Its referent is a disabled user without a
 * password (user_id, login, email): nobody signs in as a demo seller. */
typedef struct nu_seed_seller {
  const char *org_id;
  const char *user_id;
  const char *login;
  const char *email;
  const char *name;
  const char *description;
  const char *website;
} nu_seed_seller;

/* Inserts the user, the validated seller organisation and its storefront
 * unless they exist (by id); *created tells whether the organisation is
 * new. now_ns is the time written. */
nu_status nu_seed_seller_ensure(nu_conn *c, nu_arena *a, const nu_seed_seller *s, int64_t now_ns,
                                bool *created);

/* The id of seller_id's product named name (arena), or NULL. */
nu_status nu_seed_product_find(nu_conn *c, nu_arena *a, const char *seller_id, const char *name,
                               const char **id);

#ifdef __cplusplus
}
#endif

#endif
