/*
 * delivery_note.c — the delivery note's layout over the builder (see
 * delivery_note.h).
 */
#include "server/documents/delivery_note.h"

#include <inttypes.h>
#include <stdio.h>

#include "server/documents/format.h"
#include "server/domain/orders/numbers.h"

static int refuse(nu_pdf_error *err, const char *message) {
  if (err != NULL) *err = (nu_pdf_error){message, 0, 0};
  return -1;
}

static int check(const nu_delivery_note *n, nu_pdf_error *err) {
  if (n == NULL) return refuse(err, "no delivery note");
  if (!nu_delivery_note_number_valid(n->number)) {
    return refuse(err, "the delivery note number is not BL and 6 digits");
  }
  if (!nu_order_number_valid(n->order_number)) {
    return refuse(err, "the order number is not CC and 6 digits");
  }
  if (!nu_date_valid(n->date)) return refuse(err, "the delivery note's date is not a date");
  if (n->n_lines == 0 || n->lines == NULL) return refuse(err, "a delivery note needs a line");
  for (size_t i = 0; i < n->n_lines; i++) {
    if (!nu_date_valid(n->lines[i].delivered_on)) {
      return refuse(err, "a delivered line's date is not a date");
    }
  }
  return 0;
}

int nu_delivery_note_render(const nu_delivery_note *note, const nu_pdf_options *opts,
                            nu_arena *arena, nu_pdf_bytes *out, nu_pdf_error *err) {
  if (check(note, err) != 0) return -1;
  nu_pdf *p = NULL;
  if (nu_pdf_new(opts, &p, err) != 0) return -1;

  char date[11], title[64], footer[96];
  nu_doc_format_date(note->date, date, sizeof date); /* checked valid */
  snprintf(title, sizeof title, "Bon de livraison %s", note->number);
  snprintf(footer, sizeof footer, "Bon de livraison %s \xE2\x80\x94 commande %s", note->number,
           note->order_number);
  nu_pdf_field fields[] = {
      {"Bon de livraison", note->number},
      {"Date", date},
      {"Commande", note->order_number},
      {"Acheteur", note->buyer_name},
      {"Bon de commande (engagement)", note->purchase_order_ref},
      {"Code service", note->service_code},
      {"Fournisseur", note->provider_name},
  };
  static const nu_pdf_column cols[] = {
      {"Code produit", 1.3f, NU_PDF_ALIGN_LEFT},
      {"D\xC3\xA9signation", 3.4f, NU_PDF_ALIGN_LEFT},
      {"Quantit\xC3\xA9 livr\xC3\xA9"
       "e",
       1.6f, NU_PDF_ALIGN_RIGHT},
      {"Livr\xC3\xA9 le", 1.2f, NU_PDF_ALIGN_RIGHT},
  };
  /* Errors are sticky: the calls are chained and nu_pdf_render reports. */
  nu_pdf_title(p, title);
  nu_pdf_fields(p, fields, sizeof fields / sizeof fields[0]);
  nu_pdf_heading(p,
                 "Lignes livr\xC3\xA9"
                 "es");
  nu_pdf_table_begin(p, cols, sizeof cols / sizeof cols[0]);
  for (size_t i = 0; i < note->n_lines; i++) {
    const nu_delivery_note_line *l = &note->lines[i];
    char qty[24], on[11];
    snprintf(qty, sizeof qty, "%" PRId64, l->quantity_delivered);
    nu_doc_format_date(l->delivered_on, on, sizeof on);
    const char *cells[] = {l->product_code, l->designation, qty, on};
    nu_pdf_table_row(p, cells);
  }
  nu_pdf_table_end(p);
  nu_pdf_footer(p, footer);
  int rc = nu_pdf_render(p, arena, out, err);
  nu_pdf_free(p);
  return rc;
}
