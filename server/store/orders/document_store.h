/*
 * document_store.h — SQL of documents (owns the table): PDFs, their numbers
 * and, until they are rendered, the snapshot they will print. Delivery
 * notes are numbered "BL" + 6 digits from delivery_note_number_seq.
 *
 * A document is issued pending (no content, no SHA-256) in the transaction
 * that produces it, with its snapshot (render_input), and rendered later
 * (jobs/document_render.h): the snapshot is written and read here only.
 */
#ifndef NU_STORE_ORDERS_DOCUMENT_STORE_H
#define NU_STORE_ORDERS_DOCUMENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/domain/subscriptions/paris_calendar.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_document_row {
  const char *id;
  const char *kind; /* "delivery_note" */
  const char *number;
  const char *order_id;        /* "" when none */
  const char *organization_id; /* the buyer */
  const char *seller_id;       /* "" when none */
  const char *content_type;
  const uint8_t *content; /* NULL in lists and while pending */
  size_t content_len;
  int64_t size;       /* 0 while pending */
  const char *sha256; /* hex; "" while pending */
  bool rendered;
  int64_t created_us;
} nu_document_row;

/* What a delivery note prints, as of its issue (its render_input). */
typedef struct nu_document_note_line {
  const char *product_code;
  const char *designation;
  int64_t quantity_delivered;
  nu_date delivered_on;
} nu_document_note_line;

typedef struct nu_document_note {
  const char *number;
  nu_date date;
  const char *order_number;
  const char *buyer_name;
  const char *purchase_order_ref; /* "" when none */
  const char *service_code;       /* "" when none */
  const char *provider_name;
  const nu_document_note_line *lines;
  size_t n_lines;
} nu_document_note;

/* A pending document locked by this transaction, with its snapshot. */
typedef struct nu_document_pending {
  const char *id;
  const char *kind;
  int attempts; /* failed renderings so far */
  /* NULL, or why the snapshot cannot be read (a render error, so that one
   * bad row never blocks the others); note is then incomplete. */
  const char *snapshot_error;
  nu_document_note note;
} nu_document_pending;

/* The next delivery note number ("BL000012") into *number (arena).
 * RESOURCE_EXHAUSTED DELIVERY_NOTE_NUMBERS_EXHAUSTED past BL999999. */
nu_status nu_document_next_delivery_note_number(nu_conn *c, nu_arena *a, const char **number);

/* Writes *in (kind, number, order, organisations) pending at now_ns, with
 * the snapshot *note (borrowed) it will print; due for rendering at once.
 * *out as stored. */
nu_status nu_document_insert_pending(nu_conn *c, nu_arena *a, const nu_document_row *in,
                                     const nu_document_note *note, int64_t now_ns,
                                     nu_document_row *out);

/* Locks up to limit pending documents due at now_ns (oldest due first)
 * with FOR UPDATE SKIP LOCKED, so that concurrent claimers never get the
 * same one; *rows (arena) with their snapshots. */
nu_status nu_document_claim_pending(nu_conn *c, nu_arena *a, int64_t now_ns, int limit,
                                    nu_document_pending **rows, size_t *n);

/* Locks document id if it is still pending, waiting for whoever renders it
 * now (FOR UPDATE); *found false when it is rendered (or absent). */
nu_status nu_document_lock_pending(nu_conn *c, nu_arena *a, const char *id,
                                   nu_document_pending *out, bool *found);

/* Stores the rendering of pending document id (locked by this
 * transaction): content, its SHA-256 (computed by the database),
 * rendered_at = now_ns. */
nu_status nu_document_store_rendered(nu_conn *c, nu_arena *a, const char *id,
                                     const uint8_t *content, size_t len, int64_t now_ns);

/* Records a failed rendering of pending document id: one more attempt,
 * error (no content in it), due again at retry_ns. */
nu_status nu_document_render_failed(nu_conn *c, nu_arena *a, const char *id, const char *error,
                                    int64_t retry_ns);

/* The document id (any text), with its content when with_content (NULL
 * while pending); *found false when absent. */
nu_status nu_document_get(nu_conn *c, nu_arena *a, const char *id, bool with_content,
                          nu_document_row *out, bool *found);

/* The documents of an order, oldest first, without content. */
nu_status nu_document_list_for_order(nu_conn *c, nu_arena *a, const char *order_id,
                                     nu_document_row **rows, size_t *n);

#ifdef __cplusplus
}
#endif

#endif
