/*
 * subscription.h — the dates and the status of a subscription
 * (DOMAIN.md §5), in days of Paris (paris_calendar.h says why).
 *
 *   start         a reservation starts the first day of the month after the
 *                 day (in Paris) it was ordered: ordered 31 December, starts
 *                 1 January; ordered 1 January at 00:00, starts 1 February
 *   end           start + duration months: the first day no longer covered
 *                 (start 1 March 2027, 12 months: end 1 March 2028). The
 *                 subscription covers the Paris days [start, end).
 *   termination   takes effect the first day of the month after the day (in
 *                 Paris) it was requested: asked on 31 January at 23:59:59,
 *                 effective 1 February; asked on 1 February at 00:00:00,
 *                 effective 1 March. Part of the quantity may be
 *                 terminated: the subscription is split in two.
 *   status        derived at read time from the clock, never stored:
 *                 terminated from its effective day, else subscribed before
 *                 start, active until end, ended from end.
 *
 * Dates are stored as dates (PostgreSQL `date`); the clock's instants are
 * read as Paris days here. Pure: the caller passes the clock's reading.
 */
#ifndef NU_DOMAIN_SUBSCRIPTIONS_SUBSCRIPTION_H
#define NU_DOMAIN_SUBSCRIPTIONS_SUBSCRIPTION_H

#include <stdbool.h>
#include <stdint.h>

#include "server/domain/refusal.h"
#include "server/domain/subscriptions/paris_calendar.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_subscription_state {
  NU_SUBSCRIPTION_STATE_UNSPECIFIED = 0,
  NU_SUBSCRIPTION_SUBSCRIBED = 1,
  NU_SUBSCRIPTION_ACTIVE = 2,
  NU_SUBSCRIPTION_ENDED = 3,
  NU_SUBSCRIPTION_TERMINATED = 4,
} nu_subscription_state;
#define NU_SUBSCRIPTION_STATE_COUNT 5

/* "subscribed", "active", "ended", "terminated"; NULL otherwise. */
const char *nu_subscription_state_name(nu_subscription_state s);
nu_subscription_state nu_subscription_state_parse(const char *s);

/* The longest duration of a subscription, in months (ten years). */
#define NU_SUBSCRIPTION_MONTHS_MAX 120

/* What the status is derived from. */
typedef struct nu_subscription_dates {
  nu_date start;
  nu_date end;
  bool terminating;      /* a termination was requested */
  nu_date terminates_on; /* its effective day, when terminating */
} nu_subscription_dates;

/* The start of a reservation ordered at instant ordered_at_ns. */
nu_date nu_reservation_start(int64_t ordered_at_ns);

/* *end = start + months; -1 with SUBSCRIPTION_DURATION_INVALID when months
 * is outside 1..NU_SUBSCRIPTION_MONTHS_MAX or start is not a date. */
int nu_subscription_end(nu_date start, int32_t months, nu_date *end, nu_refusal *why);

/* The status of d at instant now_ns (UNSPECIFIED when d's dates are not
 * valid dates or end is not after start). */
nu_subscription_state nu_subscription_state_at(const nu_subscription_dates *d, int64_t now_ns);

/* A termination requested at instant requested_ns: 0 with *effective (the
 * first day of the next month in Paris, never before start); -1 with *why:
 * SUBSCRIPTION_ENDED, SUBSCRIPTION_ALREADY_TERMINATING (a termination is
 * already set: the remainder of a split is a new subscription),
 * SUBSCRIPTION_ENDS_FIRST (it ends on or before that day anyway),
 * SUBSCRIPTION_DATES_INVALID. */
int nu_subscription_terminate(const nu_subscription_dates *d, int64_t requested_ns,
                              nu_date *effective, nu_refusal *why);

/* Terminating `terminated` of `quantity` units. */
typedef struct nu_subscription_split {
  int64_t kept;       /* units that keep running (0: the whole subscription ends) */
  int64_t terminated; /* units the termination covers */
} nu_subscription_split;

/* 0 with *out when 1 ≤ terminated ≤ quantity; -1 with
 * TERMINATED_QUANTITY_INVALID otherwise. out->kept + out->terminated ==
 * quantity, always. */
int nu_subscription_split_quantity(int64_t quantity, int64_t terminated, nu_subscription_split *out,
                                   nu_refusal *why);

/* An amount of the whole subscription (an upfront or monthly total of
 * `quantity` units, cents) shared between the two halves of *s in
 * proportion to their units: the terminated half gets amount × terminated /
 * quantity rounded half away from zero, the kept half the rest, so the two
 * always add up to amount. -1 when s does not split a positive quantity. */
int nu_subscription_split_amount(int64_t amount_cents, const nu_subscription_split *s,
                                 int64_t *kept_cents, int64_t *terminated_cents);

#ifdef __cplusplus
}
#endif

#endif
