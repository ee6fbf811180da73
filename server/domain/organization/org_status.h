/*
 * org_status.h — the lifecycle of an organisation (DOMAIN.md §1).
 *
 *   pending_validation --validate--> validated --suspend--> suspended
 *           \--suspend--> suspended --validate--> validated (suspension lifted)
 *
 * Only the platform operator sends these events (the method table says so);
 * repeating an event is not an error (validating a validated organisation
 * changes nothing; suspending a suspended one records the new reason). Only
 * a validated organisation may order or publish (nu_org_may_transact).
 */
#ifndef NU_DOMAIN_ORGANIZATION_ORG_STATUS_H
#define NU_DOMAIN_ORGANIZATION_ORG_STATUS_H

#include <stdbool.h>

#include "server/domain/refusal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_org_state {
  NU_ORG_STATE_UNSPECIFIED = 0,
  NU_ORG_STATE_PENDING_VALIDATION = 1,
  NU_ORG_STATE_VALIDATED = 2,
  NU_ORG_STATE_SUSPENDED = 3,
} nu_org_state;
#define NU_ORG_STATE_COUNT 4

typedef enum nu_org_event {
  NU_ORG_EVENT_VALIDATE = 0,
  NU_ORG_EVENT_SUSPEND = 1,
} nu_org_event;
#define NU_ORG_EVENT_COUNT 2

/* "pending_validation", "validated", "suspended" (the database's words);
 * NULL otherwise. */
const char *nu_org_state_name(nu_org_state s);
/* The state named s, or NU_ORG_STATE_UNSPECIFIED. */
nu_org_state nu_org_state_parse(const char *s);

typedef struct nu_org_transition {
  nu_org_state to;
  bool changed; /* false: the organisation already was in `to` */
} nu_org_transition;

/* 0 and *out when `ev` applies to an organisation in `from`; -1 with *why
 * (may be NULL) otherwise: ORGANIZATION_STATE_UNKNOWN for a state this
 * module does not know. */
int nu_org_status_next(nu_org_state from, nu_org_event ev, nu_org_transition *out, nu_refusal *why);

/* 0 when an organisation in s may order and publish; -1 with
 * ORGANIZATION_NOT_VALIDATED otherwise. */
int nu_org_may_transact(nu_org_state s, nu_refusal *why);

#ifdef __cplusplus
}
#endif

#endif
