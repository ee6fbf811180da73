/*
 * auth_service.c — the rows of nuage.v1.AuthService.
 *
 * Signing in and recovering an account are public; everything else needs
 * a signed-in caller whatever its rights in an organisation, since it only
 * touches the caller's own credentials (the handlers refuse access keys
 * where a session is needed).
 */
#include "server/rpc/identity/auth_service.h"

#include "server/rpc/identity/auth_common.h"

const nu_method nu_auth_methods[] = {
    NU_RPC_ROW("AuthService", "Login", login_request, login_response, nu_auth_validate_login,
               nu_auth_login, .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("AuthService", "VerifyLoginCode", verify_login_code_request, login_response,
               nu_auth_validate_verify_login_code, nu_auth_verify_login_code,
               .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("AuthService", "Logout", logout_request, logout_response, NULL, nu_auth_logout),
    NU_RPC_ROW("AuthService", "ListSessions", list_sessions_request, list_sessions_response,
               nu_auth_validate_list_sessions, nu_auth_list_sessions),
    NU_RPC_ROW("AuthService", "RevokeSession", revoke_session_request, revoke_session_response,
               nu_auth_validate_revoke_session, nu_auth_revoke_session),
    NU_RPC_ROW("AuthService", "SwitchOrganization", switch_organization_request, session,
               nu_auth_validate_switch_organization, nu_auth_switch_organization),
    NU_RPC_ROW("AuthService", "ChangePassword", change_password_request, change_password_response,
               nu_auth_validate_change_password, nu_auth_change_password),
    NU_RPC_ROW("AuthService", "RequestPasswordReset", request_password_reset_request,
               request_password_reset_response, nu_auth_validate_request_password_reset,
               nu_auth_request_password_reset, .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("AuthService", "ResetPassword", reset_password_request, reset_password_response,
               nu_auth_validate_reset_password, nu_auth_reset_password,
               .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("AuthService", "RequestLoginReminder", request_login_reminder_request,
               request_login_reminder_response, nu_auth_validate_request_login_reminder,
               nu_auth_request_login_reminder, .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("AuthService", "EnrollTotp", enroll_totp_request, totp_enrollment, NULL,
               nu_auth_enroll_totp),
    NU_RPC_ROW("AuthService", "ConfirmTotp", confirm_totp_request, confirm_totp_response,
               nu_auth_validate_confirm_totp, nu_auth_confirm_totp),
    NU_RPC_ROW("AuthService", "DisableTotp", disable_totp_request, disable_totp_response,
               nu_auth_validate_disable_totp, nu_auth_disable_totp),
    NU_RPC_ROW("AuthService", "RequestAccessKeyCode", request_access_key_code_request,
               request_access_key_code_response, NULL, nu_auth_request_access_key_code),
    NU_RPC_ROW("AuthService", "CreateAccessKey", create_access_key_request,
               create_access_key_response, nu_auth_validate_create_access_key,
               nu_auth_create_access_key),
    NU_RPC_ROW("AuthService", "ListAccessKeys", list_access_keys_request, list_access_keys_response,
               nu_auth_validate_list_access_keys, nu_auth_list_access_keys),
    NU_RPC_ROW("AuthService", "RevokeAccessKey", revoke_access_key_request, access_key,
               nu_auth_validate_revoke_access_key, nu_auth_revoke_access_key),
};
const size_t nu_auth_methods_count = sizeof(nu_auth_methods) / sizeof(nu_auth_methods[0]);
