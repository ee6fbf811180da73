/*
 * product_search_store.c — the ListProducts query.
 *
 * One SELECT built from the search: NU_PRODUCT_SELECT (product_store.h)
 * plus the sort key as one more column, a WHERE of the filters that are
 * set, the keyset condition, ORDER BY and LIMIT. Every value goes in as a
 * $n parameter; only fixed SQL fragments are concatenated.
 *
 * Full text: the search column holds French and English stems of the
 * accent-folded name and description (0006), so the query is folded the
 * same way (nu_unaccent) and parsed in both languages, OR-ed: "sécurité"
 * and "securite" give the same stems, and an English word matches without
 * the French stemmer mangling it.
 */
#include "server/store/catalog/product_search_store.h"

#include <string.h>

#include "server/store/core/db.h"

#define MAX_PARAMS 16

/* The SQL under construction and its parameters. */
typedef struct query {
  nu_arena *a;
  char *sql;
  const char *params[MAX_PARAMS];
  int n;
  bool oom;
} query;

static void add_sql(query *q, const char *s) {
  if (s == NULL) q->oom = true;
  if (q->oom) return;
  q->sql = nu_arena_sprintf(q->a, "%s%s", q->sql != NULL ? q->sql : "", s);
  if (q->sql == NULL) q->oom = true;
}

/* Adds a parameter; returns its placeholder ("$3"), NULL when full. */
static const char *param(query *q, const char *value) {
  if (q->oom || q->n >= MAX_PARAMS) {
    q->oom = true;
    return "NULL";
  }
  q->params[q->n++] = value;
  const char *ph = nu_arena_sprintf(q->a, "$%d", q->n);
  if (ph == NULL) q->oom = true;
  return ph != NULL ? ph : "NULL";
}

/* A text[] literal ({"a","b"}) for a list: every item quoted, with " and \
 * escaped, so a region name cannot break out of its element. */
static const char *array_literal(nu_arena *a, const nu_text_list *l) {
  size_t len = 3;
  for (size_t i = 0; i < l->n; i++) len += 2 * strlen(l->items[i]) + 3;
  char *out = nu_arena_alloc(a, len);
  if (out == NULL) return NULL;
  char *p = out;
  *p++ = '{';
  for (size_t i = 0; i < l->n; i++) {
    if (i > 0) *p++ = ',';
    *p++ = '"';
    for (const char *s = l->items[i]; *s != '\0'; s++) {
      if (*s == '"' || *s == '\\') *p++ = '\\';
      *p++ = *s;
    }
    *p++ = '"';
  }
  *p++ = '}';
  *p = '\0';
  return out;
}

/* " AND p.<column> <op> $n::text[]" for a non-empty list. */
static void array_filter(query *q, const char *column, const char *op, const nu_text_list *l) {
  if (l->n == 0) return;
  const char *lit = array_literal(q->a, l);
  if (lit == NULL) {
    q->oom = true;
    return;
  }
  add_sql(q, nu_arena_sprintf(q->a, " AND %s %s %s::text[]", column, op, param(q, lit)));
}

nu_product_sort nu_product_search_effective_sort(const nu_product_search *s) {
  bool has_query = s->query != NULL && s->query[0] != '\0';
  if (s->sort == NU_PRODUCT_SORT_RELEVANCE && !has_query) return NU_PRODUCT_SORT_NAME;
  return s->sort;
}

/* The time NEWEST sorts on. Public pages walk the partial index on
 * published rows by published_at; a seller's own drafts have none, so they
 * sort by their creation time among the rest. */
static const char *time_expr(bool published_only) {
  return published_only ? "p.published_at" : "COALESCE(p.published_at, p.created_at)";
}

/* The sort key expression, as SQL of type text. */
static const char *key_expr(nu_arena *a, nu_product_sort sort, bool published_only) {
  switch (sort) {
    case NU_PRODUCT_SORT_RELEVANCE: return "ts_rank(p.search, q.tsq)::text";
    case NU_PRODUCT_SORT_PRICE: return "p.min_monthly_cents::text";
    case NU_PRODUCT_SORT_NEWEST:
      return nu_arena_sprintf(a, "nu_us(%s)::text", time_expr(published_only));
    case NU_PRODUCT_SORT_NAME:
    default: return "lower(nu_unaccent(p.name))";
  }
}

/* The keyset condition: rows strictly after (after_key, after_id) in the
 * sort order, written so that PostgreSQL can walk the matching index. */
static void keyset(query *q, nu_product_sort sort, bool published_only, const char *after_key,
                   const char *after_id) {
  if (after_id == NULL) return;
  const char *id = param(q, after_id);
  switch (sort) {
    case NU_PRODUCT_SORT_RELEVANCE: {
      const char *k = param(q, after_key);
      add_sql(q, nu_arena_sprintf(q->a,
                                  " AND (ts_rank(p.search, q.tsq) < %s::real"
                                  " OR (ts_rank(p.search, q.tsq) = %s::real AND p.id > %s::uuid))",
                                  k, k, id));
      break;
    }
    case NU_PRODUCT_SORT_PRICE:
      /* NULLS LAST: after a priced row come dearer ones, then every unpriced
       * one; after an unpriced row, only unpriced ones with a greater id. */
      if (after_key == NULL) {
        add_sql(q,
                nu_arena_sprintf(q->a, " AND p.min_monthly_cents IS NULL AND p.id > %s::uuid", id));
      } else {
        const char *k = param(q, after_key);
        add_sql(q, nu_arena_sprintf(q->a,
                                    " AND ((p.min_monthly_cents, p.id) > (%s::bigint, %s::uuid)"
                                    " OR p.min_monthly_cents IS NULL)",
                                    k, id));
      }
      break;
    case NU_PRODUCT_SORT_NEWEST: {
      const char *t = time_expr(published_only);
      const char *k = param(q, after_key);
      add_sql(
          q,
          nu_arena_sprintf(
              q->a, " AND (%s < nu_ts(%s::bigint) OR (%s = nu_ts(%s::bigint) AND p.id > %s::uuid))",
              t, k, t, k, id));
      break;
    }
    case NU_PRODUCT_SORT_NAME:
    default:
      add_sql(q, nu_arena_sprintf(q->a,
                                  " AND (lower(nu_unaccent(p.name)), p.id) > (%s::text, %s::uuid)",
                                  param(q, after_key), id));
      break;
  }
}

