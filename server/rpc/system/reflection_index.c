/*
 * reflection_index.c — the index of the embedded FileDescriptorSet, and the
 * answers of server reflection computed from it.
 *
 * The set is split at the wire level so that each file is served with the
 * bytes protoc wrote; each file is also unpacked (into a temporary arena) to
 * learn its name, its dependencies, the symbols it declares and the
 * extensions it defines. Only those facts are kept.
 *
 * Lookups are binary searches in sorted arrays: the tables hold a few
 * hundred entries, are built once and never change, so any number of
 * threads can read them without locks.
 */
#include "server/rpc/system/reflection_index.h"

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "google/protobuf/descriptor.pb-c.h"

/* Deeper than any real .proto nests messages; bounds the recursion over
 * nested types when the set is hostile or corrupt. */
#define NU_REFL_MAX_DEPTH 64

/* Echoing a client's name in an error is useful; echoing megabytes is not. */
#define NU_REFL_ECHO_MAX "256"

typedef enum nu_refl_kind {
  NU_REFL_MESSAGE,
  NU_REFL_ENUM,
  NU_REFL_SERVICE,
  NU_REFL_OTHER, /* method, field, oneof, enum value, extension */
} nu_refl_kind;

/* A name that leads to a file: a file's own name, or a symbol it declares. */
typedef struct nu_refl_entry {
  const char *name;
  size_t file; /* index into nu_reflection_index.files */
  nu_refl_kind kind;
} nu_refl_entry;

typedef struct nu_refl_extension {
  const char *extendee; /* fully qualified, without the leading dot */
  int32_t number;
  size_t file;
} nu_refl_extension;

typedef struct nu_refl_file {
  const char *name;
  const unsigned char *bytes; /* the serialized FileDescriptorProto, inside the set copy */
  size_t len;
  size_t *deps; /* direct dependencies, as indexes into files */
  size_t n_deps;
} nu_refl_file;

struct nu_reflection_index {
  nu_arena *arena;     /* owns the index itself and everything it points to */
  nu_refl_file *files; /* in the set's order */
  size_t n_files;
  nu_refl_entry *by_name; /* one per file, sorted by name */
  nu_refl_entry *symbols; /* sorted by name */
  size_t n_symbols;
  nu_refl_extension *extensions; /* sorted by extendee, then number */
  size_t n_extensions;
  const char **services; /* in the order given */
  size_t n_services;
};

/* State of one nu_reflection_index_new. The growing arrays live in the
 * temporary arena and are copied into the index once complete. */
typedef struct nu_refl_builder {
  nu_reflection_index *ix;
  nu_arena *tmp;
  size_t file; /* the file being indexed */
  nu_refl_entry *symbols;
  size_t n_symbols, cap_symbols;
  nu_refl_extension *extensions;
  size_t n_extensions, cap_extensions;
} nu_refl_builder;

static nu_status refl_oom(void) {
  return nu_error(NULL, NU_RESOURCE_EXHAUSTED, NULL, "out of memory");
}

static nu_status refl_bad(const char *literal) {
  nu_status s = nu_ok();
  s.code = NU_INVALID_ARGUMENT;
  s.message = literal;
  return s;
}

static const char *str_or_empty(const char *s) { return s != NULL ? s : ""; }

/* ---- comparisons and lookups ---- */

static int cmp_entry(const void *x, const void *y) {
  return strcmp(((const nu_refl_entry *)x)->name, ((const nu_refl_entry *)y)->name);
}

static int cmp_extension(const void *x, const void *y) {
  const nu_refl_extension *a = x, *b = y;
  int c = strcmp(a->extendee, b->extendee);
  if (c != 0) return c;
  return (a->number > b->number) - (a->number < b->number);
}

/* bsearch and qsort must not see a NULL base, even with no elements. */
static const nu_refl_entry *find_entry(const nu_refl_entry *v, size_t n, const char *name) {
  if (n == 0) return NULL;
  nu_refl_entry key = {name, 0, NU_REFL_OTHER};
  return bsearch(&key, v, n, sizeof(*v), cmp_entry);
}

static void sort_array(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *)) {
  if (n > 1) qsort(v, n, size, cmp);
}

