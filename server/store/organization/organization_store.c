/*
 * organization_store.c — SQL of the organizations table. Owns table
 * organizations.
 */
#include "server/store/organization/organization_store.h"

#include <string.h>

#include "server/store/core/db.h"

#define ORG_COLUMNS                                                                     \
  "id, name, is_buyer, is_seller, siret, status, status_reason, account_level, region," \
  " support_level, billing_name, billing_address, billing_postal_code, billing_city,"   \
  " billing_country, billing_email, vat_number, nu_us(identity_verified_at),"           \
  " identity_verified_by, identity_verification_note, referent_user_id, version,"       \
  " nu_us(created_at), nu_us(updated_at), code, invoice_recipient_first_name,"          \
  " invoice_recipient_last_name, invoice_recipient_email, invoice_reference_1,"         \
  " invoice_reference_2, invoice_reference_3, nu_us(provisional_build_until)"
/* How many columns ORG_COLUMNS has: what a query selects after them starts
 * there. */
#define ORG_COLUMN_COUNT 32

static void read_row(const PGresult *r, int i, nu_org_row *o) {
  int k = 0;
  o->id = nu_db_text(r, i, k++);
  o->name = nu_db_text(r, i, k++);
  o->buyer = nu_db_get_bool(r, i, k++);
  o->seller = nu_db_get_bool(r, i, k++);
  o->siret = nu_db_text(r, i, k++);
  o->status = nu_db_text(r, i, k++);
  o->status_reason = nu_db_text(r, i, k++);
  o->account_level = nu_db_text(r, i, k++);
  o->region = nu_db_text(r, i, k++);
  o->support_level = nu_db_text(r, i, k++);
  o->billing_name = nu_db_text(r, i, k++);
  o->billing_address = nu_db_text(r, i, k++);
  o->billing_postal_code = nu_db_text(r, i, k++);
  o->billing_city = nu_db_text(r, i, k++);
  o->billing_country = nu_db_text(r, i, k++);
  o->billing_email = nu_db_text(r, i, k++);
  o->vat_number = nu_db_text(r, i, k++);
  o->identity_verified_us = nu_db_get_i64(r, i, k++);
  o->identity_verified_by = nu_db_text(r, i, k++);
  o->identity_verification_note = nu_db_text(r, i, k++);
  o->referent_user_id = nu_db_text(r, i, k++);
  o->version = nu_db_get_i64(r, i, k++);
  o->created_us = nu_db_get_i64(r, i, k++);
  o->updated_us = nu_db_get_i64(r, i, k++);
  o->code = nu_db_text(r, i, k++);
  o->invoice_recipient_first_name = nu_db_text(r, i, k++);
  o->invoice_recipient_last_name = nu_db_text(r, i, k++);
  o->invoice_recipient_email = nu_db_text(r, i, k++);
  o->invoice_reference_1 = nu_db_text(r, i, k++);
  o->invoice_reference_2 = nu_db_text(r, i, k++);
  o->invoice_reference_3 = nu_db_text(r, i, k++);
  o->provisional_build_until_us = nu_db_get_i64(r, i, k++);
}

/* A unique violation on the SIRET says so; anything else passes through. */
static nu_status siret_taken(nu_conn *c, nu_arena *a, nu_status st) {
  if (st.code == NU_ALREADY_EXISTS && strstr(nu_db_failed_constraint(c), "siret") != NULL) {
    nu_status s = nu_error(a, NU_ALREADY_EXISTS, "SIRET_TAKEN",
                           "another organization is registered with this siret");
    nu_status_add_violation(a, &s, "organization.siret", "already registered");
    return s;
  }
  return st;
}

static const char *empty_null(const char *s) { return s != NULL && s[0] != '\0' ? s : NULL; }
static const char *or_empty(const char *s) { return s != NULL ? s : ""; }

