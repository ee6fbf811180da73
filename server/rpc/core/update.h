/*
 * update.h — the one update path of every change to a versioned row.
 *
 * Every Update RPC (and the custom methods that move a row: publish,
 * validate, suspend, set a level …) runs the same steps in one read-write
 * transaction:
 *
 *   1. lock the row FOR UPDATE, as the caller may change it: a row that is
 *      absent or not the caller's answers NOT_FOUND "<resource> not found"
 *      alike (nu_rpc_not_found);
 *   2. check the etag: a request that carries one (the resource's `etag`
 *      field, AIP-154; a custom method's request `etag`) must name the
 *      row's version, else FAILED_PRECONDITION ETAG_MISMATCH
 *      (nu_rpc_stale_etag); an empty etag is not checked (the validator
 *      says whether a method requires one);
 *   3. apply the request to a copy of the row (the handler's apply step:
 *      the update mask, a state machine, the domain rules);
 *   4. diff the audited fields (nu_audit_field tables below);
 *   5. nothing changed: nothing is written, nothing audited, the reply is
 *      the same row with the same etag; else write (version + 1) and append
 *      one audit event naming the changed fields, then the handler's
 *      optional after-write step (notices) in the same transaction.
 *
 * Malformed etags are refused earlier, by the validator (INVALID_ARGUMENT
 * naming the field), so step 2 only compares.
 */
#ifndef NU_RPC_CORE_UPDATE_H
#define NU_RPC_CORE_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "google/protobuf/field_mask.pb-c.h"
#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/audit_store.h"
#include "server/store/core/db.h"
#include "server/transport/call.h"
#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- audited fields ------------------------------------------------------ */

typedef enum nu_field_kind {
  NU_FIELD_TEXT,  /* const char *; NULL and "" are both "absent" */
  NU_FIELD_BOOL,  /* bool: "true" / "false" */
  NU_FIELD_INT32, /* int32_t, decimal */
  NU_FIELD_INT64, /* int64_t, decimal; zero_absent: 0 is "absent" */
  NU_FIELD_FORMAT /* the format function renders it from the whole row */
} nu_field_kind;

/* Renders a field of row into *out (arena; NULL: absent). -1: no memory. */
typedef int (*nu_field_format_fn)(nu_arena *a, const void *row, const char **out);

typedef struct nu_audit_field {
  const char *name; /* the audit's field name */
  nu_field_kind kind;
  size_t offset;             /* of the member in the row (not NU_FIELD_FORMAT) */
  bool zero_absent;          /* NU_FIELD_INT64: 0 means "not set" */
  nu_field_format_fn format; /* NU_FIELD_FORMAT only */
} nu_audit_field;

#define NU_AUDIT_TEXT(name, type, member) \
  { name, NU_FIELD_TEXT, offsetof(type, member), false, NULL }
#define NU_AUDIT_BOOL(name, type, member) \
  { name, NU_FIELD_BOOL, offsetof(type, member), false, NULL }
#define NU_AUDIT_INT32(name, type, member) \
  { name, NU_FIELD_INT32, offsetof(type, member), false, NULL }
#define NU_AUDIT_INT64(name, type, member) \
  { name, NU_FIELD_INT64, offsetof(type, member), false, NULL }
#define NU_AUDIT_INT64_SET(name, type, member) \
  { name, NU_FIELD_INT64, offsetof(type, member), true, NULL }
#define NU_AUDIT_FORMAT(name, fn) \
  { name, NU_FIELD_FORMAT, 0, false, fn }
#define NU_AUDIT_FIELDS(table) (table), (sizeof(table) / sizeof((table)[0]))

/* The fields of `fields` whose rendering differs between before and after,
 * in table order, as audit changes (arena) with absent values NULL.
 * before NULL: a creation (every before value absent). */
nu_status nu_audit_diff(nu_arena *a, const nu_audit_field *fields, size_t n_fields,
                        const void *before, const void *after, nu_audit_change **out, size_t *n);

/* ---- update masks (AIP-134) ---------------------------------------------- */

/* Whether the mask names path. */
bool nu_update_masked(const Google__Protobuf__FieldMask *m, const char *path);

/* Validator step of an Update with a mask: a violation on `update_mask`
 * when it names no field, and on `update_mask.paths[i]` for each path not
 * among the n paths of allowed. */
void nu_update_validate_mask(nu_validator *v, const Google__Protobuf__FieldMask *m,
                             const char *const *allowed, size_t n);

/* ---- the update path ------------------------------------------------------ */

typedef struct nu_update nu_update;

/* What is fixed for a kind of row. */
typedef struct nu_update_spec {
  const char *resource;    /* "pricing plan": the NOT_FOUND message */
  const char *target_type; /* "pricing_plan": the audit's target type */
  size_t row_size;         /* sizeof the row struct */
  const nu_audit_field *fields;
  size_t n_fields;
  /* Locks the row of u->id FOR UPDATE into row, checking the caller may
   * change it (the handler's state, u->ctx, may keep what it read on the
   * way, e.g. the product of a plan). *found false: absent or not the
   * caller's. */
  nu_status (*lock)(nu_update *u, nu_conn *c, void *row, bool *found);
  size_t version_offset; /* offsetof the row's int64_t version */
  size_t id_offset;      /* offsetof the row's id (const char *): the audit's target */
  /* Writes after (its version + 1) and reads it back into result. */
  nu_status (*write)(nu_update *u, nu_conn *c, const void *after, void *result);
  /* Upserts only: inserts after (no row was found) into result. */
  nu_status (*insert)(nu_update *u, nu_conn *c, const void *after, void *result);
  /* The organisation the audit event belongs to: the row's member at
   * org_offset when has_org, else organization(u, row) when set, else none. */
  bool has_org;
  size_t org_offset;
  const char *(*organization)(nu_update *u, const void *row);
} nu_update_spec;

/* The offsets of a spec, from the row's type and members. */
#define NU_UPDATE_ROW(type, id_member, version_member)              \
  .row_size = sizeof(type), .id_offset = offsetof(type, id_member), \
  .version_offset = offsetof(type, version_member)
#define NU_UPDATE_ORG(type, member) .has_org = true, .org_offset = offsetof(type, member)

/* One run: the handler fills the inputs and calls nu_update_run. */
struct nu_update {
  /* inputs */
  nu_call *call;
  const nu_update_spec *spec;
  const char *id;     /* the row's id as the request names it */
  const char *etag;   /* NULL or "": not checked */
  const char *action; /* the audit action, "pricing_plan.update" */
  const void *req;    /* the decoded request */
  void *ctx;          /* the handler's own state */
  /* Applies req to row (a copy of the locked row; for an upsert of an
   * absent row, zeroed). A refusal aborts the change. */
  nu_status (*apply)(nu_update *u, nu_conn *c, void *row);
  /* Optional, once the row is written (not when nothing changed). */
  nu_status (*after_write)(nu_update *u, nu_conn *c, const void *result);
  bool upsert; /* absent row: spec->insert, action upsert_action */
  const char *insert_action;
  /* outputs (arena) */
  const void *before; /* the locked row; NULL when an upsert inserted */
  void *result;       /* the row as it is now */
  bool changed;       /* something was written */
  bool found;         /* the row existed */
};

/* Runs the steps above in one read-write transaction (nu_rpc_tx). On OK,
 * u->result is the row to answer with. */
nu_status nu_update_run(nu_update *u);

/* The steps without opening a transaction, for a handler already in one. */
nu_status nu_update_in_tx(nu_update *u, nu_conn *c);

#ifdef __cplusplus
}
#endif

#endif
