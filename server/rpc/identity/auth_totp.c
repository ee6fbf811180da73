/*
 * auth_totp.c — EnrollTotp, ConfirmTotp, DisableTotp.
 *
 * The secret is shown once at enrolment and stored only sealed with the
 * server's key (secret_box.h); recovery codes are shown once at
 * confirmation and stored only as keyed hashes (recovery.h).
 */
#include <sodium.h>
#include <string.h>

#include "server/domain/totp/recovery.h"
#include "server/domain/totp/secret_box.h"
#include "server/domain/totp/totp.h"
#include "server/rpc/identity/auth_common.h"

#define NU_TOTP_ISSUER "Nuage"

typedef struct totp_arg {
  nu_call *call;
  const nu_principal *p;
  const char *code;
  Nuage__V1__TotpEnrollment *enrollment;
  Nuage__V1__ConfirmTotpResponse *confirmed;
} totp_arg;

static nu_status totp_state_error(nu_arena *a, bool enabled) {
  return enabled ? nu_error(a, NU_FAILED_PRECONDITION, "TOTP_ALREADY_ENABLED",
                            "TOTP is already enabled; disable it first")
                 : nu_error(a, NU_FAILED_PRECONDITION, "TOTP_NOT_ENROLLED",
                            "no TOTP enrolment to confirm; call EnrollTotp first");
}

static nu_status run_enroll(nu_conn *c, nu_arena *a, void *arg) {
  totp_arg *t = arg;
  nu_app *app = nu_call_app(t->call);
  nu_login_user u;
  bool found = false;
  nu_status st = nu_login_get(c, a, t->p->id, true, &u, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "user");
  if (u.totp_enabled) return totp_state_error(a, true);

  uint8_t secret[NU_TOTP_SECRET_BYTES];
  uint8_t box[NU_TOTP_SECRET_BYTES + NU_SECRET_BOX_OVERHEAD];
  size_t box_len = 0;
  char b32[NU_TOTP_SECRET_B32_SIZE];
  char uri[512];
  bool made = nu_totp_secret_generate(secret) == NU_TOTP_OK &&
              nu_totp_base32_encode(secret, sizeof(secret), b32, sizeof(b32)) == NU_TOTP_OK &&
              nu_totp_uri(NU_TOTP_ISSUER, u.login, b32, uri, sizeof(uri)) == NU_TOTP_OK &&
              nu_secret_box_seal(app->secret_key, secret, sizeof(secret), box, sizeof(box),
                                 &box_len) == NU_SECRET_BOX_OK;
  sodium_memzero(secret, sizeof(secret));
  if (made) {
    t->enrollment->secret = nu_arena_strdup(a, b32);
    t->enrollment->uri = nu_arena_strdup(a, uri);
  }
  sodium_memzero(b32, sizeof(b32));
  sodium_memzero(uri, sizeof(uri));
  if (!made) return nu_error(a, NU_INTERNAL, "TOTP_FAILED", "TOTP enrolment failed");
  if (t->enrollment->secret == NULL || t->enrollment->uri == NULL) return nu_rpc_oom(a);
  st = nu_login_totp_enroll(c, a, u.id, box, box_len, nu_rpc_now(t->call));
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {{"totp_secret", NULL, "(set)"}};
  return nu_rpc_audit(t->call, c, t->p->organization_id, "user.totp_enroll", "user", u.id, ch, 1);
}

nu_status nu_auth_enroll_totp(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **out) {
  (void)msg;
  nu_arena *a = nu_call_arena(call);
  totp_arg t = {.call = call};
  nu_status st = nu_auth_require_session(call, &t.p);
  if (!nu_status_is_ok(&st)) return st;
  t.enrollment = NU_RPC_NEW(a, Nuage__V1__TotpEnrollment, nuage__v1__totp_enrollment__init);
  if (t.enrollment == NULL) return nu_rpc_oom(a);
  st = nu_rpc_tx(call, false, run_enroll, &t);
  if (!nu_status_is_ok(&st)) return st;
  *out = &t.enrollment->base;
  return nu_ok();
}

nu_status nu_auth_validate_confirm_totp(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ConfirmTotpRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_auth_validate_code(&v, "code", req->code, true);
  return nu_validator_result(&v);
}

