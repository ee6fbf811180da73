/*
 * user_status.c — the user account state machine (DOMAIN.md §1).
 */
#include "server/domain/identity/user_status.h"

#include <stddef.h>
#include <string.h>

static const char *const names[NU_USER_STATE_COUNT] = {NULL,     "pending", "invited",
                                                       "active", "locked",  "disabled"};

const char *nu_user_state_name(nu_user_state s) {
  return s > NU_USER_STATE_UNSPECIFIED && s < NU_USER_STATE_COUNT ? names[s] : NULL;
}

nu_user_state nu_user_state_parse(const char *s) {
  for (int i = 1; s != NULL && i < NU_USER_STATE_COUNT; i++) {
    if (strcmp(s, names[i]) == 0) return (nu_user_state)i;
  }
  return NU_USER_STATE_UNSPECIFIED;
}

static bool enrolled(nu_user_state s) {
  return s == NU_USER_STATE_ACTIVE || s == NU_USER_STATE_LOCKED || s == NU_USER_STATE_DISABLED;
}

static int go(nu_user_state from, nu_user_state to, nu_user_transition *out) {
  *out = (nu_user_transition){.to = to, .changed = from != to};
  return 0;
}

int nu_user_status_next(nu_user_state from, nu_user_event ev, const nu_user_facts *f,
                        nu_user_transition *out, nu_refusal *why) {
  if (nu_user_state_name(from) == NULL) {
    return nu_refuse(why, "USER_STATE_UNKNOWN", "the user account is in an unknown state");
  }
  switch (ev) {
    case NU_USER_EVENT_ACCEPT_TERMS:
      if (from != NU_USER_STATE_PENDING) {
        return nu_refuse(why, "NOT_PENDING",
                         "the terms are accepted already or the account is not awaiting them");
      }
      if (f == NULL || !f->email_confirmed) {
        return nu_refuse(why, "EMAIL_NOT_CONFIRMED", "confirm the e-mail address first");
      }
      go(from, NU_USER_STATE_ACTIVE, out);
      out->clear_lockout = true;
      return 0;
    case NU_USER_EVENT_ENROLL:
      if (from != NU_USER_STATE_INVITED) {
        return nu_refuse(why, "NOT_INVITED", "the account is not awaiting a first password");
      }
      return go(from, NU_USER_STATE_ACTIVE, out);
    case NU_USER_EVENT_OPERATOR_ACTIVATE:
      if (!enrolled(from)) {
        return nu_refuse(why, "USER_NOT_ENROLLED",
                         "the account has not finished its sign-up or invitation");
      }
      go(from, NU_USER_STATE_ACTIVE, out);
      out->clear_lockout = true;
      return 0;
    case NU_USER_EVENT_OPERATOR_LOCK:
      if (!enrolled(from)) {
        return nu_refuse(why, "USER_NOT_ENROLLED",
                         "the account has not finished its sign-up or invitation");
      }
      if (from == NU_USER_STATE_DISABLED) {
        return nu_refuse(why, "USER_DISABLED",
                         "a disabled account cannot be locked: activate it first");
      }
      go(from, NU_USER_STATE_LOCKED, out);
      out->revoke_sessions = true;
      return 0;
    case NU_USER_EVENT_OPERATOR_DISABLE:
      go(from, NU_USER_STATE_DISABLED, out);
      out->revoke_sessions = true;
      out->revoke_access_keys = true;
      return 0;
  }
  return nu_refuse(why, "USER_EVENT_UNKNOWN", "unknown user event");
}

bool nu_user_may_sign_in(nu_user_state s) { return s == NU_USER_STATE_ACTIVE; }
