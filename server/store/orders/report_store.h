/*
 * report_store.h — SQL of provisioning_reports (owns the table): the event
 * ids of the reports a provider sent, so that a report sent twice changes
 * nothing the second time.
 */
#ifndef NU_STORE_ORDERS_REPORT_STORE_H
#define NU_STORE_ORDERS_REPORT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One report to record: the event id, the line, its outcome ("applied" or
 * "stale") and the provider's time. */
typedef struct nu_report_new {
  const char *event_id;
  const char *line_id;
  const char *outcome;
  int64_t reported_us;
} nu_report_new;

/* Records reports[0..n) (distinct event ids) of seller_id, received at
 * now_ns, in one statement; *recorded how many were new: an event id
 * recorded before, in this transaction or another, is skipped. */
nu_status nu_report_record_many(nu_conn *c, nu_arena *a, const char *seller_id,
                                const nu_report_new *reports, size_t n, int64_t now_ns,
                                size_t *recorded);

/* seen[i]: whether seller_id sent a report with event_ids[i] before. */
nu_status nu_report_seen_many(nu_conn *c, nu_arena *a, const char *seller_id,
                              const char *const *event_ids, size_t n, bool *seen);

#ifdef __cplusplus
}
#endif

#endif
