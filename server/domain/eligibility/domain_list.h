/*
 * domain_list.h — the list of public-body e-mail domains (Etalab list) and
 * the eligibility rule built on it.
 *
 * The operator loads the list from a file; the parser is fed the file's
 * bytes in chunks of any size (a chunk may end in the middle of a line, of
 * a UTF-8 sequence or of a CRLF). Each line is normalised — surrounding
 * ASCII whitespace and U+00A0 no-break spaces trimmed, ASCII lower-cased,
 * the root dot of an absolute name ("gouv.fr.") removed, a name in Unicode
 * converted to its A-label form with libidn2 (UTS #46 nontransitional, as
 * e-mail domains are: "impôts.gouv.fr" → "xn--impts-8ta.gouv.fr") — then
 * validated as a domain name. Nothing is dropped silently: every line ends up counted as
 * valid, invalid (with its 1-based number and a reason), a duplicate, empty
 * or a comment, and every line the normalisation changed is reported.
 *
 * An e-mail is eligible when its domain, or any parent domain, is on the
 * list (DOMAIN.md §2). Pure code: no I/O, no clock, no globals (libidn2
 * is a pure function too).
 */
#ifndef NU_DOMAIN_ELIGIBILITY_DOMAIN_LIST_H
#define NU_DOMAIN_ELIGIBILITY_DOMAIN_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest line kept in full; longer lines are reported invalid. */
#define NU_DOMAIN_LINE_MAX 1024
/* RFC 1035 limits, the dot-separated text form. */
#define NU_DOMAIN_NAME_MAX 253
#define NU_DOMAIN_LABEL_MAX 63

/* What the normalisation did to a line; a line may get several. */
enum {
  NU_DOMAIN_NORM_TRIMMED = 1u << 0,      /* ASCII whitespace (space, tab, CR…) */
  NU_DOMAIN_NORM_TRIMMED_NBSP = 1u << 1, /* U+00A0 no-break space (UTF-8 c2 a0) */
  NU_DOMAIN_NORM_LOWERCASED = 1u << 2,   /* ASCII upper-case letters */
  NU_DOMAIN_NORM_ROOT_DOT = 1u << 3,     /* one trailing dot removed */
  NU_DOMAIN_NORM_IDNA = 1u << 4,         /* Unicode name to its A-label form */
};

typedef struct nu_domain_entry {
  const char *name; /* normalised, NUL-terminated */
  size_t len;
  uint32_t line; /* first line the domain appears on */
} nu_domain_entry;

typedef struct nu_domain_invalid {
  uint32_t line;
  const char *reason; /* lower-case, no trailing period */
  const char *text;   /* the line as read, without its line ending (at most
                         NU_DOMAIN_LINE_MAX bytes); may hold any byte */
  size_t text_len;
} nu_domain_invalid;

typedef struct nu_domain_normalised {
  uint32_t line;
  unsigned kinds;     /* NU_DOMAIN_NORM_* bits */
  const char *result; /* the line after normalisation */
} nu_domain_normalised;

typedef struct nu_domain_duplicate {
  uint32_t line;
  uint32_t first_line;
  const char *name;
} nu_domain_duplicate;

typedef struct nu_domain_counts {
  size_t lines; /* lines read, the last one even without a line feed */
  size_t valid; /* valid lines, duplicates included */
  size_t invalid;
  size_t duplicates; /* valid lines whose domain an earlier line gave */
  size_t empty;      /* empty or whitespace-only lines */
  size_t comments;   /* lines starting with '#' (after trimming) */
  size_t crlf;       /* lines ended by CR LF (the CR is part of the line
                        ending, not reported as a trim) */
} nu_domain_counts;

/* The parsed list; everything in it is owned by the parser's arena.
 * lines = valid + invalid + empty + comments;
 * entry_count = valid - duplicates. */
typedef struct nu_domain_list {
  const nu_domain_entry *entries; /* unique, sorted by strcmp of name */
  size_t entry_count;
  const nu_domain_invalid *invalid; /* in line order */
  size_t invalid_count;
  const nu_domain_normalised *normalised; /* in line order */
  size_t normalised_count;
  const nu_domain_duplicate *duplicates; /* in line order */
  size_t duplicate_count;
  nu_domain_counts counts;
} nu_domain_list;

typedef struct nu_domain_parser nu_domain_parser;

/* A parser whose memory, and the list it yields, belong to the arena
 * (borrowed; freed with it). NULL when out of memory. */
nu_domain_parser *nu_domain_parser_new(nu_arena *a);

/* Feeds the next n bytes (borrowed, copied as needed). Invalid lines are
 * not errors; the status is RESOURCE_EXHAUSTED when the arena is out of
 * memory and FAILED_PRECONDITION after nu_domain_parser_finish. */
nu_status nu_domain_parser_feed(nu_domain_parser *p, const void *bytes, size_t n);

/* Ends the input (a last line without a line feed counts), sorts and
 * de-duplicates, and sets *out to the list, owned by the arena. Same
 * errors as feed; *out is NULL on error. Called once. */
nu_status nu_domain_parser_finish(nu_domain_parser *p, const nu_domain_list **out);

/* Parser in one call over a whole buffer. */
nu_status nu_domain_list_parse(nu_arena *a, const void *bytes, size_t n,
                               const nu_domain_list **out);

/* NULL when name[0..n) is a valid lower-case domain name (labels of 1–63
 * [a-z0-9-] not starting or ending with '-', at least two labels, the last
 * not all digits, at most 253 bytes), else a static reason, lower-case. */
const char *nu_domain_name_problem(const char *name, size_t n);

/* One name as the list import normalises a line (surrounding ASCII
 * whitespace and U+00A0 trimmed, ASCII lower-cased, the root dot removed,
 * Unicode to A-labels):
 * NULL with *out the name (arena) when it is then valid, else the reason
 * of nu_domain_name_problem ("out of memory" when the arena is full). */
const char *nu_domain_name_normalise(nu_arena *a, const char *text, const char **out);

/* Eligibility of an e-mail address. Returns 0 and sets *matched to the
 * broadest list entry equal to the address's domain or a parent of it (borrowed from the list), or
 * to NULL when none is on the list. Returns -1, *matched NULL, when email is not a valid address:
 * exactly one '@', a local part of 1–64 printable ASCII bytes without space, a domain valid for
 * nu_domain_name_problem once lower-cased (no trailing dot), 254 bytes at most in all.
 * Case-insensitive; email is borrowed. */
int nu_domain_match(const nu_domain_list *list, const char *email, const nu_domain_entry **matched);

#ifdef __cplusplus
}
#endif

#endif
