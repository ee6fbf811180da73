/*
 * codec.c — protobuf-c unpack into the arena, pack into the arena.
 */
#include "server/codec/codec.h"

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

nu_status nu_codec_decode(nu_arena *a, const ProtobufCMessageDescriptor *desc,
                          const uint8_t *data, size_t len, ProtobufCMessage **out) {
  ProtobufCAllocator alloc = nu_codec_allocator(a);
  ProtobufCMessage *msg = protobuf_c_message_unpack(desc, &alloc, len, data);
  if (msg == NULL) {
    return nu_error(a, NU_INVALID_ARGUMENT, "MALFORMED_REQUEST",
                    "request is not a valid %s message", desc->name);
  }
  *out = msg;
  return nu_ok();
}

nu_status nu_codec_encode(nu_arena *a, const ProtobufCMessage *msg, uint8_t **out,
                          size_t *len) {
  size_t n = protobuf_c_message_get_packed_size(msg);
  uint8_t *buf = nu_arena_alloc(a, n);
  if (buf == NULL) return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
  protobuf_c_message_pack(msg, buf);
  *out = buf;
  *len = n;
  return nu_ok();
}
