/*
 * domain_request_store.h — SQL of eligible_domain_requests (owns the table).
 *
 * One undecided request per (domain, e-mail): a second ask answers the
 * pending one (unique partial index, ON CONFLICT). Decisions are the
 * caller's (domain/eligibility/domain_request_status.h); the store writes
 * what it is told on a row the caller locked.
 */
#ifndef NU_STORE_ELIGIBILITY_DOMAIN_REQUEST_STORE_H
#define NU_STORE_ELIGIBILITY_DOMAIN_REQUEST_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_domain_request_row {
  const char *id;
  const char *domain;
  const char *email;
  const char *note;
  const char *state; /* "pending", "accepted", "refused" */
  const char *refusal_reason;
  const char *decided_by; /* "" while pending */
  int64_t created_us;
  int64_t decided_us; /* 0 while pending */
  int32_t credits_granted;
} nu_domain_request_row;

/* Records a pending request at now_ns, or finds the pending one of the same
 * domain and e-mail (case-insensitive): *out, *created false then. */
nu_status nu_domain_request_insert(nu_conn *c, nu_arena *a, const char *domain, const char *email,
                                   const char *note, int64_t now_ns, nu_domain_request_row *out,
                                   bool *created);

/* The request of id (any text: a non-uuid is absent), locked FOR UPDATE
 * when for_update; *found false when absent. */
nu_status nu_domain_request_get(nu_conn *c, nu_arena *a, const char *id, bool for_update,
                                nu_domain_request_row *out, bool *found);

/* Writes the decision on the locked request in->id: state, refusal_reason,
 * decided_by, credits_granted, decided at now_ns; *out afterwards. */
nu_status nu_domain_request_decide(nu_conn *c, nu_arena *a, const nu_domain_request_row *in,
                                   int64_t now_ns, nu_domain_request_row *out);

/* A page of requests, newest first by (created_at, id), of state (NULL:
 * all), strictly older than (after_us, after_id) when after_id is set; up to
 * limit rows into *rows (arena). */
nu_status nu_domain_request_list(nu_conn *c, nu_arena *a, const char *state, int64_t after_us,
                                 const char *after_id, int limit, nu_domain_request_row **rows,
                                 size_t *n);

#ifdef __cplusplus
}
#endif

#endif
