/*
 * idempotency_store.h — the record of each create carrying a request_id
 * (AIP-155), table idempotency_records (0001_idempotency.sql).
 *
 * nu_idem_claim inserts a placeholder for (caller, method, request_id) in
 * the create's own transaction. A concurrent duplicate blocks on that row
 * until the first transaction ends: if it committed, the duplicate finds
 * the stored reply; if it rolled back, the duplicate claims the key itself.
 */
#ifndef NU_STORE_IDEMPOTENCY_STORE_H
#define NU_STORE_IDEMPOTENCY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* request_hash: a BLAKE2b digest keyed with the server's idempotency
 * subkey (common/keys.h) over the request with its secret fields cleared
 * (codec/secret_fields.h); never an unkeyed digest of a request. */
#define NU_IDEM_HASH_BYTES 32

typedef struct nu_idem_key {
  const char *caller; /* "user:<id>", "key:<id>" or "anonymous" */
  const char *method; /* the RPC path */
  const char *request_id;
} nu_idem_key;

typedef struct nu_idem_claim_result {
  bool claimed;            /* true: first time; run the create, then nu_idem_complete */
  bool same_request;       /* when not claimed: the stored request hash matches */
  const uint8_t *response; /* when not claimed: the stored reply (arena) */
  size_t response_len;
} nu_idem_claim_result;

nu_status nu_idem_claim(nu_conn *c, nu_arena *a, const nu_idem_key *k,
                        const uint8_t hash[NU_IDEM_HASH_BYTES], int64_t now_ns,
                        nu_idem_claim_result *out);

/* Reads the record of k without claiming it (for a create that must check
 * credentials outside any transaction before it claims): *found false when
 * there is none; otherwise same_request and, once completed, the reply, as
 * in nu_idem_claim_result (claimed is false). */
nu_status nu_idem_lookup(nu_conn *c, nu_arena *a, const nu_idem_key *k,
                         const uint8_t hash[NU_IDEM_HASH_BYTES], bool *found,
                         nu_idem_claim_result *out);

/* Stores the reply of a claimed key (in the same transaction). */
nu_status nu_idem_complete(nu_conn *c, nu_arena *a, const nu_idem_key *k, const uint8_t *response,
                           size_t len);

#ifdef __cplusplus
}
#endif

#endif
