/*
 * json_line.c — one flat JSON object per line; see json_line.h.
 *
 * Strings are decoded into one buffer as long as the line (a decoded
 * string is never longer than its source), so a line costs one allocation.
 */
#include "client/ctl/json_line.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
  const char *s, *end;
  char *w; /* next free byte of storage */
  const char *error;
} parser;

static void skip_space(parser *p) {
  while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\r' || *p->s == '\n')) p->s++;
}

static int fail(parser *p, const char *error) {
  p->error = error;
  return -1;
}

static int hex4(const char *s, uint32_t *out) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (uint32_t)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (uint32_t)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (uint32_t)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

static void put_utf8(parser *p, uint32_t cp) {
  if (cp < 0x80) {
    *p->w++ = (char)cp;
  } else if (cp < 0x800) {
    *p->w++ = (char)(0xc0 | (cp >> 6));
    *p->w++ = (char)(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    *p->w++ = (char)(0xe0 | (cp >> 12));
    *p->w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
    *p->w++ = (char)(0x80 | (cp & 0x3f));
  } else {
    *p->w++ = (char)(0xf0 | (cp >> 18));
    *p->w++ = (char)(0x80 | ((cp >> 12) & 0x3f));
    *p->w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
    *p->w++ = (char)(0x80 | (cp & 0x3f));
  }
}

/* A \u escape at p->s (after the backslash and 'u'), with its low
 * surrogate when it is a high one. */
static int unicode_escape(parser *p) {
  uint32_t cp, lo;
  if (p->end - p->s < 4 || hex4(p->s, &cp) != 0) return fail(p, "bad \\u escape");
  p->s += 4;
  if (cp >= 0xd800 && cp <= 0xdbff) {
    if (p->end - p->s < 6 || p->s[0] != '\\' || p->s[1] != 'u' || hex4(p->s + 2, &lo) != 0 ||
        lo < 0xdc00 || lo > 0xdfff)
      return fail(p, "unpaired surrogate in \\u escape");
    p->s += 6;
    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
  } else if (cp >= 0xdc00 && cp <= 0xdfff) {
    return fail(p, "unpaired surrogate in \\u escape");
  }
  put_utf8(p, cp);
  return 0;
}

/* A string at p->s (on its opening quote), decoded into storage. */
static int string(parser *p, char **out) {
  *out = p->w;
  p->s++;
  while (p->s < p->end && *p->s != '"') {
    unsigned char c = (unsigned char)*p->s++;
    if (c < 0x20) return fail(p, "control character in a string");
    if (c != '\\') {
      *p->w++ = (char)c;
      continue;
    }
    if (p->s == p->end) break;
    switch (*p->s++) {
      case '"': *p->w++ = '"'; break;
      case '\\': *p->w++ = '\\'; break;
      case '/': *p->w++ = '/'; break;
      case 'b': *p->w++ = '\b'; break;
      case 'f': *p->w++ = '\f'; break;
      case 'n': *p->w++ = '\n'; break;
      case 'r': *p->w++ = '\r'; break;
      case 't': *p->w++ = '\t'; break;
      case 'u':
        if (unicode_escape(p) != 0) return -1;
        break;
      default: return fail(p, "bad escape in a string");
    }
  }
  if (p->s == p->end) return fail(p, "unterminated string");
  p->s++;
  *p->w++ = '\0';
  return 0;
}

/* A number, true, false or null, copied as written. */
static int scalar(parser *p, nu_json_member *m) {
  static const struct {
    const char *word;
    nu_json_kind kind;
  } words[] = {{"true", NU_JSON_BOOL}, {"false", NU_JSON_BOOL}, {"null", NU_JSON_NULL}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t n = strlen(words[i].word);
    if ((size_t)(p->end - p->s) >= n && memcmp(p->s, words[i].word, n) == 0) {
      m->kind = words[i].kind;
      m->text = p->w;
      memcpy(p->w, p->s, n);
      p->w += n;
      *p->w++ = '\0';
      p->s += n;
      return 0;
    }
  }
  const char *start = p->s;
  if (p->s < p->end && *p->s == '-') p->s++;
  size_t digits = 0;
  while (p->s < p->end && strchr("0123456789.eE+-", *p->s) != NULL) p->s++, digits++;
  if (digits == 0) {
    if (p->s < p->end && (*p->s == '{' || *p->s == '['))
      return fail(p, "nested objects and arrays are not expected here");
    return fail(p, "expected a value");
  }
  m->kind = NU_JSON_NUMBER;
  m->text = p->w;
  memcpy(p->w, start, (size_t)(p->s - start));
  p->w += p->s - start;
  *p->w++ = '\0';
  return 0;
}

static int object(parser *p, nu_json_line *out) {
  skip_space(p);
  if (p->s == p->end || *p->s != '{') return fail(p, "expected an object");
  p->s++;
  skip_space(p);
  if (p->s < p->end && *p->s == '}') {
    p->s++;
    return 0;
  }
  for (;;) {
    skip_space(p);
    if (p->s == p->end || *p->s != '"') return fail(p, "expected a key");
    if (out->n == NU_JSON_LINE_MAX_MEMBERS) return fail(p, "too many members");
    nu_json_member *m = &out->members[out->n++];
    if (string(p, &m->key) != 0) return -1;
    skip_space(p);
    if (p->s == p->end || *p->s != ':') return fail(p, "expected ':'");
    p->s++;
    skip_space(p);
    if (p->s < p->end && *p->s == '"') {
      m->kind = NU_JSON_STRING;
      if (string(p, &m->text) != 0) return -1;
    } else if (scalar(p, m) != 0) {
      return -1;
    }
    skip_space(p);
    if (p->s < p->end && *p->s == ',') {
      p->s++;
      continue;
    }
    if (p->s < p->end && *p->s == '}') {
      p->s++;
      return 0;
    }
    return fail(p, "expected ',' or '}'");
  }
}

int nu_json_line_parse(const char *line, size_t len, nu_json_line *out, const char **error) {
  parser p;
  memset(out, 0, sizeof *out);
  /* Each member adds at most its two terminating NULs to what it reads. */
  out->cap = len + 2 * NU_JSON_LINE_MAX_MEMBERS + 1;
  out->storage = malloc(out->cap);
  if (out->storage == NULL) {
    *error = "out of memory";
    return -1;
  }
  p.s = line;
  p.end = line + len;
  p.w = out->storage;
  p.error = NULL;
  if (object(&p, out) == 0) {
    skip_space(&p);
    if (p.s == p.end) return 0;
    p.error = "text after the object";
  }
  *error = p.error;
  nu_json_line_free(out);
  return -1;
}

const nu_json_member *nu_json_line_get(const nu_json_line *o, const char *key) {
  for (size_t i = o->n; i > 0; i--)
    if (strcmp(o->members[i - 1].key, key) == 0) return &o->members[i - 1];
  return NULL;
}

void nu_json_line_free(nu_json_line *o) {
  if (o->storage != NULL) explicit_bzero(o->storage, o->cap);
  free(o->storage);
  memset(o, 0, sizeof *o);
}
