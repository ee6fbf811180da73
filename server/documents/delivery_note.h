/*
 * delivery_note.h — the delivery note ("bon de livraison", `BL` + 6
 * digits) of an order's delivery, as a PDF (DOMAIN.md §5).
 *
 * The note shows its number and date, the order's number, the buyer
 * organisation with its purchase-order reference (Chorus Pro legal
 * commitment) and service code, the provider, and the delivered lines:
 * product code, designation, quantity delivered, delivery date. Text is in
 * French, dates as dd/mm/yyyy (Paris days, as stored).
 *
 * The caller reads everything (the store) and passes it here; this file
 * only prints. Strings are borrowed for the call; empty optional ones print
 * a dash.
 */
#ifndef NU_DOCUMENTS_DELIVERY_NOTE_H
#define NU_DOCUMENTS_DELIVERY_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/documents/pdf.h"
#include "server/domain/subscriptions/paris_calendar.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_delivery_note_line {
  const char *product_code;
  const char *designation;
  int64_t quantity_delivered;
  nu_date delivered_on;
} nu_delivery_note_line;

typedef struct nu_delivery_note {
  const char *number;       /* BL000007 */
  nu_date date;             /* the note's date */
  const char *order_number; /* CC000042 */
  const char *buyer_name;
  const char *purchase_order_ref; /* optional */
  const char *service_code;       /* optional */
  const char *provider_name;
  const nu_delivery_note_line *lines;
  size_t n_lines;
} nu_delivery_note;

/* Renders note into arena (out->data owned by it). opts names the fonts
 * (NULL: the defaults). 0, or -1 with *err (may be NULL): a bad number
 * (nu_delivery_note_number_valid, nu_order_number_valid), an invalid date,
 * no line, or the builder's error. */
int nu_delivery_note_render(const nu_delivery_note *note, const nu_pdf_options *opts,
                            nu_arena *arena, nu_pdf_bytes *out, nu_pdf_error *err);

#ifdef __cplusplus
}
#endif

#endif
