/*
 * document_store.c — SQL of documents (see the header).
 * Owns table documents.
 */
#include "server/store/orders/document_store.h"

#include <inttypes.h>
#include <string.h>

#include "server/common/json.h"

#include "server/store/core/db.h"
#include "server/validate/ids.h"

#define COLUMNS                                                                       \
  "id, kind, number, COALESCE(order_id::text, ''), organization_id,"                  \
  " COALESCE(seller_id::text, ''), content_type, COALESCE(octet_length(content), 0)," \
  " COALESCE(sha256, ''), nu_us(created_at), rendered_at IS NOT NULL"

static void read_row(const PGresult *res, int i, nu_document_row *r) {
  memset(r, 0, sizeof(*r));
  r->id = nu_db_text(res, i, 0);
  r->kind = nu_db_text(res, i, 1);
  r->number = nu_db_text(res, i, 2);
  r->order_id = nu_db_text(res, i, 3);
  r->organization_id = nu_db_text(res, i, 4);
  r->seller_id = nu_db_text(res, i, 5);
  r->content_type = nu_db_text(res, i, 6);
  r->size = nu_db_get_i64(res, i, 7);
  r->sha256 = nu_db_text(res, i, 8);
  r->created_us = nu_db_get_i64(res, i, 9);
  r->rendered = nu_db_get_bool(res, i, 10);
}

nu_status nu_document_next_delivery_note_number(nu_conn *c, nu_arena *a, const char **number) {
  PGresult *res = NULL;
  nu_status st =
      nu_db_exec(c, a, "SELECT 'BL' || lpad(nextval('delivery_note_number_seq')::text, 6, '0')", 0,
                 NULL, &res);
  if (!nu_status_is_ok(&st)) {
    if (st.reason != NULL && strcmp(st.reason, "SEQUENCE_EXHAUSTED") == 0) {
      return nu_error(a, NU_RESOURCE_EXHAUSTED, "DELIVERY_NOTE_NUMBERS_EXHAUSTED",
                      "every delivery note number BL000001 to BL999999 is used");
    }
    return st;
  }
  *number = nu_db_text(res, 0, 0);
  return nu_ok();
}

nu_status nu_document_get(nu_conn *c, nu_arena *a, const char *id, bool with_content,
                          nu_document_row *out, bool *found) {
  if (!nu_id_valid(id)) {
    *found = false;
    return nu_ok();
  }
  const char *params[] = {id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            with_content ? "SELECT " COLUMNS
                                           ", content FROM documents"
                                           " WHERE id = $1::uuid"
                                         : "SELECT " COLUMNS " FROM documents WHERE id = $1::uuid",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *found = PQntuples(res) == 1;
  if (!*found) return nu_ok();
  read_row(res, 0, out);
  if (with_content) {
    out->content = nu_db_get_bytea(a, res, 0, 11, &out->content_len);
    if (out->content == NULL && out->size > 0) return nu_store_oom(a);
  }
  return nu_ok();
}

nu_status nu_document_list_for_order(nu_conn *c, nu_arena *a, const char *order_id,
                                     nu_document_row **rows, size_t *n) {
  const char *params[] = {order_id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT " COLUMNS
                            " FROM documents WHERE order_id = $1::uuid"
                            " ORDER BY created_at, number",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) read_row(res, (int)i, &(*rows)[i]);
  return nu_ok();
}

/* ---- pending documents and their snapshots ------------------------------- */

static const char *date_json(nu_arena *a, nu_date d) {
  char buf[16];
  if (nu_date_format(d, buf, sizeof(buf)) < 0) return NULL;
  return nu_json_quote(a, buf);
}

/* The snapshot as JSON text (arena); NULL when out of memory or a date is
 * invalid. */
static const char *note_json(nu_arena *a, const nu_document_note *n) {
  const char *lines = "";
  for (size_t i = 0; i < n->n_lines; i++) {
    const nu_document_note_line *l = &n->lines[i];
    const char *code = nu_json_quote(a, l->product_code);
    const char *designation = nu_json_quote(a, l->designation);
    const char *on = date_json(a, l->delivered_on);
    if (code == NULL || designation == NULL || on == NULL) return NULL;
    lines =
        nu_arena_sprintf(a,
                         "%s%s{\"product_code\": %s, \"designation\": %s,"
                         " \"quantity_delivered\": %" PRId64 ", \"delivered_on\": %s}",
                         lines, i > 0 ? ", " : "", code, designation, l->quantity_delivered, on);
    if (lines == NULL) return NULL;
  }
  const char *q[] = {nu_json_quote(a, n->number),
                     date_json(a, n->date),
                     nu_json_quote(a, n->order_number),
                     nu_json_quote(a, n->buyer_name),
                     nu_json_quote(a, n->purchase_order_ref != NULL ? n->purchase_order_ref : ""),
                     nu_json_quote(a, n->service_code != NULL ? n->service_code : ""),
                     nu_json_quote(a, n->provider_name)};
  for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
    if (q[i] == NULL) return NULL;
  }
  return nu_arena_sprintf(a,
                          "{\"number\": %s, \"date\": %s, \"order_number\": %s,"
                          " \"buyer_name\": %s, \"purchase_order_ref\": %s,"
                          " \"service_code\": %s, \"provider_name\": %s, \"lines\": [%s]}",
                          q[0], q[1], q[2], q[3], q[4], q[5], q[6], lines);
}