nu_status nu_org_insert(nu_conn *c, nu_arena *a, const nu_org_row *in, int64_t now_ns,
                        nu_org_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {
      in->name,
      nu_db_bool(in->buyer),
      nu_db_bool(in->seller),
      empty_null(in->siret),
      or_empty(in->region),
      or_empty(in->billing_name),
      or_empty(in->billing_address),
      or_empty(in->billing_postal_code),
      or_empty(in->billing_city),
      or_empty(in->billing_country),
      or_empty(in->billing_email),
      or_empty(in->vat_number),
      in->referent_user_id,
      now,
      or_empty(in->invoice_recipient_first_name),
      or_empty(in->invoice_recipient_last_name),
      or_empty(in->invoice_recipient_email),
      or_empty(in->invoice_reference_1),
      or_empty(in->invoice_reference_2),
      or_empty(in->invoice_reference_3),
  };
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "INSERT INTO organizations (name, is_buyer, is_seller, siret, region, billing_name,"
      " billing_address, billing_postal_code, billing_city, billing_country, billing_email,"
      " vat_number, referent_user_id, created_at, updated_at, invoice_recipient_first_name,"
      " invoice_recipient_last_name, invoice_recipient_email, invoice_reference_1,"
      " invoice_reference_2, invoice_reference_3)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, nu_ts($14), nu_ts($14),"
      " $15, $16, $17, $18, $19, $20)"
      " RETURNING " ORG_COLUMNS,
      20, params, &res);
  if (!nu_status_is_ok(&st)) return siret_taken(c, a, st);
  read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_org_insert_signup(nu_conn *c, nu_arena *a, const char *name,
                               const char *referent_user_id, int64_t now_ns, const char **id) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {name, referent_user_id, now};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 "INSERT INTO organizations (name, is_buyer, is_seller, referent_user_id,"
                 " created_at, updated_at)"
                 " VALUES ($1, true, false, $2, nu_ts($3), nu_ts($3)) RETURNING id",
                 3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *id = nu_db_text(res, 0, 0);
  return nu_ok();
}

nu_status nu_org_ensure_seller(nu_conn *c, nu_arena *a, const char *id, const char *name,
                               const char *referent_user_id, int64_t now_ns, bool *created) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  if (now == NULL) return nu_store_oom(a);
  const char *params[] = {id, name, referent_user_id, now};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "INSERT INTO organizations (id, name, is_buyer, is_seller, status, referent_user_id,"
      " created_at, updated_at)"
      " VALUES ($1, $2, false, true, 'validated', $3, nu_ts($4), nu_ts($4))"
      " ON CONFLICT DO NOTHING RETURNING id",
      4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *created = PQntuples(res) == 1;
  return nu_ok();
}

