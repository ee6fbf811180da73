/*
 * user_status.h — the lifecycle of a user account (DOMAIN.md §1).
 *
 *   pending  (signed up)  --accept_terms [e-mail confirmed]--> active
 *   invited  (invited)    --enroll (first password set)-----> active
 *   active | locked | disabled  --operator_activate--> active
 *   any enrolled state          --operator_lock------> locked
 *   any state                   --operator_disable---> disabled
 *
 * A transition also says what must happen with it, in the same
 * transaction: locking or disabling ends every session of the user for
 * good (they do not come back when the user is activated again);
 * disabling also revokes the user's access keys; a locked user's keys are
 * refused while locked but survive; activation clears a sign-in lockout.
 */
#ifndef NU_DOMAIN_IDENTITY_USER_STATUS_H
#define NU_DOMAIN_IDENTITY_USER_STATUS_H

#include <stdbool.h>

#include "server/domain/refusal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_user_state {
  NU_USER_STATE_UNSPECIFIED = 0,
  NU_USER_STATE_PENDING = 1, /* signed up, e-mail or terms outstanding */
  NU_USER_STATE_INVITED = 2, /* invited, no password yet */
  NU_USER_STATE_ACTIVE = 3,
  NU_USER_STATE_LOCKED = 4,
  NU_USER_STATE_DISABLED = 5,
} nu_user_state;
#define NU_USER_STATE_COUNT 6

typedef enum nu_user_event {
  NU_USER_EVENT_ACCEPT_TERMS = 0, /* the sign-up's last step */
  NU_USER_EVENT_ENROLL = 1,       /* an invited user sets a first password */
  NU_USER_EVENT_OPERATOR_ACTIVATE = 2,
  NU_USER_EVENT_OPERATOR_LOCK = 3,
  NU_USER_EVENT_OPERATOR_DISABLE = 4,
} nu_user_event;
#define NU_USER_EVENT_COUNT 5

/* "pending", "invited", "active", "locked", "disabled"; NULL otherwise. */
const char *nu_user_state_name(nu_user_state s);
nu_user_state nu_user_state_parse(const char *s);

typedef struct nu_user_facts {
  bool email_confirmed;
} nu_user_facts;

typedef struct nu_user_transition {
  nu_user_state to;
  bool changed;
  bool revoke_sessions;    /* end every session of the user, for good */
  bool revoke_access_keys; /* revoke every access key of the user */
  bool clear_lockout;      /* forget failed sign-ins and a temporary lock */
} nu_user_transition;

/* 0 and *out when ev applies; -1 with *why (may be NULL) otherwise:
 * USER_STATE_UNKNOWN; NOT_PENDING (terms outside sign-up); EMAIL_NOT_CONFIRMED;
 * NOT_INVITED (enrolment of a user who is not invited); USER_NOT_ENROLLED
 * (operator activation or lock of an account that never finished sign-up
 * or invitation: it would be active without a password). */
int nu_user_status_next(nu_user_state from, nu_user_event ev, const nu_user_facts *f,
                        nu_user_transition *out, nu_refusal *why);

/* True when a user in s may sign in and use sessions and access keys. */
bool nu_user_may_sign_in(nu_user_state s);

#ifdef __cplusplus
}
#endif

#endif
