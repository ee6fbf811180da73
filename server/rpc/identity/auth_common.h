/*
 * auth_common.h — what the AuthService handlers share: the one sign-in
 * refusal, password checks with a dummy hash for unknown accounts, failure
 * counting (lockout.h), TOTP and recovery-code checks with their single-use
 * writes, re-authentication before sensitive changes, and the rows of the
 * service.
 *
 * The handlers are split by concern: auth_login.c (Login, VerifyLoginCode),
 * auth_session.c (Logout, ListSessions, RevokeSession, SwitchOrganization),
 * auth_password.c (ChangePassword, reset, login reminder), auth_totp.c
 * (enrol, confirm, disable), auth_access_key.c (access keys).
 */
#ifndef NU_RPC_AUTH_COMMON_H
#define NU_RPC_AUTH_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nuage/v1/auth.pb-c.h"
#include "server/dispatch/method.h"
#include "server/domain/identity/email_code.h"
#include "server/domain/identity/policy.h" /* NU_AUTH_CHALLENGE_TTL_NS, NU_AUTH_RESET_LINK_TTL_NS */
#include "server/rpc/core/handler.h"
#include "server/rpc/core/password.h"
#include "server/store/identity/login_store.h"
#include "server/store/identity/session_store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The one answer to every failed sign-in step (unknown login, wrong
 * password or code, locked, disabled): UNAUTHENTICATED, reason
 * LOGIN_FAILED, one fixed message. */
nu_status nu_auth_login_failed(nu_arena *a);

/* The one answer to a failed re-authentication (wrong password or code
 * before a sensitive change, or a locked login): PERMISSION_DENIED, reason
 * REAUTHENTICATION_FAILED. */
nu_status nu_auth_reauth_failed(nu_arena *a);

/* The calling principal when it is a user signed in with a session;
 * PERMISSION_DENIED SESSION_REQUIRED otherwise (access keys cannot manage
 * sessions or credentials). */
nu_status nu_auth_require_session(nu_call *call, const nu_principal **p);

/* Argon2id check of password against stored, in the call's deadline. With
 * stored NULL (unknown account, no password yet) a fixed dummy hash is
 * checked instead and *ok is false, so that the answer takes as long
 * whether or not the account exists. *needs_rehash may be NULL. */
nu_status nu_auth_check_password(nu_call *call, const char *stored, const char *password, bool *ok,
                                 bool *needs_rehash);

/* Whether user (read in this transaction, FOR UPDATE) may sign in at now:
 * active and not locked. */
bool nu_auth_may_sign_in(const nu_login_user *u, int64_t now_ns);

/* Counts one failed attempt of user_id in this transaction (locking the
 * login at the fifth) and audits it as action. Nothing is counted while the
 * login is locked. */
nu_status nu_auth_count_failure(nu_call *call, nu_conn *c, const char *user_id, const char *action);

/* Same, in a transaction of its own (after a refused step whose own
 * transaction rolled back). */
nu_status nu_auth_count_failure_tx(nu_call *call, const char *user_id, const char *action);

/* Checks a 6-digit code of u's sealed secret and, when it verifies, spends
 * its time step with the conditional UPDATE of totp.h (enabling TOTP when
 * enable is true). *ok is false for a malformed, wrong or replayed code. */
nu_status nu_auth_check_totp(nu_call *call, nu_conn *c, const nu_login_user *u, const char *code,
                             bool enable, bool *ok);

/* Checks a recovery code of u and spends it; *ok false when it matches no
 * unused code (or another request spent it first). */
nu_status nu_auth_check_recovery(nu_call *call, nu_conn *c, const nu_login_user *u,
                                 const char *code, bool *ok);

/* The key of the recovery-code hashes, derived from the server's secret key
 * (distinct from the key that seals TOTP secrets). */
void nu_auth_recovery_key(const nu_app *app, uint8_t out[32]);

/* Re-authentication before a sensitive change by user_id: the password,
 * and a TOTP code when TOTP is enabled (code NULL: the password only, for
 * a change the session's own second factor covers). Failures count toward the lockout.
 * On OK, *user (if not NULL) is the user's state. */
nu_status nu_auth_reauthenticate(nu_call *call, const char *user_id, const char *password,
                                 const char *code, nu_login_user *user);

/* Which second factor a re-authentication asks for. */
typedef enum nu_auth_second_factor {
  NU_AUTH_TOTP_IF_ENABLED = 0, /* the TOTP code when enabled, else none */
  NU_AUTH_TOTP_OR_EMAIL_CODE,  /* the TOTP code when enabled, else the e-mailed
                                * access-key code (email_code.h) */
} nu_auth_second_factor;

/* nu_auth_reauthenticate with the second factor chosen. */
nu_status nu_auth_reauthenticate_factor(nu_call *call, const char *user_id, const char *password,
                                        const char *code, nu_auth_second_factor factor,
                                        nu_login_user *user);

