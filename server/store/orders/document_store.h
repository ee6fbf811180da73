/*
 * document_store.h — SQL of documents (owns the table): rendered PDFs and
 * their numbers. Delivery notes are numbered "BL" + 6 digits from
 * delivery_note_number_seq.
 */
#ifndef NU_STORE_ORDERS_DOCUMENT_STORE_H
#define NU_STORE_ORDERS_DOCUMENT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
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
  const uint8_t *content; /* NULL in lists */
  size_t content_len;
  int64_t size;
  const char *sha256; /* hex */
  int64_t created_us;
} nu_document_row;

/* The next delivery note number ("BL000012") into *number (arena).
 * RESOURCE_EXHAUSTED DELIVERY_NOTE_NUMBERS_EXHAUSTED past BL999999. */
nu_status nu_document_next_delivery_note_number(nu_conn *c, nu_arena *a, const char **number);

/* Writes *in (kind, number, order, organisations, content) at now_ns; its
 * SHA-256 is computed by the database; *out as stored (without content). */
nu_status nu_document_insert(nu_conn *c, nu_arena *a, const nu_document_row *in, int64_t now_ns,
                             nu_document_row *out);

/* The document id (any text), with its content when with_content; *found
 * false when absent. */
nu_status nu_document_get(nu_conn *c, nu_arena *a, const char *id, bool with_content,
                          nu_document_row *out, bool *found);

/* The documents of an order, oldest first, without content. */
nu_status nu_document_list_for_order(nu_conn *c, nu_arena *a, const char *order_id,
                                     nu_document_row **rows, size_t *n);

#ifdef __cplusplus
}
#endif

#endif
