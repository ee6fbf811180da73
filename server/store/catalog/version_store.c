/*
 * version_store.c — SQL of the product_versions table. Owns table
 * product_versions.
 */
#include "server/store/catalog/version_store.h"

#include <inttypes.h>
#include <string.h>

#include "server/store/core/db.h"

#define COLUMNS                                                                 \
  "id, product_id, label, release_notes, status, nu_us(published_at), version," \
  " nu_us(created_at), nu_us(updated_at)"

static const char *or_empty(const char *s) { return s != NULL ? s : ""; }

static void read_row(const PGresult *r, int i, nu_version_row *o) {
  int k = 0;
  o->id = nu_db_text(r, i, k++);
  o->product_id = nu_db_text(r, i, k++);
  o->label = nu_db_text(r, i, k++);
  o->release_notes = nu_db_text(r, i, k++);
  o->status = nu_db_text(r, i, k++);
  o->published_us = nu_db_get_i64(r, i, k++);
  o->version = nu_db_get_i64(r, i, k++);
  o->created_us = nu_db_get_i64(r, i, k++);
  o->updated_us = nu_db_get_i64(r, i, k++);
}

static nu_status read_one(nu_arena *a, const PGresult *r, nu_version_row *o) {
  if (PQntuples(r) != 1) {
    return nu_error(a, NU_INTERNAL, "VERSION_VANISHED", "version vanished while written");
  }
  read_row(r, 0, o);
  return nu_ok();
}

/* A unique violation on (product_id, label) says which field. */
static nu_status label_taken(nu_conn *c, nu_arena *a, nu_status st) {
  if (st.code == NU_ALREADY_EXISTS && strstr(nu_db_failed_constraint(c), "label") != NULL) {
    nu_status s = nu_error(a, NU_ALREADY_EXISTS, "VERSION_LABEL_TAKEN",
                           "the product already has a version with this label");
    nu_status_add_violation(a, &s, "version.label", "already used by another version");
    return s;
  }
  return st;
}

nu_status nu_version_get(nu_conn *c, nu_arena *a, const char *id, bool for_update,
                         nu_version_row *out, bool *found) {
  const char *params[] = {id};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 for_update ? "SELECT " COLUMNS " FROM product_versions WHERE id = $1 FOR UPDATE"
                            : "SELECT " COLUMNS " FROM product_versions WHERE id = $1",
                 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  return *found ? read_one(a, res, out) : nu_ok();
}

nu_status nu_version_insert(nu_conn *c, nu_arena *a, const nu_version_row *in, int64_t now_ns,
                            nu_version_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {in->product_id, in->label, or_empty(in->release_notes), now};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "INSERT INTO product_versions (product_id, label, release_notes, created_at, updated_at)"
      " VALUES ($1, $2, $3, nu_ts($4), nu_ts($4)) RETURNING " COLUMNS,
      4, params, &res);
  if (!nu_status_is_ok(&st)) return label_taken(c, a, st);
  return read_one(a, res, out);
}

nu_status nu_version_write(nu_conn *c, nu_arena *a, const nu_version_row *in, int64_t now_ns,
                           nu_version_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  const char *published = in->published_us != 0 ? nu_db_i64(a, in->published_us) : NULL;
  if (now == NULL || (in->published_us != 0 && published == NULL)) return nu_store_oom(a);
  const char *params[] = {in->id,     in->label, or_empty(in->release_notes),
                          in->status, published, now};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "UPDATE product_versions SET label = $2, release_notes = $3, status = $4,"
                 " published_at = nu_ts($5), version = version + 1, updated_at = nu_ts($6)"
                 " WHERE id = $1 RETURNING " COLUMNS,
                 6, params, &res);
  if (!nu_status_is_ok(&st)) return label_taken(c, a, st);
  return read_one(a, res, out);
}

nu_status nu_version_list_page(nu_conn *c, nu_arena *a, const char *product_id, bool published_only,
                               int64_t after_us, const char *after_id, int limit,
                               nu_version_row **rows, size_t *n) {
  *rows = NULL;
  *n = 0;
  const char *us = nu_arena_sprintf(a, "%" PRId64, after_us);
  const char *lim = nu_arena_sprintf(a, "%d", limit);
  if (us == NULL || lim == NULL) return nu_store_oom(a);
  const char *params[] = {product_id, nu_db_bool(published_only), us, after_id, lim};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "SELECT " COLUMNS
                 " FROM product_versions WHERE product_id = $1"
                 " AND (status = 'published' OR NOT $2::bool)"
                 " AND ($4::uuid IS NULL OR (created_at, id) > (nu_ts($3::bigint), $4::uuid))"
                 " ORDER BY created_at, id LIMIT $5::int",
                 5, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int count = PQntuples(res);
  *n = (size_t)count;
  *rows = count > 0 ? nu_arena_calloc(a, (size_t)count, sizeof(**rows)) : NULL;
  if (count > 0 && *rows == NULL) return nu_store_oom(a);
  for (int i = 0; i < count; i++) read_row(res, i, &(*rows)[i]);
  return nu_ok();
}

nu_status nu_version_count_published(nu_conn *c, nu_arena *a, const char *product_id, int64_t *n) {
  const char *params[] = {product_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT count(*) FROM product_versions"
                            " WHERE product_id = $1 AND status = 'published'",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = nu_db_get_i64(res, 0, 0);
  return nu_ok();
}
