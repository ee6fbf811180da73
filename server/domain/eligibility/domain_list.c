/*
 * domain_list.c — streaming parser of the Etalab domain list, and the
 * e-mail eligibility match.
 *
 * Bytes are gathered into a fixed line buffer until a line feed; each
 * complete line is then classified on its own, so chunk boundaries cannot
 * change the result. Valid lines are kept in input order while streaming
 * and only sorted at the end, where duplicates are found next to each
 * other. All memory comes from the caller's arena; growing arrays are
 * reallocated there by doubling (the old copy is left to the arena: at most
 * as much again, for a list of a few thousand lines).
 */
#include "server/domain/eligibility/domain_list.h"

#include <assert.h>
#include <idn2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* An array growing in the arena. */
typedef struct nu_vec {
  void *items;
  size_t count;
  size_t cap;
} nu_vec;

struct nu_domain_parser {
  nu_arena *arena;
  char line[NU_DOMAIN_LINE_MAX];
  size_t line_len;    /* bytes kept in line */
  bool line_too_long; /* bytes were dropped past NU_DOMAIN_LINE_MAX */
  bool finished;
  nu_vec valid;      /* nu_domain_entry, input order */
  nu_vec invalid;    /* nu_domain_invalid */
  nu_vec normalised; /* nu_domain_normalised */
  nu_domain_counts counts;
};

/* Returns a pointer to a new zeroed slot, or NULL when out of memory. */
static void *vec_push(nu_arena *a, nu_vec *v, size_t size) {
  if (v->count == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    void *items = nu_arena_alloc(a, cap * size);
    if (items == NULL) return NULL;
    if (v->count) memcpy(items, v->items, v->count * size);
    v->items = items;
    v->cap = cap;
  }
  void *slot = (char *)v->items + v->count++ * size;
  memset(slot, 0, size);
  return slot;
}

static nu_status out_of_memory(void) {
  return nu_error(NULL, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY",
                  "out of memory while parsing the domain list");
}

nu_domain_parser *nu_domain_parser_new(nu_arena *a) {
  nu_domain_parser *p = nu_arena_calloc(a, 1, sizeof *p);
  if (p != NULL) p->arena = a;
  return p;
}

static bool is_ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Trims ASCII whitespace and U+00A0 (c2 a0) at both ends of s[*b..*e),
 * adding the NU_DOMAIN_NORM_TRIMMED* bits of what was removed. */
static void trim(const char *s, size_t *b, size_t *e, unsigned *kinds) {
  for (;;) {
    if (*b < *e && is_ascii_space((unsigned char)s[*b])) {
      (*b)++;
      *kinds |= NU_DOMAIN_NORM_TRIMMED;
    } else if (*e - *b >= 2 && (unsigned char)s[*b] == 0xc2 && (unsigned char)s[*b + 1] == 0xa0) {
      *b += 2;
      *kinds |= NU_DOMAIN_NORM_TRIMMED_NBSP;
    } else {
      break;
    }
  }
  for (;;) {
    if (*e > *b && is_ascii_space((unsigned char)s[*e - 1])) {
      (*e)--;
      *kinds |= NU_DOMAIN_NORM_TRIMMED;
    } else if (*e - *b >= 2 && (unsigned char)s[*e - 2] == 0xc2 &&
               (unsigned char)s[*e - 1] == 0xa0) {
      *e -= 2;
      *kinds |= NU_DOMAIN_NORM_TRIMMED_NBSP;
    } else {
      break;
    }
  }
}

/* The reason for a byte that no domain name holds, formatted with its
 * 1-based column when there is an arena with room. */
static const char *bad_byte(nu_arena *a, unsigned char c, size_t column) {
  const char *r = NULL;
  if (a != NULL && c >= 0x80)
    r = nu_arena_sprintf(a,
                         "invalid byte 0x%02x at column %zu (internationalised names go "
                         "in punycode, xn--)",
                         c, column);
  else if (a != NULL && (c < 0x20 || c == 0x7f))
    r = nu_arena_sprintf(a, "invalid byte 0x%02x at column %zu", c, column);
  else if (a != NULL)
    r = nu_arena_sprintf(a, "invalid character '%c' at column %zu", c, column);
  return r != NULL ? r : "invalid character";
}

