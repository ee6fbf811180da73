/*
 * secret_fields.h — the one list of message fields that carry a secret.
 *
 * Passwords, second-factor codes, recovery codes, link and challenge
 * tokens, TOTP secrets, access-key secrets: nothing derived from these may
 * be stored except the Argon2id hash of a password or a keyed hash the
 * owning module chose. Whatever records whole messages (the idempotency
 * records of rpc/core/handler.c) clears these fields first, through
 * nu_secret_fields_encode_cleared. The list covers requests and replies; a
 * test walks every message of the method table and fails on a field whose
 * name looks secret and that is neither listed here nor whitelisted there.
 */
#ifndef NU_CODEC_SECRET_FIELDS_H
#define NU_CODEC_SECRET_FIELDS_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_secret_field {
  const char *message; /* full name, "nuage.v1.LoginRequest" */
  const char *field;   /* field name, "password" */
} nu_secret_field;

/* The list (static, nu_secret_fields_count entries). */
extern const nu_secret_field nu_secret_fields[];
extern const size_t nu_secret_fields_count;

/* Whether field of message desc is on the list. */
bool nu_secret_field_is(const ProtobufCMessageDescriptor *desc, const char *field);

/* Encodes msg (borrowed) into the arena with every listed field cleared,
 * at any depth of nested messages: strings and bytes emptied, messages
 * unset, repeated fields emptied. msg itself is not changed. */
nu_status nu_secret_fields_encode_cleared(nu_arena *a, const ProtobufCMessage *msg, uint8_t **out,
                                          size_t *len);

#ifdef __cplusplus
}
#endif

#endif
