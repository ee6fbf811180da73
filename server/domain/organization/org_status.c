/*
 * org_status.c — the organisation state machine (DOMAIN.md §1).
 */
#include "server/domain/organization/org_status.h"

#include <stddef.h>
#include <string.h>

static const char *const names[NU_ORG_STATE_COUNT] = {NULL, "pending_validation", "validated",
                                                      "suspended"};

const char *nu_org_state_name(nu_org_state s) {
  return s > NU_ORG_STATE_UNSPECIFIED && s < NU_ORG_STATE_COUNT ? names[s] : NULL;
}

nu_org_state nu_org_state_parse(const char *s) {
  for (int i = 1; s != NULL && i < NU_ORG_STATE_COUNT; i++) {
    if (strcmp(s, names[i]) == 0) return (nu_org_state)i;
  }
  return NU_ORG_STATE_UNSPECIFIED;
}

int nu_org_status_next(nu_org_state from, nu_org_event ev, nu_org_transition *out,
                       nu_refusal *why) {
  if (nu_org_state_name(from) == NULL) {
    return nu_refuse(why, "ORGANIZATION_STATE_UNKNOWN", "the organization is in an unknown state");
  }
  nu_org_state to;
  switch (ev) {
    case NU_ORG_EVENT_VALIDATE: to = NU_ORG_STATE_VALIDATED; break;
    case NU_ORG_EVENT_SUSPEND: to = NU_ORG_STATE_SUSPENDED; break;
    default: return nu_refuse(why, "ORGANIZATION_EVENT_UNKNOWN", "unknown organization event");
  }
  out->to = to;
  out->changed = from != to;
  return 0;
}

int nu_org_may_transact(nu_org_state s, nu_refusal *why) {
  if (s == NU_ORG_STATE_VALIDATED) return 0;
  if (s == NU_ORG_STATE_SUSPENDED) {
    return nu_refuse(why, "ORGANIZATION_NOT_VALIDATED",
                     "the organization is suspended: only a validated organization can do this");
  }
  return nu_refuse(why, "ORGANIZATION_NOT_VALIDATED",
                   "the organization awaits validation: only a validated organization can do this");
}
