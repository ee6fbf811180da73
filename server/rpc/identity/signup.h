/*
 * signup.h — self-service sign-up (DOMAIN.md §1): SignUp,
 * ResendConfirmationEmail, ConfirmEmail (which grants the eligibility
 * voucher) and AcceptTerms. Rows of nuage.v1.UserService (user.c).
 */
#ifndef NU_RPC_SIGNUP_H
#define NU_RPC_SIGNUP_H

#include "server/dispatch/method.h"
#include "server/domain/identity/policy.h" /* NU_SIGNUP_LINK_TTL_NS */

#ifdef __cplusplus
extern "C" {
#endif

/* Handlers, with their validators. */
nu_status nu_signup_sign_up(nu_call *call, const ProtobufCMessage *req, ProtobufCMessage **resp);
nu_status nu_signup_validate_sign_up(nu_call *call, const ProtobufCMessage *req);
nu_status nu_signup_resend(nu_call *call, const ProtobufCMessage *req, ProtobufCMessage **resp);
nu_status nu_signup_validate_resend(nu_call *call, const ProtobufCMessage *req);
nu_status nu_signup_confirm_email(nu_call *call, const ProtobufCMessage *req,
                                  ProtobufCMessage **resp);
nu_status nu_signup_validate_confirm_email(nu_call *call, const ProtobufCMessage *req);
nu_status nu_signup_accept_terms(nu_call *call, const ProtobufCMessage *req,
                                 ProtobufCMessage **resp);
nu_status nu_signup_validate_accept_terms(nu_call *call, const ProtobufCMessage *req);

#ifdef __cplusplus
}
#endif

#endif
