/*
 * credential_store.c — sessions and access keys → principal. Writes no
 * table itself: the session's touch is session_store's, the key's
 * access_key_store's.
 */
#include "server/store/identity/credential_store.h"

#include <sodium.h>
#include <string.h>

#include "server/store/core/db.h"
#include "server/store/identity/access_key_store.h"
#include "server/store/identity/session_store.h"

nu_status nu_credential_refused(nu_arena *a) {
  return nu_error(a, NU_UNAUTHENTICATED, "INVALID_CREDENTIALS", "invalid or expired credentials");
}

/* The principal of a user acting for organization_id with these levels
 * ("{2,2,…}" text, NULL without a membership). */
static nu_status fill(nu_arena *a, const char *user_id, bool platform_operator,
                      const char *organization_id, const char *levels, nu_principal *out) {
  memset(out, 0, sizeof(*out));
  out->id = user_id;
  out->platform_operator = platform_operator;
  out->organization_id = organization_id;
  if (levels == NULL) {
    /* No membership (removed, or none yet): acts for no organisation. */
    out->organization_id = NULL;
    return nu_ok();
  }
  /* "{l1,l2,…,l9}" */
  int section = NU_SECTION_CONTRACT;
  for (const char *p = levels; *p != '\0' && section <= NU_SECTION_STOREFRONT; p++) {
    if (*p >= '0' && *p <= '2') out->levels[section++] = (nu_level)(*p - '0');
  }
  if (section != NU_SECTION_STOREFRONT + 1) {
    return nu_error(a, NU_INTERNAL, "DATABASE_ERROR", "membership levels are malformed");
  }
  return nu_ok();
}

nu_status nu_credential_session(nu_conn *c, nu_arena *a, const uint8_t digest[NU_TOKEN_HASH_BYTES],
                                int64_t now_ns, nu_principal *out) {
  nu_session_principal s;
  bool found = false;
  nu_status st =
      nu_session_resolve(c, a, digest, now_ns, NU_SESSION_IDLE_NS, NU_SESSION_TOUCH_NS, &s, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_credential_refused(a);
  st = fill(a, s.user_id, s.platform_operator, s.organization_id, s.levels, out);
  if (!nu_status_is_ok(&st)) return st;
  out->kind = NU_PRINCIPAL_USER;
  out->session_id = s.session_id;
  return nu_ok();
}

nu_status nu_credential_access_key(nu_conn *c, nu_arena *a, const char *key_id,
                                   const uint8_t digest[NU_TOKEN_HASH_BYTES], int64_t now_ns,
                                   nu_principal *out) {
  const char *params[] = {key_id, nu_db_i64(a, now_ns / 1000),
                          nu_db_i64(a, NU_SESSION_TOUCH_NS / 1000)};
  if (params[1] == NULL || params[2] == NULL) {
    return nu_store_oom(a);
  }
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "WITH k AS ("
      "  SELECT id, user_id, organization_id, secret_hash, last_used_at FROM access_keys"
      "  WHERE id = $1 AND revoked_at IS NULL)"
      " SELECT u.id, u.platform_operator, k.organization_id, m.levels, k.id, k.secret_hash,"
      "  (k.last_used_at IS NULL OR k.last_used_at < nu_ts($2) - $3 * interval '1 microsecond')"
      " FROM k JOIN users u ON u.id = k.user_id"
      " LEFT JOIN memberships m ON m.organization_id = k.organization_id AND m.user_id = u.id"
      " WHERE u.status = 'active'",
      3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) return nu_credential_refused(a);
  size_t len = 0;
  const uint8_t *stored = nu_db_get_bytea(a, res, 0, 5, &len);
  if (stored == NULL || len != NU_TOKEN_HASH_BYTES ||
      sodium_memcmp(stored, digest, NU_TOKEN_HASH_BYTES) != 0) {
    return nu_credential_refused(a);
  }
  st = fill(a, nu_db_text(res, 0, 0), nu_db_get_bool(res, 0, 1), nu_db_text(res, 0, 2),
            nu_db_text(res, 0, 3), out);
  if (!nu_status_is_ok(&st)) return st;
  out->kind = NU_PRINCIPAL_ACCESS_KEY;
  out->access_key_id = nu_db_text(res, 0, 4);
  if (nu_db_get_bool(res, 0, 6)) st = nu_access_key_touch(c, a, key_id, now_ns);
  return st;
}
