/*
 * codec.h — protobuf-c messages ↔ bytes, in the call's arena.
 *
 * No gRPC here: the transport hands over plain bytes. Decoded messages and
 * encoded buffers belong to the arena; nothing is freed by the caller.
 */
#ifndef NU_CODEC_CODEC_H
#define NU_CODEC_CODEC_H

#include <protobuf-c/protobuf-c.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A protobuf-c allocator drawing from the arena (frees are no-ops). The
 * returned struct borrows the arena. */
ProtobufCAllocator nu_codec_allocator(nu_arena *a);

/* Decodes bytes as a message of type desc. Malformed input gives
 * INVALID_ARGUMENT, reason "MALFORMED_REQUEST". A string field (at any
 * depth) whose bytes hold a NUL gives INVALID_ARGUMENT, reason
 * "NUL_IN_STRING", with one field violation naming its path
 * ("organization.name", "items[2].name"): C would see the string cut
 * short at the NUL. Bytes fields may hold anything. */
nu_status nu_codec_decode(nu_arena *a, const ProtobufCMessageDescriptor *desc, const uint8_t *data,
                          size_t len, ProtobufCMessage **out);

/* Encodes msg into the arena. */
nu_status nu_codec_encode(nu_arena *a, const ProtobufCMessage *msg, uint8_t **out, size_t *len);

/* The serialized google.rpc.Status for an error status: code, message, an
 * ErrorInfo (reason, domain "nuage.v1") when a reason is set, and a
 * BadRequest with the field violations when there are any. */
nu_status nu_codec_status_details(nu_arena *a, const nu_status *st, uint8_t **out, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
