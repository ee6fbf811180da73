/*
 * siret.h — is a SIRET well formed?
 *
 * The SIRET identifies a French establishment: the 9-digit SIREN of the
 * legal unit, then a 5-digit NIC. Organisations of French public bodies and
 * providers register with one. This checks its form and check digits only;
 * whether it exists is the SIRENE register's business, not ours.
 */
#ifndef NU_DOMAIN_IDENTITY_SIRET_H
#define NU_DOMAIN_IDENTITY_SIRET_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NU_SIRET_LEN 14

/* True when s is exactly 14 ASCII digits (no spaces or separators) whose
 * check digits are right:
 *   - in general, the 14 digits form a Luhn number, and so do the 9 of
 *     the SIREN;
 *   - La Poste establishments (SIREN 356000000) instead have a digit sum
 *     that is a multiple of 5, except the head office 35600000000048,
 *     which is a Luhn number.
 * s may be NULL (invalid). When false and why is not NULL, *why points to a
 * static lower-case reason ("must be 14 digits", ...) fit for a field
 * violation; when true, *why is set to NULL. */
bool nu_siret_valid(const char *s, const char **why);

#ifdef __cplusplus
}
#endif

#endif
