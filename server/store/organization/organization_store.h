/*
 * organization_store.h — the organizations table; owns it (every write of
 * organizations is here, the sign-up's and the demo catalogue's included).
 *
 * Handlers read a row (FOR UPDATE when they change it), decide with the
 * domain rules, and write every mutable column back with nu_org_write,
 * which bumps the version (the etag) in the same statement.
 */
#ifndef NU_STORE_ORGANIZATION_STORE_H
#define NU_STORE_ORGANIZATION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One organisation. Strings are owned by the arena (or borrowed from the
 * caller when it fills a row to write); siret is NULL when none; times are
 * Unix microseconds, 0 for NULL. */
typedef struct nu_org_row {
  const char *id;
  const char *code; /* "ORG-123456": set by the database at insert, never written */
  const char *name;
  bool buyer;
  bool seller;
  const char *siret;
  const char *status; /* "pending_validation", "validated", "suspended" */
  const char *status_reason;
  const char *account_level; /* "discovery", "test", "build" */
  const char *region;
  const char *support_level; /* "basic", "standard", "business", "premium" */
  const char *billing_name;
  const char *billing_address;
  const char *billing_postal_code;
  const char *billing_city;
  const char *billing_country;
  const char *billing_email;
  const char *vat_number;
  const char *invoice_recipient_first_name;
  const char *invoice_recipient_last_name;
  const char *invoice_recipient_email;
  const char *invoice_reference_1; /* REF1-3, printed on invoices */
  const char *invoice_reference_2;
  const char *invoice_reference_3;
  int64_t identity_verified_us;
  const char *identity_verified_by;
  const char *identity_verification_note;
  const char *referent_user_id;
  int64_t version;
  int64_t created_us;
  int64_t updated_us;
  const char *sort_key;      /* nu_org_list only: lower(name), for page tokens */
  int member_contract_level; /* nu_org_list with member_user_id only: that member's
                                level on contract (0 none, 1 visitor, 2 manager) */
  /* End of a provisional build (account_level.h), Unix microseconds; 0
   * when none runs. */
  int64_t provisional_build_until_us;
} nu_org_row;

/* Inserts a new organisation from *in (id, code, status, level, version
 * and times are set by the database; support level basic) created at now_ns;
 * *out is the stored row. ALREADY_EXISTS SIRET_TAKEN when another
 * organisation has the SIRET. */
nu_status nu_org_insert(nu_conn *c, nu_arena *a, const nu_org_row *in, int64_t now_ns,
                        nu_org_row *out);

/* The organisation of a self-service sign-up: a buyer named name, with
 * the database's defaults (pending validation, discovery), referent_user_id
 * as its referent, created at now_ns; *id is its id (arena). */
nu_status nu_org_insert_signup(nu_conn *c, nu_arena *a, const char *name,
                               const char *referent_user_id, int64_t now_ns, const char **id);

/* A validated seller of fixed id (the demo catalogue's) unless an
 * organisation of that id exists; *created tells whether it was added. */
nu_status nu_org_ensure_seller(nu_conn *c, nu_arena *a, const char *id, const char *name,
                               const char *referent_user_id, int64_t now_ns, bool *created);

/* The organisation of id (a uuid: the caller checks the syntax), locked
 * for the transaction when for_update; *found false when none. */
nu_status nu_org_get(nu_conn *c, nu_arena *a, const char *id, bool for_update, nu_org_row *out,
                     bool *found);

/* The organisation of code ("ORG-123456": the caller checks the syntax);
 * *found false when none. */
nu_status nu_org_get_by_code(nu_conn *c, nu_arena *a, const char *code, nu_org_row *out,
                             bool *found);

/* Writes every mutable column of *in to row in->id, bumps its version and
 * update time; *out is the row after. ALREADY_EXISTS SIRET_TAKEN as above. */
nu_status nu_org_write(nu_conn *c, nu_arena *a, const nu_org_row *in, int64_t now_ns,
                       nu_org_row *out);

typedef struct nu_org_filter {
  const char *member_user_id; /* only organisations this user is a member of; NULL: all */
  const char *status;         /* or NULL */
  int kind;                   /* 0 any, 1 buyers, 2 sellers */
  const char *query;          /* name (case and accents folded) or code contains it; or NULL */
  const char *after_name;     /* keyset: lower(name) and id of the last row, or NULL */
  const char *after_id;
  int limit;
} nu_org_filter;

/* A page by (lower(name), id); up to limit rows into *rows (arena). */
nu_status nu_org_list(nu_conn *c, nu_arena *a, const nu_org_filter *f, nu_org_row **rows,
                      size_t *n);

#ifdef __cplusplus
}
#endif

#endif
