/*
 * page_token.c — sealing and opening page tokens (see page_token.h).
 *
 * A token is base64url (no padding) of
 *   version (1 byte) | tag (16 bytes) | ciphertext
 * where the plaintext is issue time (8 bytes, big-endian Unix seconds) |
 * sort key | NUL | id, the tag is HMAC-SHA-256 (truncated to 128 bits) of
 * version | method | scope | request digest | plaintext, and the
 * ciphertext is XChaCha20 of the plaintext with the tag as nonce (a
 * synthetic IV: the same plaintext gives the same token, another gives
 * another nonce). Opening decrypts, then checks the tag before reading
 * anything, so a forged token is never parsed.
 */
#include "server/rpc/core/page_token.h"

#include <sodium.h>
#include <stdbool.h>
#include <string.h>

#include "server/app/app.h"
#include "server/common/keys.h"
#include "server/rpc/core/handler.h"

#define TOKEN_VERSION 1
#define TAG_BYTES 16
#define TIME_BYTES 8
#define HEADER_BYTES (1 + TAG_BYTES)
/* Longer than any token we issue (keys are short strings); bounds the work
 * done on a hostile one. */
#define TOKEN_MAX_CHARS 1024
/* Servers sharing a secret may disagree a little on the time. */
#define FUTURE_SKEW_S 300

static const char kSubkeyContext[crypto_kdf_CONTEXTBYTES] = {'n', 'u', 'p', 'a',
                                                             'g', 'e', 't', 'k'};
static const uint8_t kNonceTail[crypto_stream_xchacha20_NONCEBYTES - TAG_BYTES] = {
    'n', 'u', 'p', 'g', 't', 'o', 'k', 'n'};

typedef struct token_keys {
  uint8_t mac[crypto_auth_hmacsha256_KEYBYTES];
  uint8_t enc[crypto_stream_xchacha20_KEYBYTES];
} token_keys;

static int derive_keys(nu_call *call, token_keys *k) {
  const nu_app *app = nu_call_app(call);
  uint8_t base[NU_KEY_BYTES];
  int rc = -1;
  if (app == NULL || app->secret_key == NULL) goto done;
  if (nu_key_derive(app->secret_key, NU_KEY_PAGE_TOKEN, base) != 0) goto done;
  if (crypto_kdf_derive_from_key(k->mac, sizeof(k->mac), 1, kSubkeyContext, base) != 0) goto done;
  if (crypto_kdf_derive_from_key(k->enc, sizeof(k->enc), 2, kSubkeyContext, base) != 0) goto done;
  rc = 0;
done:
  sodium_memzero(base, sizeof(base));
  return rc;
}

/* Whose listing this is: the organisation acted for, or the operator's,
 * anonymous or organisation-less scope. */
static const char *scope_of(nu_arena *a, const nu_principal *p) {
  if (p->platform_operator) return "operator";
  if (p->kind == NU_PRINCIPAL_ANONYMOUS) return "anonymous";
  if (p->organization_id == NULL) return "none";
  return nu_arena_sprintf(a, "org:%s", p->organization_id);
}

/* BLAKE2b of req packed with page_token and page_size cleared: every
 * filter and the sort. protobuf-c packs fields in number order, so equal
 * requests give equal bytes. */
static int request_digest(nu_arena *a, const ProtobufCMessage *req,
                          uint8_t out[crypto_generichash_BYTES]) {
  const ProtobufCMessageDescriptor *d = req->descriptor;
  const ProtobufCFieldDescriptor *tok =
      protobuf_c_message_descriptor_get_field_by_name(d, "page_token");
  const ProtobufCFieldDescriptor *size =
      protobuf_c_message_descriptor_get_field_by_name(d, "page_size");
  if (tok == NULL || tok->type != PROTOBUF_C_TYPE_STRING ||
      tok->label == PROTOBUF_C_LABEL_REPEATED) {
    return -1;
  }
  uint8_t *copy = nu_arena_alloc(a, d->sizeof_message);
  if (copy == NULL) return -1;
  memcpy(copy, req, d->sizeof_message);
  *(const char **)(copy + tok->offset) = "";
  if (size != NULL && size->type == PROTOBUF_C_TYPE_INT32 &&
      size->label != PROTOBUF_C_LABEL_REPEATED) {
    *(int32_t *)(copy + size->offset) = 0;
  }
  const ProtobufCMessage *m = (const ProtobufCMessage *)copy;
  size_t len = protobuf_c_message_get_packed_size(m);
  uint8_t *buf = nu_arena_alloc(a, len + 1);
  if (buf == NULL) return -1;
  protobuf_c_message_pack(m, buf);
  crypto_generichash(out, crypto_generichash_BYTES, buf, len, NULL, 0);
  return 0;
}

