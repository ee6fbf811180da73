/*
 * utf8.h — recognising well-formed UTF-8 (RFC 3629).
 */
#ifndef NU_COMMON_UTF8_H
#define NU_COMMON_UTF8_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Length (1 to 4) of the well-formed UTF-8 sequence at s, reading at most
 * n ≥ 1 bytes, or 0 when s does not start one: overlong forms, surrogates,
 * code points above U+10FFFF and sequences cut short are refused. A NUL
 * byte is a one-byte sequence; stopping at it is the caller's business. */
size_t nu_utf8_seq_len(const unsigned char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
