/*
 * numbers.h — the printed numbers of orders and delivery notes
 * (DOMAIN.md §5): `CC` + 6 digits for an order (CC000042), `BL` + 6
 * digits for a delivery note ("bon de livraison", BL000007).
 *
 * The digits are a sequence value from 1 to 999999 (the store draws it);
 * 0 is never a number. Parsing is strict: the upper-case prefix, exactly
 * six ASCII digits, nothing around them, so a number read back from a
 * search box or a provider's report is the one printed. Pure.
 */
#ifndef NU_DOMAIN_ORDERS_NUMBERS_H
#define NU_DOMAIN_ORDERS_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NU_ORDER_NUMBER_PREFIX "CC"
#define NU_DELIVERY_NOTE_NUMBER_PREFIX "BL"
/* Characters of a number, without the NUL (buffers need one more). */
#define NU_DOC_NUMBER_LEN 8
#define NU_DOC_NUMBER_SEQ_MAX 999999

/* Writes the number of sequence value seq ("CC000042") into buf (cap
 * bytes, NU_DOC_NUMBER_LEN + 1 are enough). Returns NU_DOC_NUMBER_LEN, or
 * -1 when seq is outside 1..NU_DOC_NUMBER_SEQ_MAX or cap is too small. */
int nu_order_number_format(int64_t seq, char *buf, size_t cap);
int nu_delivery_note_number_format(int64_t seq, char *buf, size_t cap);

/* 0 and *seq (may be NULL) when s is a well-formed number; -1 otherwise
 * (NULL included). */
int nu_order_number_parse(const char *s, int64_t *seq);
int nu_delivery_note_number_parse(const char *s, int64_t *seq);

/* Whether s is a well-formed number. */
bool nu_order_number_valid(const char *s);
bool nu_delivery_note_number_valid(const char *s);

#ifdef __cplusplus
}
#endif

#endif
