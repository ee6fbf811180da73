/*
 * tx.c — one unit of work in one transaction, retried on conflicts.
 *
 * Each attempt: BEGIN with the isolation asked for, bound every statement by
 * what is left of the call's deadline (set_config(..., true) is SET LOCAL:
 * it ends with the transaction), run the work, COMMIT. A serialization
 * failure or deadlock (40001, 40P01) from the work or from COMMIT means
 * another transaction won the race: the attempt is rolled back and the whole
 * work runs again after a short random pause, so the retries of two losers
 * do not collide again. Any other failure is rolled back and returned as is.
 */
#include "server/store/core/tx.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/domain/deadline.h"
#include "server/store/core/db.h"
#include "server/store/core/internal.h"
#include "server/store/core/sqlstate.h"

#define NU_TX_DEFAULT_ATTEMPTS 5
#define NU_TX_BACKOFF_FIRST_NS (2 * NU_NS_PER_MS)
#define NU_TX_BACKOFF_MAX_NS (50 * NU_NS_PER_MS)

static const char *isolation_sql(nu_isolation iso) {
  switch (iso) {
    case NU_ISOLATION_REPEATABLE_READ: return "REPEATABLE READ";
    case NU_ISOLATION_SERIALIZABLE: return "SERIALIZABLE";
    case NU_ISOLATION_READ_COMMITTED:
    default: return "READ COMMITTED";
  }
}

static nu_status deadline_exceeded(nu_arena *a) {
  return nu_error(a, NU_DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED",
                  "deadline exceeded before the transaction could run");
}

/* BEGIN and the statement timeout in one round trip. The isolation level
 * comes from a fixed list and the timeout is a number we format, so
 * building the text is safe. */
static nu_status begin(nu_conn *c, nu_arena *a, const nu_tx_options *o, int64_t ms) {
  if (ms > INT_MAX) ms = INT_MAX; /* the setting is an int; 0 would mean no limit */
  char sql[160];
  snprintf(sql, sizeof(sql),
           "BEGIN ISOLATION LEVEL %s%s; SELECT set_config('statement_timeout', '%lld', true)",
           isolation_sql(o->isolation), o->read_only ? " READ ONLY" : "", (long long)ms);
  PGresult *res = PQexec(nu_conn_pg(c), sql);
  nu_status st = nu_ok();
  if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) st = nu_db_error(c, a, res);
  PQclear(res);
  return st;
}

static nu_status commit(nu_conn *c, nu_arena *a) {
  PGresult *res = PQexec(nu_conn_pg(c), "COMMIT");
  nu_status st = nu_ok();
  if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
    st = nu_db_error(c, a, res);
  } else if (strcmp(PQcmdStatus(res), "ROLLBACK") == 0) {
    /* COMMIT of a failed transaction rolls back and still "succeeds": the
     * work ignored an error of one of its statements. */
    st = nu_error(a, NU_INTERNAL, "DATABASE_ERROR",
                  "transaction rolled back at commit: a statement of it had failed");
  }
  PQclear(res);
  return st;
}

/* Leaves the connection outside any transaction if it can; if it cannot,
 * nu_pool_release sees the open transaction and closes the connection. */
static void rollback(nu_conn *c) {
  PGconn *pg = nu_conn_pg(c);
  if (PQstatus(pg) != CONNECTION_OK) return;
  PGTransactionStatusType ts = PQtransactionStatus(pg);
  if (ts != PQTRANS_INTRANS && ts != PQTRANS_INERROR) return;
  PQclear(PQexec(pg, "ROLLBACK"));
}

/* Random pause before the next attempt: exponential in the attempt number,
 * jittered, never past the deadline. */
static void backoff(const nu_clock *clk, int attempt, int64_t deadline_mono_ns) {
  static _Thread_local unsigned seed;
  if (seed == 0) seed = (unsigned)nu_clock_mono_ns(nu_clock_system()) ^ (unsigned)(uintptr_t)&seed;
  int64_t cap = NU_TX_BACKOFF_FIRST_NS;
  for (int i = 1; i < attempt && cap < NU_TX_BACKOFF_MAX_NS; i++) cap *= 2;
  if (cap > NU_TX_BACKOFF_MAX_NS) cap = NU_TX_BACKOFF_MAX_NS;
  int64_t ns = cap / 2 + (int64_t)(rand_r(&seed) % (int)(cap / 2 / 1000 + 1)) * 1000;
  int64_t left = deadline_mono_ns - nu_clock_mono_ns(clk);
  if (ns > left) ns = left;
  if (ns <= 0) return;
  struct timespec ts = {.tv_sec = (time_t)(ns / NU_NS_PER_S), .tv_nsec = (long)(ns % NU_NS_PER_S)};
  nanosleep(&ts, NULL);
}

nu_status nu_tx_run(nu_pool *p, nu_arena *a, const nu_tx_options *opts, nu_tx_fn fn, void *arg) {
  const nu_clock *clk = nu_pool_clock(p);
  int max_attempts = opts->max_attempts > 0 ? opts->max_attempts : NU_TX_DEFAULT_ATTEMPTS;
  bool replaced = false;
  nu_conn *c = NULL;
  nu_status st = nu_ok();

  for (int attempt = 1;; attempt++) {
    int64_t remaining_ms = nu_deadline_remaining_ms(opts->deadline_mono_ns, nu_clock_mono_ns(clk));
    if (remaining_ms == 0) {
      st = deadline_exceeded(a);
      goto done;
    }
    if (c == NULL) {
      st = nu_pool_acquire(p, opts->deadline_mono_ns, a, &c);
      if (!nu_status_is_ok(&st)) goto done;
      /* Waiting for the connection used part of the budget. */
      remaining_ms = nu_deadline_remaining_ms(opts->deadline_mono_ns, nu_clock_mono_ns(clk));
      if (remaining_ms == 0) {
        st = deadline_exceeded(a);
        goto done;
      }
    }
    st = begin(c, a, opts, remaining_ms);
    if (!nu_status_is_ok(&st)) {
      /* A connection that died while idle (the database restarted) fails
       * at BEGIN, before anything ran: a fresh connection may simply work.
       * Once only, so a database that is really down is reported soon. */
      if (!replaced && PQstatus(nu_conn_pg(c)) == CONNECTION_BAD) {
        replaced = true;
        nu_pool_release(p, c);
        c = NULL;
        attempt--;
        continue;
      }
      rollback(c);
      goto done;
    }
    st = fn(c, a, arg);
    if (nu_status_is_ok(&st)) st = commit(c, a);
    if (nu_status_is_ok(&st)) goto done;
    rollback(c);
    /* The work's status is returned as is, unless the database said the
     * transaction lost a race: then it is worth running again. */
    if (!nu_sqlstate_is_retryable(c->sqlstate)) goto done;
    if (attempt >= max_attempts) {
      st = nu_error(a, NU_ABORTED, "TRANSACTION_CONFLICT",
                    "transaction conflict: gave up after %d attempts", attempt);
      goto done;
    }
    c->sqlstate[0] = '\0';
    backoff(clk, attempt, opts->deadline_mono_ns);
  }

done:
  if (c != NULL) nu_pool_release(p, c);
  return st;
}
