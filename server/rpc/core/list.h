/*
 * list.h — the one list path of every List RPC (AIP-158): page size
 * bounds, the page token's keyset position, one row more than shown to
 * tell whether a next page exists, and the next_page_token of the last
 * row shown.
 *
 * A handler checks what is its own (scope, who may list), describes its
 * listing in a nu_list_spec (how to fetch rows after a position, a row's
 * size, a row's position and its API message) and returns what nu_list_run
 * answers: the reply message of the call's method, whose one repeated
 * message field gets the rows shown and whose next_page_token the token
 * (the shape AIP-132 gives every List response; tests/rpc/
 * api_convention_test holds every List to it).
 *
 * Page tokens are sealed and opened by page_token.h; a token refused there
 * or a position the listing does not accept is INVALID_PAGE_TOKEN, the one
 * refusal of page_token.h.
 */
#ifndef NU_RPC_LIST_H
#define NU_RPC_LIST_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/tx.h"
#include "server/transport/call.h"
#include "server/validate/validate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The page size of a request that names none (0), and the most rows one
 * page shows: a larger page_size is served as this one. */
#define NU_LIST_PAGE_DEFAULT 50
#define NU_LIST_PAGE_MAX 500

/* The page size to use for a requested one: 0 (or negative, which the
 * validator refuses first) → NU_LIST_PAGE_DEFAULT, above NU_LIST_PAGE_MAX
 * → NU_LIST_PAGE_MAX. */
int nu_list_page_size(int32_t requested);

/* The validator step of every list: a violation on `page_size` when
 * negative, then the INVALID_PAGE_TOKEN violation on `page_token` unless
 * req's token is empty or opens for this call (nu_page_token_validate). */
void nu_list_validate(nu_validator *v, nu_call *call, const ProtobufCMessage *req,
                      int32_t page_size);

/* Where a page starts and how many rows to fetch. */
typedef struct nu_list_page {
  /* The position in the page token: sort key and id of the last row shown
   * (arena strings, as the spec's position members or position_of gave
   * them); both NULL on the first page. */
  const char *after_key;
  const char *after_id;
  /* after_key read as a decimal int64, for a spec with int64_key; 0 on the
   * first page. */
  int64_t after_int64;
  /* Rows to fetch: the page size + 1, the one more telling whether there
   * is a next page. */
  int limit;
} nu_list_page;

/* One listing, usually a static const of its handler's file. ctx is the
 * handler's (filters, caller), passed to every function as it is. */
typedef struct nu_list_spec {
  /* The size of one row of what fetch returns. */
  size_t row_size;
  /* The position of a row, the one the next page starts after, as data:
   * the offsets in a row of its sort key (a const char *, or an int64_t
   * with int64_key) and id (a const char *); set with NU_LIST_KEY_TEXT or
   * NU_LIST_KEY_INT64, and NU_LIST_ID. Unused when position_of is set. */
  size_t key_at, id_at;
  /* The sort key is an int64 (a creation time), written in decimal: a
   * token whose key is not one is refused; page->after_int64 has its
   * value. */
  bool int64_key;
  /* Optional, for a position that is not two members of the row: its
   * sort key (arena or borrowed from the row) and id, neither with a NUL;
   * -1 when out of memory. */
  int (*position_of)(nu_arena *a, const void *row, const char **key, const char **id);
  /* Optional, for a position fetch cannot take as page gives it (a key
   * of its own encoding, an id that is a number): reads the position of a
   * token (key and id, never NULL) into ctx before the transaction; -1
   * when it is no position this listing writes, refused as
   * INVALID_PAGE_TOKEN. Not called on the first page. */
  int (*seek)(void *ctx, const char *key, const char *id);
  /* Runs in a read-only transaction (perhaps more than once: retries): at
   * most page->limit rows in listing order after page's position, as an
   * array of row_size-byte rows (arena) in *rows and their number in *n.
   * A status other than OK is the call's answer (NOT_FOUND for a parent
   * the caller may not see, say). */
  nu_status (*fetch)(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                     const void **rows, size_t *n);
  /* The API message of a row (arena, of the reply's item type); NULL when
   * out of memory. */
  ProtobufCMessage *(*to_api)(nu_arena *a, void *ctx, const void *row);
} nu_list_spec;

/* The position members of a spec (designated initializers): the sort key
 * is row_t's member, a const char * or an int64_t; the id its member, a
 * const char *. A member of another type does not compile. */
#define NU_LIST_KEY_TEXT(row_t, member) .key_at = NU_LIST_AT_(row_t, member, const char *)
#define NU_LIST_KEY_INT64(row_t, member) \
  .key_at = NU_LIST_AT_(row_t, member, int64_t), .int64_key = true
#define NU_LIST_ID(row_t, member) .id_at = NU_LIST_AT_(row_t, member, const char *)
#define NU_LIST_AT_(row_t, member, type) \
  (offsetof(row_t, member) + NU_LIST_IS_(row_t, member, type))
/* 0, or a negative array size (a compile error) when row_t's member is
 * not of type `type`. */
#define NU_LIST_IS_(row_t, member, type) \
  (0 * sizeof(char[__builtin_types_compatible_p(__typeof__(((row_t *)0)->member), type) ? 1 : -1]))

/* Lists one page for this call: the page size of page_size, the position
 * of req's page token, spec's fetch in a read-only transaction, then
 * *resp (arena), the reply of the call's method with the rows shown and,
 * when fetch found more, the next_page_token of the last row shown (empty
 * on the last page). req is the decoded request of the call's method. */
nu_status nu_list_run(nu_call *call, const ProtobufCMessage *req, int32_t page_size,
                      const nu_list_spec *spec, void *ctx, ProtobufCMessage **resp);

/* The decimal text of an int64 sort key, as int64_key writes it (arena;
 * NULL when out of memory). */
const char *nu_list_int64_key(nu_arena *a, int64_t v);

/* Reads what nu_list_int64_key wrote: 0 and *v, or -1 (*v untouched) for
 * anything else (empty, signs but '-', spaces, trailing text, out of
 * range). */
int nu_list_int64_parse(const char *text, int64_t *v);

#ifdef __cplusplus
}
#endif

#endif
