/*
 * version_store.h — the product_versions table: versions of a product
 * ("2.4.1"), each a draft, published or unpublished.
 */
#ifndef NU_STORE_VERSION_STORE_H
#define NU_STORE_VERSION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One version. Strings owned by the arena (or borrowed when filled by the
 * caller); times in Unix microseconds, 0 for NULL. */
typedef struct nu_version_row {
  const char *id;
  const char *product_id;
  const char *label;
  const char *release_notes;
  const char *status; /* "draft", "published", "unpublished" */
  int64_t published_us;
  int64_t version;
  int64_t created_us;
  int64_t updated_us;
} nu_version_row;

/* The version of id (a uuid: the caller checks), locked when for_update. */
nu_status nu_version_get(nu_conn *c, nu_arena *a, const char *id, bool for_update,
                         nu_version_row *out, bool *found);

/* Inserts a draft (product_id, label, release_notes) at now_ns.
 * ALREADY_EXISTS VERSION_LABEL_TAKEN when the product has that label. */
nu_status nu_version_insert(nu_conn *c, nu_arena *a, const nu_version_row *in, int64_t now_ns,
                            nu_version_row *out);

/* Writes label, release_notes, status and published_us of *in to row
 * in->id, bumps version and update time. VERSION_LABEL_TAKEN as above. */
nu_status nu_version_write(nu_conn *c, nu_arena *a, const nu_version_row *in, int64_t now_ns,
                           nu_version_row *out);

/* One page of a product's versions, oldest first (created_at, then id: a
 * stable keyset): at most limit after the version created at after_us with
 * id after_id (NULL for the first page), only published ones when
 * published_only, into *rows (arena). */
nu_status nu_version_list_page(nu_conn *c, nu_arena *a, const char *product_id, bool published_only,
                               int64_t after_us, const char *after_id, int limit,
                               nu_version_row **rows, size_t *n);

/* How many versions of the product are published. */
nu_status nu_version_count_published(nu_conn *c, nu_arena *a, const char *product_id, int64_t *n);

#ifdef __cplusplus
}
#endif

#endif
