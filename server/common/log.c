/*
 * log.c — JSON lines on stderr.
 *
 * Each line is formatted into a stack buffer and written with one write(2),
 * so lines from concurrent threads never interleave.
 */
#include "server/common/log.h"
#include "server/common/status.h"
#include "server/common/utf8.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NU_LOG_LINE_MAX 4096
#define NU_LOG_TAIL 2 /* room always kept for the closing "}\n" */

static _Atomic int log_level = NU_LOG_INFO;
static FILE *_Atomic log_sink = NULL;

void nu_log_set_level(nu_log_level level) { atomic_store(&log_level, (int)level); }

nu_log_level nu_log_get_level(void) { return (nu_log_level)atomic_load(&log_level); }

int nu_log_parse_level(const char *s, nu_log_level *out) {
  static const char *const names[] = {"debug", "info", "warn", "error"};
  for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
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

/* Appends all n bytes, or nothing when they do not fit. */
static bool append_whole(char *buf, size_t cap, size_t *len, const char *s, size_t n) {
  if (*len > cap || n > cap - *len) return false;
  memcpy(buf + *len, s, n);
  *len += n;
  return true;
}

/* A JSON string, whole or cut between two characters, always closed: a
 * strict parser must accept every line. Returns 1 when s went in whole, 0
 * when it was cut, -1 when not even "" fit (nothing written). */
static int json_string(char *buf, size_t cap, size_t *len, const char *s) {
  static const char hex[] = "0123456789abcdef";
  if (*len > cap || cap - *len < 2) return -1;
  size_t end = cap - 1; /* the closing quote always has room */
  buf[(*len)++] = '"';
  int whole = 1;
  const unsigned char *p = (const unsigned char *)s;
  while (*p != '\0') {
    unsigned char ch = *p;
    char esc[6];
    const char *out = esc;
    size_t n = 2, used = 1;
    if (ch == '"' || ch == '\\') {
      esc[0] = '\\';
      esc[1] = (char)ch;
    } else if (ch == '\n') {
      out = "\\n";
    } else if (ch == '\r') {
      out = "\\r";
    } else if (ch == '\t') {
      out = "\\t";
    } else if (ch < 0x20 || ch == 0x7f) {
      memcpy(esc, "\\u00", 4);
      esc[4] = hex[ch >> 4];
      esc[5] = hex[ch & 15];
      n = 6;
    } else if ((used = nu_utf8_seq_len(p, strnlen((const char *)p, 4))) != 0) {
      out = (const char *)p;
      n = used;
    } else {
      out = "\xef\xbf\xbd"; /* U+FFFD for each byte that is not UTF-8 */
      n = 3;
      used = 1;
    }
    if (n > end - *len) {
      whole = 0;
      break;
    }
    memcpy(buf + *len, out, n);
    *len += n;
    p += used;
  }
  buf[(*len)++] = '"';
  return whole;
}

void nu_log_json_string(char *buf, size_t cap, size_t *len, const char *s) {
  json_string(buf, cap, len, s);
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
  /* The date and time to the second change once a second: format them
   * then, not on every line. */
  static _Thread_local time_t cached_sec = -1;
  static _Thread_local char cached[32];
  static _Thread_local size_t cached_len;
  if (ts.tv_sec != cached_sec) {
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    cached_len = strftime(cached, sizeof(cached), "%Y-%m-%dT%H:%M:%S", &tm);
    cached_sec = ts.tv_sec;
  }
  char stamp[64];
  memcpy(stamp, cached, cached_len);
  snprintf(stamp + cached_len, sizeof(stamp) - cached_len, ".%06ldZ", ts.tv_nsec / 1000);
  append_str(buf, cap, len, "{\"ts\":\"");
  append_str(buf, cap, len, stamp);
  append_str(buf, cap, len, "\",\"level\":\"");
  append_str(buf, cap, len, level_name(level));
  append_str(buf, cap, len, "\",\"msg\":");
  json_string(buf, cap - NU_LOG_TAIL, len, msg);
}

/* A field goes in whole, or with its value cut, or not at all: never a key
 * without its value. Returns false when it did not go in; the line is full
 * and the caller adds nothing more, so the fields kept are the first ones. */
static bool add_field(char *buf, size_t cap, size_t *len, const char *key, const char *value) {
  size_t room = cap - NU_LOG_TAIL;
  size_t start = *len;
  bool ok = append_whole(buf, room, len, ",", 1) && json_string(buf, room, len, key) == 1 &&
            append_whole(buf, room, len, ":", 1) &&
            (value == NULL ? append_whole(buf, room, len, "null", 4)
                           : json_string(buf, room, len, value) >= 0);
  if (!ok) *len = start;
  return ok;
}

/* ,"key":<number> — whole or not at all. */
static bool add_raw_field(char *buf, size_t cap, size_t *len, const char *text) {
  return append_whole(buf, cap - NU_LOG_TAIL, len, text, strlen(text));
}

/* ---- output ------------------------------------------------------------
 *
 * One write(2) per line costs more than serving a Health/Check, so the
 * per-RPC lines of successful calls are appended to a buffer that a
 * background thread writes every NU_LOG_FLUSH_NS (or whoever finds it full
 * writes it at once). Every other line is written at once, after the
 * buffer, so lines keep their order. A crash can lose the last few
 * milliseconds of successful-RPC lines, never a warning or an error.
 */

#define NU_LOG_BUFFER (1024 * 1024)
#define NU_LOG_FLUSH_NS (10 * 1000 * 1000)

static pthread_mutex_t pending_mu = PTHREAD_MUTEX_INITIALIZER; /* guards the pending buffer */
static pthread_mutex_t write_mu = PTHREAD_MUTEX_INITIALIZER;   /* orders writes to stderr */
static char buffers[2][NU_LOG_BUFFER];
static char *pending = buffers[0];
static char *spare = buffers[1]; /* guarded by write_mu */
static size_t pending_len;
static pthread_once_t flusher_once = PTHREAD_ONCE_INIT;

static void write_all(const char *p, size_t n) {
  size_t off = 0;
  while (off < n) {
    ssize_t w = write(STDERR_FILENO, p + off, n - off);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (size_t)w;
  }
}

/* Writes what is pending; the caller holds write_mu. */
static void drain(void) {
  pthread_mutex_lock(&pending_mu);
  char *full = pending;
  size_t n = pending_len;
  pending = spare;
  pending_len = 0;
  pthread_mutex_unlock(&pending_mu);
  spare = full;
  if (n > 0) write_all(full, n);
}

void nu_log_flush(void) {
  pthread_mutex_lock(&write_mu);
  drain();
  pthread_mutex_unlock(&write_mu);
}

static void *flusher_main(void *unused) {
  (void)unused;
  for (;;) {
    struct timespec ts = {0, NU_LOG_FLUSH_NS};
    nanosleep(&ts, NULL);
    nu_log_flush();
  }
  return NULL;
}

static void start_flusher(void) {
  pthread_t t;
  /* Signals are for main's sigwait: the flusher must not take them. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  if (pthread_create(&t, NULL, flusher_main, NULL) == 0) pthread_detach(t);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  atexit(nu_log_flush);
}

static void emit_buffered(const char *line, size_t n) {
  pthread_once(&flusher_once, start_flusher);
  for (;;) {
    pthread_mutex_lock(&pending_mu);
    if (NU_LOG_BUFFER - pending_len >= n) {
      memcpy(pending + pending_len, line, n);
      pending_len += n;
      pthread_mutex_unlock(&pending_mu);
      return;
    }
    pthread_mutex_unlock(&pending_mu);
    nu_log_flush(); /* full: write it now rather than drop a line */
  }
}

