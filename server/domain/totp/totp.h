/*
 * totp.h — RFC 6238 time-based one-time passwords, the second factor of a
 * login (DOMAIN.md §1), over liboath.
 *
 * Enrolment: nu_totp_secret_generate → nu_totp_base32_encode → nu_totp_uri;
 * the base32 secret and the URI are shown to the user once, the raw secret is
 * stored encrypted (secret_box.h). Login: nu_totp_verify.
 *
 * Pure functions of the values passed in: time is a Unix second the caller
 * reads from its nu_clock (nu_totp_now_s), never the system clock. Nothing
 * here logs, and no message or return value carries a secret or a code.
 * Every function is thread-safe; liboath and libsodium are initialised once
 * (pthread_once) on first use, and never torn down.
 */
#ifndef NU_DOMAIN_TOTP_TOTP_H
#define NU_DOMAIN_TOTP_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/clock.h"
#include "server/domain/identity/policy.h" /* NU_TOTP_WINDOW_STEPS */

#ifdef __cplusplus
extern "C" {
#endif

#define NU_TOTP_SECRET_BYTES 20 /* 160 bits, RFC 4226 §4 recommendation */
#define NU_TOTP_PERIOD_S 30
#define NU_TOTP_DIGITS 6
/* Base32 of a 20-byte secret, no padding: 32 characters + NUL. */
#define NU_TOTP_SECRET_B32_SIZE 33

/* Results. Negative: the call itself failed (bad arguments, buffer too
 * small, library failure). Positive: verification refused the code. The RPC
 * layer answers every refusal the same way; the distinction is for audit. */
typedef enum nu_totp_result {
  NU_TOTP_ERR_LIBRARY = -3,  /* liboath or libsodium failed */
  NU_TOTP_ERR_SPACE = -2,    /* output buffer too small */
  NU_TOTP_ERR_ARGUMENT = -1, /* NULL, empty, out of range, ':' in a label */
  NU_TOTP_OK = 0,
  NU_TOTP_REFUSED_MALFORMED = 1, /* not exactly 6 ASCII digits */
  NU_TOTP_REFUSED_MISMATCH = 2,  /* matches no step in the window */
  NU_TOTP_REFUSED_REPLAY = 3,    /* matches only steps already used */
} nu_totp_result;

typedef enum nu_totp_algo {
  NU_TOTP_SHA1 = 0, /* what authenticator apps use; the only one we enrol */
  NU_TOTP_SHA256 = 1,
  NU_TOTP_SHA512 = 2,
} nu_totp_algo;

/* Initialises liboath and libsodium once. Every other function calls it;
 * exposed so a server can fail at start rather than at the first login.
 * Returns NU_TOTP_OK or NU_TOTP_ERR_LIBRARY. */
int nu_totp_init(void);

/* The Unix second of the clock's wall time (floored). */
int64_t nu_totp_now_s(const nu_clock *clock);

/* The time step of a Unix second: floor(unix_s / 30); -1 for unix_s < 0. */
int64_t nu_totp_step(int64_t unix_s);

/* Fills out with NU_TOTP_SECRET_BYTES bytes from libsodium's CSPRNG. */
int nu_totp_secret_generate(uint8_t out[NU_TOTP_SECRET_BYTES]);

/* RFC 4648 base32 of secret, upper case, without '=' padding, NUL-terminated
 * in out. out_size must hold ceil(len * 8 / 5) + 1 bytes. */
int nu_totp_base32_encode(const uint8_t *secret, size_t len, char *out, size_t out_size);

/* Decodes base32 (either case, padding optional) into out; *out_len gets the
 * byte count. NU_TOTP_ERR_ARGUMENT for text that is not base32. */
int nu_totp_base32_decode(const char *b32, uint8_t *out, size_t out_size, size_t *out_len);

/* The Key URI authenticator apps scan:
 *   otpauth://totp/ISSUER:ACCOUNT?secret=B32&issuer=ISSUER&algorithm=SHA1
 *   &digits=6&period=30
 * issuer and account are UTF-8, percent-encoded (everything but RFC 3986
 * unreserved characters, space as %20); neither may be empty or contain ':'
 * (the label separator: Google's Key URI format forbids it in both).
 * secret_b32 must be base32 without padding. Writes a NUL-terminated string
 * into out, NU_TOTP_ERR_SPACE when out_size is too small. Borrows every
 * argument. */
int nu_totp_uri(const char *issuer, const char *account, const char *secret_b32, char *out,
                size_t out_size);

/* The code of secret at unix_s: digits (6, 7 or 8) decimal digits and a NUL
 * in out (out_size > digits), with the given HMAC, 30 s steps from 0. For
 * tests and tools; logins go through nu_totp_verify. */
int nu_totp_code(const uint8_t *secret, size_t len, int64_t unix_s, unsigned digits,
                 nu_totp_algo algo, char *out, size_t out_size);

/* Checks a 6-digit SHA1 code typed by the user at now_unix_s.
 *
 * The code is accepted when it is the code of a step s with
 * |s − step(now)| ≤ 1 AND s > last_accepted_step; *matched_step then gets s
 * (the latest such step). last_accepted_step is the step stored by the last
 * successful verification, or -1 for none. A code that matches only steps
 * ≤ last_accepted_step is NU_TOTP_REFUSED_REPLAY: liboath itself does not
 * refuse replays, this comparison does.
 *
 * A code that is not exactly six ASCII digits followed by NUL is
 * NU_TOTP_REFUSED_MALFORMED, decided before the secret is looked at and
 * without calling liboath. Candidate codes are compared in constant time.
 *
 * CONTRACT FOR THE CALLER: verification is only half of replay refusal. Two
 * logins may verify the same code concurrently against the same
 * last_accepted_step. On NU_TOTP_OK the caller must store matched_step with
 * a conditional write and accept the login only if it changed one row:
 *   UPDATE user_totp SET last_step = $1 WHERE id = $2 AND last_step < $1
 * Zero rows updated means another request used this step (or a later one)
 * first: treat it as NU_TOTP_REFUSED_REPLAY. Activation of a new enrolment
 * stores its first matched_step the same way.
 *
 * Returns NU_TOTP_OK, a refusal (> 0) or an error (< 0). *matched_step is
 * written only on NU_TOTP_OK. Borrows secret and code. */
int nu_totp_verify(const uint8_t *secret, size_t secret_len, const char *code, int64_t now_unix_s,
                   int64_t last_accepted_step, int64_t *matched_step);

#ifdef __cplusplus
}
#endif

#endif
