/*
 * config.c — option table, parsing, and --help.
 */
#include "server/app/config.h"

#include "server/domain/identity/policy.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum opt_kind { OPT_STRING, OPT_INT, OPT_INT64, OPT_BOOL, OPT_LEVEL } opt_kind;

typedef struct opt {
  const char *flag; /* without the leading dashes */
  const char *env;
  opt_kind kind;
  size_t offset;
  int64_t min, max;
  const char *placeholder;
  const char *help;
} opt;

#define OFF(field) offsetof(nu_config, field)

static const opt options[] = {
    {"listen", "NUAGE_LISTEN", OPT_STRING, OFF(listen), 0, 0, "HOST:PORT",
     "address to serve on; port 0 picks a free port (default 127.0.0.1:50051)"},
    {"database-url", "NUAGE_DATABASE_URL", OPT_STRING, OFF(database_url), 0, 0, "URL",
     "PostgreSQL connection string or URI (required)"},
    {"port-file", "NUAGE_PORT_FILE", OPT_STRING, OFF(port_file), 0, 0, "PATH",
     "write the bound port there once serving"},
    {"cq-threads", "NUAGE_CQ_THREADS", OPT_INT, OFF(cq_threads), 1, 256, "N",
     "completion-queue threads (default: number of cores)"},
    {"workers", "NUAGE_WORKERS", OPT_INT, OFF(workers), 1, 1024, "N",
     "threads running handlers that touch the database (default 16)"},
    {"db-pool-size", "NUAGE_DB_POOL_SIZE", OPT_INT, OFF(db_pool_size), 1, 1000, "N",
     "PostgreSQL connections at most (default 10)"},
    {"default-deadline-ms", "NUAGE_DEFAULT_DEADLINE_MS", OPT_INT64, OFF(default_deadline_ms), 1,
     INT64_C(86400000), "MS", "deadline of unary calls whose client sets none (default 10000)"},
    {"shutdown-grace-ms", "NUAGE_SHUTDOWN_GRACE_MS", OPT_INT64, OFF(shutdown_grace_ms), 0,
     INT64_C(3600000), "MS",
     "on SIGTERM/SIGINT, how long calls in flight may finish (default 30000)"},
    {"db-wait-ms", "NUAGE_DB_WAIT_MS", OPT_INT64, OFF(db_wait_ms), 0, INT64_C(3600000), "MS",
     "at start, how long to wait for the database to accept connections (default 30000)"},
    {"max-message-bytes", "NUAGE_MAX_MESSAGE_BYTES", OPT_INT64, OFF(max_message_bytes), 1024,
     INT64_C(1073741824), "BYTES", "larger requests get RESOURCE_EXHAUSTED (default 4194304)"},
    {"log-level", "NUAGE_LOG_LEVEL", OPT_LEVEL, OFF(log_level), 0, 0, "LEVEL",
     "debug, info (one line per RPC), warn or error (default info)"},
    {"enable-diagnostics", "NUAGE_ENABLE_DIAGNOSTICS", OPT_BOOL, OFF(diagnostics), 0, 0, NULL,
     "serve nuage.v1.DiagnosticsService (for tests and operators)"},
    {"secret-key-file", "NUAGE_SECRET_KEY_FILE", OPT_STRING, OFF(secret_key_file), 0, 0, "PATH",
     "32-byte key (hex or base64) sealing TOTP secrets at rest; without it a random key is"
     " used and enrolled TOTP secrets cannot be read after a restart"},
    {"public-url", "NUAGE_PUBLIC_URL", OPT_STRING, OFF(public_url), 0, 0, "URL",
     "base of the links sent by e-mail (default http://localhost:8080)"},
    {"voucher-cents", "NUAGE_VOUCHER_CENTS", OPT_INT64, OFF(voucher_cents), 0, INT64_C(100000000),
     "CENTS", "credit of an eligible new account, in euro cents (default 15000)"},
    {"test-level-monthly-cents", "NUAGE_TEST_LEVEL_MONTHLY_CENTS", OPT_INT64,
     OFF(test_level_monthly_cents), 0, INT64_C(100000000000), "CENTS",
     "what an organisation at account level test may commit per calendar month, excl. VAT,"
     " in euro cents (default 50000)"},
    {"hash-concurrency", "NUAGE_HASH_CONCURRENCY", OPT_INT, OFF(hash_concurrency), 1, 1024, "N",
     "password hashes computed at once, each 64 MiB (default: number of cores)"},
    {"outbox-sink", "NUAGE_OUTBOX_SINK", OPT_STRING, OFF(outbox_sink), 0, 0, "SINK",
     "where e-mails go: log (metadata only), file (one JSON file each in --outbox-dir)"
     " or none (left queued) (default log)"},
    {"outbox-dir", "NUAGE_OUTBOX_DIR", OPT_STRING, OFF(outbox_dir), 0, 0, "DIR",
     "directory of the file outbox sink"},
    {"document-poll-ms", "NUAGE_DOCUMENT_POLL_MS", OPT_INT64, OFF(document_poll_ms), 0,
     INT64_C(3600000), "MS",
     "how often the document worker looks for documents to render; 0: no worker (documents are"
     " rendered when first read) (default 200)"},
    {"rate-limit-per-address", "NUAGE_RATE_LIMIT_PER_ADDRESS", OPT_INT64,
     OFF(rate_limit_per_address), 0, INT64_C(1000000000), "N",
     "calls of each public write method (sign-up, login, password reset, …) per client address"
     " and window; 0: unlimited (default 60)"},
    {"rate-limit-window-s", "NUAGE_RATE_LIMIT_WINDOW_S", OPT_INT64, OFF(rate_limit_window_s), 1,
     INT64_C(86400), "S", "the window of --rate-limit-per-address, in seconds (default 60)"},
    {"failed-logins-per-hour", "NUAGE_FAILED_LOGINS_PER_HOUR", OPT_INT64,
     OFF(failed_logins_per_hour), 0, INT64_C(1000000), "N",
     "failed logins per account and hour, whatever the address, before every login of the"
     " account is refused until the hour ends; 0: unlimited (default 100)"},
    {"trusted-proxies", "NUAGE_TRUSTED_PROXIES", OPT_STRING, OFF(trusted_proxies), 0, 0, "LIST",
     "comma-separated IPv4/IPv6 addresses or CIDR blocks of reverse proxies whose"
     " x-forwarded-for names the client (default none)"},
    {"import-dir", "NUAGE_IMPORT_DIR", OPT_STRING, OFF(import_dir), 0, 0, "DIR",
     "directory where ImportEligibleDomainsFromFile reads, by paths relative to it"
     " (default none: that RPC is refused)"},
};

