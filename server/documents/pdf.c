/*
 * pdf.c — the document builder over libharu (see pdf.h).
 *
 * Layout is a cursor `y` moving down the current page; a block that does
 * not fit below it starts a new page (and a table redraws its header
 * there). Footers need the page count, so they are drawn on every page at
 * render time. Every libharu call goes through the error handler, which
 * records the first error; each builder function checks the record before
 * and after its drawing, so a failed document only ever returns -1.
 */
#include "server/documents/pdf.h"

#include <hpdf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/common/utf8.h"

/* A4 portrait, in points. */
#define PAGE_W 595.276f
#define PAGE_H 841.89f
#define MARGIN_X 50.0f
#define MARGIN_TOP 56.0f
#define MARGIN_BOTTOM 64.0f /* the footer lives below */
#define FOOTER_Y 32.0f
#define TEXT_W (PAGE_W - 2 * MARGIN_X)

#define SIZE_TITLE 16.0f
#define SIZE_HEADING 11.5f
#define SIZE_BODY 9.5f
#define SIZE_FOOTER 8.0f
#define LEADING 1.35f /* line height / font size */
#define CELL_PAD 3.0f
#define BLOCK_GAP 10.0f

struct nu_pdf {
  HPDF_Doc doc;
  HPDF_Font regular;
  HPDF_Font bold;
  HPDF_Page page; /* the current page; NULL before the first block */
  int pages;
  float y; /* the top of the next line on the current page */
  nu_arena *scratch;
  const char *footer;

  bool in_table;
  size_t ncols;
  float col_x[NU_PDF_MAX_COLUMNS];
  float col_w[NU_PDF_MAX_COLUMNS];
  nu_pdf_align col_align[NU_PDF_MAX_COLUMNS];
  const char *col_title[NU_PDF_MAX_COLUMNS];

  bool rendered;
  bool reading; /* the end of the output stream is not an error */
  bool failed;
  nu_pdf_error err;
};

static void HPDF_STDCALL on_error(HPDF_STATUS code, HPDF_STATUS detail, void *user) {
  nu_pdf *p = user;
  if (p->reading && code == HPDF_STREAM_EOF) return;
  if (p->failed) return;
  p->failed = true;
  p->err.code = code;
  p->err.detail = detail;
}

/* Records a failure of ours (or names libharu's) and returns -1. */
static int fail(nu_pdf *p, const char *message) {
  p->failed = true;
  if (p->err.message == NULL) p->err.message = message;
  return -1;
}

/* -1 (naming the step) when the document has failed, 0 otherwise. */
static int check(nu_pdf *p, const char *message) { return p->failed ? fail(p, message) : 0; }

/* text as libharu may print it, in the scratch arena: UTF-8 made valid
 * (U+FFFD for what is not), control characters as spaces, NULL as "". */
static const char *clean(nu_pdf *p, const char *text) {
  if (text == NULL) return "";
  size_t n = strlen(text);
  char *out = nu_arena_alloc(p->scratch, n * 3 + 1); /* each bad byte may become 3 */
  if (out == NULL) {
    fail(p, "out of memory");
    return NULL;
  }
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t len = nu_utf8_seq_len((const unsigned char *)text + i, n - i);
    if (len == 0) {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    } else if (len == 1 && ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)) {
      out[o++] = ' ';
      i++;
    } else {
      memcpy(out + o, text + i, len);
      o += len;
      i += len;
    }
  }
  out[o] = '\0';
  return out;
}

static float text_width(HPDF_Font font, float size, const char *s, size_t len) {
  if (len == 0) return 0;
  HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
  return (float)tw.width * size / 1000.0f;
}

/* Back to the start of the UTF-8 character holding byte n of s. */
static size_t char_boundary(const char *s, size_t n) {
  while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  return n;
}

/* Bytes of s[0..len) that fit in width: at a space when `wrap` and one
 * fits, else as many characters as fit (at least one, so callers move). */