static void mac_part(crypto_auth_hmacsha256_state *s, const void *p, size_t n) {
  uint8_t len[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
  crypto_auth_hmacsha256_update(s, len, sizeof(len));
  crypto_auth_hmacsha256_update(s, p, n);
}

/* The tag of plaintext pt (n bytes) for this call and request. */
static int compute_tag(nu_call *call, const ProtobufCMessage *req, const token_keys *k,
                       const uint8_t *pt, size_t n, uint8_t tag[TAG_BYTES]) {
  nu_arena *a = nu_call_arena(call);
  uint8_t digest[crypto_generichash_BYTES];
  const char *scope = scope_of(a, nu_call_principal(call));
  const char *method = nu_call_method(call)->path;
  if (scope == NULL || request_digest(a, req, digest) != 0) return -1;
  crypto_auth_hmacsha256_state s;
  uint8_t full[crypto_auth_hmacsha256_BYTES];
  const uint8_t version = TOKEN_VERSION;
  crypto_auth_hmacsha256_init(&s, k->mac, sizeof(k->mac));
  mac_part(&s, &version, 1);
  mac_part(&s, method, strlen(method));
  mac_part(&s, scope, strlen(scope));
  mac_part(&s, digest, sizeof(digest));
  mac_part(&s, pt, n);
  crypto_auth_hmacsha256_final(&s, full);
  memcpy(tag, full, TAG_BYTES);
  sodium_memzero(&s, sizeof(s));
  return 0;
}

static void nonce_of(const uint8_t tag[TAG_BYTES],
                     uint8_t nonce[crypto_stream_xchacha20_NONCEBYTES]) {
  memcpy(nonce, tag, TAG_BYTES);
  memcpy(nonce + TAG_BYTES, kNonceTail, sizeof(kNonceTail));
}

/* One wording for every refusal, whichever check failed: the same as
 * nu_validator_result gives for this single violation. */
#define INVALID_DESCRIPTION \
  "is not a page token of this listing (same method, organization, filters and sort, not expired)"

nu_status nu_page_token_invalid(nu_arena *a) {
  nu_status st = nu_error(a, NU_INVALID_ARGUMENT, "INVALID_PAGE_TOKEN",
                          "invalid page_token: " INVALID_DESCRIPTION);
  nu_status_add_violation(a, &st, "page_token", INVALID_DESCRIPTION);
  return st;
}

static const char *token_of(const ProtobufCMessage *req) {
  const ProtobufCFieldDescriptor *f =
      protobuf_c_message_descriptor_get_field_by_name(req->descriptor, "page_token");
  if (f == NULL || f->type != PROTOBUF_C_TYPE_STRING) return NULL;
  return *(const char *const *)((const uint8_t *)req + f->offset);
}

const char *nu_page_token_seal(nu_call *call, const ProtobufCMessage *req, const char *key,
                               const char *id) {
  nu_arena *a = nu_call_arena(call);
  token_keys k;
  const char *out = NULL;
  if (key == NULL || id == NULL || derive_keys(call, &k) != 0) goto done;
  size_t kl = strlen(key), il = strlen(id);
  size_t n = TIME_BYTES + kl + 1 + il;
  uint8_t *pt = nu_arena_alloc(a, n);
  uint8_t *raw = nu_arena_alloc(a, HEADER_BYTES + n);
  if (pt == NULL || raw == NULL) goto done;
  uint64_t issued = (uint64_t)(nu_rpc_now(call) / 1000000000);
  for (int i = 0; i < TIME_BYTES; i++) pt[i] = (uint8_t)(issued >> (8 * (TIME_BYTES - 1 - i)));
  memcpy(pt + TIME_BYTES, key, kl + 1);
  memcpy(pt + TIME_BYTES + kl + 1, id, il);
  raw[0] = TOKEN_VERSION;
  if (compute_tag(call, req, &k, pt, n, raw + 1) != 0) goto done;
  uint8_t nonce[crypto_stream_xchacha20_NONCEBYTES];
  nonce_of(raw + 1, nonce);
  crypto_stream_xchacha20_xor(raw + HEADER_BYTES, pt, n, nonce, k.enc);
  size_t cap =
      sodium_base64_ENCODED_LEN(HEADER_BYTES + n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *b64 = nu_arena_alloc(a, cap);
  if (b64 == NULL) goto done;
  out =
      sodium_bin2base64(b64, cap, raw, HEADER_BYTES + n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
done:
  sodium_memzero(&k, sizeof(k));
  return out;
}

nu_status nu_page_token_open(nu_call *call, const ProtobufCMessage *req, const char **key,
                             const char **id) {
  nu_arena *a = nu_call_arena(call);
  const char *token = token_of(req);
  token_keys k;
  bool have_keys = false, ok = false;
  *key = *id = NULL;
  if (token == NULL || token[0] == '\0') return nu_ok();
  size_t tl = strlen(token);
  if (tl > TOKEN_MAX_CHARS) goto done;
  uint8_t *raw = nu_arena_alloc(a, tl + 1);
  size_t raw_len = 0;
  if (raw == NULL) goto done;
  if (sodium_base642bin(raw, tl, token, tl, NULL, &raw_len, NULL,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0) {
    goto done;
  }
  if (raw_len < HEADER_BYTES + TIME_BYTES + 1 || raw[0] != TOKEN_VERSION) goto done;
  if (derive_keys(call, &k) != 0) goto done;
  have_keys = true;
  size_t n = raw_len - HEADER_BYTES;
  uint8_t *pt = nu_arena_alloc(a, n + 1);
  if (pt == NULL) goto done;
  uint8_t nonce[crypto_stream_xchacha20_NONCEBYTES];
  nonce_of(raw + 1, nonce);
  crypto_stream_xchacha20_xor(pt, raw + HEADER_BYTES, n, nonce, k.enc);
  uint8_t tag[TAG_BYTES];
  if (compute_tag(call, req, &k, pt, n, tag) != 0) goto done;
  if (crypto_verify_16(tag, raw + 1) != 0) goto done;
  /* Authentic: what follows was written by nu_page_token_seal. */
  uint64_t issued = 0;
  for (int i = 0; i < TIME_BYTES; i++) issued = (issued << 8) | pt[i];
  int64_t now_s = nu_rpc_now(call) / 1000000000;
  const int64_t lifetime_s = NU_PAGE_TOKEN_LIFETIME_NS / 1000000000;
  if (issued > (uint64_t)INT64_MAX || (int64_t)issued > now_s + FUTURE_SKEW_S ||
      now_s - (int64_t)issued > lifetime_s) {
    goto done;
  }
  pt[n] = '\0';
  const char *k_text = (const char *)pt + TIME_BYTES;
  size_t kl = strlen(k_text);
  if (TIME_BYTES + kl + 1 > n) goto done;
  const char *i_text = k_text + kl + 1;
  if (memchr(i_text, '\0', n - (TIME_BYTES + kl + 1)) != NULL) goto done;
  *key = k_text;
  *id = i_text;
  ok = true;
done:
  if (have_keys) sodium_memzero(&k, sizeof(k));
  return ok ? nu_ok() : nu_page_token_invalid(a);
}

void nu_page_token_validate(nu_validator *v, nu_call *call, const ProtobufCMessage *req) {
  const char *key, *id;
  nu_status st = nu_page_token_open(call, req, &key, &id);
  if (!nu_status_is_ok(&st)) {
    nu_validate_fail_reason(v, "INVALID_PAGE_TOKEN", "page_token", "%s", INVALID_DESCRIPTION);
  }
}