/* First extension of extendee in the sorted table, or n when none. */
static size_t first_extension_of(const nu_reflection_index *ix, const char *extendee) {
  size_t lo = 0, hi = ix->n_extensions;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(ix->extensions[mid].extendee, extendee) < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

static bool is_message_type(const nu_reflection_index *ix, const char *name) {
  const nu_refl_entry *e = find_entry(ix->symbols, ix->n_symbols, name);
  return e != NULL && e->kind == NU_REFL_MESSAGE;
}

/* ---- splitting the set ---- */

/* Reads a base-128 varint at *pos. Returns -1 when it runs past the end or
 * past 64 bits. */
static int read_varint(const unsigned char *p, size_t len, size_t *pos, uint64_t *out) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (*pos >= len) return -1;
    unsigned char b = p[(*pos)++];
    v |= (uint64_t)(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *out = v;
      return 0;
    }
  }
  return -1;
}

/*
 * Walks `repeated FileDescriptorProto file = 1` of a FileDescriptorSet and
 * counts the files; with files non-NULL, also records where each one's bytes
 * are. Other fields are skipped as protobuf parsers do (protoc writes none).
 */
static nu_status split_set(const unsigned char *set, size_t len, nu_refl_file *files,
                           size_t *n_files) {
  size_t pos = 0, n = 0;
  while (pos < len) {
    uint64_t key, value;
    if (read_varint(set, len, &pos, &key) != 0) {
      return refl_bad("descriptor set is truncated inside a field key");
    }
    uint64_t field = key >> 3;
    unsigned wire = (unsigned)(key & 7);
    if (field == 0) return refl_bad("descriptor set has a field numbered 0");
    if (field == 1 && wire != 2) {
      return refl_bad("descriptor set has a file field that is not length-delimited");
    }
    switch (wire) {
      case 0:
        if (read_varint(set, len, &pos, &value) != 0) {
          return refl_bad("descriptor set is truncated inside a varint");
        }
        break;
      case 1:
        if (len - pos < 8) return refl_bad("descriptor set is truncated inside a fixed64");
        pos += 8;
        break;
      case 5:
        if (len - pos < 4) return refl_bad("descriptor set is truncated inside a fixed32");
        pos += 4;
        break;
      case 2:
        if (read_varint(set, len, &pos, &value) != 0 || value > len - pos) {
          return refl_bad("descriptor set is truncated inside a length-delimited field");
        }
        if (field == 1) {
          if (files != NULL) {
            files[n].bytes = set + pos;
            files[n].len = (size_t)value;
          }
          n++;
        }
        pos += (size_t)value;
        break;
      default:
        /* Groups (3, 4) never occur in a FileDescriptorSet; 6 and 7 are invalid. */
        return refl_bad("descriptor set uses an unsupported wire type");
    }
  }
  *n_files = n;
  return nu_ok();
}

/* ---- indexing one file ---- */

static void *arena_pb_alloc(void *arena, size_t size) { return nu_arena_alloc(arena, size); }

/* Frees are no-ops: the temporary arena releases every unpacked file at once. */
static void arena_pb_free(void *arena, void *p) {
  (void)arena;
  (void)p;
}

/* Makes room for one more element of an array growing in arena a, doubling
 * its capacity. Returns the array (moved or not), NULL when out of memory. */
static void *grow_array(nu_arena *a, void *items, size_t n, size_t *cap, size_t size) {
  if (n < *cap) return items;
  size_t cap2 = *cap != 0 ? *cap * 2 : 32;
  if (cap2 > SIZE_MAX / size) return NULL;
  void *p = nu_arena_alloc(a, cap2 * size);
  if (p == NULL) return NULL;
  if (n > 0) memcpy(p, items, n * size);
  *cap = cap2;
  return p;
}

/* Records scope.name (or name at the root) as declared by the current file;
 * *fq_out, when given, receives the full name. */
static nu_status add_symbol(nu_refl_builder *b, const char *scope, const char *name,
                            nu_refl_kind kind, const char **fq_out) {
  if (name == NULL || name[0] == '\0') {
    return refl_bad("descriptor set declares an element without a name");
  }
  nu_arena *a = b->ix->arena;
  char *fq =
      scope[0] == '\0' ? nu_arena_strdup(a, name) : nu_arena_sprintf(a, "%s.%s", scope, name);
  nu_refl_entry *v = grow_array(b->tmp, b->symbols, b->n_symbols, &b->cap_symbols, sizeof(*v));
  if (fq == NULL || v == NULL) return refl_oom();
  b->symbols = v;
  b->symbols[b->n_symbols++] = (nu_refl_entry){fq, b->file, kind};
  if (fq_out != NULL) *fq_out = fq;
  return nu_ok();
}

