/*
 * numbers.c — `CC` and `BL` numbers (see numbers.h): one format and one
 * parser, with the prefix as the only difference.
 */
#include "server/domain/orders/numbers.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int format(const char *prefix, int64_t seq, char *buf, size_t cap) {
  if (seq < 1 || seq > NU_DOC_NUMBER_SEQ_MAX || buf == NULL || cap < NU_DOC_NUMBER_LEN + 1) {
    return -1;
  }
  int n = snprintf(buf, cap, "%s%06" PRId64, prefix, seq);
  return n == NU_DOC_NUMBER_LEN ? n : -1;
}

static int parse(const char *prefix, const char *s, int64_t *seq) {
  size_t plen = strlen(prefix);
  if (s == NULL || strlen(s) != NU_DOC_NUMBER_LEN || strncmp(s, prefix, plen) != 0) return -1;
  int64_t v = 0;
  for (const char *p = s + plen; *p != '\0'; p++) {
    if (*p < '0' || *p > '9') return -1; /* not isdigit: no locale, no sign, no space */
    v = v * 10 + (*p - '0');
  }
  if (v < 1) return -1;
  if (seq != NULL) *seq = v;
  return 0;
}

int nu_order_number_format(int64_t seq, char *buf, size_t cap) {
  return format(NU_ORDER_NUMBER_PREFIX, seq, buf, cap);
}

int nu_delivery_note_number_format(int64_t seq, char *buf, size_t cap) {
  return format(NU_DELIVERY_NOTE_NUMBER_PREFIX, seq, buf, cap);
}

int nu_order_number_parse(const char *s, int64_t *seq) {
  return parse(NU_ORDER_NUMBER_PREFIX, s, seq);
}

int nu_delivery_note_number_parse(const char *s, int64_t *seq) {
  return parse(NU_DELIVERY_NOTE_NUMBER_PREFIX, s, seq);
}

bool nu_order_number_valid(const char *s) { return parse(NU_ORDER_NUMBER_PREFIX, s, NULL) == 0; }

bool nu_delivery_note_number_valid(const char *s) {
  return parse(NU_DELIVERY_NOTE_NUMBER_PREFIX, s, NULL) == 0;
}
