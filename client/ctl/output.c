/*
 * output.c — rendering of nuagectl's results, human or JSON; see output.h.
 */
#include "client/ctl/output.h"

#include <assert.h>
#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

void nu_out_init(nu_out *o, FILE *f, bool json) {
  memset(o, 0, sizeof *o);
  o->f = f;
  o->json = json;
}

static void indent(const nu_out *o) {
  for (int i = 1; i < o->depth; i++) fputs("  ", o->f);
}

/* Starts a member: the comma and the key in JSON, the indented key in
 * human form. key NULL is an array element. */
static void member(nu_out *o, const char *key) {
  assert(o->depth > 0);
  if (o->json) {
    if (o->has_member[o->depth - 1]) fputc(',', o->f);
    o->has_member[o->depth - 1] = true;
    if (key != NULL) {
      nu_out_json_string(o->f, key, strlen(key));
      fputc(':', o->f);
    }
    return;
  }
  indent(o);
  if (key != NULL) {
    nu_out_text(o->f, key);
    fputs(":", o->f);
  } else {
    fputs("-", o->f);
  }
}

static void open_level(nu_out *o, char bracket) {
  assert(o->depth < NU_OUT_MAX_DEPTH);
  if (o->json)
    fputc(bracket, o->f);
  else if (o->depth > 0)
    fputc('\n', o->f);
  o->has_member[o->depth++] = false;
}

static void close_level(nu_out *o, char bracket) {
  assert(o->depth > 0);
  o->depth--;
  if (o->json) fputc(bracket, o->f);
}

void nu_out_begin(nu_out *o) {
  o->depth = 0;
  open_level(o, '{');
}

void nu_out_end(nu_out *o) {
  close_level(o, '}');
  assert(o->depth == 0);
  if (o->json) fputc('\n', o->f);
  fflush(o->f);
}

void nu_out_str(nu_out *o, const char *key, const char *value) {
  if (!o->json && value == NULL) return;
  member(o, key);
  if (!o->json) {
    fputc(' ', o->f);
    nu_out_text(o->f, value);
    fputc('\n', o->f);
  } else if (value == NULL) {
    fputs("null", o->f);
  } else {
    nu_out_json_string(o->f, value, strlen(value));
  }
}

void nu_out_int(nu_out *o, const char *key, int64_t value) {
  member(o, key);
  fprintf(o->f, o->json ? "%" PRId64 : " %" PRId64 "\n", value);
}

void nu_out_begin_object(nu_out *o, const char *key) {
  member(o, key);
  open_level(o, '{');
}

void nu_out_end_object(nu_out *o) { close_level(o, '}'); }

void nu_out_begin_array(nu_out *o, const char *key) {
  member(o, key);
  open_level(o, '[');
}

void nu_out_end_array(nu_out *o) { close_level(o, ']'); }

void nu_out_error(nu_out *o, FILE *err, const nu_client_status *st) {
  const char *code = nu_client_code_name(st->code);

  if (!o->json) {
    fprintf(err, "error: %s: ", code);
    nu_out_text(err, st->message != NULL ? st->message : "(no message)");
    fputc('\n', err);
    if (st->reason != NULL) {
      fputs("  reason: ", err);
      nu_out_text(err, st->reason);
      fputc('\n', err);
    }
    for (size_t i = 0; i < st->violation_count; i++) {
      fputs("  field ", err);
      nu_out_text(err, st->violations[i].field);
      fputs(": ", err);
      nu_out_text(err, st->violations[i].description);
      fputc('\n', err);
    }
    if (st->request_id != NULL) {
      fputs("  request_id: ", err);
      nu_out_text(err, st->request_id);
      fputc('\n', err);
    }
    fflush(err);
    return;
  }
  nu_out_begin(o);
  nu_out_begin_object(o, "error");
  nu_out_str(o, "code", code);
  nu_out_str(o, "message", st->message);
  nu_out_str(o, "reason", st->reason);
  nu_out_str(o, "domain", st->domain);
  nu_out_begin_object(o, "metadata");
  for (size_t i = 0; i < st->metadata_count; i++)
    nu_out_str(o, st->metadata[i].key, st->metadata[i].value);
  nu_out_end_object(o);
  nu_out_begin_array(o, "field_violations");
  for (size_t i = 0; i < st->violation_count; i++) {
    nu_out_begin_object(o, NULL);
    nu_out_str(o, "field", st->violations[i].field);
    nu_out_str(o, "description", st->violations[i].description);
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
  nu_out_str(o, "request_id", st->request_id);
  nu_out_end_object(o);
  nu_out_end(o);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when it
 * is not one: overlong forms, surrogates and code points above U+10FFFF
 * are refused, as RFC 3629 requires. */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
  uint32_t cp;
  size_t len;

  if (s[0] < 0x80) return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf) {
    len = 2;
    cp = s[0] & 0x1f;
  } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
    len = 3;
    cp = s[0] & 0x0f;
  } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
    len = 4;
    cp = s[0] & 0x07;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

