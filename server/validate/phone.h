/*
 * phone.h — phone number fields of requests: a validator and the
 * normaliser handlers store with.
 *
 * The syntax is domain/identity/login.h's (nu_phone_normalize): E.164
 * ('+', a country code, 8 to 15 digits in all; +33 numbers with 9 digits
 * after it) or a French national number (10 digits, 0 then 1-9) that
 * becomes +33; single spaces, dots or dashes between digits are dropped.
 * Empty means "no number": whether one is required is the caller's rule.
 */
#ifndef NU_VALIDATE_PHONE_H
#define NU_VALIDATE_PHONE_H

#include "server/common/arena.h"
#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The E.164 form of phone (borrowed) into *out, in the arena; "" (static)
 * for NULL or empty. Returns 0, or -1 when phone is not a number we accept
 * (*why, when why is not NULL, gets the reason) or when out of memory
 * (*why NULL). */
int nu_phone_normalized(nu_arena *a, const char *phone, const char **out, const char **why);

/* Adds a violation on field unless phone is empty or a number we accept;
 * the description is the domain's reason ("must be 10 digits starting
 * with 0 in the French format"). */
void nu_validate_phone(nu_validator *v, const char *field, const char *phone);

/* The phones of an account once a request gives some (already validated
 * with nu_validate_phone): a number given replaces *landline or *mobile
 * (the stored ones on entry) by its E.164 form, an empty one keeps it;
 * then a violation on field when the account has neither. Returns -1
 * only when out of memory. */
int nu_phone_merge(nu_validator *v, const char *field, const char *given_landline,
                   const char *given_mobile, const char **landline, const char **mobile);

#ifdef __cplusplus
}
#endif

#endif
