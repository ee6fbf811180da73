/*
 * update.c — the one update path (see update.h).
 */
#include "server/rpc/core/update.h"

#include <inttypes.h>
#include <string.h>

#include "server/rpc/core/handler.h"

/* ---- audited fields ------------------------------------------------------ */

static const void *member_at(const void *row, size_t offset) { return (const char *)row + offset; }

/* The text of field f in row (NULL: absent); -1: no memory. */
static int render(nu_arena *a, const nu_audit_field *f, const void *row, const char **out) {
  *out = NULL;
  if (row == NULL) return 0;
  switch (f->kind) {
    case NU_FIELD_TEXT: {
      const char *s = *(const char *const *)member_at(row, f->offset);
      *out = s != NULL && s[0] != '\0' ? s : NULL;
      return 0;
    }
    case NU_FIELD_BOOL:
      *out = *(const bool *)member_at(row, f->offset) ? "true" : "false";
      return 0;
    case NU_FIELD_INT32:
      *out = nu_arena_sprintf(a, "%" PRId32, *(const int32_t *)member_at(row, f->offset));
      return *out != NULL ? 0 : -1;
    case NU_FIELD_INT64: {
      int64_t v = *(const int64_t *)member_at(row, f->offset);
      if (v == 0 && f->zero_absent) return 0;
      *out = nu_arena_sprintf(a, "%" PRId64, v);
      return *out != NULL ? 0 : -1;
    }
    case NU_FIELD_FORMAT: return f->format(a, row, out);
  }
  return 0;
}

static bool same(const char *x, const char *y) {
  if (x == NULL || y == NULL) return x == y;
  return strcmp(x, y) == 0;
}

nu_status nu_audit_diff(nu_arena *a, const nu_audit_field *fields, size_t n_fields,
                        const void *before, const void *after, nu_audit_change **out, size_t *n) {
  *out = NULL;
  *n = 0;
  if (n_fields == 0) return nu_ok();
  nu_audit_change *ch = nu_arena_calloc(a, n_fields, sizeof(*ch));
  if (ch == NULL) return nu_rpc_oom(a);
  size_t k = 0;
  for (size_t i = 0; i < n_fields; i++) {
    const char *x, *y;
    if (render(a, &fields[i], before, &x) != 0 || render(a, &fields[i], after, &y) != 0) {
      return nu_rpc_oom(a);
    }
    if (!same(x, y)) ch[k++] = (nu_audit_change){fields[i].name, x, y};
  }
  *out = ch;
  *n = k;
  return nu_ok();
}

/* ---- update masks ---------------------------------------------------------- */

bool nu_update_masked(const Google__Protobuf__FieldMask *m, const char *path) {
  for (size_t i = 0; m != NULL && i < m->n_paths; i++) {
    if (strcmp(m->paths[i], path) == 0) return true;
  }
  return false;
}

void nu_update_validate_mask(nu_validator *v, const Google__Protobuf__FieldMask *m,
                             const char *const *allowed, size_t n) {
  if (m == NULL || m->n_paths == 0) nu_validate_fail(v, "update_mask", "names no field");
  for (size_t i = 0; m != NULL && i < m->n_paths; i++) {
    bool known = false;
    for (size_t j = 0; j < n && !known; j++) known = strcmp(m->paths[i], allowed[j]) == 0;
    if (!known) {
      nu_validate_fail(v, nu_arena_sprintf(v->arena, "update_mask.paths[%zu]", i),
                       "is not a field that can be updated");
    }
  }
}

/* ---- the update path ------------------------------------------------------ */

static int64_t version_of(const nu_update_spec *s, const void *row) {
  return *(const int64_t *)member_at(row, s->version_offset);
}

static const char *text_of(const void *row, size_t offset) {
  return *(const char *const *)member_at(row, offset);
}

nu_status nu_update_in_tx(nu_update *u, nu_conn *c) {
  const nu_update_spec *s = u->spec;
  nu_arena *a = nu_call_arena(u->call);
  void *before = nu_arena_calloc(a, 1, s->row_size);
  void *after = nu_arena_calloc(a, 1, s->row_size);
  void *result = nu_arena_calloc(a, 1, s->row_size);
  if (before == NULL || after == NULL || result == NULL) return nu_rpc_oom(a);
  bool found = false;
  nu_status st = s->lock(u, c, before, &found);
  if (!nu_status_is_ok(&st)) return st;
  bool has_etag = u->etag != NULL && u->etag[0] != '\0';
  u->found = found;
  if (!found && !u->upsert) return nu_rpc_not_found(a, s->resource);
  if (found && u->upsert && !has_etag) {
    return nu_error(a, NU_FAILED_PRECONDITION, "ETAG_REQUIRED",
                    "the %s exists: send its etag to replace it", s->resource);
  }
  if (has_etag) {
    int64_t version = 0;
    if (!found || nu_rpc_etag_parse(u->etag, &version) != 0 || version != version_of(s, before)) {
      return nu_rpc_stale_etag(a);
    }
  }
  if (found) memcpy(after, before, s->row_size);
  st = u->apply(u, c, after);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change *ch = NULL;
  size_t n = 0;
  st = nu_audit_diff(a, s->fields, s->n_fields, found ? before : NULL, after, &ch, &n);
  if (!nu_status_is_ok(&st)) return st;
  u->before = found ? before : NULL;
  if (found && n == 0) { /* nothing to write: the same row, the same etag */
    u->result = before;
    u->changed = false;
    return nu_ok();
  }
  st = found ? s->write(u, c, after, result) : s->insert(u, c, after, result);
  if (!nu_status_is_ok(&st)) return st;
  u->result = result;
  u->changed = true;
  const char *org = s->has_org                ? text_of(result, s->org_offset)
                    : s->organization != NULL ? s->organization(u, result)
                                              : NULL;
  const char *action = found || u->insert_action == NULL ? u->action : u->insert_action;
  st = nu_rpc_audit(u->call, c, org, action, s->target_type, text_of(result, s->id_offset), ch, n);
  if (!nu_status_is_ok(&st)) return st;
  return u->after_write != NULL ? u->after_write(u, c, result) : nu_ok();
}

static nu_status update_tx(nu_conn *c, nu_arena *a, void *arg) {
  (void)a;
  return nu_update_in_tx(arg, c);
}

nu_status nu_update_run(nu_update *u) { return nu_rpc_tx(u->call, false, update_tx, u); }