static size_t fit(HPDF_Font font, float size, const char *s, size_t len, float width, bool wrap) {
  HPDF_REAL real = 0;
  size_t n = 0;
  if (wrap) {
    n = HPDF_Font_MeasureText(font, (const HPDF_BYTE *)s, (HPDF_UINT)len, width, size, 0, 0,
                              HPDF_TRUE, &real);
  }
  if (n == 0) {
    n = HPDF_Font_MeasureText(font, (const HPDF_BYTE *)s, (HPDF_UINT)len, width, size, 0, 0,
                              HPDF_FALSE, &real);
  }
  if (n > len) n = len;
  n = char_boundary(s, n);
  if (n == 0 && len > 0) { /* not even one character fits: take one anyway */
    size_t one = nu_utf8_seq_len((const unsigned char *)s, len);
    n = one == 0 ? 1 : one;
  }
  return n;
}

/* Draws s[0..len) with its left end at x and its baseline at y. */
static void draw(nu_pdf *p, HPDF_Page page, HPDF_Font font, float size, float x, float y,
                 const char *s, size_t len) {
  char *copy = nu_arena_strndup(p->scratch, s, len);
  if (copy == NULL) {
    fail(p, "out of memory");
    return;
  }
  HPDF_Page_BeginText(page);
  HPDF_Page_SetFontAndSize(page, font, size);
  HPDF_Page_TextOut(page, x, y, copy);
  HPDF_Page_EndText(page);
}

static void rule(nu_pdf *p, float y) {
  HPDF_Page_SetLineWidth(p->page, 0.6f);
  HPDF_Page_MoveTo(p->page, MARGIN_X, y);
  HPDF_Page_LineTo(p->page, PAGE_W - MARGIN_X, y);
  HPDF_Page_Stroke(p->page);
}

static void table_header(nu_pdf *p);

static void new_page(nu_pdf *p) {
  p->page = HPDF_AddPage(p->doc);
  if (p->page == NULL) return; /* the handler recorded it */
  HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
  p->pages++;
  p->y = PAGE_H - MARGIN_TOP;
  if (p->in_table) table_header(p);
}

/* Makes room for h points below the cursor, on a new page if needed. */
static void room(nu_pdf *p, float h) {
  if (p->page == NULL || p->y - h < MARGIN_BOTTOM) new_page(p);
}

/* One line of text at the cursor, moving it down. */
static void line(nu_pdf *p, HPDF_Font font, float size, float x, const char *s, size_t len) {
  float lh = size * LEADING;
  room(p, lh);
  if (p->failed) return;
  p->y -= lh;
  draw(p, p->page, font, size, x, p->y + (lh - size) * 0.5f + size * 0.2f, s, len);
}

/* s wrapped in width from x, line after line. */
static void wrapped(nu_pdf *p, HPDF_Font font, float size, float x, float width, const char *s) {
  size_t len = strlen(s);
  if (len == 0) {
    line(p, font, size, x, "", 0);
    return;
  }
  while (len > 0 && !p->failed) {
    size_t n = fit(font, size, s, len, width, true);
    size_t shown = n;
    while (shown > 0 && s[shown - 1] == ' ') shown--;
    line(p, font, size, x, s, shown);
    s += n;
    len -= n;
    while (len > 0 && *s == ' ') {
      s++;
      len--;
    }
  }
}

/* Starts a block: refused inside a table or after rendering. */
static int block(nu_pdf *p, const char *what) {
  if (p == NULL) return -1;
  if (p->failed) return -1;
  if (p->rendered) return fail(p, "the document is already rendered");
  if (p->in_table) return fail(p, what);
  return 0;
}

static int text_block(nu_pdf *p, HPDF_Font font, float size, float gap_after, const char *text) {
  if (block(p, "a table is open: end it first") != 0) return -1;
  const char *s = clean(p, text);
  if (s == NULL) return -1;
  wrapped(p, font, size, MARGIN_X, TEXT_W, s);
  p->y -= gap_after;
  return check(p, "cannot draw text");
}

