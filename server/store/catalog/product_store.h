/*
 * product_store.h — the products table.
 *
 * One row type for every reader of products (the write RPCs here, browsing
 * and plans elsewhere): nu_product_get reads one product by id or by code,
 * NU_PRODUCT_SELECT + nu_product_read let another store file select rows
 * the same way (with the seller's display name). Changes read the row FOR
 * UPDATE and write every mutable column back with nu_product_write, which
 * bumps the version (the etag). Owns table products.
 */
#ifndef NU_STORE_PRODUCT_STORE_H
#define NU_STORE_PRODUCT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A list of strings (arena). */
typedef struct nu_text_list {
  const char **items;
  size_t n;
} nu_text_list;

/* One product. Strings are owned by the arena (or borrowed from the caller
 * when it fills a row to write); enum-like columns hold the database's text
 * ("machine_image", "hds", "published"…: see rpc/catalog/catalog_common.h); times
 * are Unix microseconds, 0 for NULL. */
typedef struct nu_product_row {
  const char *id;
  const char *code; /* "NUP-1000", immutable */
  const char *seller_id;
  const char *seller_name; /* the storefront's name, else the organisation's (read only) */
  const char *kind;
  const char *name;
  const char *description;
  const char *category;
  nu_text_list regions;
  nu_text_list certifications;
  bool extra_eu_law;
  nu_text_list capabilities;
  nu_text_list pricing_models; /* kept by the plan store (read only here) */
  bool has_min_monthly;        /* min_monthly_cents is not NULL (read only here) */
  int64_t min_monthly_cents;
  const char *status; /* "draft", "published", "unpublished" */
  int64_t published_us;
  int64_t version;
  int64_t created_us;
  int64_t updated_us;
} nu_product_row;

/* A SELECT of every column nu_product_read reads, from products p joined
 * with the seller (organizations o, storefronts s); append WHERE/ORDER. */
#define NU_PRODUCT_SELECT                                                          \
  "SELECT p.id, p.code, p.seller_id, COALESCE(s.name, o.name), p.kind, p.name,"    \
  " p.description, p.category, p.regions, p.certifications, p.extra_eu_law,"       \
  " p.capabilities, p.pricing_models, p.min_monthly_cents IS NOT NULL,"            \
  " COALESCE(p.min_monthly_cents, 0), p.status, nu_us(p.published_at), p.version," \
  " nu_us(p.created_at), nu_us(p.updated_at)"                                      \
  " FROM products p JOIN organizations o ON o.id = p.seller_id"                    \
  " LEFT JOIN storefronts s ON s.organization_id = p.seller_id"
#define NU_PRODUCT_SELECT_COLUMNS 20

/* Reads row i of a result of NU_PRODUCT_SELECT (a const PGresult *) into
 * *out; arrays are parsed into the arena. Returns -1 when out of memory. */
struct pg_result;
int nu_product_read(nu_arena *a, const struct pg_result *res, int i, nu_product_row *out);

/* The product whose id (a uuid) or code ("NUP-…") is id_or_code, locked
 * for the transaction when for_update; *found false when none (also for a
 * string that is neither). */
nu_status nu_product_get(nu_conn *c, nu_arena *a, const char *id_or_code, bool for_update,
                         nu_product_row *out, bool *found);

/* Inserts a draft from *in (seller_id, kind, name, description, category,
 * regions, certifications, extra_eu_law, capabilities) at now_ns with the
 * next code of product_code_seq; *out is the stored row. */
nu_status nu_product_insert(nu_conn *c, nu_arena *a, const nu_product_row *in, int64_t now_ns,
                            nu_product_row *out);

/* Writes the mutable columns of *in (kind, name, description, category,
 * regions, certifications, extra_eu_law, capabilities, status,
 * published_us) to row in->id, bumps its version and update time; *out is
 * the row after. */
nu_status nu_product_write(nu_conn *c, nu_arena *a, const nu_product_row *in, int64_t now_ns,
                           nu_product_row *out);

/* Recomputes the product's plan summary (pricing_models, min_monthly_cents)
 * from its active pricing plans; plan_store calls it after every write of
 * a plan, in the same transaction. */
nu_status nu_product_refresh_plans(nu_conn *c, nu_arena *a, const char *product_id);

/* How many active pricing plans the product has (publishing needs one). */
nu_status nu_product_count_active_plans(nu_conn *c, nu_arena *a, const char *product_id,
                                        int64_t *n);

#ifdef __cplusplus
}
#endif

#endif
