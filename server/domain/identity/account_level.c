/*
 * account_level.c — the requirements of the account levels (DOMAIN.md §1).
 */
#include "server/domain/identity/account_level.h"

#include "server/domain/identity/policy.h"

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
  if (to == NU_ACCOUNT_LEVEL_DISCOVERY) return 0;
  /* Test and build run on billing details, down from a provisional build
   * (the only level held without them) too. */
  if (f->billing_missing != 0) {
    return refuse(why, "BILLING_DETAILS_MISSING",
                  to == NU_ACCOUNT_LEVEL_TEST
                      ? "account level test requires complete billing details"
                      : "account level build requires complete billing details");
  }
  if (to < f->current) return 0;
  if (to == NU_ACCOUNT_LEVEL_BUILD && !f->identity_verified) {
    return refuse(why, "IDENTITY_NOT_VERIFIED",
                  "account level build requires an identity verification recorded by the "
                  "platform operator");
  }
  return 0;
}

/* ---- provisional build ----------------------------------------------------- */

bool nu_account_provisional(const nu_account_facts *f, int64_t now_ns) {
  return f->provisional_build_until_ns != 0 && now_ns < f->provisional_build_until_ns &&
         f->identity_verified;
}

/* The highest level the facts allow, whatever was asked for. */
static nu_account_level allowed_by_facts(const nu_account_facts *f) {
  if (f->billing_missing != 0) return NU_ACCOUNT_LEVEL_DISCOVERY;
  return f->identity_verified ? NU_ACCOUNT_LEVEL_BUILD : NU_ACCOUNT_LEVEL_TEST;
}

nu_account_level nu_account_level_effective(const nu_account_facts *f, int64_t now_ns) {
  if (nu_account_provisional(f, now_ns)) return NU_ACCOUNT_LEVEL_BUILD;
  nu_account_level stored =
      nu_account_level_name(f->current) != NULL ? f->current : NU_ACCOUNT_LEVEL_DISCOVERY;
  /* Without a provisional build the stored level is in force: every write
   * that sets it checked the facts (nu_account_level_check). */
  if (f->provisional_build_until_ns == 0) return stored;
  nu_account_level max = allowed_by_facts(f);
  return stored < max ? stored : max;
}

void nu_account_settle(const nu_account_facts *f, int64_t now_ns, nu_account_level *level,
                       int64_t *until_ns) {
  *level = f->current;
  *until_ns = f->provisional_build_until_ns;
  if (f->provisional_build_until_ns == 0) return;
  if (now_ns >= f->provisional_build_until_ns || f->billing_missing == 0) {
    /* Ended (the fall-back), or made permanent by the billing details
     * (effective is then build while it runs). */
    *level = nu_account_level_effective(f, now_ns);
    *until_ns = 0;
  }
}

bool nu_account_on_identity_verified(const nu_account_facts *before, int64_t now_ns,
                                     nu_account_level *level, int64_t *until_ns) {
  *level = before->current;
  *until_ns = before->provisional_build_until_ns;
  if (before->identity_verified || before->suspended || before->billing_missing == 0) return false;
  if (nu_account_level_effective(before, now_ns) >= NU_ACCOUNT_LEVEL_BUILD) return false;
  *level = NU_ACCOUNT_LEVEL_BUILD;
  *until_ns = now_ns + NU_PROVISIONAL_BUILD_NS;
  return true;
}

/* ---- commitments ----------------------------------------------------------- */

static int decide(nu_account_decision *out, const char *reason, const char *message,
                  int64_t remaining) {
  out->allowed = reason == NULL;
  out->reason = reason;
  out->message = message;
  out->remaining_cents = remaining;
  return reason == NULL ? 0 : -1;
}

int nu_account_commitment_decide(const nu_account_facts *f, int64_t now_ns,
                                 const nu_account_commitment *c, nu_account_decision *out) {
  out->level = nu_account_level_effective(f, now_ns);
  if (c->amount_cents < 0 || c->committed_cents < 0) {
    return decide(out, "COMMITMENT_AMOUNT_INVALID", "a commitment cannot be negative", 0);
  }
  if (f->suspended) {
    return decide(out, "ORGANIZATION_SUSPENDED", "a suspended organization cannot commit", 0);
  }
  switch (out->level) {
    case NU_ACCOUNT_LEVEL_BUILD: return decide(out, NULL, NULL, -1);
    case NU_ACCOUNT_LEVEL_TEST: {
      int64_t cap = c->test_cap_cents > 0 ? c->test_cap_cents : 0;
      int64_t remaining = c->committed_cents < cap ? cap - c->committed_cents : 0;
      /* Compared without adding: no overflow whatever the amounts. */
      if (c->amount_cents > remaining) {
        return decide(out, "TEST_LEVEL_CAP_EXCEEDED",
                      "account level test may not commit more than its monthly amount", remaining);
      }
      return decide(out, NULL, NULL, remaining);
    }
    default:
      return decide(out, "ACCOUNT_LEVEL_DISCOVERY",
                    "account level discovery may browse only: ordering or sending a request "
                    "needs level test or build",
                    0);
  }
}
