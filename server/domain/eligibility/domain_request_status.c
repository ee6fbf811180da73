/*
 * domain_request_status.c — see domain_request_status.h.
 */
#include "server/domain/eligibility/domain_request_status.h"

#include <stddef.h>
#include <string.h>

static const char *const names[NU_DOMAIN_REQUEST_STATE_COUNT] = {NULL, "pending", "accepted",
                                                                 "refused"};

const char *nu_domain_request_state_name(nu_domain_request_state s) {
  return (int)s >= 0 && s < NU_DOMAIN_REQUEST_STATE_COUNT ? names[s] : NULL;
}

nu_domain_request_state nu_domain_request_state_parse(const char *s) {
  for (int i = 1; s != NULL && i < NU_DOMAIN_REQUEST_STATE_COUNT; i++) {
    if (strcmp(names[i], s) == 0) return (nu_domain_request_state)i;
  }
  return NU_DOMAIN_REQUEST_STATE_UNSPECIFIED;
}

int nu_domain_request_next(nu_domain_request_state from, nu_domain_request_event ev,
                           nu_domain_request_state *to, nu_refusal *why) {
  if (from != NU_DOMAIN_REQUEST_STATE_PENDING) {
    if (from == NU_DOMAIN_REQUEST_STATE_ACCEPTED || from == NU_DOMAIN_REQUEST_STATE_REFUSED) {
      return nu_refuse(why, "REQUEST_ALREADY_DECIDED", "the request is already decided");
    }
    return nu_refuse(why, "REQUEST_STATE_UNKNOWN", "the request is in no known state");
  }
  switch (ev) {
    case NU_DOMAIN_REQUEST_EVENT_ACCEPT: *to = NU_DOMAIN_REQUEST_STATE_ACCEPTED; return 0;
    case NU_DOMAIN_REQUEST_EVENT_REFUSE: *to = NU_DOMAIN_REQUEST_STATE_REFUSED; return 0;
  }
  return nu_refuse(why, "REQUEST_EVENT_UNKNOWN", "no such decision");
}