static nu_status index_extension(nu_refl_builder *b, const char *scope,
                                 const Google__Protobuf__FieldDescriptorProto *f) {
  nu_status st = add_symbol(b, scope, f->name, NU_REFL_OTHER, NULL);
  if (!nu_status_is_ok(&st)) return st;
  if (f->extendee == NULL || f->extendee[0] == '\0' || !f->has_number) {
    return refl_bad("descriptor set has an extension without extendee or number");
  }
  /* protoc writes resolved type names with a leading dot; requests name
   * types without it. */
  const char *extendee = f->extendee[0] == '.' ? f->extendee + 1 : f->extendee;
  char *copy = nu_arena_strdup(b->ix->arena, extendee);
  nu_refl_extension *v =
      grow_array(b->tmp, b->extensions, b->n_extensions, &b->cap_extensions, sizeof(*v));
  if (copy == NULL || v == NULL) return refl_oom();
  b->extensions = v;
  b->extensions[b->n_extensions++] = (nu_refl_extension){copy, f->number, b->file};
  return nu_ok();
}

static nu_status index_enum(nu_refl_builder *b, const char *scope,
                            const Google__Protobuf__EnumDescriptorProto *e) {
  nu_status st = add_symbol(b, scope, e->name, NU_REFL_ENUM, NULL);
  /* Enum values are scoped like their enum, not inside it (C++ rules):
   * grpc.health.v1.HealthCheckResponse.SERVING. */
  for (size_t i = 0; nu_status_is_ok(&st) && i < e->n_value; i++) {
    st = add_symbol(b, scope, e->value[i]->name, NU_REFL_OTHER, NULL);
  }
  return st;
}

static nu_status index_message(nu_refl_builder *b, const char *scope,
                               const Google__Protobuf__DescriptorProto *m, int depth) {
  if (depth > NU_REFL_MAX_DEPTH) return refl_bad("descriptor set nests messages too deeply");
  const char *fq = NULL;
  nu_status st = add_symbol(b, scope, m->name, NU_REFL_MESSAGE, &fq);
  for (size_t i = 0; nu_status_is_ok(&st) && i < m->n_field; i++) {
    st = add_symbol(b, fq, m->field[i]->name, NU_REFL_OTHER, NULL);
  }
  for (size_t i = 0; nu_status_is_ok(&st) && i < m->n_oneof_decl; i++) {
    st = add_symbol(b, fq, m->oneof_decl[i]->name, NU_REFL_OTHER, NULL);
  }
  for (size_t i = 0; nu_status_is_ok(&st) && i < m->n_extension; i++) {
    st = index_extension(b, fq, m->extension[i]);
  }
  for (size_t i = 0; nu_status_is_ok(&st) && i < m->n_nested_type; i++) {
    st = index_message(b, fq, m->nested_type[i], depth + 1);
  }
  for (size_t i = 0; nu_status_is_ok(&st) && i < m->n_enum_type; i++) {
    st = index_enum(b, fq, m->enum_type[i]);
  }
  return st;
}

static nu_status index_service(nu_refl_builder *b, const char *scope,
                               const Google__Protobuf__ServiceDescriptorProto *s) {
  const char *fq = NULL;
  nu_status st = add_symbol(b, scope, s->name, NU_REFL_SERVICE, &fq);
  for (size_t i = 0; nu_status_is_ok(&st) && i < s->n_method; i++) {
    st = add_symbol(b, fq, s->method[i]->name, NU_REFL_OTHER, NULL);
  }
  return st;
}

