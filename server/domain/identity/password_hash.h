/*
 * password_hash.h — Argon2id password hashes (libsodium crypto_pwhash_str),
 * with a bound on how many run at once.
 *
 * A stored hash is libsodium's string form ("$argon2id$v=19$m=…,t=…,p=1$
 * salt$hash", NUL-terminated, at most crypto_pwhash_STRBYTES bytes with
 * the NUL): algorithm, parameters and a fresh random salt travel with it,
 * so hashing the same password twice gives two different strings, and a
 * string made with older parameters still verifies.
 *
 * Memory bound. Each Argon2 computation allocates its memlimit (64 MiB at
 * the interactive level). A hasher is a counting semaphore of
 * max_concurrent slots: every hash and every verify holds a slot for the
 * length of its computation, so hashing never uses more than
 * max_concurrent × memlimit at once, whatever the number of concurrent
 * logins. A verify costs the parameters recorded in the stored string:
 * after the parameters are lowered, old strings cost their old memlimit
 * until they are rehashed on login (see nu_password_verify).
 *
 * Deadlines. A caller waiting for a slot waits until deadline_ns at most,
 * an absolute time on CLOCK_MONOTONIC in nanoseconds (the timeline of
 * nu_clock_mono_ns(nu_clock_system()); the wait is a kernel wait, so a fake
 * clock cannot drive it), then gets NU_PASSWORD_HASH_ERR_BUSY, which the
 * RPC layer sends as UNAVAILABLE or DEADLINE_EXCEEDED. A free slot is taken
 * without looking at the deadline; INT64_MAX waits as long as it takes.
 *
 * Passwords are bytes (len given, NUL allowed, no encoding assumed): the
 * policy (password_policy.h) decides what may be set; this module only
 * bounds the length to NU_PASSWORD_HASH_MAX_BYTES. Nothing here logs or
 * keeps a copy of a password. Thread-safe: one hasher is shared by every
 * thread of the server.
 */
#ifndef NU_DOMAIN_IDENTITY_PASSWORD_HASH_H
#define NU_DOMAIN_IDENTITY_PASSWORD_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longer passwords are refused before any work (password_policy.h sets
 * the stricter 1024 for new passwords). */
#define NU_PASSWORD_HASH_MAX_BYTES 4096

typedef enum nu_password_hash_result {
  NU_PASSWORD_HASH_ERR_LIBRARY = -3,  /* sodium_init failed, or out of memory */
  NU_PASSWORD_HASH_ERR_BUSY = -2,     /* deadline passed while waiting for a slot */
  NU_PASSWORD_HASH_ERR_ARGUMENT = -1, /* NULL, too long, parameters out of range */
  NU_PASSWORD_HASH_OK = 0,
  NU_PASSWORD_HASH_MISMATCH = 1, /* verify: wrong password or unusable stored string */
} nu_password_hash_result;

typedef struct nu_password_hash_params {
  /* Argon2id passes and memory in bytes; at least
   * crypto_pwhash_OPSLIMIT_INTERACTIVE and crypto_pwhash_MEMLIMIT_INTERACTIVE,
   * at most crypto_pwhash_OPSLIMIT_MAX and crypto_pwhash_MEMLIMIT_MAX. */
  unsigned long long opslimit;
  size_t memlimit;
  /* Computations at once; 0 means the number of online cores. */
  unsigned max_concurrent;
} nu_password_hash_params;

typedef struct nu_password_hasher nu_password_hasher;

/* The interactive level (opslimit 2, memlimit 64 MiB), one slot per core. */
void nu_password_hash_params_default(nu_password_hash_params *p);

/* A hasher with the parameters *p (copied). On NU_PASSWORD_HASH_OK *out
 * receives it; the caller frees it with nu_password_hasher_free once no
 * thread uses it. NU_PASSWORD_HASH_ERR_ARGUMENT for parameters out of range
 * (below the interactive level included). */
int nu_password_hasher_create(const nu_password_hash_params *p, nu_password_hasher **out);

/* Frees h (NULL is a no-op). No call may be in progress on h. */
void nu_password_hasher_free(nu_password_hasher *h);

/* Hashes the len bytes at pw (borrowed; may be NULL when len is 0) with h's
 * parameters and a random salt into out, a NUL-terminated string to store.
 * Waits for a slot until deadline_ns (see above). */
int nu_password_hash(const char *pw, size_t len, nu_password_hasher *h, int64_t deadline_ns,
                     char out[crypto_pwhash_STRBYTES]);

/* Does the len bytes at pw match stored (borrowed, NUL-terminated, as made
 * by nu_password_hash)? NU_PASSWORD_HASH_OK when it does; *needs_rehash is
 * then true when stored was not made with h's current parameters, and the
 * caller, which holds the password, stores a fresh nu_password_hash of it.
 * NU_PASSWORD_HASH_MISMATCH for a wrong password, a malformed stored string
 * or a password longer than NU_PASSWORD_HASH_MAX_BYTES (which no stored
 * string can match), so a login answers the same in every case;
 * *needs_rehash is then false. Waits for a slot until deadline_ns. */
int nu_password_verify(const char *stored, const char *pw, size_t len, nu_password_hasher *h,
                       int64_t deadline_ns, bool *needs_rehash);

/* Test hook: the most Argon2 computations that have run at once on h
 * since it was created, counted around the computation itself. */
unsigned nu_password_hasher_peak_concurrency(const nu_password_hasher *h);

#ifdef __cplusplus
}
#endif

#endif
