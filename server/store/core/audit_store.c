/*
 * audit_store.c — appending to audit_log. Owns table audit_log (its
 * readers are in audit_query_store.c).
 */
#include "server/store/core/audit_store.h"

#include <stdio.h>
#include <string.h>

#include "server/common/json.h"
#include "server/store/core/db.h"

static const char *actor_kind(const nu_principal *p) {
  if (p == NULL) return "system";
  switch (p->kind) {
    case NU_PRINCIPAL_USER: return "user";
    case NU_PRINCIPAL_ACCESS_KEY: return "access_key";
    case NU_PRINCIPAL_ANONYMOUS: break;
  }
  return "anonymous";
}

/* {"field": {"before": …, "after": …}, …} */
static const char *changes_json(nu_arena *a, const nu_audit_change *ch, size_t n) {
  const char **kv = nu_arena_alloc(a, (2 * n + 1) * sizeof(*kv));
  if (kv == NULL) return NULL;
  size_t total = 3;
  for (size_t i = 0; i < n; i++) {
    const char *pair[] = {"before", ch[i].before, "after", ch[i].after};
    kv[2 * i] = nu_json_quote(a, ch[i].field);
    kv[2 * i + 1] = nu_json_object(a, pair, 2);
    if (kv[2 * i] == NULL || kv[2 * i + 1] == NULL) return NULL;
    total += strlen(kv[2 * i]) + strlen(kv[2 * i + 1]) + 2;
  }
  char *out = nu_arena_alloc(a, total);
  if (out == NULL) return NULL;
  size_t len = 0;
  out[len++] = '{';
  for (size_t i = 0; i < n; i++) {
    len += (size_t)sprintf(out + len, "%s%s:%s", i > 0 ? "," : "", kv[2 * i], kv[2 * i + 1]);
  }
  out[len++] = '}';
  out[len] = '\0';
  return out;
}

nu_status nu_audit_append(nu_conn *c, nu_arena *a, const nu_audit_event *e) {
  const nu_principal *p = e->actor;
  bool anonymous = p == NULL || p->kind == NU_PRINCIPAL_ANONYMOUS;
  const char *changes = changes_json(a, e->changes, e->change_count);
  const char *at = nu_db_i64(a, e->at_ns / 1000);
  if (changes == NULL || at == NULL) {
    return nu_store_oom(a);
  }
  const char *params[] = {
      at,
      actor_kind(p),
      anonymous ? NULL : p->id,
      anonymous || p->kind != NU_PRINCIPAL_ACCESS_KEY ? NULL : p->access_key_id,
      e->organization_id != NULL && e->organization_id[0] != '\0' ? e->organization_id : NULL,
      e->action,
      e->target_type,
      e->target_id != NULL ? e->target_id : "",
      changes,
      e->request_id != NULL ? e->request_id : "",
  };
  return nu_db_exec(c, a,
                    "INSERT INTO audit_log (at, actor_kind, actor_user_id, actor_access_key_id,"
                    " organization_id, action, target_type, target_id, changes, request_id)"
                    " VALUES (nu_ts($1), $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10)",
                    10, params, NULL);
}
