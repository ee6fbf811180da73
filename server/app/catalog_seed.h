/*
 * catalog_seed.h — `nuage-server seed-catalog`: the demo catalogue.
 *
 *   nuage-server seed-catalog [--database-url URL]
 *
 * Applies the migrations, then loads, in one transaction, the 15 cloud
 * providers referenced by the UGAP "Portail Nuage Public" (validated seller
 * organisations with their storefronts) and a few published products each,
 * with plans, certifications (SecNumCloud, HDS, …), regions and
 * capabilities — so a new user browses something on the first run. Prices
 * are illustrative. Loading again adds nothing: sellers have fixed ids and
 * a seller's product is found by its name. The database URL defaults to
 * $NUAGE_DATABASE_URL. Tests never depend on it.
 */
#ifndef NU_RPC_CATALOG_SEED_H
#define NU_RPC_CATALOG_SEED_H

#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a load did. */
typedef struct nu_catalog_seed_result {
  int sellers_created;
  int products_created;
  int plans_created;
} nu_catalog_seed_result;

/* Loads the demo catalogue on c, inside the caller's transaction, at
 * now_ns. */
nu_status nu_catalog_seed_load(nu_conn *c, nu_arena *a, int64_t now_ns,
                               nu_catalog_seed_result *out);

/* argv[0] is "seed-catalog". Returns the process exit code: 0 done,
 * 1 failed, 2 usage. */
int nu_catalog_seed_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