/* Returns NULL when name[0..n) is a valid lower-case domain name, else the
 * reason (static, or formatted into a when given). */
static const char *name_problem(nu_arena *a, const char *name, size_t n) {
  if (n >= 2 && name[0] == '*' && name[1] == '.')
    return "wildcard \"*.\" not supported: list the domain itself";
  if (memchr(name, '@', n) != NULL) return "contains '@': an e-mail address, not a domain";
  if (n > NU_DOMAIN_NAME_MAX) return "longer than 253 characters";

  size_t labels = 0, label_start = 0;
  bool all_digits = true; /* of the current label */
  for (size_t i = 0; i <= n; i++) {
    if (i == n || name[i] == '.') {
      size_t len = i - label_start;
      if (len == 0) return "empty label";
      if (len > NU_DOMAIN_LABEL_MAX) return "label longer than 63 characters";
      if (name[label_start] == '-') return "label starts with a hyphen";
      if (name[i - 1] == '-') return "label ends with a hyphen";
      labels++;
      if (i < n) {
        label_start = i + 1;
        all_digits = true;
      }
      continue;
    }
    unsigned char c = (unsigned char)name[i];
    if ((c >= 'a' && c <= 'z') || c == '-')
      all_digits = false;
    else if (c < '0' || c > '9')
      return bad_byte(a, c, i + 1);
  }
  if (labels < 2) return "a single label, a domain needs at least two";
  /* Only the last label: "59.accueil-etrangers.gouv.fr" is a real entry. */
  if (all_digits) return "last label all digits: an ip address, not a domain";
  return NULL;
}

const char *nu_domain_name_problem(const char *name, size_t n) {
  return name_problem(NULL, name, n);
}

/* text[0..len) trimmed, lower-cased, without its root dot and, when it
 * holds non-ASCII bytes, in its A-label form (arena; NULL when out of
 * memory), *kinds the NU_DOMAIN_NORM_* bits of what changed. A name
 * libidn2 cannot convert is returned as it is, with *idn_problem its
 * reason (else NULL). */
