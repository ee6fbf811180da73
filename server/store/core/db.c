/*
 * db.c — running statements and turning PostgreSQL failures into statuses.
 *
 * Every PGresult handed out is cleared by a cleanup on the call's arena, so
 * no store function has to remember PQclear on each path. Error messages
 * carry the server's primary message only: the detail may quote row values
 * and the parameters are never repeated, so nothing of a request leaks into
 * a status or a log line.
 */
#include "server/store/core/db.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/common/log.h"
#include "server/store/core/internal.h"
#include "server/store/core/sqlstate.h"

PGconn *nu_conn_pg(nu_conn *c) { return c->pg; }

static void clear_result(void *res) { PQclear(res); }

/* libpq prints notices (e.g. "relation already exists, skipping") on stderr
 * by default, which would break our one-JSON-object-per-line log. */
static void log_notice(void *arg, const char *message) {
  (void)arg;
  if (nu_log_get_level() > NU_LOG_DEBUG) return;
  char line[512];
  size_t n = strcspn(message, "\n");
  if (n >= sizeof(line)) n = sizeof(line) - 1;
  memcpy(line, message, n);
  line[n] = '\0';
  nu_log(NU_LOG_DEBUG, "database notice", "notice", line, NULL);
}

/* The first line of a libpq message, in the arena (libpq's own messages end
 * with a newline and sometimes add a hint on further lines). */
static const char *first_line(nu_arena *a, const char *msg) {
  if (msg == NULL || msg[0] == '\0') return "no message";
  const char *line = nu_arena_strndup(a, msg, strcspn(msg, "\n"));
  return line != NULL ? line : "out of memory";
}

nu_status nu_store_connect(const char *conninfo, const char *application_name, nu_arena *a,
                           PGconn **out) {
  /* dbname comes first so that, expanded, the caller's conninfo or URI
   * supplies everything; the settings after it override its values. */
  static const char *const keys[] = {"dbname", "application_name", "connect_timeout",
                                     "client_encoding", NULL};
  const char *values[] = {conninfo, application_name, "2", "UTF8", NULL};
  nu_status st = nu_ok();
  PGresult *res = NULL;
  PGconn *pg = PQconnectdbParams(keys, values, 1);
  if (pg == NULL) {
    st = nu_error(a, NU_UNAVAILABLE, "DATABASE_UNAVAILABLE", "database unavailable: out of memory");
    goto done;
  }
  if (PQstatus(pg) != CONNECTION_OK) {
    /* libpq's message names the host or socket, never the password. */
    st = nu_error(a, NU_UNAVAILABLE, "DATABASE_UNAVAILABLE", "database unavailable: %s",
                  first_line(a, PQerrorMessage(pg)));
    goto done;
  }
  PQsetNoticeProcessor(pg, log_notice, NULL);
  /* Timestamps the store formats or parses are UTC whatever the server's
   * configuration says. */
  res = PQexec(pg, "SET TIME ZONE 'UTC'");
  if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
    char sqlstate[6];
    st = nu_store_result_error(pg, a, res, sqlstate);
    goto done;
  }
  *out = pg;
  pg = NULL;
done:
  PQclear(res);
  if (pg != NULL) PQfinish(pg);
  return st;
}

nu_status nu_store_result_error(PGconn *pg, nu_arena *a, const PGresult *res,
                                char sqlstate_out[6]) {
  const char *sqlstate = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  sqlstate_out[0] = '\0';
  if (sqlstate != NULL && strlen(sqlstate) == 5) memcpy(sqlstate_out, sqlstate, 6);

  if (res == NULL || PQstatus(pg) == CONNECTION_BAD) {
    const char *msg = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (msg == NULL) msg = first_line(a, PQerrorMessage(pg));
    return nu_error(a, NU_UNAVAILABLE, "DATABASE_UNAVAILABLE", "database unavailable: %s", msg);
  }
  ExecStatusType rs = PQresultStatus(res);
  if (rs != PGRES_FATAL_ERROR && rs != PGRES_NONFATAL_ERROR) {
    return nu_error(a, NU_INTERNAL, "DATABASE_ERROR", "database error: unexpected result %s",
                    PQresStatus(rs));
  }
  const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
  if (msg == NULL) msg = first_line(a, PQresultErrorMessage(res));
  nu_code code = nu_sqlstate_code(sqlstate_out);
  if (code == NU_INTERNAL) {
    /* Not something a caller can cause or fix: the operator needs to see
     * it, and the client only gets INTERNAL. */
    nu_log(NU_LOG_WARN, "database error", "sqlstate", sqlstate_out, "error", msg, NULL);
  }
  return nu_error(a, code, nu_sqlstate_reason(sqlstate_out), "database error: %s", msg);
}

