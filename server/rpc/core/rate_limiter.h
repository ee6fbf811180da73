/*
 * rate_limiter.h — the rate limits of the public calls, counted in
 * PostgreSQL so that every server of one database shares them.
 *
 * Per address: each call of a row with `.rate_limit = NU_RATE_PUBLIC_WRITE`
 * counts in the bucket (method, client address) before the call is
 * authenticated or served, in a transaction of its own, so a refused or
 * failing call still counts; over app->rate_limit_per_address in one
 * window the call is RESOURCE_EXHAUSTED, reason RATE_LIMITED, with a
 * google.rpc.RetryInfo until the window ends.
 *
 * Per account: failed logins count in the bucket of the account (its user
 * id, or the login as typed when no account has it); once
 * app->failed_logins_per_hour are counted in the hour, Login refuses every
 * password of that account with its usual LOGIN_FAILED until the hour
 * ends. Buckets are keyed digests (NU_KEY_RATE_LIMIT): addresses and
 * logins are not stored.
 */
#ifndef NU_RPC_RATE_LIMITER_H
#define NU_RPC_RATE_LIMITER_H

#include <stdbool.h>

#include "server/app/app.h"
#include "server/store/core/pool.h"
#include "server/transport/call.h"
#include "server/transport/server.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The transport's hook, counting in app (borrowed, outlives the server). */
void nu_rate_limiter_init(nu_rate_limiter *l, nu_app *app);

/* Whether the account `account` (a user id, or a login no account has)
 * already reached its failed logins this hour; read in the caller's
 * transaction c. */
nu_status nu_rate_login_blocked(nu_call *call, nu_conn *c, const char *account, bool *blocked);

/* Counts one failed login of account, in a transaction of its own. */
nu_status nu_rate_login_failed(nu_call *call, const char *account);

#ifdef __cplusplus
}
#endif

#endif
