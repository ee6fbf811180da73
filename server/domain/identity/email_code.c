/*
 * email_code.c — e-mailed second-factor codes: making, hashing, deciding.
 */
#include "server/domain/identity/email_code.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void nu_email_code_new(char out[NU_EMAIL_CODE_SIZE]) {
  uint32_t n = randombytes_uniform(1000000);
  snprintf(out, NU_EMAIL_CODE_SIZE, "%06u", (unsigned)n);
}

void nu_email_code_hash(const uint8_t *key, const char *user_id, const char *code,
                        uint8_t out[NU_EMAIL_CODE_HASH_BYTES]) {
  crypto_generichash_state s;
  crypto_generichash_init(&s, key, NU_EMAIL_CODE_KEY_BYTES, NU_EMAIL_CODE_HASH_BYTES);
  /* user id, NUL, code: the NUL keeps the two apart. */
  crypto_generichash_update(&s, (const unsigned char *)user_id, strlen(user_id) + 1);
  crypto_generichash_update(&s, (const unsigned char *)code, strlen(code));
  crypto_generichash_final(&s, out, NU_EMAIL_CODE_HASH_BYTES);
}

int64_t nu_email_code_expiry(int64_t issued_ns) { return issued_ns + NU_EMAIL_CODE_TTL_NS; }

nu_email_code_decision nu_email_code_decide(const nu_email_code_state *state, bool matches,
                                            int64_t now_ns) {
  nu_email_code_decision d = {.outcome = NU_EMAIL_CODE_REJECT, .attempts = 0};
  if (!state->exists) return d;
  if (now_ns >= state->expires_ns) {
    d.outcome = NU_EMAIL_CODE_KILL;
    return d;
  }
  if (matches) {
    d.outcome = NU_EMAIL_CODE_ACCEPT;
    return d;
  }
  d.attempts = (state->attempts < 0 ? 0 : state->attempts) + 1;
  if (d.attempts >= NU_EMAIL_CODE_MAX_ATTEMPTS) d.outcome = NU_EMAIL_CODE_KILL;
  return d;
}
