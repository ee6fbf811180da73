/*
 * audit_query_store.c — SQL reading audit_log. One row per (event, changed
 * field), grouped back into events here.
 */
#include "server/store/core/audit_query_store.h"

#include <stdbool.h>

#include "server/store/core/db.h"

static const char *nonempty_or_null(const char *s) { return s != NULL && s[0] != '\0' ? s : NULL; }

nu_status nu_audit_query(nu_conn *c, nu_arena *a, const nu_audit_filter *f, nu_audit_row **rows,
                         size_t *n) {
  const char *params[] = {
      nonempty_or_null(f->organization_id),
      nonempty_or_null(f->actor_user_id),
      nonempty_or_null(f->action),
      nonempty_or_null(f->target_type),
      nonempty_or_null(f->target_id),
      f->start_us != 0 ? nu_db_i64(a, f->start_us) : NULL,
      f->end_us != 0 ? nu_db_i64(a, f->end_us) : NULL,
      f->before_id != 0 ? nu_db_i64(a, f->before_id) : NULL,
      nu_db_i64(a, f->limit),
  };
  if (params[8] == NULL) return nu_store_oom(a);
  /* uuid filters are compared as text: a malformed id matches nothing
   * instead of failing the cast. */
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "SELECT e.id, nu_us(e.at), e.actor_kind, e.actor_user_id, e.actor_access_key_id,"
                 " e.organization_id, e.action, e.target_type, e.target_id, e.request_id,"
                 " ch.key, ch.value->>'before', ch.value->>'after'"
                 " FROM (SELECT * FROM audit_log l"
                 "   WHERE ($1::text IS NULL OR l.organization_id::text = lower($1))"
                 "   AND ($2::text IS NULL OR l.actor_user_id::text = lower($2))"
                 "   AND ($3::text IS NULL OR l.action = $3)"
                 "   AND ($4::text IS NULL OR l.target_type = $4)"
                 "   AND ($5::text IS NULL OR l.target_id = $5)"
                 "   AND ($6::bigint IS NULL OR l.at >= nu_ts($6::bigint))"
                 "   AND ($7::bigint IS NULL OR l.at < nu_ts($7::bigint))"
                 "   AND ($8::bigint IS NULL OR l.id < $8::bigint)"
                 "   ORDER BY l.id DESC LIMIT $9::int) e"
                 " LEFT JOIN LATERAL jsonb_each(e.changes) ch ON true"
                 " ORDER BY e.id DESC, ch.key",
                 9, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int total = PQntuples(res);
  *rows = nu_arena_calloc(a, (size_t)total + 1, sizeof(**rows));
  nu_audit_field *fields = nu_arena_calloc(a, (size_t)total + 1, sizeof(*fields));
  if (*rows == NULL || fields == NULL) return nu_store_oom(a);
  size_t count = 0;
  for (int i = 0; i < total; i++) {
    int64_t id = nu_db_get_i64(res, i, 0);
    if (count == 0 || (*rows)[count - 1].id != id) {
      nu_audit_row *r = &(*rows)[count++];
      r->id = id;
      r->at_us = nu_db_get_i64(res, i, 1);
      r->actor_kind = nu_db_text(res, i, 2);
      r->actor_user_id = nu_db_text(res, i, 3);
      r->actor_access_key_id = nu_db_text(res, i, 4);
      r->organization_id = nu_db_text(res, i, 5);
      r->action = nu_db_text(res, i, 6);
      r->target_type = nu_db_text(res, i, 7);
      r->target_id = nu_db_text(res, i, 8);
      r->request_id = nu_db_text(res, i, 9);
      r->changes = &fields[i];
    }
    if (nu_db_text(res, i, 10) != NULL) {
      nu_audit_row *r = &(*rows)[count - 1];
      nu_audit_field *fl = &r->changes[r->change_count++];
      fl->field = nu_db_text(res, i, 10);
      fl->before = nu_db_text(res, i, 11);
      fl->after = nu_db_text(res, i, 12);
    }
  }
  *n = count;
  return nu_ok();
}