int nu_pdf_title(nu_pdf *p, const char *text) {
  return p == NULL ? -1 : text_block(p, p->bold, SIZE_TITLE, BLOCK_GAP, text);
}

int nu_pdf_heading(nu_pdf *p, const char *text) {
  if (p == NULL) return -1;
  if (p->page != NULL) p->y -= BLOCK_GAP / 2;
  return text_block(p, p->bold, SIZE_HEADING, 2, text);
}

int nu_pdf_paragraph(nu_pdf *p, const char *text) {
  return p == NULL ? -1 : text_block(p, p->regular, SIZE_BODY, BLOCK_GAP / 2, text);
}

int nu_pdf_fields(nu_pdf *p, const nu_pdf_field *fields, size_t n) {
  if (block(p, "a table is open: end it first") != 0) return -1;
  float key_w = 0;
  for (size_t i = 0; i < n; i++) {
    const char *k = clean(p, fields[i].key);
    if (k == NULL) return -1;
    float w = text_width(p->bold, SIZE_BODY, k, strlen(k));
    if (w > key_w) key_w = w;
  }
  key_w += 12;
  if (key_w > TEXT_W * 0.45f) key_w = TEXT_W * 0.45f;
  for (size_t i = 0; i < n && !p->failed; i++) {
    const char *k = clean(p, fields[i].key);
    const char *v =
        clean(p, fields[i].value == NULL || fields[i].value[0] == '\0' ? "\xE2\x80\x94" /* — */
                                                                       : fields[i].value);
    if (k == NULL || v == NULL) return -1;
    /* The key on the value's first line: draw the value, then the key at
     * the height of that first line (the value may have moved to a new
     * page, and the key with it). */
    size_t kn = fit(p->bold, SIZE_BODY, k, strlen(k), key_w - 6, false);
    float lh = SIZE_BODY * LEADING;
    room(p, lh);
    if (p->failed) break;
    HPDF_Page page = p->page;
    float first = p->y - lh;
    wrapped(p, p->regular, SIZE_BODY, MARGIN_X + key_w, TEXT_W - key_w, v);
    draw(p, page, p->bold, SIZE_BODY, MARGIN_X, first + (lh - SIZE_BODY) * 0.5f + SIZE_BODY * 0.2f,
         k, kn);
  }
  p->y -= BLOCK_GAP;
  return check(p, "cannot draw the fields");
}

/* One row of cells at the cursor, in `font`. */
static void row(nu_pdf *p, HPDF_Font font, const char *const *cells) {
  static const char ellipsis[] = "\xE2\x80\xA6"; /* … */
  float lh = SIZE_BODY * LEADING;
  p->y -= lh;
  float base = p->y + (lh - SIZE_BODY) * 0.5f + SIZE_BODY * 0.2f;
  for (size_t c = 0; c < p->ncols && !p->failed; c++) {
    const char *s = cells[c];
    size_t len = strlen(s);
    float avail = p->col_w[c] - 2 * CELL_PAD;
    float w = text_width(font, SIZE_BODY, s, len);
    const char *shown = s;
    size_t n = len;
    if (w > avail) { /* cut, and say so */
      float ew = text_width(font, SIZE_BODY, ellipsis, sizeof ellipsis - 1);
      n = avail > ew ? fit(font, SIZE_BODY, s, len, avail - ew, false) : 0;
      char *cut = nu_arena_sprintf(p->scratch, "%.*s%s", (int)n, s, ellipsis);
      if (cut == NULL) {
        fail(p, "out of memory");
        return;
      }
      shown = cut;
      n = strlen(cut);
      w = text_width(font, SIZE_BODY, shown, n);
    }
    float x = p->col_align[c] == NU_PDF_ALIGN_RIGHT ? p->col_x[c] + p->col_w[c] - CELL_PAD - w
                                                    : p->col_x[c] + CELL_PAD;
    draw(p, p->page, font, SIZE_BODY, x, base, shown, n);
  }
}

