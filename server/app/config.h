/*
 * config.h — the server's settings from flags and environment.
 *
 * Every option has a flag and an environment variable; flags win. The table
 * in config.c is the single source of --help.
 */
#ifndef NU_CONFIG_H
#define NU_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "server/common/log.h"
#include "server/common/net_address.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_config {
  const char *listen;
  const char *database_url;
  const char *port_file;
  int cq_threads;
  int workers;
  int db_pool_size;
  int64_t default_deadline_ms;
  int64_t shutdown_grace_ms;
  int64_t db_wait_ms;
  int64_t max_message_bytes;
  nu_log_level log_level;
  bool diagnostics;
  const char *secret_key_file;
  const char *public_url;
  int64_t voucher_cents;
  int64_t test_level_monthly_cents; /* account level test, per month excl. VAT */
  int hash_concurrency;
  const char *outbox_sink; /* "log", "file", "none" */
  const char *outbox_dir;
  int64_t document_poll_ms;       /* 0: no document worker */
  int64_t rate_limit_per_address; /* 0: unlimited */
  int64_t rate_limit_window_s;
  int64_t failed_logins_per_hour; /* 0: unlimited */
  const char *trusted_proxies;    /* as given */
  nu_cidr_list trusted;           /* trusted_proxies, parsed */
  const char *import_dir;         /* NULL: ImportEligibleDomainsFromFile is refused */
} nu_config;

typedef const char *(*nu_getenv_fn)(const char *name);

/* Returns 0 when the server should run, 1 when --help or --version was
 * printed to out, -1 on a bad option (message in err). Strings in cfg
 * borrow argv or the environment. */
int nu_config_parse(int argc, char **argv, nu_getenv_fn getenv_fn, FILE *out, nu_config *cfg,
                    char *err, size_t errlen);

void nu_config_usage(FILE *out);

#define NU_SERVER_VERSION "0.1.0"

#ifdef __cplusplus
}
#endif

#endif
