/*
 * log.h — structured JSON log lines on stderr, one per event.
 *
 * Every line is a single JSON object with "ts", "level" and "msg", then the
 * fields given. Never pass a secret (password, token, TOTP secret, access-key
 * secret, database password) as a field: nothing here can tell.
 */
#ifndef NU_COMMON_LOG_H
#define NU_COMMON_LOG_H

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_log_level {
  NU_LOG_DEBUG = 0,
  NU_LOG_INFO = 1,
  NU_LOG_WARN = 2,
  NU_LOG_ERROR = 3,
} nu_log_level;

/* Lines below this level are dropped. Default NU_LOG_INFO. */
void nu_log_set_level(nu_log_level level);
nu_log_level nu_log_get_level(void);

/* Parses "debug", "info", "warn", "error"; returns 0 or -1. */
int nu_log_parse_level(const char *s, nu_log_level *out);

/* Where lines go (default stderr); for tests. Borrowed. */
void nu_log_set_sink(FILE *f);

/* Logs msg with string fields given as key, value pairs ending with NULL:
 *   nu_log(NU_LOG_INFO, "listening", "address", addr, NULL);
 * Values are JSON-escaped; a NULL value is written as null. A line longer
 * than 4 KiB keeps its first fields (the last one kept possibly cut) and is
 * still valid JSON. */
void nu_log(nu_log_level level, const char *msg, ...) __attribute__((sentinel));

/* Writes the buffered lines now (see log.c; also run at exit). */
void nu_log_flush(void);

/* The one line written per RPC. Lines of successful calls are buffered and
 * written within milliseconds; the others at once. */
typedef struct nu_rpc_log {
  const char *method; /* "/grpc.health.v1.Health/Check" */
  const char *peer;   /* "ipv4:127.0.0.1:51234" */
  const char *request_id;
  const char *principal; /* who called, or NULL for anonymous */
  int code;              /* gRPC status code (the values of nu_code) */
  const char *code_name; /* "OK" */
  const char *reason;    /* ErrorInfo reason, or NULL */
  int64_t duration_ns;
  const char *error; /* message of a failed call, or NULL */
} nu_rpc_log;

void nu_log_rpc(const nu_rpc_log *r);

/* Appends s as a JSON string (with quotes) to buf of cap bytes at *len.
 * When it does not fit, the string is cut between two characters and still
 * closed; when not even "" fits, nothing is written. Bytes that are not
 * UTF-8 become U+FFFD. Exposed for tests. */
void nu_log_json_string(char *buf, size_t cap, size_t *len, const char *s);

#ifdef __cplusplus
}
#endif

#endif