static void table_header(nu_pdf *p) {
  row(p, p->bold, p->col_title);
  p->y -= 2;
  rule(p, p->y);
  p->y -= 2;
}

int nu_pdf_table_begin(nu_pdf *p, const nu_pdf_column *cols, size_t n) {
  if (block(p, "a table is already open") != 0) return -1;
  if (n == 0 || n > NU_PDF_MAX_COLUMNS) return fail(p, "a table has 1 to 12 columns");
  float total = 0;
  for (size_t i = 0; i < n; i++) {
    if (!(cols[i].share > 0)) return fail(p, "a column's share must be positive");
    total += cols[i].share;
  }
  float x = MARGIN_X;
  for (size_t i = 0; i < n; i++) {
    p->col_title[i] = clean(p, cols[i].title);
    if (p->col_title[i] == NULL) return -1;
    p->col_x[i] = x;
    p->col_w[i] = TEXT_W * cols[i].share / total;
    p->col_align[i] = cols[i].align;
    x += p->col_w[i];
  }
  p->ncols = n;
  /* The header and a first row together, never a header alone at a page's
   * foot. */
  room(p, 3 * SIZE_BODY * LEADING);
  p->in_table = true;
  if (!p->failed) table_header(p);
  return check(p, "cannot draw the table");
}

int nu_pdf_table_row(nu_pdf *p, const char *const *cells) {
  if (p == NULL || p->failed) return -1;
  if (!p->in_table) return fail(p, "no table is open");
  const char *clean_cells[NU_PDF_MAX_COLUMNS];
  for (size_t c = 0; c < p->ncols; c++) {
    clean_cells[c] = clean(p, cells[c]);
    if (clean_cells[c] == NULL) return -1;
  }
  room(p, SIZE_BODY * LEADING);
  if (!p->failed) row(p, p->regular, clean_cells);
  return check(p, "cannot draw a table row");
}

int nu_pdf_table_end(nu_pdf *p) {
  if (p == NULL || p->failed) return -1;
  if (!p->in_table) return fail(p, "no table is open");
  p->in_table = false;
  p->y -= BLOCK_GAP;
  return 0;
}

int nu_pdf_footer(nu_pdf *p, const char *text) {
  if (p == NULL || p->failed) return -1;
  p->footer = clean(p, text);
  return p->footer == NULL ? -1 : 0;
}

int nu_pdf_page_count(const nu_pdf *p) { return p == NULL ? 0 : p->pages; }

static void footers(nu_pdf *p) {
  for (int i = 0; i < p->pages && !p->failed; i++) {
    HPDF_Page page = HPDF_GetPageByIndex(p->doc, (HPDF_UINT)i);
    if (page == NULL) return;
    char num[48];
    snprintf(num, sizeof num, "Page %d/%d", i + 1, p->pages);
    float nw = text_width(p->regular, SIZE_FOOTER, num, strlen(num));
    draw(p, page, p->regular, SIZE_FOOTER, PAGE_W - MARGIN_X - nw, FOOTER_Y, num, strlen(num));
    if (p->footer != NULL && p->footer[0] != '\0') {
      size_t n =
          fit(p->regular, SIZE_FOOTER, p->footer, strlen(p->footer), TEXT_W - nw - 12, false);
      draw(p, page, p->regular, SIZE_FOOTER, MARGIN_X, FOOTER_Y, p->footer, n);
    }
  }
}