static char *normalise(nu_arena *a, const char *text, size_t len, unsigned *kinds,
                       const char **idn_problem) {
  size_t b = 0, e = len;
  *idn_problem = NULL;
  trim(text, &b, &e, kinds);
  size_t n = e - b;
  char *name = nu_arena_strndup(a, text + b, n);
  if (name == NULL) return NULL;
  bool ascii = true;
  for (size_t i = 0; i < n; i++) {
    if (name[i] >= 'A' && name[i] <= 'Z') {
      name[i] = (char)(name[i] - 'A' + 'a');
      *kinds |= NU_DOMAIN_NORM_LOWERCASED;
    } else if ((unsigned char)name[i] >= 0x80) {
      ascii = false;
    }
  }
  if (n > 0 && name[n - 1] == '.') {
    name[--n] = '\0';
    *kinds |= NU_DOMAIN_NORM_ROOT_DOT;
  }
  if (ascii || memchr(name, '\0', n) != NULL) return name;
  /* UTS #46 as for e-mail addresses (domain/identity/login.h): the list
   * then holds the form an address's domain is converted to. */
  char *ace = NULL;
  int rc = idn2_to_ascii_8z(name, &ace, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  if (rc != IDN2_OK) {
    const char *r =
        nu_arena_sprintf(a, "not a valid internationalised domain name (%s)", idn2_strerror(rc));
    *idn_problem = r != NULL ? r : "not a valid internationalised domain name";
    return name;
  }
  char *converted = nu_arena_strdup(a, ace);
  idn2_free(ace);
  if (converted != NULL) *kinds |= NU_DOMAIN_NORM_IDNA;
  return converted;
}

const char *nu_domain_name_normalise(nu_arena *a, const char *text, const char **out) {
  unsigned kinds = 0;
  *out = NULL;
  if (text == NULL) return "is empty";
  const char *problem = NULL;
  char *name = normalise(a, text, strlen(text), &kinds, &problem);
  if (name == NULL) return "out of memory";
  if (problem == NULL) problem = nu_domain_name_problem(name, strlen(name));
  if (problem == NULL) *out = name;
  return problem;
}

/* Classifies one complete line; text[0..len) is what the line buffer kept,
 * without the line feed. Returns 0, or -1 when out of memory. */
static int process_line(nu_domain_parser *p, bool ended_by_lf) {
  nu_arena *a = p->arena;
  const char *text = p->line;
  size_t len = p->line_len;
  uint32_t line = (uint32_t)++p->counts.lines;

  if (ended_by_lf && p->line_len > 0 && text[len - 1] == '\r' && !p->line_too_long) {
    len--; /* CR LF is a line ending, not whitespace to report */
    p->counts.crlf++;
  }
  if (p->line_too_long) {
    nu_domain_invalid *inv = vec_push(a, &p->invalid, sizeof *inv);
    if (inv == NULL) return -1;
    inv->line = line;
    inv->reason = "line longer than 1024 bytes";
    inv->text = nu_arena_memdup(a, text, len);
    inv->text_len = len;
    p->counts.invalid++;
    return inv->text != NULL ? 0 : -1;
  }

  size_t b = 0, e = len;
  unsigned trimmed = 0;
  trim(text, &b, &e, &trimmed);
  if (b == e) {
    p->counts.empty++;
    return 0;
  }
  if (text[b] == '#') {
    p->counts.comments++;
    return 0;
  }

  unsigned kinds = 0;
  const char *problem = NULL;
  char *name = normalise(a, text, len, &kinds, &problem);
  if (name == NULL) return -1;
  size_t n = strlen(name);
  if (kinds != 0) {
    nu_domain_normalised *norm = vec_push(a, &p->normalised, sizeof *norm);
    if (norm == NULL) return -1;
    norm->line = line;
    norm->kinds = kinds;
    norm->result = name;
  }

  if (problem == NULL) problem = name_problem(a, name, n);
  if (problem != NULL) {
    nu_domain_invalid *inv = vec_push(a, &p->invalid, sizeof *inv);
    if (inv == NULL) return -1;
    inv->line = line;
    inv->reason = problem;
    inv->text = nu_arena_memdup(a, text, len);
    inv->text_len = len;
    p->counts.invalid++;
    return inv->text != NULL ? 0 : -1;
  }
  nu_domain_entry *entry = vec_push(a, &p->valid, sizeof *entry);
  if (entry == NULL) return -1;
  entry->name = name;
  entry->len = n;
  entry->line = line;
  p->counts.valid++;
  return 0;
}

static void reset_line(nu_domain_parser *p) {
  p->line_len = 0;
  p->line_too_long = false;
}

nu_status nu_domain_parser_feed(nu_domain_parser *p, const void *bytes, size_t n) {
  if (p->finished)
    return nu_error(NULL, NU_FAILED_PRECONDITION, NULL, "domain list parser fed after it finished");
  const char *s = bytes;
  while (n > 0) {
    const char *lf = memchr(s, '\n', n);
    size_t take = lf != NULL ? (size_t)(lf - s) : n;
    size_t room = NU_DOMAIN_LINE_MAX - p->line_len;
    if (take > room) {
      p->line_too_long = true;
      /* The rest of the line is dropped: the line is invalid anyway and
       * its kept text only shown (its CR LF, if any, is not counted). */
      memcpy(p->line + p->line_len, s, room);
      p->line_len = NU_DOMAIN_LINE_MAX;
    } else {
      memcpy(p->line + p->line_len, s, take);
      p->line_len += take;
    }
    if (lf == NULL) break;
    if (process_line(p, true) != 0) return out_of_memory();
    reset_line(p);
    s = lf + 1;
    n -= take + 1;
  }
  return nu_ok();
}

static int by_name_then_line(const void *x, const void *y) {
  const nu_domain_entry *a = x, *b = y;
  int c = strcmp(a->name, b->name);
  if (c != 0) return c;
  return (a->line > b->line) - (a->line < b->line);
}

static int by_line(const void *x, const void *y) {
  const nu_domain_duplicate *a = x, *b = y;
  return (a->line > b->line) - (a->line < b->line);
}

nu_status nu_domain_parser_finish(nu_domain_parser *p, const nu_domain_list **out) {
  *out = NULL;
  if (p->finished)
    return nu_error(NULL, NU_FAILED_PRECONDITION, NULL, "domain list parser finished twice");
  p->finished = true;
  nu_arena *a = p->arena;
  if (p->line_len > 0 || p->line_too_long) {
    if (process_line(p, false) != 0) return out_of_memory();
    reset_line(p);
  }

  nu_domain_list *list = nu_arena_calloc(a, 1, sizeof *list);
  size_t nvalid = p->valid.count;
  nu_domain_entry *entries = nu_arena_calloc(a, nvalid, sizeof *entries);
  nu_vec dups = {0};
  if (list == NULL || entries == NULL) return out_of_memory();

  nu_domain_entry *valid = p->valid.items;
  if (nvalid > 0) qsort(valid, nvalid, sizeof *valid, by_name_then_line);
  size_t unique = 0;
  for (size_t i = 0; i < nvalid; i++) {
    if (unique > 0 && strcmp(entries[unique - 1].name, valid[i].name) == 0) {
      nu_domain_duplicate *d = vec_push(a, &dups, sizeof *d);
      if (d == NULL) return out_of_memory();
      d->line = valid[i].line;
      d->first_line = entries[unique - 1].line;
      d->name = valid[i].name;
      continue;
    }
    entries[unique++] = valid[i];
  }
  if (dups.count > 0) qsort(dups.items, dups.count, sizeof(nu_domain_duplicate), by_line);
  p->counts.duplicates = dups.count;
  assert(p->counts.lines ==
         p->counts.valid + p->counts.invalid + p->counts.empty + p->counts.comments);

  list->entries = entries;
  list->entry_count = unique;
  list->invalid = p->invalid.items;
  list->invalid_count = p->invalid.count;
  list->normalised = p->normalised.items;
  list->normalised_count = p->normalised.count;
  list->duplicates = dups.items;
  list->duplicate_count = dups.count;
  list->counts = p->counts;
  *out = list;
  return nu_ok();
}

nu_status nu_domain_list_parse(nu_arena *a, const void *bytes, size_t n,
                               const nu_domain_list **out) {
  *out = NULL;
  nu_domain_parser *p = nu_domain_parser_new(a);
  if (p == NULL) return out_of_memory();
  nu_status s = nu_domain_parser_feed(p, bytes, n);
  if (!nu_status_is_ok(&s)) return s;
  return nu_domain_parser_finish(p, out);
}

/* The entry named exactly name, or NULL. */
static const nu_domain_entry *find(const nu_domain_list *list, const char *name) {
  size_t lo = 0, hi = list->entry_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(name, list->entries[mid].name);
    if (c == 0) return &list->entries[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

#define NU_EMAIL_MAX 254
#define NU_EMAIL_LOCAL_MAX 64

int nu_domain_match(const nu_domain_list *list, const char *email,
                    const nu_domain_entry **matched) {
  *matched = NULL;
  size_t n = 0; /* strnlen is not C11 */
  while (n <= NU_EMAIL_MAX && email[n] != '\0') n++;
  if (n > NU_EMAIL_MAX) return -1;
  const char *at = memchr(email, '@', n);
  if (at == NULL) return -1;
  size_t local = (size_t)(at - email);
  if (local == 0 || local > NU_EMAIL_LOCAL_MAX) return -1;
  for (size_t i = 0; i < local; i++) {
    unsigned char c = (unsigned char)email[i];
    if (c <= 0x20 || c >= 0x7f) return -1;
  }
  const char *dom = at + 1;
  size_t dn = n - local - 1;
  if (dn > NU_DOMAIN_NAME_MAX) return -1;
  char name[NU_DOMAIN_NAME_MAX + 1];
  for (size_t i = 0; i < dn; i++) {
    char c = dom[i];
    name[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  name[dn] = '\0';
  /* A second '@' is refused there too. */
  if (name_problem(NULL, name, dn) != NULL) return -1;

  /* The domain itself, then each parent with at least two labels (the
   * list holds no top-level domain). The broadest entry listed is the one
   * reported: eligibility comes from the body's own domain (finances.gouv.fr
   * for an agent of dgfip.finances.gouv.fr, though both are listed), and
   * the answer does not change when the list adds a sub-domain. */
  for (const char *s = name; strchr(s, '.') != NULL; s = strchr(s, '.') + 1) {
    const nu_domain_entry *e = find(list, s);
    if (e != NULL) *matched = e;
  }
  return 0;
}
