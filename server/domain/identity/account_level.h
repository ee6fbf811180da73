/*
 * account_level.h — which account level may an organisation move to?
 *
 * DOMAIN.md §1: an organisation starts at discovery (browse only); test (a
 * few resources) needs complete billing details; build (everything) needs
 * billing details and an identity verification recorded by the platform
 * operator. A suspended organisation keeps its level until the operator
 * lifts the suspension. Going down never needs anything. Pure: the caller
 * reads the organisation and passes what it knows.
 */
#ifndef NU_DOMAIN_IDENTITY_ACCOUNT_LEVEL_H
#define NU_DOMAIN_IDENTITY_ACCOUNT_LEVEL_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_account_level {
  NU_ACCOUNT_LEVEL_UNSPECIFIED = 0,
  NU_ACCOUNT_LEVEL_DISCOVERY = 1,
  NU_ACCOUNT_LEVEL_TEST = 2,
  NU_ACCOUNT_LEVEL_BUILD = 3,
} nu_account_level;

/* "discovery", "test", "build" (the database's words); NULL otherwise. */
const char *nu_account_level_name(nu_account_level l);
/* The level named s, or NU_ACCOUNT_LEVEL_UNSPECIFIED. */
nu_account_level nu_account_level_parse(const char *s);

/* The billing details an organisation records (borrowed strings; NULL is
 * the same as empty). vat_number is optional: public bodies often have
 * none. */
typedef struct nu_billing_details {
  const char *name;
  const char *address;
  const char *postal_code;
  const char *city;
  const char *country;
  const char *email;
  const char *vat_number;
} nu_billing_details;

/* One bit per required billing field that is empty. */
enum nu_billing_field {
  NU_BILLING_NAME = 1u << 0,
  NU_BILLING_ADDRESS = 1u << 1,
  NU_BILLING_POSTAL_CODE = 1u << 2,
  NU_BILLING_CITY = 1u << 3,
  NU_BILLING_COUNTRY = 1u << 4,
  NU_BILLING_EMAIL = 1u << 5,
};
#define NU_BILLING_FIELD_COUNT 6

/* The set of required fields of b that are empty (0: complete). */
unsigned nu_billing_missing(const nu_billing_details *b);

/* "billing_name", …: the API field of one bit of enum nu_billing_field;
 * NULL unless exactly one bit. */
const char *nu_billing_field_name(unsigned bit);

/* What the rule needs to know of the organisation. */
typedef struct nu_account_facts {
  nu_account_level current;
  bool suspended;
  unsigned billing_missing; /* nu_billing_missing of its billing details */
  bool identity_verified;   /* the operator recorded a verification */
} nu_account_facts;

/* Why a change is refused: a stable reason (UPPER_SNAKE, for ErrorInfo)
 * and a lower-case message without trailing period, both static. */
typedef struct nu_account_refusal {
  const char *reason;
  const char *message;
} nu_account_refusal;

/* 0 when the organisation described by f may move to `to` (staying at the
 * same level included); -1 otherwise with *why filled (why may be NULL).
 * The checks, in order: `to` must be a level (ACCOUNT_LEVEL_INVALID); a
 * suspended organisation cannot change (ORGANIZATION_SUSPENDED); moving up
 * to test or build needs complete billing details (BILLING_DETAILS_MISSING);
 * to build also the identity verification (IDENTITY_NOT_VERIFIED). */
int nu_account_level_check(const nu_account_facts *f, nu_account_level to, nu_account_refusal *why);

#ifdef __cplusplus
}
#endif

#endif
