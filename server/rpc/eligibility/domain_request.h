/*
 * domain_request.h — nuage.v1.EligibilityService's eligible-domain
 * requests: RequestEligibleDomain (public), List/Accept/Refuse (operator).
 */
#ifndef NU_RPC_ELIGIBILITY_DOMAIN_REQUEST_H
#define NU_RPC_ELIGIBILITY_DOMAIN_REQUEST_H

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_domain_request_methods[];
extern const size_t nu_domain_request_methods_count;

#ifdef __cplusplus
}
#endif

#endif
