/*
 * access_key_code_store.h — the e-mailed access-key codes, table
 * access_key_codes (0010_access_key_codes.sql): one live code per user,
 * stored as a keyed hash only (domain/identity/email_code.h decides).
 */
#ifndef NU_STORE_ACCESS_KEY_CODE_STORE_H
#define NU_STORE_ACCESS_KEY_CODE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/domain/identity/email_code.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Stores the code of user_id, replacing (killing) any previous one. */
nu_status nu_access_key_code_put(nu_conn *c, nu_arena *a, const char *user_id,
                                 const uint8_t hash[NU_EMAIL_CODE_HASH_BYTES], int64_t now_ns,
                                 int64_t expires_ns);

/* The code of user_id, locked until the transaction ends; *hash (arena) is
 * NULL and state->exists false when there is none. */
nu_status nu_access_key_code_get(nu_conn *c, nu_arena *a, const char *user_id,
                                 nu_email_code_state *state, const uint8_t **hash);

/* Deletes the code of user_id (spent or killed). */
nu_status nu_access_key_code_delete(nu_conn *c, nu_arena *a, const char *user_id);

/* Records the count of wrong codes presented. */
nu_status nu_access_key_code_set_attempts(nu_conn *c, nu_arena *a, const char *user_id,
                                          int attempts);

#ifdef __cplusplus
}
#endif

#endif
