/*
 * rate_limit_store.h — the rate_limit_hits table: counters per bucket and
 * fixed window, shared by every server of one database.
 *
 * A bucket is an opaque digest made by the caller (rpc/core/rate_limiter.h);
 * nothing here knows what it counts. Each hit is one upsert, meant to run
 * in a short transaction of its own so that it stays counted whatever the
 * call does next.
 */
#ifndef NU_STORE_RATE_LIMIT_STORE_H
#define NU_STORE_RATE_LIMIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NU_RATE_BUCKET_BYTES 32

/* Counts one hit of bucket in the window [start_ns, end_ns) (Unix ns);
 * *hits gets the window's count, this hit included. Opening a window
 * also deletes a few rows of windows that ended before now_ns. */
nu_status nu_rate_limit_hit(nu_conn *c, nu_arena *a, const uint8_t bucket[NU_RATE_BUCKET_BYTES],
                            int64_t start_ns, int64_t end_ns, int64_t now_ns, int64_t *hits);

/* The count of bucket in the window starting at start_ns (0 when none),
 * without counting. */
nu_status nu_rate_limit_peek(nu_conn *c, nu_arena *a, const uint8_t bucket[NU_RATE_BUCKET_BYTES],
                             int64_t start_ns, int64_t *hits);

#ifdef __cplusplus
}
#endif

#endif
