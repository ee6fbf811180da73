/*
 * json_line.h — reading one line of a JSON-lines file: a flat object whose
 * values are strings, numbers, booleans or null.
 *
 * For `nuagectl provider report FILE` (one report per line). Neither the
 * client nor server/common has a JSON reader (server/common/json.c only
 * writes), and the reports are flat, so this reads exactly that and
 * refuses nested objects and arrays rather than skipping them.
 */
#ifndef NU_CTL_JSON_LINE_H
#define NU_CTL_JSON_LINE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NU_JSON_LINE_MAX_MEMBERS 32

typedef enum nu_json_kind {
  NU_JSON_NULL,
  NU_JSON_STRING, /* text: the decoded string (UTF-8, escapes resolved) */
  NU_JSON_NUMBER, /* text: the number as written */
  NU_JSON_BOOL,   /* text: "true" or "false" */
} nu_json_kind;

typedef struct nu_json_member {
  char *key;
  nu_json_kind kind;
  char *text;
} nu_json_member;

/* The members of one object, in the order written. Keys and texts point
 * into storage the object owns: free it with nu_json_line_free. */
typedef struct nu_json_line {
  nu_json_member members[NU_JSON_LINE_MAX_MEMBERS];
  size_t n;
  char *storage;
  size_t cap;
} nu_json_line;

/* Parses line (len bytes, no newline needed) into *out. Returns 0, or -1
 * with a static description in *error (out is then empty: no free needed). */
int nu_json_line_parse(const char *line, size_t len, nu_json_line *out, const char **error);

/* The member named key, or NULL (the last one when a key repeats). */
const nu_json_member *nu_json_line_get(const nu_json_line *o, const char *key);

/* Frees the storage, zeroed first: a line may carry secrets (access
 * details). */
void nu_json_line_free(nu_json_line *o);

#ifdef __cplusplus
}
#endif

#endif
