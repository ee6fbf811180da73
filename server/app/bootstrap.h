/*
 * bootstrap.h — `nuage-server create-operator`: the first platform operator.
 *
 *   nuage-server create-operator --login LOGIN --email EMAIL
 *                [--database-url URL] [--public-url URL]
 *
 * Applies the migrations, creates (or, re-run, reuses) an active platform
 * operator without a password, and prints on stdout — never in the log — a
 * link to set the password (AuthService.ResetPassword with its token),
 * valid 24 hours. The database and public URLs default to
 * $NUAGE_DATABASE_URL and $NUAGE_PUBLIC_URL.
 */
#ifndef NU_RPC_BOOTSTRAP_H
#define NU_RPC_BOOTSTRAP_H

#ifdef __cplusplus
extern "C" {
#endif

/* argv[0] is "create-operator". Returns the process exit code: 0 done,
 * 1 failed, 2 usage. */
int nu_bootstrap_create_operator(int argc, char **argv);

#ifdef __cplusplus
}
#endif

#endif
