/*
 * eligibility.h — nuage.v1.EligibilityService: the eligible-domain list
 * (import by stream or server file, operator only), CheckEligibility
 * (public) and ListCredits (invoices, visitor).
 */
#ifndef NU_RPC_ELIGIBILITY_H
#define NU_RPC_ELIGIBILITY_H

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_eligibility_methods[];
extern const size_t nu_eligibility_methods_count;

#ifdef __cplusplus
}
#endif

#endif
