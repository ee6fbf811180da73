/*
 * report_store.h — SQL of provisioning_reports (owns the table): the event
 * ids of the reports a provider sent, so that a report sent twice changes
 * nothing the second time.
 */
#ifndef NU_STORE_ORDERS_REPORT_STORE_H
#define NU_STORE_ORDERS_REPORT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Records the report event_id of seller_id about line_id with its outcome
 * ("applied" or "stale") and the provider's time reported_us, received at
 * now_ns; *first false (and nothing written) when that event id was
 * recorded before, in this transaction or another. */
nu_status nu_report_record(nu_conn *c, nu_arena *a, const char *seller_id, const char *event_id,
                           const char *line_id, const char *outcome, int64_t reported_us,
                           int64_t now_ns, bool *first);

/* Whether seller_id sent a report with event_id before (*seen). */
nu_status nu_report_seen(nu_conn *c, nu_arena *a, const char *seller_id, const char *event_id,
                         bool *seen);

#ifdef __cplusplus
}
#endif

#endif
