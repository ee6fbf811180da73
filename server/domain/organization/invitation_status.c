/*
 * invitation_status.c — the invitation state machine (DOMAIN.md §1).
 */
#include "server/domain/organization/invitation_status.h"

#include <stddef.h>
#include <string.h>

static const char *const names[NU_INVITATION_STATE_COUNT] = {NULL, "pending", "accepted", "expired",
                                                             "revoked"};

const char *nu_invitation_state_name(nu_invitation_state s) {
  return s > NU_INVITATION_STATE_UNSPECIFIED && s < NU_INVITATION_STATE_COUNT ? names[s] : NULL;
}

nu_invitation_state nu_invitation_state_parse(const char *s) {
  if (s == NULL) return NU_INVITATION_STATE_UNSPECIFIED;
  if (strcmp(s, "pending") == 0) return NU_INVITATION_STATE_PENDING;
  if (strcmp(s, "accepted") == 0) return NU_INVITATION_STATE_ACCEPTED;
  if (strcmp(s, "revoked") == 0) return NU_INVITATION_STATE_REVOKED;
  return NU_INVITATION_STATE_UNSPECIFIED;
}

nu_invitation_state nu_invitation_state_at(nu_invitation_state stored, int64_t expires_ns,
                                           int64_t now_ns) {
  if (stored == NU_INVITATION_STATE_PENDING && expires_ns <= now_ns) {
    return NU_INVITATION_STATE_EXPIRED;
  }
  return stored;
}

int nu_invitation_status_next(nu_invitation_state from, nu_invitation_event ev,
                              nu_invitation_state *to, nu_refusal *why) {
  switch (from) {
    case NU_INVITATION_STATE_ACCEPTED:
      return nu_refuse(why, "INVITATION_CLOSED", "this invitation was already accepted");
    case NU_INVITATION_STATE_REVOKED:
      return nu_refuse(why, "INVITATION_CLOSED", "this invitation was already revoked");
    case NU_INVITATION_STATE_PENDING:
    case NU_INVITATION_STATE_EXPIRED: break;
    default:
      return nu_refuse(why, "INVITATION_STATE_UNKNOWN", "the invitation is in an unknown state");
  }
  switch (ev) {
    case NU_INVITATION_EVENT_RESEND: *to = NU_INVITATION_STATE_PENDING; return 0;
    case NU_INVITATION_EVENT_REVOKE: *to = NU_INVITATION_STATE_REVOKED; return 0;
    case NU_INVITATION_EVENT_ACCEPT:
      if (from == NU_INVITATION_STATE_EXPIRED) {
        return nu_refuse(why, "INVITATION_EXPIRED",
                         "this invitation has expired: ask for a new one");
      }
      *to = NU_INVITATION_STATE_ACCEPTED;
      return 0;
  }
  return nu_refuse(why, "INVITATION_EVENT_UNKNOWN", "unknown invitation event");
}
