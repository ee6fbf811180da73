/*
 * subscription.c — subscription dates, status and termination (see
 * subscription.h).
 */
#include "server/domain/subscriptions/subscription.h"

#include <stddef.h>
#include <string.h>

static const char *const names[NU_SUBSCRIPTION_STATE_COUNT] = {NULL, "subscribed", "active",
                                                               "ended", "terminated"};

const char *nu_subscription_state_name(nu_subscription_state s) {
  return s > NU_SUBSCRIPTION_STATE_UNSPECIFIED && s < NU_SUBSCRIPTION_STATE_COUNT ? names[s] : NULL;
}

nu_subscription_state nu_subscription_state_parse(const char *s) {
  for (int i = 1; s != NULL && i < NU_SUBSCRIPTION_STATE_COUNT; i++) {
    if (strcmp(s, names[i]) == 0) return (nu_subscription_state)i;
  }
  return NU_SUBSCRIPTION_STATE_UNSPECIFIED;
}

nu_date nu_reservation_start(int64_t ordered_at_ns) {
  return nu_date_first_of_next_month(nu_paris_date_of(ordered_at_ns));
}

int nu_subscription_end(nu_date start, int32_t months, nu_date *end, nu_refusal *why) {
  if (months < 1 || months > NU_SUBSCRIPTION_MONTHS_MAX || nu_date_add_months(start, months, end)) {
    return nu_refuse(why, "SUBSCRIPTION_DURATION_INVALID",
                     "the subscription's duration must be 1 to 120 months from a valid start");
  }
  return 0;
}

static bool dates_valid(const nu_subscription_dates *d) {
  return d != NULL && nu_date_valid(d->start) && nu_date_valid(d->end) &&
         nu_date_cmp(d->start, d->end) < 0 && (!d->terminating || nu_date_valid(d->terminates_on));
}

/* Whether the Paris day `day` has begun at instant now_ns. */
static bool begun(nu_date day, int64_t now_ns) { return now_ns >= nu_paris_day_start(day); }

nu_subscription_state nu_subscription_state_at(const nu_subscription_dates *d, int64_t now_ns) {
  if (!dates_valid(d)) return NU_SUBSCRIPTION_STATE_UNSPECIFIED;
  if (d->terminating && begun(d->terminates_on, now_ns)) return NU_SUBSCRIPTION_TERMINATED;
  if (!begun(d->start, now_ns)) return NU_SUBSCRIPTION_SUBSCRIBED;
  return begun(d->end, now_ns) ? NU_SUBSCRIPTION_ENDED : NU_SUBSCRIPTION_ACTIVE;
}

int nu_subscription_terminate(const nu_subscription_dates *d, int64_t requested_ns,
                              nu_date *effective, nu_refusal *why) {
  if (!dates_valid(d)) {
    return nu_refuse(why, "SUBSCRIPTION_DATES_INVALID", "the subscription's dates are not valid");
  }
  switch (nu_subscription_state_at(d, requested_ns)) {
    case NU_SUBSCRIPTION_ENDED:
      return nu_refuse(why, "SUBSCRIPTION_ENDED", "the subscription ended");
    case NU_SUBSCRIPTION_TERMINATED:
      return nu_refuse(why, "SUBSCRIPTION_ALREADY_TERMINATING", "the subscription is terminated");
    default: break;
  }
  if (d->terminating) {
    return nu_refuse(why, "SUBSCRIPTION_ALREADY_TERMINATING",
                     "the subscription's termination is already requested");
  }
  nu_date on = nu_date_first_of_next_month(nu_paris_date_of(requested_ns));
  if (nu_date_cmp(on, d->start) < 0) on = d->start;
  if (nu_date_cmp(on, d->end) >= 0) {
    return nu_refuse(why, "SUBSCRIPTION_ENDS_FIRST",
                     "the subscription ends before the termination would take effect");
  }
  *effective = on;
  return 0;
}

int nu_subscription_split_quantity(int64_t quantity, int64_t terminated, nu_subscription_split *out,
                                   nu_refusal *why) {
  if (terminated < 1 || terminated > quantity) {
    return nu_refuse(why, "TERMINATED_QUANTITY_INVALID",
                     "the terminated quantity must be at least 1 and at most the subscription's");
  }
  out->kept = quantity - terminated;
  out->terminated = terminated;
  return 0;
}

int nu_subscription_split_amount(int64_t amount_cents, const nu_subscription_split *s,
                                 int64_t *kept_cents, int64_t *terminated_cents) {
  if (s == NULL || s->kept < 0 || s->terminated < 1 || s->kept > INT64_MAX - s->terminated) {
    return -1;
  }
  __int128 q = (__int128)s->kept + s->terminated;
  __int128 num = (__int128)amount_cents * s->terminated; /* exact, and 2|num| + q fits */
  __int128 mag = (num < 0 ? -num : num) * 2 + q;         /* half away from zero */
  __int128 part = mag / (2 * q);
  int64_t t = (int64_t)(num < 0 ? -part : part); /* |t| ≤ |amount| */
  *terminated_cents = t;
  *kept_cents = amount_cents - t; /* same sign as amount, |…| ≤ |amount|: no overflow */
  return 0;
}
