/*
 * log.c — JSON lines on stderr.
 *
 * Each line is formatted into a stack buffer and written with one write(2),
 * so lines from concurrent threads never interleave.
 */
#include "server/common/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NU_LOG_LINE_MAX 4096

static _Atomic int log_level = NU_LOG_INFO;
static FILE *_Atomic log_sink = NULL;

void nu_log_set_level(nu_log_level level) { atomic_store(&log_level, (int)level); }

nu_log_level nu_log_get_level(void) { return (nu_log_level)atomic_load(&log_level); }

int nu_log_parse_level(const char *s, nu_log_level *out) {
  static const char *const names[] = {"debug", "info", "warn", "error"};
  for (int i = 0; i < 4; i++) {
    if (strcmp(s, names[i]) == 0) {
      *out = (nu_log_level)i;
      return 0;
    }
  }
  return -1;
}

void nu_log_set_sink(FILE *f) { atomic_store(&log_sink, f); }

static void append_raw(char *buf, size_t cap, size_t *len, const char *s, size_t n) {
  if (*len >= cap) return;
  size_t room = cap - *len;
  if (n > room) n = room;
  memcpy(buf + *len, s, n);
  *len += n;
}

static void append_str(char *buf, size_t cap, size_t *len, const char *s) {
  append_raw(buf, cap, len, s, strlen(s));
}

void nu_log_json_string(char *buf, size_t cap, size_t *len, const char *s) {
  static const char hex[] = "0123456789abcdef";
  append_raw(buf, cap, len, "\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
    /* keep room for the escape, the closing quote and the rest of the line */
    if (*len + 8 >= cap) break;
    unsigned char ch = *p;
    if (ch == '"' || ch == '\\') {
      char esc[2] = {'\\', (char)ch};
      append_raw(buf, cap, len, esc, 2);
    } else if (ch == '\n') {
      append_raw(buf, cap, len, "\\n", 2);
    } else if (ch == '\r') {
      append_raw(buf, cap, len, "\\r", 2);
    } else if (ch == '\t') {
      append_raw(buf, cap, len, "\\t", 2);
    } else if (ch < 0x20 || ch == 0x7f) {
      char esc[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
      append_raw(buf, cap, len, esc, 6);
    } else {
      append_raw(buf, cap, len, (const char *)p, 1);
    }
  }
  append_raw(buf, cap, len, "\"", 1);
}

static const char *level_name(nu_log_level level) {
  switch (level) {
    case NU_LOG_DEBUG: return "debug";
    case NU_LOG_INFO: return "info";
    case NU_LOG_WARN: return "warn";
    case NU_LOG_ERROR: return "error";
  }
  return "info";
}

static void begin_line(char *buf, size_t cap, size_t *len, nu_log_level level, const char *msg) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char stamp[64];
  size_t n = strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(stamp + n, sizeof(stamp) - n, ".%06ldZ", ts.tv_nsec / 1000);
  append_str(buf, cap, len, "{\"ts\":\"");
  append_str(buf, cap, len, stamp);
  append_str(buf, cap, len, "\",\"level\":\"");
  append_str(buf, cap, len, level_name(level));
  append_str(buf, cap, len, "\",\"msg\":");
  nu_log_json_string(buf, cap, len, msg);
}

static void add_field(char *buf, size_t cap, size_t *len, const char *key, const char *value) {
  append_str(buf, cap, len, ",");
  nu_log_json_string(buf, cap, len, key);
  append_str(buf, cap, len, ":");
  if (value == NULL) {
    append_str(buf, cap, len, "null");
  } else {
    nu_log_json_string(buf, cap, len, value);
  }
}

static void finish_line(char *buf, size_t cap, size_t *len) {
  /* Always close the object, even when the fields were truncated. */
  if (*len > cap - 2) *len = cap - 2;
  buf[(*len)++] = '}';
  buf[(*len)++] = '\n';
  FILE *sink = atomic_load(&log_sink);
  if (sink == NULL) {
    ssize_t off = 0;
    while ((size_t)off < *len) {
      ssize_t w = write(STDERR_FILENO, buf + off, *len - (size_t)off);
      if (w <= 0) break;
      off += w;
    }
  } else {
    fwrite(buf, 1, *len, sink);
    fflush(sink);
  }
}

void nu_log(nu_log_level level, const char *msg, ...) {
  if ((int)level < atomic_load(&log_level)) return;
  char buf[NU_LOG_LINE_MAX];
  size_t len = 0;
  begin_line(buf, sizeof(buf), &len, level, msg);
  va_list ap;
  va_start(ap, msg);
  for (;;) {
    const char *key = va_arg(ap, const char *);
    if (key == NULL) break;
    const char *value = va_arg(ap, const char *);
    add_field(buf, sizeof(buf), &len, key, value);
  }
  va_end(ap);
  finish_line(buf, sizeof(buf), &len);
}

void nu_log_rpc(const nu_rpc_log *r) {
  nu_log_level level = r->code == 0 ? NU_LOG_INFO : NU_LOG_WARN;
  if (r->code == 13 || r->code == 2 || r->code == 15) level = NU_LOG_ERROR;
  if ((int)level < atomic_load(&log_level)) return;
  char buf[NU_LOG_LINE_MAX];
  size_t len = 0;
  begin_line(buf, sizeof(buf), &len, level, "rpc");
  add_field(buf, sizeof(buf), &len, "method", r->method);
  add_field(buf, sizeof(buf), &len, "peer", r->peer);
  add_field(buf, sizeof(buf), &len, "request_id", r->request_id);
  if (r->principal != NULL) add_field(buf, sizeof(buf), &len, "principal", r->principal);
  char num[48];
  snprintf(num, sizeof(num), ",\"code\":%d", r->code);
  append_str(buf, sizeof(buf), &len, num);
  add_field(buf, sizeof(buf), &len, "status", r->code_name);
  if (r->reason != NULL) add_field(buf, sizeof(buf), &len, "reason", r->reason);
  snprintf(num, sizeof(num), ",\"duration_ms\":%.3f", (double)r->duration_ns / 1e6);
  append_str(buf, sizeof(buf), &len, num);
  if (r->error != NULL) add_field(buf, sizeof(buf), &len, "error", r->error);
  finish_line(buf, sizeof(buf), &len);
}