nu_status nu_org_get(nu_conn *c, nu_arena *a, const char *id, bool for_update, nu_org_row *out,
                     bool *found) {
  const char *params[] = {id};
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a,
                 for_update ? "SELECT " ORG_COLUMNS " FROM organizations WHERE id = $1 FOR UPDATE"
                            : "SELECT " ORG_COLUMNS " FROM organizations WHERE id = $1",
                 1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found) read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_org_get_by_code(nu_conn *c, nu_arena *a, const char *code, nu_org_row *out,
                             bool *found) {
  const char *params[] = {code};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a, "SELECT " ORG_COLUMNS " FROM organizations WHERE code = $1", 1,
                            params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (*found) read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_org_write(nu_conn *c, nu_arena *a, const nu_org_row *in, int64_t now_ns,
                       nu_org_row *out) {
  const char *now = nu_db_i64(a, now_ns / 1000);
  const char *verified =
      in->identity_verified_us != 0 ? nu_db_i64(a, in->identity_verified_us) : NULL;
  if (now == NULL || (in->identity_verified_us != 0 && verified == NULL)) return nu_store_oom(a);
  const char *provisional =
      in->provisional_build_until_us != 0 ? nu_db_i64(a, in->provisional_build_until_us) : NULL;
  if (in->provisional_build_until_us != 0 && provisional == NULL) return nu_store_oom(a);
  const char *params[] = {
      in->id,
      in->name,
      nu_db_bool(in->buyer),
      nu_db_bool(in->seller),
      empty_null(in->siret),
      in->status,
      or_empty(in->status_reason),
      in->account_level,
      or_empty(in->region),
      in->support_level,
      or_empty(in->billing_name),
      or_empty(in->billing_address),
      or_empty(in->billing_postal_code),
      or_empty(in->billing_city),
      or_empty(in->billing_country),
      or_empty(in->billing_email),
      or_empty(in->vat_number),
      verified,
      in->identity_verified_by,
      or_empty(in->identity_verification_note),
      in->referent_user_id,
      now,
      or_empty(in->invoice_recipient_first_name),
      or_empty(in->invoice_recipient_last_name),
      or_empty(in->invoice_recipient_email),
      or_empty(in->invoice_reference_1),
      or_empty(in->invoice_reference_2),
      or_empty(in->invoice_reference_3),
      provisional,
  };
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "UPDATE organizations SET name = $2, is_buyer = $3, is_seller = $4, siret = $5,"
      " status = $6, status_reason = $7, account_level = $8, region = $9, support_level = $10,"
      " billing_name = $11, billing_address = $12, billing_postal_code = $13,"
      " billing_city = $14, billing_country = $15, billing_email = $16, vat_number = $17,"
      " identity_verified_at = nu_ts($18), identity_verified_by = $19,"
      " identity_verification_note = $20, referent_user_id = $21,"
      " invoice_recipient_first_name = $23, invoice_recipient_last_name = $24,"
      " invoice_recipient_email = $25, invoice_reference_1 = $26, invoice_reference_2 = $27,"
      " invoice_reference_3 = $28, version = version + 1, updated_at = nu_ts($22),"
      " provisional_build_until = nu_ts($29)"
      " WHERE id = $1 RETURNING " ORG_COLUMNS,
      29, params, &res);
  if (!nu_status_is_ok(&st)) return siret_taken(c, a, st);
  if (PQntuples(res) != 1) {
    return nu_error(a, NU_INTERNAL, "ORGANIZATION_VANISHED", "organization vanished while updated");
  }
  read_row(res, 0, out);
  return nu_ok();
}

nu_status nu_org_list(nu_conn *c, nu_arena *a, const nu_org_filter *f, nu_org_row **rows,
                      size_t *n) {
  const char *params[] = {
      f->member_user_id,     f->status,
      nu_db_i64(a, f->kind), f->after_id != NULL ? f->after_name : NULL,
      f->after_id,           nu_db_i64(a, f->limit),
      empty_null(f->query),
  };
  if (params[2] == NULL || params[5] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(
      c, a,
      "SELECT " ORG_COLUMNS
      ", lower(name), COALESCE((SELECT m.levels[1] FROM memberships m"
      "   WHERE m.organization_id = o.id AND m.user_id = $1::uuid), 0)"
      " FROM organizations o"
      " WHERE ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM memberships m"
      "        WHERE m.organization_id = o.id AND m.user_id = $1::uuid))"
      "   AND ($2::text IS NULL OR status = $2)"
      "   AND ($3::int = 0 OR ($3 = 1 AND is_buyer) OR ($3 = 2 AND is_seller))"
      "   AND ($7::text IS NULL OR strpos(lower(nu_unaccent(name)), lower(nu_unaccent($7))) > 0"
      "        OR strpos(code, upper($7)) > 0)"
      "   AND ($5::uuid IS NULL OR (lower(name), id) > ($4::text, $5::uuid))"
      " ORDER BY lower(name), id LIMIT $6",
      7, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  int count = PQntuples(res);
  *n = (size_t)count;
  *rows = count > 0 ? nu_arena_calloc(a, (size_t)count, sizeof(**rows)) : NULL;
  if (count > 0 && *rows == NULL) return nu_store_oom(a);
  for (int i = 0; i < count; i++) {
    read_row(res, i, &(*rows)[i]);
    (*rows)[i].sort_key = nu_db_text(res, i, ORG_COLUMN_COUNT);
    (*rows)[i].member_contract_level = (int)nu_db_get_i64(res, i, ORG_COLUMN_COUNT + 1);
  }
  return nu_ok();
}
