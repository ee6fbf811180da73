/*
 * provisioning_report.h — ProvisioningService.ReportProvisioning: a
 * provider's batch of per-line reports, one result each.
 */
#ifndef NU_RPC_ORDERS_PROVISIONING_REPORT_H
#define NU_RPC_ORDERS_PROVISIONING_REPORT_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_provisioning_report_methods[];
extern const size_t nu_provisioning_report_methods_count;

#ifdef __cplusplus
}
#endif

#endif