/* The keyed hash of an e-mailed code of user_id (subkey NU_KEY_CODE_HASH
 * of the server's secret). */
void nu_auth_code_hash(const nu_app *app, const char *user_id, const char *code,
                       uint8_t out[NU_EMAIL_CODE_HASH_BYTES]);

/* Checks code against user_id's e-mailed access-key code, in this
 * transaction: the right code in time is spent (*ok true); a wrong one is
 * counted, the fifth kills the code; an expired one is deleted. */
nu_status nu_auth_check_email_code(nu_call *call, nu_conn *c, const char *user_id, const char *code,
                                   bool *ok);

/* Opens a session of user acting for its default organisation (see
 * nu_session_default_org), clears failed attempts, audits, and fills resp. */
nu_status nu_auth_open_session(nu_call *call, nu_conn *c, const nu_login_user *u,
                               Nuage__V1__LoginResponse *resp);

/* The API form of a session row (arena); NULL when out of memory. */
Nuage__V1__Session *nu_auth_session_to_api(nu_arena *a, const nu_session_row *row,
                                           const char *current_id);

/* Field checks shared by validators. */
void nu_auth_validate_code(nu_validator *v, const char *field, const char *code, bool required);

/* Handlers (one file per concern, see above). */
nu_status nu_auth_login(nu_call *call, const ProtobufCMessage *req, ProtobufCMessage **resp);
nu_status nu_auth_validate_login(nu_call *call, const ProtobufCMessage *req);
nu_status nu_auth_verify_login_code(nu_call *call, const ProtobufCMessage *req,
                                    ProtobufCMessage **resp);
nu_status nu_auth_validate_verify_login_code(nu_call *call, const ProtobufCMessage *req);

nu_status nu_auth_logout(nu_call *call, const ProtobufCMessage *req, ProtobufCMessage **resp);
nu_status nu_auth_list_sessions(nu_call *call, const ProtobufCMessage *req,
                                ProtobufCMessage **resp);
nu_status nu_auth_validate_list_sessions(nu_call *call, const ProtobufCMessage *req);
nu_status nu_auth_revoke_session(nu_call *call, const ProtobufCMessage *req,
                                 ProtobufCMessage **resp);
nu_status nu_auth_validate_revoke_session(nu_call *call, const ProtobufCMessage *req);
nu_status nu_auth_switch_organization(nu_call *call, const ProtobufCMessage *req,
                                      ProtobufCMessage **resp);
nu_status nu_auth_validate_switch_organization(nu_call *call, const ProtobufCMessage *req);

nu_status nu_auth_change_password(nu_call *call, const ProtobufCMessage *req,
                                  ProtobufCMessage **resp);
nu_status nu_auth_validate_change_password(nu_call *call, const ProtobufCMessage *req);
nu_status nu_auth_request_password_reset(nu_call *call, const ProtobufCMessage *req,
                                         ProtobufCMessage **resp);
nu_status nu_auth_validate_request_password_reset(nu_call *call, const ProtobufCMessage *req);
nu_status nu_auth_reset_password(nu_call *call, const ProtobufCMessage *req,
                                 ProtobufCMessage **resp);
nu_status nu_auth_validate_reset_password(nu_call *call, const ProtobufCMessage *req);
nu_status nu_auth_request_login_reminder(nu_call *call, const ProtobufCMessage *req,
                                         ProtobufCMessage **resp);
nu_status nu_auth_validate_request_login_reminder(nu_call *call, const ProtobufCMessage *req);

nu_status nu_auth_enroll_totp(nu_call *call, const ProtobufCMessage *req, ProtobufCMessage **resp);
nu_status nu_auth_confirm_totp(nu_call *call, const ProtobufCMessage *req, ProtobufCMessage **resp);
nu_status nu_auth_validate_confirm_totp(nu_call *call, const ProtobufCMessage *req);
nu_status nu_auth_disable_totp(nu_call *call, const ProtobufCMessage *req, ProtobufCMessage **resp);
nu_status nu_auth_validate_disable_totp(nu_call *call, const ProtobufCMessage *req);

nu_status nu_auth_request_access_key_code(nu_call *call, const ProtobufCMessage *req,
                                          ProtobufCMessage **resp);
nu_status nu_auth_create_access_key(nu_call *call, const ProtobufCMessage *req,
                                    ProtobufCMessage **resp);
nu_status nu_auth_validate_create_access_key(nu_call *call, const ProtobufCMessage *req);
nu_status nu_auth_list_access_keys(nu_call *call, const ProtobufCMessage *req,
                                   ProtobufCMessage **resp);
nu_status nu_auth_validate_list_access_keys(nu_call *call, const ProtobufCMessage *req);
nu_status nu_auth_revoke_access_key(nu_call *call, const ProtobufCMessage *req,
                                    ProtobufCMessage **resp);
nu_status nu_auth_validate_revoke_access_key(nu_call *call, const ProtobufCMessage *req);

#ifdef __cplusplus
}
#endif

#endif
