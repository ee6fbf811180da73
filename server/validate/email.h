/*
 * email.h — e-mail address fields of requests.
 *
 * The syntax is domain/identity/login.h's (nu_email_normalize): the one
 * rule for every address the API takes — sign-up, invitations, reminders,
 * eligibility, billing and storefront contacts. Domains in Unicode are
 * accepted and stored in their A-label form.
 */
#ifndef NU_VALIDATE_EMAIL_H
#define NU_VALIDATE_EMAIL_H

#include <stdbool.h>

#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Adds a violation on field when email (borrowed) is empty and required
 * ("is required"), or not empty and not an address we accept (the
 * domain's reason, e.g. "must contain exactly one @"). An empty optional
 * address passes. */
void nu_validate_email(nu_validator *v, const char *field, const char *email, bool required);

/* The normalised form of email (borrowed): domain in A-labels and lower
 * case (nu_email_normalize), in the arena. NULL when email is not an
 * address we accept or the arena is full; after nu_validate_email passed,
 * only the latter. Lookups by e-mail use it so that "agent@impôts.gouv.fr"
 * finds the account stored as "agent@xn--impts-8ta.gouv.fr". */
const char *nu_email_normalized(nu_arena *a, const char *email);

#ifdef __cplusplus
}
#endif

#endif
