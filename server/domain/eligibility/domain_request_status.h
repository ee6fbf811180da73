/*
 * domain_request_status.h — the life of an eligible-domain request.
 *
 *   pending --accept--> accepted
 *   pending --refuse--> refused
 *
 * A decided request is final: deciding it again is refused with
 * REQUEST_ALREADY_DECIDED (the operator reads it again; nothing changes).
 * The API's EligibleDomainRequestState has these values, value for value.
 */
#ifndef NU_DOMAIN_ELIGIBILITY_DOMAIN_REQUEST_STATUS_H
#define NU_DOMAIN_ELIGIBILITY_DOMAIN_REQUEST_STATUS_H

#include "server/domain/refusal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_domain_request_state {
  NU_DOMAIN_REQUEST_STATE_UNSPECIFIED = 0,
  NU_DOMAIN_REQUEST_STATE_PENDING = 1,
  NU_DOMAIN_REQUEST_STATE_ACCEPTED = 2,
  NU_DOMAIN_REQUEST_STATE_REFUSED = 3,
} nu_domain_request_state;
#define NU_DOMAIN_REQUEST_STATE_COUNT 4

typedef enum nu_domain_request_event {
  NU_DOMAIN_REQUEST_EVENT_ACCEPT = 0,
  NU_DOMAIN_REQUEST_EVENT_REFUSE = 1,
} nu_domain_request_event;
#define NU_DOMAIN_REQUEST_EVENT_COUNT 2

/* "pending", "accepted", "refused" (the stored names); NULL otherwise. */
const char *nu_domain_request_state_name(nu_domain_request_state s);
/* The state a stored name names; UNSPECIFIED for anything else. */
nu_domain_request_state nu_domain_request_state_parse(const char *s);

/* 0 with *to when ev applies in from, else -1 with *why. */
int nu_domain_request_next(nu_domain_request_state from, nu_domain_request_event ev,
                           nu_domain_request_state *to, nu_refusal *why);

#ifdef __cplusplus
}
#endif

#endif