/* JSON's two-character escapes, or NULL. */
static const char *short_escape(unsigned char c) {
  switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return NULL;
  }
}

void nu_out_json_string(FILE *f, const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;

  fputc('"', f);
  while (i < len) {
    const char *esc = short_escape(s[i]);
    size_t seq;

    if (esc != NULL) {
      fputs(esc, f);
      i++;
    } else if (s[i] < 0x20 || s[i] == 0x7f) {
      fprintf(f, "\\u%04x", s[i]);
      i++;
    } else if ((seq = utf8_sequence(s + i, len - i)) == 0) {
      fputs("\\ufffd", f);
      i++;
    } else {
      fwrite(s + i, 1, seq, f);
      i += seq;
    }
  }
  fputc('"', f);
}

void nu_out_text(FILE *f, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
    fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

int nu_out_format_timestamp(int64_t seconds, int32_t nanos, char *buf, size_t size) {
  /* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the Timestamp range. */
  const int64_t min = -62135596800LL, max = 253402300799LL;
  struct tm tm;
  time_t t;
  int n;

  if (seconds < min || seconds > max || nanos < 0 || nanos > 999999999 || size < 32) return -1;
  t = (time_t)seconds;
  if (gmtime_r(&t, &tm) == NULL) return -1;
  n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
               tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (nanos == 0)
    snprintf(buf + n, size - n, "Z");
  else if (nanos % 1000000 == 0)
    snprintf(buf + n, size - n, ".%03dZ", nanos / 1000000);
  else if (nanos % 1000 == 0)
    snprintf(buf + n, size - n, ".%06dZ", nanos / 1000);
  else
    snprintf(buf + n, size - n, ".%09dZ", nanos);
  return 0;
}

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

int nu_out_parse_timestamp(const char *s, int64_t *seconds, int32_t *nanos) {
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  struct tm tm;
  int64_t offset = 0;
  int32_t frac = 0;
  const char *p;

  if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':')
    return -1;
  memset(&tm, 0, sizeof tm);
  int year = digits(s, 4), mon = digits(s + 5, 2), day = digits(s + 8, 2);
  int hour = digits(s + 11, 2), min = digits(s + 14, 2), sec = digits(s + 17, 2);
  if (year < 1 || mon < 1 || mon > 12 || day < 1 || day > mdays[mon - 1] || hour < 0 || hour > 23 ||
      min < 0 || min > 59 || sec < 0 || sec > 60)
    return -1;
  if (mon == 2 && day == 29 && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))) return -1;
  p = s + 19;
  if (*p == '.') {
    int n = 0;
    for (p++; isdigit((unsigned char)*p); p++, n++)
      if (n < 9) frac = frac * 10 + (*p - '0');
    if (n == 0) return -1;
    for (; n < 9; n++) frac *= 10;
  }
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int oh = digits(p + 1, 2), om = p[3] == ':' ? digits(p + 4, 2) : -1;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return -1;
    offset = (*p == '-' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
    p += 6;
  } else {
    return -1;
  }
  if (*p != '\0') return -1;
  tm.tm_year = year - 1900;
  tm.tm_mon = mon - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = min;
  tm.tm_sec = sec == 60 ? 59 : sec; /* a leap second: protobuf has none */
  *seconds = (int64_t)timegm(&tm) - offset;
  *nanos = frac;
  return 0;
}

const char *nu_out_enum_word(const ProtobufCEnumDescriptor *d, const char *prefix, int v, char *buf,
                             size_t size) {
  const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
  if (ev == NULL) {
    snprintf(buf, size, "%d", v);
    return buf;
  }
  const char *s = ev->name;
  if (strncmp(s, prefix, strlen(prefix)) == 0) s += strlen(prefix);
  size_t n = 0;
  for (; *s != '\0' && n + 1 < size; s++) buf[n++] = (char)tolower((unsigned char)*s);
  buf[n] = '\0';
  return buf;
}
