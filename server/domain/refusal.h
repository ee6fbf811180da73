/*
 * refusal.h — why a domain rule says no.
 *
 * Every state machine and policy of domain/ answers a refused transition
 * with a stable reason (UPPER_SNAKE, the ErrorInfo reason the API sends) and
 * a lower-case message without trailing period, both static strings. The
 * handler turns them into FAILED_PRECONDITION; nothing below the handler
 * invents a business reason.
 */
#ifndef NU_DOMAIN_REFUSAL_H
#define NU_DOMAIN_REFUSAL_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_refusal {
  const char *reason;
  const char *message;
} nu_refusal;

/* Fills *why (when not NULL) and returns -1, for `return nu_refuse(...)`. */
static inline int nu_refuse(nu_refusal *why, const char *reason, const char *message) {
  if (why != 0) {
    why->reason = reason;
    why->message = message;
  }
  return -1;
}

#ifdef __cplusplus
}
#endif

#endif
