/*
 * json.h — building small JSON objects of strings in an arena.
 *
 * For outbox payloads and audit values: flat objects whose values are
 * strings (NULL is written as null). Not a general JSON library.
 */
#ifndef NU_COMMON_JSON_H
#define NU_COMMON_JSON_H

#include <stddef.h>

#include "server/common/arena.h"

#ifdef __cplusplus
extern "C" {
#endif

/* {"k0": "v0", "k1": "v1", …} from n key/value pairs kv[2i], kv[2i+1];
 * NULL when out of memory. */
const char *nu_json_object(nu_arena *a, const char *const *kv, size_t n);

/* s as a JSON string literal with its quotes ("null" for NULL); NULL when
 * out of memory. */
const char *nu_json_quote(nu_arena *a, const char *s);

#ifdef __cplusplus
}
#endif

#endif