static const char *order_by(nu_arena *a, nu_product_sort sort, bool published_only) {
  switch (sort) {
    case NU_PRODUCT_SORT_RELEVANCE: return " ORDER BY ts_rank(p.search, q.tsq) DESC, p.id";
    case NU_PRODUCT_SORT_PRICE: return " ORDER BY p.min_monthly_cents NULLS LAST, p.id";
    case NU_PRODUCT_SORT_NEWEST:
      return nu_arena_sprintf(a, " ORDER BY %s DESC, p.id", time_expr(published_only));
    case NU_PRODUCT_SORT_NAME:
    default: return " ORDER BY lower(nu_unaccent(p.name)), p.id";
  }
}

/* NU_PRODUCT_SELECT with one more column (the sort key) spliced in before
 * its FROM, so nu_product_read still finds its columns at 0..N-1. */
static const char *select_with_key(nu_arena *a, const char *key) {
  static const char *const select = NU_PRODUCT_SELECT;
  const char *from = strstr(select, " FROM products p");
  if (from == NULL) return NULL; /* product_store.h changed its SELECT */
  return nu_arena_sprintf(a, "%.*s, %s%s", (int)(from - select), select, key, from);
}

nu_status nu_product_search_run(nu_conn *c, nu_arena *a, const nu_product_search *s,
                                nu_product_hit **hits, size_t *n) {
  *hits = NULL;
  *n = 0;
  nu_product_sort sort = nu_product_search_effective_sort(s);
  bool has_query = s->query != NULL && s->query[0] != '\0';
  bool published_only = s->visibility == NU_PRODUCT_PUBLISHED;
  query q = {.a = a};
  const char *key = key_expr(a, sort, published_only);
  const char *select = key != NULL ? select_with_key(a, key) : NULL;
  if (key == NULL) return nu_store_oom(a);
  if (select == NULL) {
    return nu_error(a, NU_INTERNAL, "INTERNAL", "product select has an unexpected shape");
  }
  add_sql(&q, select);
  if (has_query) {
    const char *text = param(&q, s->query);
    add_sql(&q,
            nu_arena_sprintf(a,
                             " CROSS JOIN (SELECT websearch_to_tsquery('french', nu_unaccent(%s))"
                             " || websearch_to_tsquery('english', nu_unaccent(%s)) AS tsq) q",
                             text, text));
  }
  switch (s->visibility) {
    case NU_PRODUCT_ALL: add_sql(&q, " WHERE true"); break;
    case NU_PRODUCT_OWNER:
      add_sql(&q, nu_arena_sprintf(a, " WHERE (p.status = 'published' OR p.seller_id = %s::uuid)",
                                   param(&q, s->owner_id)));
      break;
    case NU_PRODUCT_PUBLISHED:
    default: add_sql(&q, " WHERE p.status = 'published'"); break;
  }
  if (has_query) add_sql(&q, " AND p.search @@ q.tsq");
  array_filter(&q, "p.kind", "= ANY(", &s->kinds);
  if (s->kinds.n > 0) add_sql(&q, ")");
  array_filter(&q, "p.certifications", "@>", &s->certifications);
  array_filter(&q, "p.regions", "&&", &s->regions);
  array_filter(&q, "p.pricing_models", "&&", &s->pricing_models);
  array_filter(&q, "p.capabilities", "@>", &s->capabilities);
  if (s->seller_id != NULL && s->seller_id[0] != '\0') {
    add_sql(&q, nu_arena_sprintf(a, " AND p.seller_id = %s::uuid", param(&q, s->seller_id)));
  }
  if (s->exclude_extra_eu_law) add_sql(&q, " AND NOT p.extra_eu_law");
  keyset(&q, sort, published_only, s->after_key, s->after_id);
  add_sql(&q, order_by(a, sort, published_only));
  add_sql(&q, nu_arena_sprintf(a, " LIMIT %s", param(&q, nu_db_i64(a, s->limit))));
  if (q.oom) return nu_store_oom(a);

  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a, q.sql, q.n, q.params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int count = PQntuples(res);
  if (count == 0) return nu_ok();
  nu_product_hit *out = nu_arena_calloc(a, (size_t)count, sizeof(*out));
  if (out == NULL) return nu_store_oom(a);
  for (int i = 0; i < count; i++) {
    if (nu_product_read(a, (const struct pg_result *)res, i, &out[i].row) != 0)
      return nu_store_oom(a);
    out[i].sort_key = nu_db_text(res, i, NU_PRODUCT_SELECT_COLUMNS);
  }
  *hits = out;
  *n = (size_t)count;
  return nu_ok();
}
