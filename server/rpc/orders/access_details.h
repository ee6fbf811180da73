/*
 * access_details.h — sealing the access details a provider delivers for an
 * order line (URLs, accounts, initial credentials).
 *
 * They are sealed at rest with the secret box (domain/totp/secret_box.h)
 * under their own subkey of the server's secret key (common/keys.h,
 * NU_KEY_ACCESS_DETAILS), so a box made for one purpose never opens for
 * another. Only GetLineAccessDetails opens them; they are never logged.
 */
#ifndef NU_RPC_ORDERS_ACCESS_DETAILS_H
#define NU_RPC_ORDERS_ACCESS_DETAILS_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Seals text[0..len) into *box (arena), *box_len bytes. Returns 0, or -1
 * when out of memory or the key cannot be derived. */
int nu_access_details_seal(nu_arena *a, const uint8_t *secret_key, const char *text, size_t len,
                           const uint8_t **box, size_t *box_len);

/* Opens a box into *text (arena, NUL-terminated). Returns 0, or -1 when
 * it does not open with this server's key (or out of memory). */
int nu_access_details_open(nu_arena *a, const uint8_t *secret_key, const uint8_t *box,
                           size_t box_len, const char **text);

#ifdef __cplusplus
}
#endif

#endif
