/*
 * format.c — French amounts and dates (see format.h).
 */
#include "server/documents/format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define NBSP "\xC2\xA0"

int nu_doc_format_eur(int64_t cents, char *buf, size_t cap) {
  /* INT64_MIN has no positive counterpart: work on the magnitude. */
  uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
  char digits[24];
  int nd = snprintf(digits, sizeof digits, "%" PRIu64, mag / 100);
  char out[NU_DOC_AMOUNT_MAX];
  size_t o = 0;
  if (cents < 0) out[o++] = '-';
  for (int i = 0; i < nd; i++) {
    if (i > 0 && (nd - i) % 3 == 0) {
      memcpy(out + o, NBSP, 2);
      o += 2;
    }
    out[o++] = digits[i];
  }
  o += (size_t)snprintf(out + o, sizeof out - o, ",%02" PRIu64 NBSP "\xE2\x82\xAC", mag % 100);
  if (o + 1 > cap) return -1;
  memcpy(buf, out, o + 1);
  return (int)o;
}

int nu_doc_format_date(nu_date d, char *buf, size_t cap) {
  if (!nu_date_valid(d) || cap < 11) return -1;
  int n = snprintf(buf, cap, "%02d/%02d/%04d", (int)d.day, (int)d.month, (int)d.year);
  return n == 10 ? n : -1;
}
