/*
 * policy.h — the limits of the eligibility context, in one place.
 *
 * Sizes are bytes. The handlers read the numbers from here; the formats of
 * the list itself (RFC 1035 lengths) stay in domain_list.h.
 */
#ifndef NU_DOMAIN_ELIGIBILITY_POLICY_H
#define NU_DOMAIN_ELIGIBILITY_POLICY_H

#include <stdint.h>

/* An import of the eligible-domain list larger than this (16 MiB) is
 * refused: the Etalab list is ~60 KiB. */
#define NU_ELIGIBILITY_IMPORT_MAX_BYTES (INT64_C(16) << 20)
/* The source an import names ("etalab 2024-05") is kept to this many
 * bytes. */
#define NU_ELIGIBILITY_SOURCE_MAX_LEN 200
/* The note of a request for a missing domain, in bytes ... */
#define NU_DOMAIN_REQUEST_NOTE_MAX_LEN 1000
/* ... and the reason the operator gives for refusing it. */
#define NU_DOMAIN_REQUEST_REASON_MAX_LEN 1000

#endif
