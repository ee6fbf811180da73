/*
 * invitation_status.h — the lifecycle of an invitation (DOMAIN.md §1).
 *
 * Stored states are pending, accepted and revoked; expired is derived at
 * read time: a pending invitation whose link lifetime has passed (the
 * server clock decides, so tests move it). A pending or expired invitation
 * can be resent (a new link, a new lifetime: pending again) or revoked; only
 * a pending one can be accepted; accepted and revoked are final.
 */
#ifndef NU_DOMAIN_ORGANIZATION_INVITATION_STATUS_H
#define NU_DOMAIN_ORGANIZATION_INVITATION_STATUS_H

#include <stdbool.h>
#include <stdint.h>

#include "server/domain/refusal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_invitation_state {
  NU_INVITATION_STATE_UNSPECIFIED = 0,
  NU_INVITATION_STATE_PENDING = 1,
  NU_INVITATION_STATE_ACCEPTED = 2,
  NU_INVITATION_STATE_EXPIRED = 3, /* derived, never stored */
  NU_INVITATION_STATE_REVOKED = 4,
} nu_invitation_state;
#define NU_INVITATION_STATE_COUNT 5

typedef enum nu_invitation_event {
  NU_INVITATION_EVENT_RESEND = 0,
  NU_INVITATION_EVENT_REVOKE = 1,
  NU_INVITATION_EVENT_ACCEPT = 2,
} nu_invitation_event;
#define NU_INVITATION_EVENT_COUNT 3

/* "pending", "accepted", "expired", "revoked"; NULL otherwise. */
const char *nu_invitation_state_name(nu_invitation_state s);
/* The stored state named s (expired is never stored, so never parsed). */
nu_invitation_state nu_invitation_state_parse(const char *s);

/* The state as callers see it: stored pending past expires_ns (Unix ns)
 * at now_ns is expired. */
nu_invitation_state nu_invitation_state_at(nu_invitation_state stored, int64_t expires_ns,
                                           int64_t now_ns);

/* 0 with *to (the state to store) when ev applies to an invitation seen in
 * state `from` (nu_invitation_state_at); -1 with *why otherwise:
 * INVITATION_CLOSED (accepted or revoked: final), INVITATION_EXPIRED
 * (accepting past the lifetime), INVITATION_STATE_UNKNOWN. */
int nu_invitation_status_next(nu_invitation_state from, nu_invitation_event ev,
                              nu_invitation_state *to, nu_refusal *why);

#ifdef __cplusplus
}
#endif

#endif