#define NOPTS (sizeof(options) / sizeof(options[0]))

void nu_config_usage(FILE *out) {
  fprintf(out,
          "usage: nuage-server [OPTION]...\n"
          "Serves the Nuage gRPC API. Every option can also be set by its environment\n"
          "variable; a flag wins over the environment.\n\n");
  for (size_t i = 0; i < NOPTS; i++) {
    const opt *o = &options[i];
    char left[64];
    if (o->placeholder != NULL) {
      snprintf(left, sizeof(left), "--%s=%s", o->flag, o->placeholder);
    } else {
      snprintf(left, sizeof(left), "--%s", o->flag);
    }
    fprintf(out, "  %-28s %s\n  %-28s [env %s]\n", left, o->help, "", o->env);
  }
  fprintf(out,
          "  %-28s print this help\n  %-28s print the version\n\n"
          "Signals: SIGTERM or SIGINT turn health to NOT_SERVING, let calls in flight\n"
          "finish (up to --shutdown-grace-ms), then exit 0.\n",
          "--help", "--version");
}

static int parse_bool(const char *v, bool *out) {
  if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
      strcmp(v, "on") == 0) {
    *out = true;
    return 0;
  }
  if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
      strcmp(v, "off") == 0 || v[0] == '\0') {
    *out = false;
    return 0;
  }
  return -1;
}

static int set_value(const opt *o, const char *v, const char *source, nu_config *cfg, char *err,
                     size_t errlen) {
  char *field = (char *)cfg + o->offset;
  switch (o->kind) {
    case OPT_STRING: *(const char **)field = v; return 0;
    case OPT_BOOL:
      if (parse_bool(v, (bool *)field) != 0) {
        snprintf(err, errlen, "invalid value for %s: expected true or false", source);
        return -1;
      }
      return 0;
    case OPT_LEVEL:
      if (nu_log_parse_level(v, (nu_log_level *)field) != 0) {
        snprintf(err, errlen, "invalid value for %s: expected debug, info, warn or error", source);
        return -1;
      }
      return 0;
    case OPT_INT:
    case OPT_INT64: {
      char *end = NULL;
      errno = 0;
      long long n = strtoll(v, &end, 10);
      if (errno != 0 || end == v || *end != '\0' || n < o->min || n > o->max) {
        snprintf(err, errlen, "invalid value for %s: expected an integer from %lld to %lld", source,
                 (long long)o->min, (long long)o->max);
        return -1;
      }
      if (o->kind == OPT_INT) {
        *(int *)field = (int)n;
      } else {
        *(int64_t *)field = n;
      }
      return 0;
    }
  }
  return -1;
}