nu_status nu_document_insert_pending(nu_conn *c, nu_arena *a, const nu_document_row *in,
                                     const nu_document_note *note, int64_t now_ns,
                                     nu_document_row *out) {
  const char *params[] = {in->kind,
                          in->number,
                          in->order_id != NULL && in->order_id[0] != '\0' ? in->order_id : NULL,
                          in->organization_id,
                          in->seller_id != NULL && in->seller_id[0] != '\0' ? in->seller_id : NULL,
                          in->content_type != NULL ? in->content_type : "application/pdf",
                          note_json(a, note),
                          nu_db_i64(a, now_ns / 1000)};
  if (params[6] == NULL || params[7] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO documents (kind, number, order_id, organization_id,"
                            " seller_id, content_type, render_input, created_at, render_after)"
                            " VALUES ($1, $2, $3::uuid, $4::uuid, $5::uuid, $6, $7::jsonb,"
                            " nu_ts($8), nu_ts($8)) RETURNING " COLUMNS,
                            8, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  read_row(res, 0, out);
  return nu_ok();
}

#define SNAPSHOT_DATE "the snapshot has an invalid date"

/* Reads the snapshot of locked document p->id into p->note; what is
 * missing reads as "" (or 0), and a malformed value sets
 * p->snapshot_error rather than failing the transaction. */
static nu_status load_snapshot(nu_conn *c, nu_arena *a, nu_document_pending *p) {
  const char *params[] = {p->id};
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT COALESCE(render_input->>'number', ''),"
                            " COALESCE(render_input->>'date', ''),"
                            " COALESCE(render_input->>'order_number', ''),"
                            " COALESCE(render_input->>'buyer_name', ''),"
                            " COALESCE(render_input->>'purchase_order_ref', ''),"
                            " COALESCE(render_input->>'service_code', ''),"
                            " COALESCE(render_input->>'provider_name', '')"
                            " FROM documents WHERE id = $1::uuid",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) return nu_error(a, NU_INTERNAL, NULL, "document %s vanished", p->id);
  nu_document_note *n = &p->note;
  n->number = nu_db_text(res, 0, 0);
  if (nu_date_parse(nu_db_text(res, 0, 1), &n->date) != 0) p->snapshot_error = SNAPSHOT_DATE;
  n->order_number = nu_db_text(res, 0, 2);
  n->buyer_name = nu_db_text(res, 0, 3);
  n->purchase_order_ref = nu_db_text(res, 0, 4);
  n->service_code = nu_db_text(res, 0, 5);
  n->provider_name = nu_db_text(res, 0, 6);
  res = NULL;
  st = nu_db_exec(c, a,
                  "SELECT COALESCE(l->>'product_code', ''), COALESCE(l->>'designation', ''),"
                  " CASE WHEN l->>'quantity_delivered' ~ '^[0-9]{1,18}$'"
                  " THEN (l->>'quantity_delivered')::bigint ELSE 0 END,"
                  " COALESCE(l->>'delivered_on', '')"
                  " FROM documents, jsonb_array_elements(CASE WHEN"
                  " jsonb_typeof(render_input->'lines') = 'array'"
                  " THEN render_input->'lines' ELSE '[]' END)"
                  " WITH ORDINALITY AS e (l, k) WHERE id = $1::uuid ORDER BY k",
                  1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  size_t k = (size_t)PQntuples(res);
  nu_document_note_line *lines = nu_arena_calloc(a, k + 1, sizeof(*lines));
  if (lines == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < k; i++) {
    lines[i].product_code = nu_db_text(res, (int)i, 0);
    lines[i].designation = nu_db_text(res, (int)i, 1);
    lines[i].quantity_delivered = nu_db_get_i64(res, (int)i, 2);
    if (nu_date_parse(nu_db_text(res, (int)i, 3), &lines[i].delivered_on) != 0) {
      p->snapshot_error = SNAPSHOT_DATE;
    }
  }
  n->lines = lines;
  n->n_lines = k;
  return nu_ok();
}

nu_status nu_document_claim_pending(nu_conn *c, nu_arena *a, int64_t now_ns, int limit,
                                    nu_document_pending **rows, size_t *n) {
  const char *params[] = {nu_db_i64(a, now_ns / 1000), nu_db_i64(a, limit)};
  if (params[0] == NULL || params[1] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT id, kind, render_attempts FROM documents"
                            " WHERE content IS NULL AND render_after <= nu_ts($1)"
                            " ORDER BY render_after LIMIT $2 FOR UPDATE SKIP LOCKED",
                            2, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  *n = (size_t)PQntuples(res);
  *rows = nu_arena_calloc(a, *n + 1, sizeof(**rows));
  if (*rows == NULL) return nu_store_oom(a);
  for (size_t i = 0; i < *n; i++) {
    nu_document_pending *p = &(*rows)[i];
    p->id = nu_db_text(res, (int)i, 0);
    p->kind = nu_db_text(res, (int)i, 1);
    p->attempts = (int)nu_db_get_i64(res, (int)i, 2);
    st = load_snapshot(c, a, p);
    if (!nu_status_is_ok(&st)) return st;
  }
  return nu_ok();
}

nu_status nu_document_lock_pending(nu_conn *c, nu_arena *a, const char *id,
                                   nu_document_pending *out, bool *found) {
  *found = false;
  if (!nu_id_valid(id)) return nu_ok();
  const char *params[] = {id};
  PGresult *res = NULL;
  /* Read committed: a row rendered while we waited for its lock is
   * re-checked and left out. */
  nu_status st = nu_db_exec(c, a,
                            "SELECT id, kind, render_attempts FROM documents"
                            " WHERE id = $1::uuid AND content IS NULL FOR UPDATE",
                            1, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) return nu_ok();
  memset(out, 0, sizeof(*out));
  out->id = nu_db_text(res, 0, 0);
  out->kind = nu_db_text(res, 0, 1);
  out->attempts = (int)nu_db_get_i64(res, 0, 2);
  st = load_snapshot(c, a, out);
  if (!nu_status_is_ok(&st)) return st;
  *found = true;
  return nu_ok();
}

nu_status nu_document_store_rendered(nu_conn *c, nu_arena *a, const char *id,
                                     const uint8_t *content, size_t len, int64_t now_ns) {
  const char *params[] = {id, nu_db_bytea(a, content, len), nu_db_i64(a, now_ns / 1000)};
  if (params[1] == NULL || params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "UPDATE documents SET content = $2::bytea,"
                            " sha256 = encode(sha256($2::bytea), 'hex'), rendered_at = nu_ts($3),"
                            " render_error = NULL"
                            " WHERE id = $1::uuid AND content IS NULL",
                            3, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (strcmp(PQcmdTuples(res), "1") != 0) {
    return nu_error(a, NU_INTERNAL, NULL, "document %s is not pending", id);
  }
  return nu_ok();
}

nu_status nu_document_render_failed(nu_conn *c, nu_arena *a, const char *id, const char *error,
                                    int64_t retry_ns) {
  const char *params[] = {id, error != NULL ? error : "unknown error",
                          nu_db_i64(a, retry_ns / 1000)};
  if (params[2] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  return nu_db_exec(c, a,
                    "UPDATE documents SET render_attempts = render_attempts + 1,"
                    " render_error = $2, render_after = nu_ts($3)"
                    " WHERE id = $1::uuid AND content IS NULL",
                    3, params, &res);
}