static nu_status run_confirm(nu_conn *c, nu_arena *a, void *arg) {
  totp_arg *t = arg;
  nu_login_user u;
  bool found = false, ok = false;
  nu_status st = nu_login_get(c, a, t->p->id, true, &u, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "user");
  if (u.totp_enabled || u.totp_box == NULL) return totp_state_error(a, u.totp_enabled);
  st = nu_auth_check_totp(t->call, c, &u, t->code, true, &ok);
  if (!nu_status_is_ok(&st)) return st;
  if (!ok) {
    st = nu_error(a, NU_INVALID_ARGUMENT, "TOTP_CODE_INVALID", "the code does not match");
    nu_status_add_violation(a, &st, "code", "is not a current code of the enrolled secret");
    return st;
  }

  char codes[NU_RECOVERY_COUNT][NU_RECOVERY_CODE_SIZE];
  uint8_t hashes[NU_RECOVERY_COUNT][NU_RECOVERY_HASH_BYTES];
  uint8_t key[32];
  nu_auth_recovery_key(nu_call_app(t->call), key);
  bool made = nu_recovery_generate(codes) == NU_RECOVERY_OK;
  for (int i = 0; made && i < NU_RECOVERY_COUNT; i++) {
    made = nu_recovery_hash(key, codes[i], hashes[i]) == NU_RECOVERY_OK;
  }
  sodium_memzero(key, sizeof(key));
  t->confirmed->recovery_codes = (char **)nu_rpc_array(a, NU_RECOVERY_COUNT);
  for (int i = 0; made && t->confirmed->recovery_codes != NULL && i < NU_RECOVERY_COUNT; i++) {
    t->confirmed->recovery_codes[i] = nu_arena_strdup(a, codes[i]);
  }
  t->confirmed->n_recovery_codes = made ? NU_RECOVERY_COUNT : 0;
  sodium_memzero(codes, sizeof(codes));
  if (!made) return nu_error(a, NU_INTERNAL, "RECOVERY_FAILED", "recovery codes failed");
  st = nu_login_recovery_replace(c, a, u.id, (const uint8_t(*)[32])hashes, NU_RECOVERY_COUNT);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {{"totp_enabled", "false", "true"}};
  return nu_rpc_audit(t->call, c, t->p->organization_id, "user.totp_enable", "user", u.id, ch, 1);
}

nu_status nu_auth_confirm_totp(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **out) {
  const Nuage__V1__ConfirmTotpRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  totp_arg t = {.call = call, .code = req->code};
  nu_status st = nu_auth_require_session(call, &t.p);
  if (!nu_status_is_ok(&st)) return st;
  t.confirmed =
      NU_RPC_NEW(a, Nuage__V1__ConfirmTotpResponse, nuage__v1__confirm_totp_response__init);
  if (t.confirmed == NULL) return nu_rpc_oom(a);
  st = nu_rpc_tx(call, false, run_confirm, &t);
  if (!nu_status_is_ok(&st)) return st;
  *out = &t.confirmed->base;
  return nu_ok();
}

nu_status nu_auth_validate_disable_totp(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__DisableTotpRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_required(&v, "password", req->password);
  nu_auth_validate_code(&v, "code", req->code, true);
  return nu_validator_result(&v);
}

static nu_status run_disable(nu_conn *c, nu_arena *a, void *arg) {
  totp_arg *t = arg;
  nu_status st = nu_login_totp_disable(c, a, t->p->id, nu_rpc_now(t->call));
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {{"totp_enabled", "true", "false"}};
  return nu_rpc_audit(t->call, c, t->p->organization_id, "user.totp_disable", "user", t->p->id, ch,
                      1);
}

nu_status nu_auth_disable_totp(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **out) {
  const Nuage__V1__DisableTotpRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  totp_arg t = {.call = call};
  nu_login_user u;
  nu_status st = nu_auth_require_session(call, &t.p);
  if (nu_status_is_ok(&st))
    st = nu_auth_reauthenticate(call, t.p->id, req->password, req->code, &u);
  if (!nu_status_is_ok(&st)) return st;
  if (!u.totp_enabled) {
    return nu_error(a, NU_FAILED_PRECONDITION, "TOTP_NOT_ENABLED", "TOTP is not enabled");
  }
  st = nu_rpc_tx(call, false, run_disable, &t);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__DisableTotpResponse *resp =
      NU_RPC_NEW(a, Nuage__V1__DisableTotpResponse, nuage__v1__disable_totp_response__init);
  if (resp == NULL) return nu_rpc_oom(a);
  *out = &resp->base;
  return nu_ok();
}