int nu_pdf_render(nu_pdf *p, nu_arena *arena, nu_pdf_bytes *out, nu_pdf_error *err) {
  int rc = -1;
  size_t size = 0, got = 0;
  unsigned char *buf = NULL;
  if (p == NULL) {
    if (err != NULL) *err = (nu_pdf_error){"no document", 0, 0};
    return -1;
  }
  if (p->rendered) fail(p, "the document is already rendered");
  if (p->in_table) fail(p, "a table is still open");
  if (p->failed) goto done;
  if (p->page == NULL) new_page(p); /* an empty document is one blank page */
  footers(p);
  if (check(p, "cannot draw the footers") != 0) goto done;
  p->rendered = true;
  if (HPDF_SaveToStream(p->doc) != HPDF_OK) {
    fail(p, "cannot write the document");
    goto done;
  }
  size = HPDF_GetStreamSize(p->doc);
  buf = size > 0 ? nu_arena_alloc(arena, size) : NULL;
  if (size == 0 || buf == NULL) {
    fail(p, size == 0 ? "cannot write the document" : "out of memory");
    goto done;
  }
  p->reading = true;
  HPDF_ResetStream(p->doc);
  while (got < size && !p->failed) {
    HPDF_UINT32 chunk = (HPDF_UINT32)(size - got > UINT32_MAX ? UINT32_MAX : size - got);
    HPDF_ReadFromStream(p->doc, buf + got, &chunk);
    if (chunk == 0) break;
    got += chunk;
  }
  p->reading = false;
  if (got != size) {
    fail(p, "cannot read the written document back");
    goto done;
  }
  if (check(p, "cannot read the written document back") != 0) goto done;
  *out = (nu_pdf_bytes){buf, size};
  rc = 0;
done:
  if (rc != 0 && err != NULL) *err = p->err;
  return rc;
}

/* Loads one TrueType font for UTF-8 text; NULL when libharu refuses it. */
static HPDF_Font load_font(nu_pdf *p, const char *path) {
  const char *name = HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
  if (name == NULL) return NULL;
  return HPDF_GetFont(p->doc, name, "UTF-8");
}

int nu_pdf_new(const nu_pdf_options *opts, nu_pdf **out, nu_pdf_error *err) {
  nu_pdf_options o = opts != NULL ? *opts : (nu_pdf_options){0};
  *out = NULL;
  nu_pdf *p = calloc(1, sizeof *p);
  if (p == NULL) {
    if (err != NULL) *err = (nu_pdf_error){"out of memory", 0, 0};
    return -1;
  }
  p->scratch = nu_arena_new();
  if (p->scratch == NULL) {
    fail(p, "out of memory");
    goto bad;
  }
  if ((o.alloc == NULL) != (o.free == NULL)) {
    fail(p, "an allocator needs both its alloc and free functions");
    goto bad;
  }
  p->doc = o.alloc != NULL ? HPDF_NewEx(on_error, o.alloc, o.free, 0, p) : HPDF_New(on_error, p);
  if (p->doc == NULL) {
    fail(p, "cannot create a pdf document");
    goto bad;
  }
  HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(p->doc);
  HPDF_SetCurrentEncoder(p->doc, "UTF-8");
  if (check(p, "cannot set up utf-8 text") != 0) goto bad;
  p->regular = load_font(p, o.font_regular != NULL ? o.font_regular : NU_PDF_FONT_REGULAR_DEFAULT);
  if (p->regular == NULL) {
    fail(p, "cannot load the regular font");
    goto bad;
  }
  p->bold = load_font(p, o.font_bold != NULL ? o.font_bold : NU_PDF_FONT_BOLD_DEFAULT);
  if (p->bold == NULL) {
    fail(p, "cannot load the bold font");
    goto bad;
  }
  HPDF_SetInfoAttr(p->doc, HPDF_INFO_PRODUCER, "Nuage");
  if (check(p, "cannot set the document's information") != 0) goto bad;
  *out = p;
  return 0;
bad:
  if (err != NULL) *err = p->err;
  nu_pdf_free(p);
  return -1;
}

void nu_pdf_free(nu_pdf *p) {
  if (p == NULL) return;
  if (p->doc != NULL) HPDF_Free(p->doc);
  nu_arena_free(p->scratch);
  free(p);
}