static void emit_now(const char *line, size_t n) {
  pthread_mutex_lock(&write_mu);
  drain();
  write_all(line, n);
  pthread_mutex_unlock(&write_mu);
}

static void finish_line(char *buf, size_t cap, size_t *len, bool buffered) {
  /* Always close the object, even when the fields were truncated. */
  if (*len > cap - 2) *len = cap - 2;
  buf[(*len)++] = '}';
  buf[(*len)++] = '\n';
  FILE *sink = atomic_load(&log_sink);
  if (sink != NULL) {
    fwrite(buf, 1, *len, sink);
    fflush(sink);
  } else if (buffered) {
    emit_buffered(buf, *len);
  } else {
    emit_now(buf, *len);
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
    if (!add_field(buf, sizeof(buf), &len, key, value)) break;
  }
  va_end(ap);
  finish_line(buf, sizeof(buf), &len, false);
}

void nu_log_rpc(const nu_rpc_log *r) {
  /* A refusal is a warning; a fault of the server is an error. */
  nu_log_level level = r->code == NU_OK ? NU_LOG_INFO : NU_LOG_WARN;
  if (r->code == NU_INTERNAL || r->code == NU_UNKNOWN || r->code == NU_DATA_LOSS) {
    level = NU_LOG_ERROR;
  }
  if ((int)level < atomic_load(&log_level)) return;
  char buf[NU_LOG_LINE_MAX];
  size_t len = 0;
  begin_line(buf, sizeof(buf), &len, level, "rpc");
  char num[48];
  bool ok = add_field(buf, sizeof(buf), &len, "method", r->method) &&
            add_field(buf, sizeof(buf), &len, "peer", r->peer) &&
            add_field(buf, sizeof(buf), &len, "request_id", r->request_id);
  if (ok && r->principal != NULL) ok = add_field(buf, sizeof(buf), &len, "principal", r->principal);
  if (ok) {
    snprintf(num, sizeof(num), ",\"code\":%d", r->code);
    ok = add_raw_field(buf, sizeof(buf), &len, num) &&
         add_field(buf, sizeof(buf), &len, "status", r->code_name);
  }
  if (ok && r->reason != NULL) ok = add_field(buf, sizeof(buf), &len, "reason", r->reason);
  if (ok) {
    snprintf(num, sizeof(num), ",\"duration_ms\":%.3f", (double)r->duration_ns / 1e6);
    ok = add_raw_field(buf, sizeof(buf), &len, num);
  }
  if (ok && r->error != NULL) add_field(buf, sizeof(buf), &len, "error", r->error);
  finish_line(buf, sizeof(buf), &len, r->code == NU_OK);
}