nu_status nu_db_error(nu_conn *c, nu_arena *a, const PGresult *res) {
  const char *cn = res != NULL ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
  snprintf(c->constraint_name, sizeof(c->constraint_name), "%s", cn != NULL ? cn : "");
  return nu_store_result_error(c->pg, a, res, c->sqlstate);
}

const char *nu_db_failed_constraint(const nu_conn *c) { return c->constraint_name; }

const char *nu_db_i64(nu_arena *a, int64_t v) {
  char buf[24];
  snprintf(buf, sizeof(buf), "%" PRId64, v);
  return nu_arena_strdup(a, buf);
}

const char *nu_db_bool(bool v) { return v ? "t" : "f"; }

const char *nu_db_bytea(nu_arena *a, const uint8_t *b, size_t len) {
  static const char hex[] = "0123456789abcdef";
  char *out = nu_arena_alloc(a, 2 + 2 * len + 1);
  if (out == NULL) return NULL;
  out[0] = '\\';
  out[1] = 'x';
  for (size_t i = 0; i < len; i++) {
    out[2 + 2 * i] = hex[b[i] >> 4];
    out[3 + 2 * i] = hex[b[i] & 15];
  }
  out[2 + 2 * len] = '\0';
  return out;
}

const char *nu_db_text(const PGresult *r, int row, int col) {
  return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

int64_t nu_db_get_i64(const PGresult *r, int row, int col) {
  return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

bool nu_db_get_bool(const PGresult *r, int row, int col) {
  return !PQgetisnull(r, row, col) && PQgetvalue(r, row, col)[0] == 't';
}

const uint8_t *nu_db_get_bytea(nu_arena *a, const PGresult *r, int row, int col, size_t *len) {
  *len = 0;
  if (PQgetisnull(r, row, col)) return NULL;
  const char *v = PQgetvalue(r, row, col);
  if (v[0] != '\\' || v[1] != 'x') return NULL;
  size_t n = (strlen(v) - 2) / 2;
  uint8_t *out = nu_arena_alloc(a, n > 0 ? n : 1);
  if (out == NULL) return NULL;
  for (size_t i = 0; i < n; i++) {
    char pair[3] = {v[2 + 2 * i], v[3 + 2 * i], '\0'};
    out[i] = (uint8_t)strtoul(pair, NULL, 16);
  }
  *len = n;
  return out;
}

const char *nu_db_array(nu_arena *a, const char *const *items, size_t n) {
  size_t len = 3; /* braces and the terminator */
  for (size_t i = 0; i < n; i++) {
    len += 1; /* the comma */
    if (items[i] == NULL) {
      len += 4;
      continue;
    }
    len += 2; /* the quotes */
    for (const char *q = items[i]; *q != '\0'; q++) len += (*q == '"' || *q == '\\') ? 2 : 1;
  }
  char *out = nu_arena_alloc(a, len);
  if (out == NULL) return NULL;
  char *p = out;
  *p++ = '{';
  for (size_t i = 0; i < n; i++) {
    if (i > 0) *p++ = ',';
    if (items[i] == NULL) {
      memcpy(p, "NULL", 4);
      p += 4;
      continue;
    }
    *p++ = '"';
    for (const char *q = items[i]; *q != '\0'; q++) {
      if (*q == '"' || *q == '\\') *p++ = '\\';
      *p++ = *q;
    }
    *p++ = '"';
  }
  *p++ = '}';
  *p = '\0';
  return out;
}

nu_status nu_store_oom(nu_arena *a) {
  return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
}

nu_status nu_db_exec(nu_conn *c, nu_arena *a, const char *sql, int nparams,
                     const char *const *values, PGresult **out) {
  PGresult *res = PQexecParams(c->pg, sql, nparams, NULL, values, NULL, NULL, 0);
  if (res == NULL) return nu_db_error(c, a, NULL);
  if (nu_arena_add_cleanup(a, clear_result, res) != 0) {
    /* The cleanup already ran: res is gone. */
    return nu_store_oom(a);
  }
  ExecStatusType rs = PQresultStatus(res);
  if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK && rs != PGRES_EMPTY_QUERY) {
    return nu_db_error(c, a, res);
  }
  if (out != NULL) *out = res;
  return nu_ok();
}
