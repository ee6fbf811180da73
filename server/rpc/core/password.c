/*
 * password.c — Argon2id hashes and the password policy for handlers.
 */
#include "server/rpc/core/password.h"

#include <sodium.h>
#include <string.h>

#include "server/app/app.h"
#include "server/domain/identity/password_hash.h"
#include "server/rpc/core/handler.h"
#include "server/validate/password.h"
#include "server/validate/validate.h"

nu_status nu_auth_hash_error(nu_arena *a, int rc) {
  if (rc == NU_PASSWORD_HASH_ERR_BUSY) {
    return nu_error(a, NU_UNAVAILABLE, "PASSWORD_HASHER_BUSY",
                    "too many password checks at once; retry");
  }
  return nu_error(a, NU_INTERNAL, "PASSWORD_HASH_FAILED", "password hashing failed");
}

nu_status nu_auth_hash_password(nu_call *call, const char *password, const char **out) {
  nu_app *app = nu_call_app(call);
  char buf[crypto_pwhash_STRBYTES];
  int rc = nu_password_hash(password, strlen(password), app->hasher, nu_call_deadline(call), buf);
  if (rc != NU_PASSWORD_HASH_OK) return nu_auth_hash_error(nu_call_arena(call), rc);
  *out = nu_arena_strdup(nu_call_arena(call), buf);
  return *out != NULL ? nu_ok() : nu_rpc_oom(nu_call_arena(call));
}

nu_status nu_auth_check_policy(nu_call *call, const char *field, const char *password,
                               const char *login) {
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_password(&v, field, password, login);
  return nu_validator_result(&v);
}
