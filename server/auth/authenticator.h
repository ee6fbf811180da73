/*
 * authenticator.h — the nu_auth hook of the server: bearer tokens of
 * sessions ("nus_…") and access keys ("<key id>:<secret>") → principal.
 */
#ifndef NU_RPC_AUTHENTICATOR_H
#define NU_RPC_AUTHENTICATOR_H

#include "server/app/app.h"
#include "server/auth/auth.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fills *auth so that it resolves credentials against app's database;
 * borrows app, which must outlive the server. */
void nu_authenticator_init(nu_auth *auth, nu_app *app);

#ifdef __cplusplus
}
#endif

#endif
