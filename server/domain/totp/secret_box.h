/*
 * secret_box.h — TOTP secrets encrypted at rest.
 *
 * The key is 32 bytes from configuration; a box is nonce (24 bytes, random
 * per seal) || XSalsa20-Poly1305 ciphertext (libsodium crypto_secretbox_easy),
 * so the database never holds a TOTP secret in clear and any change to a
 * stored box is detected when it is opened. Random nonces are safe with
 * 192-bit nonces, however many secrets one key seals.
 *
 * Nothing here logs. Error strings are static, never include key material.
 * Thread-safe.
 */
#ifndef NU_DOMAIN_TOTP_SECRET_BOX_H
#define NU_DOMAIN_TOTP_SECRET_BOX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NU_SECRET_BOX_KEY_BYTES 32
#define NU_SECRET_BOX_NONCE_BYTES 24
#define NU_SECRET_BOX_MAC_BYTES 16
/* Bytes a box adds to its plaintext. */
#define NU_SECRET_BOX_OVERHEAD (NU_SECRET_BOX_NONCE_BYTES + NU_SECRET_BOX_MAC_BYTES)

typedef enum nu_secret_box_result {
  NU_SECRET_BOX_ERR_LIBRARY = -4,
  NU_SECRET_BOX_ERR_FORGED = -3,   /* wrong key, or the box was altered */
  NU_SECRET_BOX_ERR_SPACE = -2,    /* output buffer too small */
  NU_SECRET_BOX_ERR_ARGUMENT = -1, /* NULL, empty, or too short to be a box */
  NU_SECRET_BOX_OK = 0,
} nu_secret_box_result;

/* Parses the configured key: 64 hex digits, or base64 of 32 bytes (standard
 * or URL-safe alphabet, padding optional), optionally prefixed "hex:" or
 * "base64:"; surrounding white space is ignored. On failure returns
 * NU_SECRET_BOX_ERR_ARGUMENT and, when why is not NULL, sets *why to a static
 * message ("key is all zeros", …) meant for the start-up error. */
int nu_secret_box_key_parse(const char *text, uint8_t key[NU_SECRET_BOX_KEY_BYTES],
                            const char **why);

/* Seals plain (len > 0) into out: len + NU_SECRET_BOX_OVERHEAD bytes,
 * *out_len gets that count. Borrows key and plain. */
int nu_secret_box_seal(const uint8_t key[NU_SECRET_BOX_KEY_BYTES], const uint8_t *plain, size_t len,
                       uint8_t *out, size_t out_size, size_t *out_len);

/* Opens a box made by nu_secret_box_seal into out (box_len −
 * NU_SECRET_BOX_OVERHEAD bytes). NU_SECRET_BOX_ERR_FORGED when the key is
 * not the sealing key or a byte of the box changed; out is then zeroed. */
int nu_secret_box_open(const uint8_t key[NU_SECRET_BOX_KEY_BYTES], const uint8_t *box,
                       size_t box_len, uint8_t *out, size_t out_size, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
