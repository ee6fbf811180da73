/*
 * secret_fields.c — the list of secret fields, and clearing them from a
 * copy of a message before it is encoded for storage.
 */
#include "server/codec/secret_fields.h"

#include <string.h>

#include "server/codec/codec.h"

const nu_secret_field nu_secret_fields[] = {
    /* AuthService */
    {"nuage.v1.LoginRequest", "password"},
    {"nuage.v1.LoginResponse", "session_token"},
    {"nuage.v1.LoginResponse", "challenge_token"},
    {"nuage.v1.VerifyLoginCodeRequest", "challenge_token"},
    {"nuage.v1.VerifyLoginCodeRequest", "code"},
    {"nuage.v1.VerifyLoginCodeRequest", "recovery_code"},
    {"nuage.v1.ChangePasswordRequest", "old_password"},
    {"nuage.v1.ChangePasswordRequest", "new_password"},
    {"nuage.v1.ResetPasswordRequest", "token"},
    {"nuage.v1.ResetPasswordRequest", "new_password"},
    {"nuage.v1.ResetPasswordRequest", "code"},
    {"nuage.v1.TotpEnrollment", "secret"},
    {"nuage.v1.TotpEnrollment", "uri"},
    {"nuage.v1.ConfirmTotpRequest", "code"},
    {"nuage.v1.ConfirmTotpResponse", "recovery_codes"},
    {"nuage.v1.DisableTotpRequest", "password"},
    {"nuage.v1.DisableTotpRequest", "code"},
    {"nuage.v1.CreateAccessKeyRequest", "password"},
    {"nuage.v1.CreateAccessKeyRequest", "code"},
    {"nuage.v1.CreateAccessKeyResponse", "secret"},
    /* OrganizationService */
    {"nuage.v1.AcceptInvitationRequest", "token"},
    {"nuage.v1.AcceptInvitationRequest", "password"},
    /* UserService */
    {"nuage.v1.SignUpRequest", "password"},
    {"nuage.v1.ConfirmEmailRequest", "token"},
    {"nuage.v1.AcceptTermsRequest", "password"},
    {"nuage.v1.RequestEmailChangeRequest", "password"},
    {"nuage.v1.ConfirmEmailChangeRequest", "token"},
    /* OrderService: what a provider delivered to reach a service (the
     * reports that carry it in provisioning.proto are never recorded: no
     * request_id) */
    {"nuage.v1.LineAccessDetails", "access_details"},
};
const size_t nu_secret_fields_count = sizeof(nu_secret_fields) / sizeof(nu_secret_fields[0]);

bool nu_secret_field_is(const ProtobufCMessageDescriptor *desc, const char *field) {
  for (size_t i = 0; i < nu_secret_fields_count; i++) {
    if (strcmp(nu_secret_fields[i].message, desc->name) == 0 &&
        strcmp(nu_secret_fields[i].field, field) == 0) {
      return true;
    }
  }
  return false;
}

static size_t scalar_size(ProtobufCType t) {
  switch (t) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE: return 8;
    case PROTOBUF_C_TYPE_BOOL: return sizeof(protobuf_c_boolean);
    default: return 4;
  }
}

/* Clears the listed fields of m (a private copy) and of its submessages. */
static void clear(ProtobufCMessage *m) {
  const ProtobufCMessageDescriptor *d = m->descriptor;
  char *base = (char *)m;
  for (unsigned i = 0; i < d->n_fields; i++) {
    const ProtobufCFieldDescriptor *f = &d->fields[i];
    void *member = base + f->offset;
    bool oneof = (f->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) != 0;
    uint32_t *oneof_case = oneof ? (uint32_t *)(base + f->quantifier_offset) : NULL;
    /* A oneof member other than the one set holds another member's bytes. */
    if (oneof && *oneof_case != f->id) continue;
    if (nu_secret_field_is(d, f->name)) {
      if (f->label == PROTOBUF_C_LABEL_REPEATED) {
        *(size_t *)(base + f->quantifier_offset) = 0;
        *(void **)member = NULL;
        continue;
      }
      if (oneof) *oneof_case = 0;
      if (f->label == PROTOBUF_C_LABEL_OPTIONAL && f->quantifier_offset != 0 && !oneof &&
          f->type != PROTOBUF_C_TYPE_STRING && f->type != PROTOBUF_C_TYPE_MESSAGE) {
        *(protobuf_c_boolean *)(base + f->quantifier_offset) = 0;
      }
      switch (f->type) {
        case PROTOBUF_C_TYPE_STRING: *(const char **)member = ""; break;
        case PROTOBUF_C_TYPE_MESSAGE: *(void **)member = NULL; break;
        case PROTOBUF_C_TYPE_BYTES: {
          ProtobufCBinaryData *b = member;
          b->len = 0;
          b->data = NULL;
          break;
        }
        default: memset(member, 0, scalar_size(f->type)); break;
      }
      continue;
    }
    if (f->type != PROTOBUF_C_TYPE_MESSAGE) continue;
    if (f->label == PROTOBUF_C_LABEL_REPEATED) {
      size_t n = *(size_t *)(base + f->quantifier_offset);
      ProtobufCMessage **subs = *(ProtobufCMessage ***)member;
      for (size_t j = 0; j < n; j++) {
        if (subs[j] != NULL) clear(subs[j]);
      }
    } else if (*(ProtobufCMessage **)member != NULL) {
      clear(*(ProtobufCMessage **)member);
    }
  }
}

nu_status nu_secret_fields_encode_cleared(nu_arena *a, const ProtobufCMessage *msg, uint8_t **out,
                                          size_t *len) {
  /* A deep copy through the wire format, then clear the copy: the caller's
   * message (the request being served, the reply about to be sent) keeps
   * its fields. */
  uint8_t *bytes = NULL;
  size_t n = 0;
  nu_status st = nu_codec_encode(a, msg, &bytes, &n);
  if (!nu_status_is_ok(&st)) return st;
  ProtobufCMessage *copy = NULL;
  st = nu_codec_decode(a, msg->descriptor, bytes, n, &copy);
  if (!nu_status_is_ok(&st)) return st;
  clear(copy);
  return nu_codec_encode(a, copy, out, len);
}
