/*
 * idempotency_store.c — claiming and completing idempotency records. Owns
 * table idempotency_records.
 */
#include "server/store/core/idempotency_store.h"

#include "server/store/core/db.h"

nu_status nu_idem_claim(nu_conn *c, nu_arena *a, const nu_idem_key *k,
                        const uint8_t hash[NU_IDEM_HASH_BYTES], int64_t now_ns,
                        nu_idem_claim_result *out) {
  const char *params[] = {k->caller, k->method, k->request_id,
                          nu_db_bytea(a, hash, NU_IDEM_HASH_BYTES), nu_db_i64(a, now_ns / 1000)};
  if (params[3] == NULL || params[4] == NULL) {
    return nu_store_oom(a);
  }
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "INSERT INTO idempotency_records (principal, method, request_id,"
                            " request_hash, status_code, created_at)"
                            " VALUES ($1, $2, $3, $4, -1, nu_ts($5))"
                            " ON CONFLICT DO NOTHING RETURNING 1",
                            5, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  out->claimed = PQntuples(res) == 1;
  out->same_request = false;
  out->response = NULL;
  out->response_len = 0;
  if (out->claimed) return nu_ok();
  st = nu_db_exec(c, a,
                  "SELECT request_hash = $4, response FROM idempotency_records"
                  " WHERE principal = $1 AND method = $2 AND request_id = $3",
                  4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  if (PQntuples(res) != 1) {
    /* Expired and purged between the two statements: let the caller retry. */
    return nu_error(a, NU_ABORTED, "CONCURRENT_REQUEST", "request record changed, retry");
  }
  out->same_request = nu_db_get_bool(res, 0, 0);
  out->response = nu_db_get_bytea(a, res, 0, 1, &out->response_len);
  return nu_ok();
}

nu_status nu_idem_lookup(nu_conn *c, nu_arena *a, const nu_idem_key *k,
                         const uint8_t hash[NU_IDEM_HASH_BYTES], bool *found,
                         nu_idem_claim_result *out) {
  const char *params[] = {k->caller, k->method, k->request_id,
                          nu_db_bytea(a, hash, NU_IDEM_HASH_BYTES)};
  if (params[3] == NULL) return nu_store_oom(a);
  PGresult *res = NULL;
  nu_status st = nu_db_exec(c, a,
                            "SELECT request_hash = $4, response FROM idempotency_records"
                            " WHERE principal = $1 AND method = $2 AND request_id = $3",
                            4, params, &res);
  if (!nu_status_is_ok(&st)) return st;
  out->claimed = false;
  out->same_request = false;
  out->response = NULL;
  out->response_len = 0;
  *found = PQntuples(res) == 1;
  if (!*found) return nu_ok();
  out->same_request = nu_db_get_bool(res, 0, 0);
  out->response = nu_db_get_bytea(a, res, 0, 1, &out->response_len);
  return nu_ok();
}

nu_status nu_idem_complete(nu_conn *c, nu_arena *a, const nu_idem_key *k, const uint8_t *response,
                           size_t len) {
  const char *params[] = {k->caller, k->method, k->request_id, nu_db_bytea(a, response, len)};
  if (params[3] == NULL) return nu_store_oom(a);
  return nu_db_exec(c, a,
                    "UPDATE idempotency_records SET response = $4, status_code = 0"
                    " WHERE principal = $1 AND method = $2 AND request_id = $3",
                    4, params, NULL);
}