static nu_status index_file(nu_refl_builder *b, const Google__Protobuf__FileDescriptorProto *fd) {
  const char *pkg = str_or_empty(fd->package);
  nu_status st = nu_ok();
  for (size_t i = 0; nu_status_is_ok(&st) && i < fd->n_message_type; i++) {
    st = index_message(b, pkg, fd->message_type[i], 0);
  }
  for (size_t i = 0; nu_status_is_ok(&st) && i < fd->n_enum_type; i++) {
    st = index_enum(b, pkg, fd->enum_type[i]);
  }
  for (size_t i = 0; nu_status_is_ok(&st) && i < fd->n_service; i++) {
    st = index_service(b, pkg, fd->service[i]);
  }
  for (size_t i = 0; nu_status_is_ok(&st) && i < fd->n_extension; i++) {
    st = index_extension(b, pkg, fd->extension[i]);
  }
  return st;
}

/* ---- building the index ---- */

/* Unpacks every file, records its name and indexes its symbols. */
static nu_status index_files(nu_refl_builder *b, Google__Protobuf__FileDescriptorProto **fds) {
  nu_reflection_index *ix = b->ix;
  ProtobufCAllocator alloc = {arena_pb_alloc, arena_pb_free, b->tmp};
  for (size_t i = 0; i < ix->n_files; i++) {
    nu_refl_file *f = &ix->files[i];
    /* protobuf-c cannot tell corrupt input from a failed allocation; at
     * start-up, with a set of a few dozen kilobytes, corrupt is the likely
     * one. */
    fds[i] = google__protobuf__file_descriptor_proto__unpack(&alloc, f->len, f->bytes);
    if (fds[i] == NULL) return refl_bad("descriptor set holds a file that does not parse");
    if (fds[i]->name == NULL || fds[i]->name[0] == '\0') {
      return refl_bad("descriptor set holds a file without a name");
    }
    f->name = nu_arena_strdup(ix->arena, fds[i]->name);
    if (f->name == NULL) return refl_oom();
    ix->by_name[i] = (nu_refl_entry){f->name, i, NU_REFL_OTHER};
    b->file = i;
    nu_status st = index_file(b, fds[i]);
    if (!nu_status_is_ok(&st)) return st;
  }
  sort_array(ix->by_name, ix->n_files, sizeof(*ix->by_name), cmp_entry);
  for (size_t i = 1; i < ix->n_files; i++) {
    if (strcmp(ix->by_name[i - 1].name, ix->by_name[i].name) == 0) {
      return refl_bad("descriptor set holds the same file twice");
    }
  }
  return nu_ok();
}

/* Resolves every file's dependencies to indexes: a file is only useful to a
 * client together with all of them, so a missing one is an error at start
 * rather than a broken answer later. */
static nu_status link_dependencies(nu_reflection_index *ix,
                                   Google__Protobuf__FileDescriptorProto **fds) {
  for (size_t i = 0; i < ix->n_files; i++) {
    nu_refl_file *f = &ix->files[i];
    f->n_deps = fds[i]->n_dependency;
    f->deps = nu_arena_calloc(ix->arena, f->n_deps, sizeof(*f->deps));
    if (f->deps == NULL) return refl_oom();
    for (size_t j = 0; j < f->n_deps; j++) {
      const nu_refl_entry *e =
          find_entry(ix->by_name, ix->n_files, str_or_empty(fds[i]->dependency[j]));
      if (e == NULL) return refl_bad("descriptor set lacks a dependency of one of its files");
      f->deps[j] = e->file;
    }
  }
  return nu_ok();
}

/* Moves the symbol and extension tables into the index, sorted, and
 * rejects duplicates (protoc would have; a hand-made set might not). */
static nu_status finish_tables(nu_refl_builder *b) {
  nu_reflection_index *ix = b->ix;
  ix->n_symbols = b->n_symbols;
  ix->symbols = nu_arena_memdup(ix->arena, b->symbols, b->n_symbols * sizeof(*b->symbols));
  ix->n_extensions = b->n_extensions;
  ix->extensions =
      nu_arena_memdup(ix->arena, b->extensions, b->n_extensions * sizeof(*b->extensions));
  if (ix->symbols == NULL || ix->extensions == NULL) return refl_oom();
  sort_array(ix->symbols, ix->n_symbols, sizeof(*ix->symbols), cmp_entry);
  for (size_t i = 1; i < ix->n_symbols; i++) {
    if (strcmp(ix->symbols[i - 1].name, ix->symbols[i].name) == 0) {
      return refl_bad("descriptor set declares the same symbol twice");
    }
  }
  sort_array(ix->extensions, ix->n_extensions, sizeof(*ix->extensions), cmp_extension);
  for (size_t i = 1; i < ix->n_extensions; i++) {
    if (cmp_extension(&ix->extensions[i - 1], &ix->extensions[i]) == 0) {
      return refl_bad("descriptor set declares the same extension number twice");
    }
  }
  return nu_ok();
}

