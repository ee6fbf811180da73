/*
 * authenticator.c — resolving bearer credentials in one short transaction.
 */
#include "server/auth/authenticator.h"

#include <string.h>

#include "server/domain/identity/token.h"
#include "server/store/core/tx.h"
#include "server/store/identity/credential_store.h"

typedef struct lookup {
  const nu_app *app;
  const char *key_id; /* NULL for a session token */
  uint8_t digest[NU_TOKEN_HASH_BYTES];
  nu_principal *out;
} lookup;

static nu_status run_lookup(nu_conn *c, nu_arena *a, void *arg) {
  lookup *l = arg;
  int64_t now = nu_clock_wall_ns(l->app->clock);
  if (l->key_id != NULL) return nu_credential_access_key(c, a, l->key_id, l->digest, now, l->out);
  return nu_credential_session(c, a, l->digest, now, l->out);
}

static nu_status authenticate(void *ctx, const char *token, size_t len, int64_t deadline_ns,
                              nu_arena *a, nu_principal *out) {
  nu_app *app = ctx;
  lookup l = {.app = app, .out = out};
  size_t id_len = 0;
  if (nu_access_key_split(token, len, &id_len)) {
    l.key_id = nu_arena_strndup(a, token, id_len);
    if (l.key_id == NULL)
      return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
    nu_token_hash(token + id_len + 1, len - id_len - 1, l.digest);
  } else if (len > strlen(NU_TOKEN_SESSION) &&
             memcmp(token, NU_TOKEN_SESSION, strlen(NU_TOKEN_SESSION)) == 0) {
    nu_token_hash(token, len, l.digest);
  } else {
    /* Not a shape we issue: no need to ask the database. */
    return nu_credential_refused(a);
  }
  nu_tx_options opts = {.deadline_mono_ns = deadline_ns};
  return nu_tx_run(app->pool, a, &opts, run_lookup, &l);
}

void nu_authenticator_init(nu_auth *auth, nu_app *app) {
  auth->authenticate = authenticate;
  auth->ctx = app;
}
