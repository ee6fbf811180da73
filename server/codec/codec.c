/*
 * codec.c — protobuf-c unpack into the arena, pack into the arena.
 *
 * Decoding also refuses strings that hold a NUL byte. U+0000 is valid
 * UTF-8, so any client may send it, but protobuf-c hands strings to C as
 * NUL-terminated char *: everything after the NUL would silently vanish
 * ("x@culture.gouv.fr\0.evil.com" checked as "x@culture.gouv.fr"). The
 * unpacked message no longer knows the strings' lengths, so the check walks
 * the wire bytes alongside the descriptor, once the unpack has accepted
 * them, and still trusts no length it reads.
 */
#include "server/codec/codec.h"

#include <string.h>

/* Nesting the walk follows at most; the API's messages nest a few levels. */
#define NU_CODEC_MAX_DEPTH 64

static void *arena_alloc(void *data, size_t size) { return nu_arena_alloc(data, size); }

/* Memory goes back when the arena is freed. */
static void arena_free(void *data, void *ptr) {
  (void)data;
  (void)ptr;
}

ProtobufCAllocator nu_codec_allocator(nu_arena *a) {
  ProtobufCAllocator alloc = {arena_alloc, arena_free, a};
  return alloc;
}

/* ---- the wire, read with bounds checks ------------------------------- */

static int read_varint(const uint8_t *p, size_t len, size_t *pos, uint64_t *out) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64 && *pos < len; shift += 7) {
    uint8_t b = p[(*pos)++];
    v |= (uint64_t)(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *out = v;
      return 0;
    }
  }
  return -1;
}

/* One field of a message's bytes p[0..len) at *pos: its number, wire type
 * and, for length-delimited fields, its body. Returns 0 and advances *pos,
 * or -1 on bytes that are not a field (groups included: protobuf-c has no
 * use for them). */
typedef struct wire_field {
  uint64_t number;
  unsigned wire_type;
  const uint8_t *body;
  size_t body_len;
} wire_field;

static int next_field(const uint8_t *p, size_t len, size_t *pos, wire_field *f) {
  uint64_t key, n;
  if (read_varint(p, len, pos, &key) != 0) return -1;
  f->number = key >> 3;
  f->wire_type = (unsigned)(key & 7);
  f->body = NULL;
  f->body_len = 0;
  switch (f->wire_type) {
    case PROTOBUF_C_WIRE_TYPE_VARINT: return read_varint(p, len, pos, &n);
    case PROTOBUF_C_WIRE_TYPE_64BIT:
      if (len - *pos < 8) return -1;
      *pos += 8;
      return 0;
    case PROTOBUF_C_WIRE_TYPE_32BIT:
      if (len - *pos < 4) return -1;
      *pos += 4;
      return 0;
    case PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED:
      if (read_varint(p, len, pos, &n) != 0 || n > len - *pos) return -1;
      f->body = p + *pos;
      f->body_len = (size_t)n;
      *pos += (size_t)n;
      return 0;
    default: return -1;
  }
}

/* ---- NUL bytes in strings ----------------------------------------------- */

/* One step of the path to the offending string: the field, the bytes of
 * the message holding it and where its tag starts there (to count earlier
 * elements of a repeated field). */
typedef struct nul_frame {
  const ProtobufCFieldDescriptor *field;
  const uint8_t *msg;
  size_t tag_at;
} nul_frame;

typedef struct nul_walk {
  nul_frame frames[NU_CODEC_MAX_DEPTH];
  size_t depth;
} nul_walk;

/* 1 when a string field of desc in p[0..len) (or in a message nested in it)
 * holds a NUL byte, the path left in w->frames[0..w->depth); 0 when none
 * does; -1 when the bytes cannot be walked (too deep, not a message). */
