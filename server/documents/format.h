/*
 * format.h — how documents print amounts and dates for French readers.
 *
 *   amounts  "1 234 567,89 €", "-0,05 €": groups of three digits and the
 *            euro sign after a no-break space (U+00A0), a decimal comma
 *   dates    "31/12/2027"
 *
 * Amounts are int64 cents (domain/money); only EUR exists today.
 */
#ifndef NU_DOCUMENTS_FORMAT_H
#define NU_DOCUMENTS_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "server/domain/subscriptions/paris_calendar.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Enough for any int64 amount with its separators and " €". */
#define NU_DOC_AMOUNT_MAX 48

/* Writes cents as a French amount into buf (cap bytes); returns the length
 * in bytes, or -1 when cap is too small. */
int nu_doc_format_eur(int64_t cents, char *buf, size_t cap);

/* dd/mm/yyyy into buf (cap ≥ 11); the length, or -1 for an invalid date
 * or a short buffer. */
int nu_doc_format_date(nu_date d, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
