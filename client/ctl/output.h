/*
 * output.h — how nuagectl prints results: `key: value` lines for people,
 * one JSON object per result for scripts (--json).
 *
 * Handlers describe a result once, as records of named fields, and the
 * writer renders it either way. JSON strings are escaped here and only
 * here; text shown to people has its control characters neutralised, since
 * servers choose what they put in messages and a terminal obeys escape
 * sequences.
 */
#ifndef NU_CTL_OUTPUT_H
#define NU_CTL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <nuage/client.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NU_OUT_MAX_DEPTH 8

/* A writer onto a stream it borrows. */
typedef struct nu_out {
  FILE *f;
  bool json;
  int depth;                         /* open objects and arrays */
  bool has_member[NU_OUT_MAX_DEPTH]; /* a comma goes before the next one */
} nu_out;

void nu_out_init(nu_out *o, FILE *f, bool json);

/* A record: a JSON object on one line, or a block of `key: value` lines.
 * Records nest with nu_out_begin_object/array (human form: indented). */
void nu_out_begin(nu_out *o);
void nu_out_end(nu_out *o); /* ends the line and flushes: results stream */

/* Fields. A NULL string is JSON null and omitted in human form. */
void nu_out_str(nu_out *o, const char *key, const char *value);
void nu_out_int(nu_out *o, const char *key, int64_t value);
void nu_out_begin_object(nu_out *o, const char *key); /* key NULL inside arrays */
void nu_out_end_object(nu_out *o);
void nu_out_begin_array(nu_out *o, const char *key);
void nu_out_end_array(nu_out *o);

/*
 * Reports a failed call. Human form on err: `error: CODE: message`, then
 * `  reason: ...`, `  field F: D` per violation and `  request_id: ...`.
 * JSON form on the writer's stream: {"error":{"code":..,"message":..,
 * "reason":..,"domain":..,"metadata":{..},"field_violations":[..],
 * "request_id":..}}, absent strings as null.
 */
void nu_out_error(nu_out *o, FILE *err, const nu_client_status *status);

/* Writes s (len bytes) as a quoted JSON string. Invalid UTF-8 becomes
 * U+FFFD, so the output is always valid JSON whatever the server sent. */
void nu_out_json_string(FILE *f, const char *s, size_t len);

/* Writes s for a terminal: control characters become '?'. */
void nu_out_text(FILE *f, const char *s);

/* RFC 3339 in UTC, as protobuf's JSON mapping writes a Timestamp:
 * "2026-11-21T13:51:00Z", with 3, 6 or 9 fraction digits when nanos is not
 * 0. Returns 0, or -1 when the time is out of range (years 1..9999) or
 * nanos is not in 0..999999999. buf holds at least 32 bytes. */
int nu_out_format_timestamp(int64_t seconds, int32_t nanos, char *buf, size_t size);

/* The inverse, for what people and files type: "2026-11-21T13:51:00Z",
 * with an optional fraction (up to 9 digits) and "Z" or an offset
 * ("+01:00"); "t" and "z" are accepted, as RFC 3339 allows. Returns 0 and
 * *seconds, *nanos (UTC), or -1 when s is not such a time. */
int nu_out_parse_timestamp(const char *s, int64_t *seconds, int32_t *nanos);

/* The word of enum value v of d as nuagectl types and prints it: its name
 * without prefix, in lower case (ORGANIZATION_STATE_VALIDATED →
 * "validated"), into buf; the number when d has no such value. Returns buf. */
const char *nu_out_enum_word(const ProtobufCEnumDescriptor *d, const char *prefix, int v, char *buf,
                             size_t size);

#ifdef __cplusplus
}
#endif

#endif
