/*
 * eligibility_store.c — SQL of eligible_domains and eligible_domain_imports.
 * Owns tables eligible_domains and eligible_domain_imports.
 */
#include "server/store/eligibility/eligibility_store.h"

#include <stdio.h>
#include <string.h>

#include "server/store/core/db.h"

/* Array literals of the entries' names and line numbers. Names are valid
 * domain names ([a-z0-9.-]), so they need no quoting inside {…}. */
static nu_status entry_arrays(nu_arena *a, const nu_domain_import *imp, const char **names,
                              const char **lines) {
  size_t nsize = 3, lsize = 3;
  for (size_t i = 0; i < imp->count; i++) {
    nsize += strlen(imp->names[i]) + 1;
    lsize += 11;
  }
  char *n = nu_arena_alloc(a, nsize);
  char *l = nu_arena_alloc(a, lsize);
  if (n == NULL || l == NULL) return nu_store_oom(a);
  size_t np = 0, lp = 0;
  n[np++] = '{';
  l[lp++] = '{';
  for (size_t i = 0; i < imp->count; i++) {
    if (i > 0) {
      n[np++] = ',';
      l[lp++] = ',';
    }
    size_t len = strlen(imp->names[i]);
    memcpy(n + np, imp->names[i], len);
    np += len;
    lp += (size_t)snprintf(l + lp, lsize - lp, "%u", (unsigned)imp->name_lines[i]);
  }
  n[np++] = '}';
  n[np] = '\0';
  l[lp++] = '}';
  l[lp] = '\0';
  *names = n;
  *lines = l;
  return nu_ok();
}

nu_status nu_eligibility_replace(nu_conn *c, nu_arena *a, const nu_domain_import *imp,
                                 const char **import_id) {
  /* Concurrent imports run one after the other; readers are not blocked. */
  nu_status st = nu_db_exec(c, a, "LOCK TABLE eligible_domains IN EXCLUSIVE MODE", 0, NULL, NULL);
  if (!nu_status_is_ok(&st)) return st;

  const char *params[] = {
      imp->imported_by,
      imp->source != NULL ? imp->source : "stream",
      nu_db_i64(a, imp->lines),
      nu_db_i64(a, (int64_t)imp->count),
      nu_db_i64(a, imp->normalised),
      nu_db_i64(a, imp->duplicates),
      nu_db_i64(a, imp->invalid),
      nu_db_i64(a, imp->now_ns / 1000),
  };
  for (size_t i = 2; i < 8; i++) {
    if (params[i] == NULL) return nu_store_oom(a);
  }
  PGresult *res = NULL;
  st = nu_db_exec(c, a,
                  "INSERT INTO eligible_domain_imports (id, imported_by, source, lines, accepted,"
                  " normalised, duplicates, invalid, created_at)"
                  " VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, nu_ts($8))"
                  " RETURNING id",
                  8, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *import_id = nu_db_text(res, 0, 0);

  /* An import replaces the imported domains; those added by an accepted
   * request stay (and win over the same domain in the file). */
  st = nu_db_exec(c, a, "DELETE FROM eligible_domains WHERE import_id IS NOT NULL", 0, NULL, NULL);
  if (!nu_status_is_ok(&st)) return st;
  const char *names = NULL, *lines = NULL;
  st = entry_arrays(a, imp, &names, &lines);
  if (!nu_status_is_ok(&st)) return st;
  const char *ins[] = {names, lines, *import_id};
  return nu_db_exec(c, a,
                    "INSERT INTO eligible_domains (domain, line_number, import_id)"
                    " SELECT d, l, $3::uuid FROM unnest($1::text[], $2::int[]) AS t(d, l)"
                    " ON CONFLICT (domain) DO NOTHING",
                    3, ins, NULL);
}

nu_status nu_eligibility_add_requested(nu_conn *c, nu_arena *a, const char *domain,
                                       const char *request_id, bool *added) {
  const char *params[] = {domain, request_id};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "INSERT INTO eligible_domains (domain, request_id) VALUES ($1, $2::uuid)"
                 " ON CONFLICT (domain) DO NOTHING RETURNING domain",
                 2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *added = PQntuples(res) == 1;
  return nu_ok();
}

nu_status nu_eligibility_lookup(nu_conn *c, nu_arena *a, const char *domain, const char **matched,
                                int32_t *line) {
  *matched = NULL;
  *line = 0;
  /* The domain and each parent: a.b.fr → {a.b.fr,b.fr,fr}. */
  size_t len = strlen(domain);
  char *arr = nu_arena_alloc(a, 2 * len * (len + 1) / 2 + len + 3);
  if (arr == NULL) return nu_store_oom(a);
  size_t p = 0;
  arr[p++] = '{';
  for (const char *s = domain; s != NULL && *s != '\0';) {
    if (p > 1) arr[p++] = ',';
    size_t n = strlen(s);
    memcpy(arr + p, s, n);
    p += n;
    const char *dot = strchr(s, '.');
    s = dot != NULL ? dot + 1 : NULL;
  }
  arr[p++] = '}';
  arr[p] = '\0';
  const char *params[] = {arr};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT domain, COALESCE(line_number, 0) FROM eligible_domains"
                            " WHERE domain = ANY($1::text[]) ORDER BY length(domain) LIMIT 1",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) == 1) {
    *matched = nu_db_text(res, 0, 0);
    *line = (int32_t)nu_db_get_i64(res, 0, 1);
  }
  return nu_ok();
}