static int find_nul(nul_walk *w, const ProtobufCMessageDescriptor *desc, const uint8_t *p,
                    size_t len) {
  size_t pos = 0;
  while (pos < len) {
    size_t tag_at = pos;
    wire_field wf;
    if (next_field(p, len, &pos, &wf) != 0) return -1;
    if (wf.wire_type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED || wf.number > UINT32_MAX) continue;
    const ProtobufCFieldDescriptor *f =
        protobuf_c_message_descriptor_get_field(desc, (unsigned)wf.number);
    if (f == NULL) continue; /* unknown field: never reaches C as a string */
    if (f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_MESSAGE) continue;
    if (w->depth == NU_CODEC_MAX_DEPTH) return -1;
    w->frames[w->depth] = (nul_frame){f, p, tag_at};
    w->depth++;
    if (f->type == PROTOBUF_C_TYPE_STRING) {
      if (wf.body_len > 0 && memchr(wf.body, 0, wf.body_len) != NULL) return 1;
    } else {
      int r = find_nul(w, f->descriptor, wf.body, wf.body_len);
      if (r != 0) return r;
    }
    w->depth--;
  }
  return 0;
}

/* How many elements of field number came before tag_at in msg: the index
 * of the element whose tag starts there. */
static size_t element_index(const uint8_t *msg, size_t tag_at, uint32_t number) {
  size_t pos = 0, n = 0;
  while (pos < tag_at) {
    wire_field wf;
    if (next_field(msg, tag_at, &pos, &wf) != 0) break; /* walked before: cannot fail */
    if (wf.number == number && wf.wire_type == PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED) n++;
  }
  return n;
}

/* "organization.name", "items[2].name" (AIP-193), in the arena. */
static const char *nul_path(nu_arena *a, const nul_walk *w) {
  const char *path = "";
  for (size_t i = 0; i < w->depth && path != NULL; i++) {
    const nul_frame *fr = &w->frames[i];
    const char *sep = i == 0 ? "" : ".";
    if (fr->field->label == PROTOBUF_C_LABEL_REPEATED) {
      path = nu_arena_sprintf(a, "%s%s%s[%zu]", path, sep, fr->field->name,
                              element_index(fr->msg, fr->tag_at, fr->field->id));
    } else {
      path = nu_arena_sprintf(a, "%s%s%s", path, sep, fr->field->name);
    }
  }
  return path;
}

static nu_status check_strings(nu_arena *a, const ProtobufCMessageDescriptor *desc,
                               const uint8_t *data, size_t len) {
  nul_walk w = {.depth = 0};
  int r = find_nul(&w, desc, data, len);
  if (r == 0) return nu_ok();
  if (r < 0) {
    return nu_error(a, NU_INVALID_ARGUMENT, "MALFORMED_REQUEST",
                    "request is not a valid %s message (nested too deeply)", desc->name);
  }
  const char *path = nul_path(a, &w);
  if (path == NULL) return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
  nu_status st = nu_error(a, NU_INVALID_ARGUMENT, "NUL_IN_STRING",
                          "string field %s contains a NUL character", path);
  if (nu_status_add_violation(a, &st, path, "must not contain a NUL character (U+0000)") != 0) {
    return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
  }
  return st;
}

nu_status nu_codec_decode(nu_arena *a, const ProtobufCMessageDescriptor *desc, const uint8_t *data,
                          size_t len, ProtobufCMessage **out) {
  ProtobufCAllocator alloc = nu_codec_allocator(a);
  ProtobufCMessage *msg = protobuf_c_message_unpack(desc, &alloc, len, data);
  if (msg == NULL) {
    return nu_error(a, NU_INVALID_ARGUMENT, "MALFORMED_REQUEST",
                    "request is not a valid %s message", desc->name);
  }
  nu_status st = check_strings(a, desc, data, len);
  if (!nu_status_is_ok(&st)) return st;
  *out = msg;
  return nu_ok();
}

nu_status nu_codec_encode(nu_arena *a, const ProtobufCMessage *msg, uint8_t **out, size_t *len) {
  size_t n = protobuf_c_message_get_packed_size(msg);
  uint8_t *buf = nu_arena_alloc(a, n);
  if (buf == NULL) return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
  protobuf_c_message_pack(msg, buf);
  *out = buf;
  *len = n;
  return nu_ok();
}
