/*
 * pdf.h — a small PDF document builder over libharu, shared by every
 * document the platform prints: delivery notes today, subscription forms,
 * decision-aid reports and invoices later (DOMAIN.md §5, §6).
 *
 * A document is a column of blocks on A4 pages: a title, headings, a
 * key/value block, paragraphs (wrapped), tables (columns with their share
 * of the width and their alignment; amounts right-aligned; a row too long
 * for its cell is cut with "…"; the header row repeats on every page the
 * table runs onto), and a footer on every page with "Page x/y". New pages
 * come by themselves. Text is UTF-8 (French accents, €, « »): the fonts are
 * TrueType files (DejaVu Sans by default) embedded in the document.
 * Invalid UTF-8 prints as U+FFFD and control characters as spaces, so any
 * stored string renders.
 *
 * Errors: libharu reports through a handler that records the first error;
 * nothing aborts or longjmps. Errors are sticky: after one, every call
 * returns -1 and nu_pdf_render reports it, so callers may check only at
 * the end. Rendering writes the file into the caller's arena.
 *
 * Not thread-safe per document; separate documents may be built in
 * parallel.
 */
#ifndef NU_DOCUMENTS_PDF_H
#define NU_DOCUMENTS_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "server/common/arena.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Debian's fonts-dejavu-core; the server's configuration may name others. */
#define NU_PDF_FONT_REGULAR_DEFAULT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define NU_PDF_FONT_BOLD_DEFAULT "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

typedef struct nu_pdf_options {
  const char *font_regular; /* a TrueType file; NULL: NU_PDF_FONT_REGULAR_DEFAULT */
  const char *font_bold;    /* NULL: NU_PDF_FONT_BOLD_DEFAULT */
  /* libharu's allocator (tests inject failures with it); both NULL:
   * malloc and free. */
  void *(*alloc)(unsigned int size);
  void (*free)(void *p);
} nu_pdf_options;

/* What failed: message is static, lower-case, without trailing period;
 * code and detail are libharu's (HPDF_FILE_OPEN_ERROR, …; 0 when the
 * failure is not libharu's). */
typedef struct nu_pdf_error {
  const char *message;
  unsigned long code;
  unsigned long detail;
} nu_pdf_error;

typedef struct nu_pdf nu_pdf;

/* A new empty document with its fonts loaded (opts may be NULL). 0 and
 * *out, which the caller frees with nu_pdf_free; -1 with *err (may be
 * NULL) and *out NULL. */
int nu_pdf_new(const nu_pdf_options *opts, nu_pdf **out, nu_pdf_error *err);

/* Frees everything of p. NULL is ignored. */
void nu_pdf_free(nu_pdf *p);

/* The blocks, in reading order. Strings are borrowed for the call only. */
int nu_pdf_title(nu_pdf *p, const char *text);
int nu_pdf_heading(nu_pdf *p, const char *text);
int nu_pdf_paragraph(nu_pdf *p, const char *text);

typedef struct nu_pdf_field {
  const char *key;
  const char *value; /* wrapped when long; NULL or "" prints a dash */
} nu_pdf_field;

/* A block of n key/value lines, keys in bold in a column of their own. */
int nu_pdf_fields(nu_pdf *p, const nu_pdf_field *fields, size_t n);

typedef enum nu_pdf_align {
  NU_PDF_ALIGN_LEFT = 0,
  NU_PDF_ALIGN_RIGHT = 1, /* amounts, quantities */
} nu_pdf_align;

typedef struct nu_pdf_column {
  const char *title;
  float share; /* of the text width; shares are normalised, > 0 */
  nu_pdf_align align;
} nu_pdf_column;

#define NU_PDF_MAX_COLUMNS 12

/* A table of n (1..NU_PDF_MAX_COLUMNS) columns: begin, one call per row
 * (cells[0..n), NULL cells print empty), end. Other blocks may not come in
 * between (-1). */
int nu_pdf_table_begin(nu_pdf *p, const nu_pdf_column *cols, size_t n);
int nu_pdf_table_row(nu_pdf *p, const char *const *cells);
int nu_pdf_table_end(nu_pdf *p);

/* The text at the left of every page's footer (the "Page x/y" is on the
 * right); replaces an earlier one. */
int nu_pdf_footer(nu_pdf *p, const char *text);

/* Pages so far (a document being built has at least one once a block is
 * added). */
int nu_pdf_page_count(const nu_pdf *p);

/* The finished file: data is owned by the arena given to nu_pdf_render. */
typedef struct nu_pdf_bytes {
  const unsigned char *data;
  size_t len;
} nu_pdf_bytes;

/* Draws the footers and writes the file into arena: 0 and *out; -1 with
 * *err (the first error of the document, or the arena's). Once only: the
 * document takes no block after it. */
int nu_pdf_render(nu_pdf *p, nu_arena *arena, nu_pdf_bytes *out, nu_pdf_error *err);

#ifdef __cplusplus
}
#endif

#endif
