/*
 * org_code.h — the organisation code (DOMAIN.md §1): "ORG-" and six
 * digits, given by the database at creation (migration 0017) and never
 * changed. Clients may name an organisation by it.
 */
#ifndef NU_DOMAIN_ORGANIZATION_ORG_CODE_H
#define NU_DOMAIN_ORGANIZATION_ORG_CODE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "ORG-" then six digits, nothing else (NULL is not a code). */
#define NU_ORG_CODE_PREFIX "ORG-"
#define NU_ORG_CODE_DIGITS 6

/* Whether s has the syntax of an organisation code. */
bool nu_org_code_valid(const char *s);

#ifdef __cplusplus
}
#endif

#endif
