/*
 * product_search_store.h — browsing the products table: full-text search,
 * filters, sorts and keyset pages (ListProducts).
 *
 * Pages are keyset pages, never offsets: a page asks for the rows strictly
 * after the (sort key, id) of the last row of the previous page, so rows
 * inserted while a client pages through cannot shift the rows it has not
 * seen yet — every row that matched when paging started comes exactly once.
 * The sort key of a row is returned as text so the caller can put it in a
 * page token; the store gives it back to SQL as it came.
 */
#ifndef NU_STORE_PRODUCT_SEARCH_STORE_H
#define NU_STORE_PRODUCT_SEARCH_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/catalog/product_store.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_product_sort {
  NU_PRODUCT_SORT_NAME = 0,      /* lower(nu_unaccent(name)), id: accents fold */
  NU_PRODUCT_SORT_RELEVANCE = 1, /* ts_rank DESC, id; only with a query (else name) */
  NU_PRODUCT_SORT_PRICE = 2,     /* min_monthly_cents ASC NULLS LAST, id */
  NU_PRODUCT_SORT_NEWEST = 3,    /* published_at (created_at for drafts) DESC, id */
} nu_product_sort;

/* Which products a caller may see besides the published ones. */
typedef enum nu_product_visibility {
  NU_PRODUCT_PUBLISHED = 0, /* anonymous callers, buyers */
  NU_PRODUCT_OWNER = 1,     /* published ones and every product of owner_id */
  NU_PRODUCT_ALL = 2,       /* the platform operator */
} nu_product_visibility;

/* A search. Every list is borrowed; values are the database's text
 * ("machine_image", "secnumcloud", "hourly"…). Empty lists filter nothing. */
typedef struct nu_product_search {
  const char *query;           /* websearch syntax, accents ignored; NULL or "" for none */
  nu_text_list kinds;          /* any of */
  nu_text_list certifications; /* all of */
  nu_text_list regions;        /* any of */
  const char *seller_id;       /* uuid or NULL */
  nu_text_list pricing_models; /* any of */
  nu_text_list capabilities;   /* all of */
  bool exclude_extra_eu_law;
  nu_product_visibility visibility;
  const char *owner_id; /* NU_PRODUCT_OWNER: the caller's organisation */
  nu_product_sort sort;
  /* The page: after the row with this sort key and id (both NULL for the
   * first page; after_key NULL with after_id set means the key was SQL NULL,
   * e.g. a product without a price). */
  const char *after_key;
  const char *after_id;
  int limit;
} nu_product_search;

/* One row of a result and its sort key (text, NULL for SQL NULL). */
typedef struct nu_product_hit {
  nu_product_row row;
  const char *sort_key;
} nu_product_hit;

/* Runs the search: up to s->limit rows in sort order into *hits (arena),
 * *n of them. The sort actually used is *s->sort unless it is RELEVANCE
 * without a query (then NAME): see nu_product_search_effective_sort. */
nu_status nu_product_search_run(nu_conn *c, nu_arena *a, const nu_product_search *s,
                                nu_product_hit **hits, size_t *n);

/* The sort a search uses: relevance only means something with a query. */
nu_product_sort nu_product_search_effective_sort(const nu_product_search *s);

#ifdef __cplusplus
}
#endif

#endif
