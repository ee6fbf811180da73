/*
 * document_store.c — SQL of documents (see the header).
 * Owns table documents.
 */
#include "server/store/orders/document_store.h"

#include <string.h>

#include "server/store/core/db.h"
#include "server/validate/ids.h"

#define COLUMNS                                                                  \
  "id, kind, number, COALESCE(order_id::text, ''), organization_id,"             \
  " COALESCE(seller_id::text, ''), content_type, octet_length(content), sha256," \
  " nu_us(created_at)"

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

nu_status nu_document_insert(nu_conn *c, nu_arena *a, const nu_document_row *in, int64_t now_ns,
                             nu_document_row *out) {
  const char *content = nu_db_bytea(a, in->content, in->content_len);
  const char *params[] = {in->kind,
                          in->number,
                          in->order_id != NULL && in->order_id[0] != '\0' ? in->order_id : NULL,
                          in->organization_id,
                          in->seller_id != NULL && in->seller_id[0] != '\0' ? in->seller_id : NULL,
                          in->content_type != NULL ? in->content_type : "application/pdf",
                          content,
                          nu_db_i64(a, now_ns / 1000)};
  if (content == NULL || params[7] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO documents (kind, number, order_id, organization_id,"
                            " seller_id, content_type, content, sha256, created_at)"
                            " VALUES ($1, $2, $3::uuid, $4::uuid, $5::uuid, $6, $7::bytea,"
                            " encode(sha256($7::bytea), 'hex'), nu_ts($8)) RETURNING " COLUMNS,
                            8, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  read_row(res, 0, out);
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
    out->content = nu_db_get_bytea(a, res, 0, 10, &out->content_len);
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