static nu_status add_services(nu_reflection_index *ix, const char *const *services, size_t n) {
  ix->services = nu_arena_calloc(ix->arena, n, sizeof(*ix->services));
  if (ix->services == NULL) return refl_oom();
  for (size_t i = 0; i < n; i++) {
    const char *name = str_or_empty(services[i]);
    const nu_refl_entry *e = find_entry(ix->symbols, ix->n_symbols, name);
    /* A served service clients cannot describe would break grpcurl and
     * friends in a confusing way; refuse to start instead. */
    if (e == NULL || e->kind != NU_REFL_SERVICE) {
      return refl_bad("a served service is not declared in the descriptor set");
    }
    ix->services[i] = e->name;
  }
  ix->n_services = n;
  return nu_ok();
}

nu_status nu_reflection_index_new(const unsigned char *set, size_t set_len,
                                  const char *const *services, size_t n_services,
                                  nu_reflection_index **out) {
  assert(out != NULL);
  assert(set != NULL || set_len == 0);
  assert(services != NULL || n_services == 0);
  *out = NULL;
  nu_status st = nu_ok();
  nu_refl_builder b = {0};
  nu_reflection_index *ix = NULL;
  const unsigned char *copy = NULL;
  Google__Protobuf__FileDescriptorProto **fds = NULL;
  nu_arena *arena = nu_arena_new();
  b.tmp = nu_arena_new();
  if (arena == NULL || b.tmp == NULL) {
    st = refl_oom();
    goto done;
  }
  ix = nu_arena_calloc(arena, 1, sizeof(*ix));
  copy = nu_arena_memdup(arena, set, set_len);
  if (ix == NULL || copy == NULL) {
    st = refl_oom();
    goto done;
  }
  ix->arena = arena;
  b.ix = ix;

  st = split_set(copy, set_len, NULL, &ix->n_files);
  if (!nu_status_is_ok(&st)) goto done;
  ix->files = nu_arena_calloc(arena, ix->n_files, sizeof(*ix->files));
  ix->by_name = nu_arena_calloc(arena, ix->n_files, sizeof(*ix->by_name));
  fds = nu_arena_calloc(b.tmp, ix->n_files, sizeof(*fds));
  if (ix->files == NULL || ix->by_name == NULL || fds == NULL) {
    st = refl_oom();
    goto done;
  }
  st = split_set(copy, set_len, ix->files, &ix->n_files);
  if (nu_status_is_ok(&st)) st = index_files(&b, fds);
  if (nu_status_is_ok(&st)) st = link_dependencies(ix, fds);
  if (nu_status_is_ok(&st)) st = finish_tables(&b);
  if (nu_status_is_ok(&st)) st = add_services(ix, services, n_services);

done:
  nu_arena_free(b.tmp);
  if (nu_status_is_ok(&st)) {
    *out = ix;
  } else {
    nu_arena_free(arena);
  }
  return st;
}

void nu_reflection_index_free(nu_reflection_index *ix) {
  if (ix != NULL) nu_arena_free(ix->arena);
}

size_t nu_reflection_index_file_count(const nu_reflection_index *ix) { return ix->n_files; }

/* ---- answering ---- */

