/*
 * phone.c — phone fields: E.164 in the arena, or a field violation.
 */
#include "server/validate/phone.h"

#include "server/domain/identity/login.h"

int nu_phone_normalized(nu_arena *a, const char *phone, const char **out, const char **why) {
  if (why != NULL) *why = NULL;
  if (phone == NULL || phone[0] == '\0') {
    *out = "";
    return 0;
  }
  char *buf = nu_arena_alloc(a, NU_PHONE_BUF_SIZE);
  if (buf == NULL) return -1;
  if (nu_phone_normalize(phone, buf, NU_PHONE_BUF_SIZE, why) != 0) return -1;
  *out = buf;
  return 0;
}

void nu_validate_phone(nu_validator *v, const char *field, const char *phone) {
  const char *why = NULL;
  if (phone != NULL && phone[0] != '\0' && nu_phone_normalize(phone, NULL, 0, &why) != 0) {
    nu_validate_fail(v, field, "%s", why != NULL ? why : "is not a phone number");
  }
}

int nu_phone_merge(nu_validator *v, const char *field, const char *given_landline,
                   const char *given_mobile, const char **landline, const char **mobile) {
  const char *l = NULL, *m = NULL;
  if (nu_phone_normalized(v->arena, given_landline, &l, NULL) != 0 ||
      nu_phone_normalized(v->arena, given_mobile, &m, NULL) != 0) {
    return -1; /* the validator accepted them: only memory can fail */
  }
  if (l[0] != '\0') *landline = l;
  if (m[0] != '\0') *mobile = m;
  bool none =
      (*landline == NULL || (*landline)[0] == '\0') && (*mobile == NULL || (*mobile)[0] == '\0');
  if (none)
    nu_validate_fail(v, field, "at least one phone number (landline or mobile) is required");
  return 0;
}
