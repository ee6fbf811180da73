/*
 * enum.c — enum values checked and named from their descriptors.
 *
 * The texts (lower-cased names without the prefix) are built the first
 * time an enum's text is asked for and never freed: a few hundred bytes
 * per enum, derived from constant descriptors, so there is nothing a test
 * would need to reset. Readers walk a list published with release/acquire
 * atomics; writers serialise on a mutex.
 */
#include "server/validate/enum.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define UNSPECIFIED "UNSPECIFIED"

/* The length of d's prefix: the zero value's name less "UNSPECIFIED"
 * ("PRODUCT_KIND_"); 0 when the enum has no such zero value. */
static size_t prefix_len(const ProtobufCEnumDescriptor *d) {
  const ProtobufCEnumValue *zero = protobuf_c_enum_descriptor_get_value(d, 0);
  if (zero == NULL) return 0;
  size_t n = strlen(zero->name), u = strlen(UNSPECIFIED);
  if (n < u || strcmp(zero->name + n - u, UNSPECIFIED) != 0) return 0;
  return n - u;
}

/* The name of ev without d's prefix (when it has it). */
static const char *short_name(const ProtobufCEnumValue *ev, size_t prefix) {
  return strlen(ev->name) > prefix ? ev->name + prefix : ev->name;
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

bool nu_enum_valid(const ProtobufCEnumDescriptor *d, int value, bool zero_ok) {
  if (value == 0 && !zero_ok) return false;
  return protobuf_c_enum_descriptor_get_value(d, value) != NULL;
}

const char *nu_enum_name(const ProtobufCEnumDescriptor *d, int value) {
  const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, value);
  return ev != NULL ? ev->name : NULL;
}

/* ---- texts ---------------------------------------------------------------- */

typedef struct text_table {
  const ProtobufCEnumDescriptor *d;
  char **texts; /* parallel to d->values; NULL for the zero value */
  struct text_table *next;
} text_table;

static _Atomic(text_table *) tables = NULL;
static pthread_mutex_t tables_lock = PTHREAD_MUTEX_INITIALIZER;

static text_table *find(text_table *t, const ProtobufCEnumDescriptor *d) {
  for (; t != NULL; t = t->next) {
    if (t->d == d) return t;
  }
  return NULL;
}

/* One allocation: the table, its pointers, then the strings. */
static text_table *build(const ProtobufCEnumDescriptor *d) {
  size_t prefix = prefix_len(d);
  size_t bytes = sizeof(text_table) + d->n_values * sizeof(char *);
  for (unsigned i = 0; i < d->n_values; i++) {
    bytes += strlen(short_name(&d->values[i], prefix)) + 1;
  }
  text_table *t = malloc(bytes);
  if (t == NULL) return NULL;
  t->d = d;
  t->texts = (char **)(t + 1);
  char *p = (char *)(t->texts + d->n_values);
  for (unsigned i = 0; i < d->n_values; i++) {
    if (d->values[i].value == 0) {
      t->texts[i] = NULL;
      continue;
    }
    const char *s = short_name(&d->values[i], prefix);
    t->texts[i] = p;
    while (*s != '\0') *p++ = lower(*s++);
    *p++ = '\0';
  }
  return t;
}

static const text_table *table_of(const ProtobufCEnumDescriptor *d) {
  text_table *t = find(atomic_load_explicit(&tables, memory_order_acquire), d);
  if (t != NULL) return t;
  pthread_mutex_lock(&tables_lock);
  text_table *head = atomic_load_explicit(&tables, memory_order_relaxed);
  t = find(head, d);
  if (t == NULL) {
    t = build(d);
    if (t != NULL) {
      t->next = head;
      atomic_store_explicit(&tables, t, memory_order_release);
    }
  }
  pthread_mutex_unlock(&tables_lock);
  return t;
}

const char *nu_enum_text(const ProtobufCEnumDescriptor *d, int value) {
  const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, value);
  if (ev == NULL || value == 0) return NULL;
  const text_table *t = table_of(d);
  return t != NULL ? t->texts[ev - d->values] : NULL;
}

/* Whether s is exactly the lower-cased form of name. */
static bool is_text_of(const char *s, const char *name) {
  for (; *name != '\0'; name++, s++) {
    if (*s != lower(*name)) return false;
  }
  return *s == '\0';
}

int nu_enum_parse_text(const ProtobufCEnumDescriptor *d, const char *s) {
  if (s == NULL) return 0;
  size_t prefix = prefix_len(d);
  for (unsigned i = 0; i < d->n_values; i++) {
    const ProtobufCEnumValue *ev = &d->values[i];
    if (ev->value != 0 && is_text_of(s, short_name(ev, prefix))) return ev->value;
  }
  return 0;
}

/* ---- violations ------------------------------------------------------------- */

/* "must be A, B or C": the accepted values of d by short name (arena);
 * NULL when out of memory. */
static const char *accepted(nu_arena *a, const ProtobufCEnumDescriptor *d, bool zero_ok) {
  size_t prefix = prefix_len(d);
  unsigned count = 0;
  for (unsigned i = 0; i < d->n_values; i++) count += d->values[i].value != 0 || zero_ok;
  const char *out = "must be";
  unsigned k = 0;
  for (unsigned i = 0; i < d->n_values && out != NULL; i++) {
    if (d->values[i].value == 0 && !zero_ok) continue;
    const char *sep = k == 0 ? " " : (k + 1 == count ? " or " : ", ");
    out = nu_arena_sprintf(a, "%s%s%s", out, sep, short_name(&d->values[i], prefix));
    k++;
  }
  return out;
}

void nu_validate_enum(nu_validator *v, const char *field, const ProtobufCEnumDescriptor *d,
                      int value, bool zero_ok) {
  if (nu_enum_valid(d, value, zero_ok)) return;
  const char *why = accepted(v->arena, d, zero_ok);
  nu_validate_fail(v, field, "%s", why != NULL ? why : "is not a known value");
}

void nu_validate_enum_list(nu_validator *v, const char *field, const ProtobufCEnumDescriptor *d,
                           const int *values, size_t n, size_t max) {
  if (n > max) {
    nu_validate_fail(v, field, "at most %zu values", max);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (nu_enum_valid(d, values[i], false)) continue;
    const char *item = nu_arena_sprintf(v->arena, "%s[%zu]", field, i);
    nu_validate_enum(v, item != NULL ? item : field, d, values[i], false);
  }
}