static void defaults(nu_config *cfg) {
  memset(cfg, 0, sizeof(*cfg));
  cfg->listen = "127.0.0.1:50051";
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  cfg->cq_threads = cores > 0 ? (int)cores : 1;
  cfg->workers = 16;
  cfg->db_pool_size = 10;
  cfg->default_deadline_ms = 10000;
  cfg->shutdown_grace_ms = 30000;
  cfg->db_wait_ms = 30000;
  cfg->max_message_bytes = 4 * 1024 * 1024;
  cfg->log_level = NU_LOG_INFO;
  cfg->public_url = "http://localhost:8080";
  cfg->voucher_cents = 15000;
  cfg->test_level_monthly_cents = NU_TEST_LEVEL_MONTHLY_CENTS_DEFAULT;
  cfg->hash_concurrency = cfg->cq_threads;
  cfg->outbox_sink = "log";
  cfg->document_poll_ms = 200;
  cfg->rate_limit_per_address = 60;
  cfg->rate_limit_window_s = 60;
  cfg->failed_logins_per_hour = 100;
}

int nu_config_parse(int argc, char **argv, nu_getenv_fn getenv_fn, FILE *out, nu_config *cfg,
                    char *err, size_t errlen) {
  defaults(cfg);
  for (size_t i = 0; i < NOPTS; i++) {
    const char *v = getenv_fn != NULL ? getenv_fn(options[i].env) : NULL;
    if (v != NULL && set_value(&options[i], v, options[i].env, cfg, err, errlen) != 0) return -1;
  }
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      nu_config_usage(out);
      return 1;
    }
    if (strcmp(arg, "--version") == 0) {
      fprintf(out, "nuage-server %s\n", NU_SERVER_VERSION);
      return 1;
    }
    if (strncmp(arg, "--", 2) != 0) {
      snprintf(err, errlen, "unexpected argument \"%s\" (see --help)", arg);
      return -1;
    }
    const char *name = arg + 2;
    const char *eq = strchr(name, '=');
    size_t name_len = eq != NULL ? (size_t)(eq - name) : strlen(name);
    const opt *o = NULL;
    for (size_t k = 0; k < NOPTS; k++) {
      if (strlen(options[k].flag) == name_len && strncmp(options[k].flag, name, name_len) == 0) {
        o = &options[k];
      }
    }
    if (o == NULL) {
      snprintf(err, errlen, "unknown option \"%.*s\" (see --help)", (int)(name_len + 2), arg);
      return -1;
    }
    const char *value;
    if (eq != NULL) {
      value = eq + 1;
    } else if (o->kind == OPT_BOOL) {
      value = "true";
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      snprintf(err, errlen, "option --%s needs a value", o->flag);
      return -1;
    }
    char source[80];
    snprintf(source, sizeof(source), "--%s", o->flag);
    if (set_value(o, value, source, cfg, err, errlen) != 0) return -1;
  }
  if (cfg->database_url == NULL || cfg->database_url[0] == '\0') {
    snprintf(err, errlen, "no database: set --database-url or NUAGE_DATABASE_URL");
    return -1;
  }
  if (strcmp(cfg->outbox_sink, "log") != 0 && strcmp(cfg->outbox_sink, "file") != 0 &&
      strcmp(cfg->outbox_sink, "none") != 0) {
    snprintf(err, errlen, "invalid value for outbox sink: expected log, file or none");
    return -1;
  }
  if (strcmp(cfg->outbox_sink, "file") == 0 &&
      (cfg->outbox_dir == NULL || cfg->outbox_dir[0] == '\0')) {
    snprintf(err, errlen, "the file outbox sink needs --outbox-dir");
    return -1;
  }
  const char *why = NULL;
  if (nu_cidr_list_parse(cfg->trusted_proxies, &cfg->trusted, &why) != 0) {
    snprintf(err, errlen, "invalid value for trusted proxies: %s", why);
    return -1;
  }
  return 0;
}