static nu_status answer_error(nu_arena *a,
                              Grpc__Reflection__V1alpha__ServerReflectionResponse *resp,
                              nu_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static nu_status answer_error(nu_arena *a,
                              Grpc__Reflection__V1alpha__ServerReflectionResponse *resp,
                              nu_code code, const char *fmt, ...) {
  Grpc__Reflection__V1alpha__ErrorResponse *err = nu_arena_alloc(a, sizeof(*err));
  if (err == NULL) return refl_oom();
  grpc__reflection__v1alpha__error_response__init(err);
  va_list ap;
  va_start(ap, fmt);
  err->error_message = nu_arena_vsprintf(a, fmt, ap);
  va_end(ap);
  if (err->error_message == NULL) return refl_oom();
  err->error_code = (int32_t)code;
  resp->message_response_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ERROR_RESPONSE;
  resp->error_response = err;
  return nu_ok();
}

/* The file, then every file it depends on, directly or not, each once
 * (breadth first: clients index the answer by file name, order is free). */
static nu_status answer_files(const nu_reflection_index *ix, size_t first, nu_arena *a,
                              Grpc__Reflection__V1alpha__ServerReflectionResponse *resp) {
  size_t *order = nu_arena_alloc(a, ix->n_files * sizeof(*order));
  bool *seen = nu_arena_calloc(a, ix->n_files, sizeof(*seen));
  Grpc__Reflection__V1alpha__FileDescriptorResponse *fdr = nu_arena_alloc(a, sizeof(*fdr));
  if (order == NULL || seen == NULL || fdr == NULL) return refl_oom();
  size_t n = 0;
  order[n++] = first;
  seen[first] = true;
  for (size_t i = 0; i < n; i++) {
    const nu_refl_file *f = &ix->files[order[i]];
    for (size_t j = 0; j < f->n_deps; j++) {
      if (!seen[f->deps[j]]) {
        seen[f->deps[j]] = true;
        order[n++] = f->deps[j];
      }
    }
  }
  grpc__reflection__v1alpha__file_descriptor_response__init(fdr);
  fdr->file_descriptor_proto = nu_arena_alloc(a, n * sizeof(*fdr->file_descriptor_proto));
  if (fdr->file_descriptor_proto == NULL) return refl_oom();
  for (size_t i = 0; i < n; i++) {
    const nu_refl_file *f = &ix->files[order[i]];
    fdr->file_descriptor_proto[i].data = nu_arena_memdup(a, f->bytes, f->len);
    fdr->file_descriptor_proto[i].len = f->len;
    if (fdr->file_descriptor_proto[i].data == NULL) return refl_oom();
  }
  fdr->n_file_descriptor_proto = n;
  resp->message_response_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_FILE_DESCRIPTOR_RESPONSE;
  resp->file_descriptor_response = fdr;
  return nu_ok();
}

static nu_status answer_list_services(const nu_reflection_index *ix, nu_arena *a,
                                      Grpc__Reflection__V1alpha__ServerReflectionResponse *resp) {
  Grpc__Reflection__V1alpha__ListServiceResponse *list = nu_arena_alloc(a, sizeof(*list));
  Grpc__Reflection__V1alpha__ServiceResponse *items =
      nu_arena_calloc(a, ix->n_services, sizeof(*items));
  if (list == NULL || items == NULL) return refl_oom();
  grpc__reflection__v1alpha__list_service_response__init(list);
  list->service = nu_arena_calloc(a, ix->n_services, sizeof(*list->service));
  if (list->service == NULL) return refl_oom();
  for (size_t i = 0; i < ix->n_services; i++) {
    grpc__reflection__v1alpha__service_response__init(&items[i]);
    items[i].name = nu_arena_strdup(a, ix->services[i]);
    if (items[i].name == NULL) return refl_oom();
    list->service[i] = &items[i];
  }
  list->n_service = ix->n_services;
  resp->message_response_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_LIST_SERVICES_RESPONSE;
  resp->list_services_response = list;
  return nu_ok();
}

static nu_status answer_extension_numbers(
    const nu_reflection_index *ix, const char *type, nu_arena *a,
    Grpc__Reflection__V1alpha__ServerReflectionResponse *resp) {
  if (!is_message_type(ix, type)) {
    return answer_error(a, resp, NU_NOT_FOUND, "type not found: %." NU_REFL_ECHO_MAX "s", type);
  }
  size_t first = first_extension_of(ix, type), end = first;
  while (end < ix->n_extensions && strcmp(ix->extensions[end].extendee, type) == 0) end++;
  Grpc__Reflection__V1alpha__ExtensionNumberResponse *en = nu_arena_alloc(a, sizeof(*en));
  int32_t *numbers = nu_arena_alloc(a, (end - first) * sizeof(*numbers));
  if (en == NULL || numbers == NULL) return refl_oom();
  grpc__reflection__v1alpha__extension_number_response__init(en);
  en->base_type_name = nu_arena_strdup(a, type);
  if (en->base_type_name == NULL) return refl_oom();
  for (size_t i = first; i < end; i++) numbers[i - first] = ix->extensions[i].number;
  en->n_extension_number = end - first;
  en->extension_number = numbers;
  resp->message_response_case =
      GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_RESPONSE__MESSAGE_RESPONSE_ALL_EXTENSION_NUMBERS_RESPONSE;
  resp->all_extension_numbers_response = en;
  return nu_ok();
}

static nu_status answer_extension_file(const nu_reflection_index *ix,
                                       const Grpc__Reflection__V1alpha__ExtensionRequest *ext,
                                       nu_arena *a,
                                       Grpc__Reflection__V1alpha__ServerReflectionResponse *resp) {
  if (ext == NULL) {
    return answer_error(a, resp, NU_INVALID_ARGUMENT, "file_containing_extension is set but empty");
  }
  const char *type = str_or_empty(ext->containing_type);
  if (!is_message_type(ix, type)) {
    return answer_error(a, resp, NU_NOT_FOUND, "type not found: %." NU_REFL_ECHO_MAX "s", type);
  }
  nu_refl_extension key = {type, ext->extension_number, 0};
  const nu_refl_extension *found =
      ix->n_extensions == 0
          ? NULL
          : bsearch(&key, ix->extensions, ix->n_extensions, sizeof(key), cmp_extension);
  if (found == NULL) {
    return answer_error(a, resp, NU_NOT_FOUND,
                        "extension not found: %." NU_REFL_ECHO_MAX "s number %d", type,
                        (int)ext->extension_number);
  }
  return answer_files(ix, found->file, a, resp);
}

nu_status nu_reflection_answer(const nu_reflection_index *ix,
                               const Grpc__Reflection__V1alpha__ServerReflectionRequest *req,
                               nu_arena *a,
                               Grpc__Reflection__V1alpha__ServerReflectionResponse *resp_out) {
  assert(ix != NULL && req != NULL && a != NULL && resp_out != NULL);
  grpc__reflection__v1alpha__server_reflection_response__init(resp_out);
  resp_out->valid_host = nu_arena_strdup(a, str_or_empty(req->host));
  if (resp_out->valid_host == NULL) return refl_oom();
  /* protobuf-c's field is not const-qualified; packing only reads it. */
  resp_out->original_request = (Grpc__Reflection__V1alpha__ServerReflectionRequest *)req;

  const nu_refl_entry *e;
  const char *name;
  switch (req->message_request_case) {
    case GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_BY_FILENAME:
      name = str_or_empty(req->file_by_filename);
      e = find_entry(ix->by_name, ix->n_files, name);
      if (e == NULL) {
        return answer_error(a, resp_out, NU_NOT_FOUND, "file not found: %." NU_REFL_ECHO_MAX "s",
                            name);
      }
      return answer_files(ix, e->file, a, resp_out);
    case GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_SYMBOL:
      name = str_or_empty(req->file_containing_symbol);
      e = find_entry(ix->symbols, ix->n_symbols, name);
      if (e == NULL) {
        return answer_error(a, resp_out, NU_NOT_FOUND, "symbol not found: %." NU_REFL_ECHO_MAX "s",
                            name);
      }
      return answer_files(ix, e->file, a, resp_out);
    case GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_FILE_CONTAINING_EXTENSION:
      return answer_extension_file(ix, req->file_containing_extension, a, resp_out);
    case GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_ALL_EXTENSION_NUMBERS_OF_TYPE:
      return answer_extension_numbers(ix, str_or_empty(req->all_extension_numbers_of_type), a,
                                      resp_out);
    case GRPC__REFLECTION__V1ALPHA__SERVER_REFLECTION_REQUEST__MESSAGE_REQUEST_LIST_SERVICES:
      /* The field's content is unused: it was meant to filter by host. */
      return answer_list_services(ix, a, resp_out);
    default:
      /* Unset, or a request kind newer than our .proto. */
      return answer_error(a, resp_out, NU_INVALID_ARGUMENT,
                          "empty reflection request: set one of file_by_filename, "
                          "file_containing_symbol, file_containing_extension, "
                          "all_extension_numbers_of_type or list_services");
  }
}
