/*
 * siret.c — SIRET form and check digits (Luhn; La Poste's digit sum).
 */
#include "server/domain/identity/siret.h"

#include <string.h>

#define SIREN_LEN 9

static const char LA_POSTE_SIREN[] = "356000000";
static const char LA_POSTE_HEAD_OFFICE[] = "35600000000048";

/* Luhn over n ASCII digits: from the right, every second digit is doubled
 * (minus 9 when above 9); the total must end in 0. */
static bool luhn_ok(const char *d, size_t n) {
  unsigned sum = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned v = (unsigned)(d[n - 1 - i] - '0');
    if (i % 2 == 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 == 0;
}

static unsigned digit_sum(const char *d, size_t n) {
  unsigned sum = 0;
  for (size_t i = 0; i < n; i++) sum += (unsigned)(d[i] - '0');
  return sum;
}

static bool fail(const char **why, const char *reason) {
  if (why) *why = reason;
  return false;
}

bool nu_siret_valid(const char *s, const char **why) {
  if (s == NULL) return fail(why, "must be 14 digits");
  size_t n = 0;
  /* Characters before length, so "732 829 320 00074" says what is wrong. */
  for (; s[n] != '\0'; n++)
    if (s[n] < '0' || s[n] > '9') return fail(why, "must contain only digits");
  if (n != NU_SIRET_LEN) return fail(why, "must be 14 digits");

  if (memcmp(s, LA_POSTE_SIREN, SIREN_LEN) == 0 && strcmp(s, LA_POSTE_HEAD_OFFICE) != 0) {
    /* La Poste has more establishments than a Luhn NIC can number; INSEE
     * gave it the digit-sum rule instead. */
    if (digit_sum(s, n) % 5 != 0) return fail(why, "invalid check digit");
  } else {
    if (!luhn_ok(s, n)) return fail(why, "invalid check digit");
    if (!luhn_ok(s, SIREN_LEN)) return fail(why, "invalid siren check digit");
  }
  if (why) *why = NULL;
  return true;
}
