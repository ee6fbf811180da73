/*
 * email_change.h — changing the signed-in user's e-mail (DOMAIN.md §1):
 * RequestEmailChange and ConfirmEmailChange. Rows of nuage.v1.UserService
 * (user.c).
 */
#ifndef NU_RPC_EMAIL_CHANGE_H
#define NU_RPC_EMAIL_CHANGE_H

#include "server/dispatch/method.h"
#include "server/domain/identity/policy.h" /* NU_EMAIL_CHANGE_LINK_TTL_NS */

#ifdef __cplusplus
extern "C" {
#endif

/* Handlers, with their validators. */
nu_status nu_email_change_request(nu_call *call, const ProtobufCMessage *req,
                                  ProtobufCMessage **resp);
nu_status nu_email_change_validate_request(nu_call *call, const ProtobufCMessage *req);
nu_status nu_email_change_confirm(nu_call *call, const ProtobufCMessage *req,
                                  ProtobufCMessage **resp);
nu_status nu_email_change_validate_confirm(nu_call *call, const ProtobufCMessage *req);

#ifdef __cplusplus
}
#endif

#endif
