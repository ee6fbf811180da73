/*
 * account_level.h — which account level may an organisation move to?
 *
 * DOMAIN.md §1: an organisation starts at discovery (browse only); test (a
 * few resources) needs complete billing details; build (everything) needs
 * billing details and an identity verification recorded by the platform
 * operator. A suspended organisation keeps its level until the operator
 * lifts the suspension. Going down to discovery never needs anything.
 *
 * When identity is verified while billing details are missing, build is
 * granted provisionally for 14 days (NU_PROVISIONAL_BUILD_NS): it becomes
 * permanent when the billing details arrive in time; otherwise the
 * effective level, read at read time from the clock, falls back to what
 * the facts allow (no job: the next write settles the row). And the one
 * rule every RPC that orders or sends a request calls
 * (nu_account_commitment_decide): discovery browses only, test commits up
 * to a monthly cap (excl. VAT), build is unlimited.
 *
 * Pure: the caller reads the organisation and passes what it knows, the
 * time included.
 */
#ifndef NU_DOMAIN_IDENTITY_ACCOUNT_LEVEL_H
#define NU_DOMAIN_IDENTITY_ACCOUNT_LEVEL_H

#include <stdbool.h>
#include <stdint.h>

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
  nu_account_level current; /* as stored; nu_account_level_check wants the
                               effective level (nu_account_level_effective) */
  bool suspended;
  unsigned billing_missing; /* nu_billing_missing of its billing details */
  bool identity_verified;   /* the operator recorded a verification */
  /* End of a provisional build (clock nanoseconds); 0: none. */
  int64_t provisional_build_until_ns;
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
 * suspended organisation cannot change (ORGANIZATION_SUSPENDED); going down
 * to discovery needs nothing; test and build need complete billing details
 * (BILLING_DETAILS_MISSING: going down from a provisional build to test
 * too); build also the identity verification (IDENTITY_NOT_VERIFIED).
 * f->current is the level the organisation has now: the effective one. */
int nu_account_level_check(const nu_account_facts *f, nu_account_level to, nu_account_refusal *why);

/* True while a provisional build runs at now_ns: one is recorded, it has
 * not ended (it ends at provisional_build_until_ns exactly) and the
 * identity is verified. */
bool nu_account_provisional(const nu_account_facts *f, int64_t now_ns);

/* The level the organisation has at now_ns: build during a provisional
 * build; after one that ended, the fall-back: the stored level but never
 * above what the facts allow (discovery without complete billing details,
 * test without identity verification); without one, the stored level. An
 * unknown stored level reads as discovery. */
nu_account_level nu_account_level_effective(const nu_account_facts *f, int64_t now_ns);

/* The stored level and provisional end an organisation should have at
 * now_ns (what every write of its row stores): a provisional build that
 * ended is replaced by its fall-back level; one whose billing details are
 * now complete becomes permanent (*until_ns 0, build). Otherwise both are
 * f's. */
void nu_account_settle(const nu_account_facts *f, int64_t now_ns, nu_account_level *level,
                       int64_t *until_ns);

/* The level and provisional end after the operator records an identity
 * verification at now_ns; before describes the organisation until then.
 * The first verification of an organisation that is not suspended, is
 * below build and lacks billing details grants build until now_ns +
 * NU_PROVISIONAL_BUILD_NS; anything else changes nothing (a verification
 * recorded again never extends the 14 days). Returns true when it
 * granted. */
bool nu_account_on_identity_verified(const nu_account_facts *before, int64_t now_ns,
                                     nu_account_level *level, int64_t *until_ns);

/* A new commitment (an order, a request sent) of an organisation. */
typedef struct nu_account_commitment {
  int64_t committed_cents; /* already committed this calendar month, excl. VAT */
  int64_t amount_cents;    /* the new commitment, excl. VAT */
  int64_t test_cap_cents;  /* what test may commit per month (--test-level-monthly-cents) */
} nu_account_commitment;

/* The answer: allowed, or a refusal (reason UPPER_SNAKE and a lower-case
 * message, static), with what may still be committed this month. */
typedef struct nu_account_decision {
  bool allowed;
  nu_account_level level; /* the effective level it was decided at */
  const char *reason;     /* NULL when allowed */
  const char *message;
  /* test: the cap less what is committed (never below 0), before this
   * commitment; discovery: 0; build: -1 (unlimited). */
  int64_t remaining_cents;
} nu_account_decision;

/* Decides whether the organisation described by f may commit c at now_ns.
 * In order: a negative amount or committed sum is COMMITMENT_AMOUNT_INVALID;
 * a suspended organisation commits nothing (ORGANIZATION_SUSPENDED); at the
 * effective level, discovery browses only (ACCOUNT_LEVEL_DISCOVERY), test
 * commits while committed + amount stays within the cap
 * (TEST_LEVEL_CAP_EXCEEDED above it), build is unlimited. Returns 0 when
 * allowed, -1 when refused; *out filled either way. */
int nu_account_commitment_decide(const nu_account_facts *f, int64_t now_ns,
                                 const nu_account_commitment *c, nu_account_decision *out);

#ifdef __cplusplus
}
#endif

#endif
