/*
 * account_level.c — the requirements of the account levels (DOMAIN.md §1).
 */
#include "server/domain/identity/account_level.h"

#include <stddef.h>
#include <string.h>

static const char *const level_names[] = {NULL, "discovery", "test", "build"};

const char *nu_account_level_name(nu_account_level l) {
  if (l < NU_ACCOUNT_LEVEL_DISCOVERY || l > NU_ACCOUNT_LEVEL_BUILD) return NULL;
  return level_names[l];
}

nu_account_level nu_account_level_parse(const char *s) {
  if (s == NULL) return NU_ACCOUNT_LEVEL_UNSPECIFIED;
  for (int l = NU_ACCOUNT_LEVEL_DISCOVERY; l <= NU_ACCOUNT_LEVEL_BUILD; l++) {
    if (strcmp(s, level_names[l]) == 0) return (nu_account_level)l;
  }
  return NU_ACCOUNT_LEVEL_UNSPECIFIED;
}

static bool empty(const char *s) { return s == NULL || s[0] == '\0'; }

unsigned nu_billing_missing(const nu_billing_details *b) {
  unsigned m = 0;
  if (empty(b->name)) m |= NU_BILLING_NAME;
  if (empty(b->address)) m |= NU_BILLING_ADDRESS;
  if (empty(b->postal_code)) m |= NU_BILLING_POSTAL_CODE;
  if (empty(b->city)) m |= NU_BILLING_CITY;
  if (empty(b->country)) m |= NU_BILLING_COUNTRY;
  if (empty(b->email)) m |= NU_BILLING_EMAIL;
  return m;
}

const char *nu_billing_field_name(unsigned bit) {
  switch (bit) {
    case NU_BILLING_NAME: return "billing_name";
    case NU_BILLING_ADDRESS: return "billing_address";
    case NU_BILLING_POSTAL_CODE: return "billing_postal_code";
    case NU_BILLING_CITY: return "billing_city";
    case NU_BILLING_COUNTRY: return "billing_country";
    case NU_BILLING_EMAIL: return "billing_email";
    default: return NULL;
  }
}

static int refuse(nu_account_refusal *why, const char *reason, const char *message) {
  if (why != NULL) {
    why->reason = reason;
    why->message = message;
  }
  return -1;
}

int nu_account_level_check(const nu_account_facts *f, nu_account_level to,
                           nu_account_refusal *why) {
  if (nu_account_level_name(to) == NULL) {
    return refuse(why, "ACCOUNT_LEVEL_INVALID", "account level must be discovery, test or build");
  }
  if (to == f->current) return 0;
  /* A suspension freezes the account as it is, downwards too: the operator
   * decides what happens next. */
  if (f->suspended) {
    return refuse(why, "ORGANIZATION_SUSPENDED",
                  "the account level of a suspended organization cannot change");
  }
  if (to < f->current) return 0;
  if (f->billing_missing != 0) {
    return refuse(why, "BILLING_DETAILS_MISSING",
                  to == NU_ACCOUNT_LEVEL_TEST
                      ? "account level test requires complete billing details"
                      : "account level build requires complete billing details");
  }
  if (to == NU_ACCOUNT_LEVEL_BUILD && !f->identity_verified) {
    return refuse(why, "IDENTITY_NOT_VERIFIED",
                  "account level build requires an identity verification recorded by the "
                  "platform operator");
  }
  return 0;
}
