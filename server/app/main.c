/*
 * main.c — nuage-server: configuration, migrations, serving, shutdown.
 *
 * SIGINT and SIGTERM are blocked before any thread starts, so every gRPC
 * and worker thread inherits the mask and only sigwait in main sees them.
 */
#include <grpc/grpc.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "server/app/app.h"
#include "server/app/bootstrap.h"
#include "server/app/catalog_seed.h"
#include "server/app/config.h"
#include "server/auth/authenticator.h"
#include "server/common/clock.h"
#include "server/common/log.h"
#include "server/dispatch/methods.h"
#include "server/domain/identity/password_hash.h"
#include "server/domain/totp/secret_box.h"
#include "server/domain/totp/totp.h"
#include "server/jobs/document_worker.h"
#include "server/jobs/outbox_worker.h"
#include "server/rpc/core/rate_limiter.h"
#include "server/rpc/system/health.h"
#include "server/rpc/system/reflection_index.h"
#include "server/store/core/migrate.h"
#include "server/store/core/pool.h"
#include "server/transport/server.h"

extern const unsigned char nu_descriptor_set[];
extern const size_t nu_descriptor_set_len;

#define NU_MAX_SERVICES 64

/* The absolute path of --import-dir (caller frees), NULL when none is set;
 * -1 when it is set but is not a directory. */
static int resolve_import_dir(const nu_config *cfg, char **out) {
  *out = NULL;
  if (cfg->import_dir == NULL || cfg->import_dir[0] == '\0') return 0;
  char *path = realpath(cfg->import_dir, NULL);
  struct stat st;
  if (path == NULL || stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
    nu_log(NU_LOG_ERROR, "unusable --import-dir", "path", cfg->import_dir, "error",
           "not an existing directory", NULL);
    fprintf(stderr, "nuage-server: --import-dir %s is not an existing directory\n",
            cfg->import_dir);
    free(path);
    return -1;
  }
  *out = path;
  return 0;
}

/* Applies migrations, waiting for the database up to wait_ms. */
static int migrate_with_wait(const nu_config *cfg) {
  const nu_clock *clock = nu_clock_system();
  int64_t until = nu_clock_mono_ns(clock) + cfg->db_wait_ms * NU_NS_PER_MS;
  bool told = false;
  for (;;) {
    nu_arena *a = nu_arena_new();
    nu_migrate_result r = {0};
    nu_status st = nu_migrate(cfg->database_url, nu_migrations, nu_migrations_count, a, &r);
    if (nu_status_is_ok(&st)) {
      char applied[16], version[16];
      snprintf(applied, sizeof(applied), "%d", r.applied);
      snprintf(version, sizeof(version), "%d", r.schema_version);
      nu_log(NU_LOG_INFO, "migrations done", "applied", applied, "schema_version", version, NULL);
      nu_arena_free(a);
      return 0;
    }
    if (st.code != NU_UNAVAILABLE || nu_clock_mono_ns(clock) >= until) {
      nu_log(NU_LOG_ERROR, "cannot apply migrations", "error", st.message, NULL);
      nu_arena_free(a);
      return -1;
    }
    if (!told) {
      nu_log(NU_LOG_WARN, "waiting for the database", "error", st.message, NULL);
      told = true;
    }
    nu_arena_free(a);
    struct timespec ts = {0, 250 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

/* The key sealing TOTP secrets: from --secret-key-file, else random for
 * this process only (said in the log, since enrolments then do not survive
 * a restart). The key itself is never logged. */
static int load_secret_key(const nu_config *cfg, uint8_t key[NU_SECRET_BOX_KEY_BYTES]) {
  if (cfg->secret_key_file == NULL || cfg->secret_key_file[0] == '\0') {
    randombytes_buf(key, NU_SECRET_BOX_KEY_BYTES);
    nu_log(NU_LOG_WARN, "no --secret-key-file: using a random key for this run only", NULL);
    return 0;
  }
  char text[256] = {0};
  FILE *f = fopen(cfg->secret_key_file, "r");
  size_t n = f != NULL ? fread(text, 1, sizeof(text) - 1, f) : 0;
  if (f != NULL) fclose(f);
  text[n] = '\0';
  const char *why = "cannot read the file";
  int rc = f != NULL ? nu_secret_box_key_parse(text, key, &why) : -1;
  sodium_memzero(text, sizeof(text));
  if (rc != 0) {
    nu_log(NU_LOG_ERROR, "unusable --secret-key-file", "path", cfg->secret_key_file, "error", why,
           NULL);
    return -1;
  }
  return 0;
}

/* Running statements cannot be cancelled by gRPC: end them too. */
static void cancel_database_work(void *pool) { nu_pool_close(pool); }

static int write_port_file(const char *path, int port) {
  char tmp[4096];
  if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) return -1;
  FILE *f = fopen(tmp, "w");
  if (f == NULL) return -1;
  fprintf(f, "%d\n", port);
  if (fclose(f) != 0) return -1;
  return rename(tmp, path);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "create-operator") == 0) {
    return nu_bootstrap_create_operator(argc - 1, argv + 1);
  }
  if (argc > 1 && strcmp(argv[1], "seed-catalog") == 0)
    return nu_catalog_seed_main(argc - 1, argv + 1);
  nu_config cfg;
  char err[512];
  int rc = nu_config_parse(argc, argv, (nu_getenv_fn)getenv, stdout, &cfg, err, sizeof(err));
  if (rc == 1) return 0;
  if (rc != 0) {
    fprintf(stderr, "nuage-server: %s\n", err);
    return 2;
  }
  nu_log_set_level(cfg.log_level);
  const char *why = NULL;
  if (nu_listen_address_check(cfg.listen, &why) != 0) {
    fprintf(stderr, "nuage-server: invalid listen address \"%s\": %s\n", cfg.listen, why);
    return 2;
  }

  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGINT);
  sigaddset(&sigs, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);

  int exit_code = 1;
  nu_arena *a = nu_arena_new();
  nu_password_hasher *hasher = NULL;
  nu_pool *pool = NULL;
  nu_health *health = NULL;
  nu_reflection_index *reflection = NULL;
  nu_server *server = NULL;
  nu_outbox_worker *outbox = NULL;
  nu_document_worker *documents = NULL;
  char *import_dir = NULL;
  bool grpc_started = false;
  static uint8_t secret_key[NU_SECRET_BOX_KEY_BYTES];
  static nu_offset_clock clock;
  nu_offset_clock_init(&clock);
  if (sodium_init() < 0 || nu_totp_init() != 0) {
    nu_log(NU_LOG_ERROR, "cannot initialise libsodium or liboath", NULL);
    goto done;
  }
  if (load_secret_key(&cfg, secret_key) != 0) goto done;
  if (resolve_import_dir(&cfg, &import_dir) != 0) goto done;
  nu_password_hash_params hparams;
  nu_password_hash_params_default(&hparams);
  hparams.max_concurrent = (unsigned)cfg.hash_concurrency;
  if (nu_password_hasher_create(&hparams, &hasher) != NU_PASSWORD_HASH_OK) {
    nu_log(NU_LOG_ERROR, "cannot create the password hasher", NULL);
    goto done;
  }

  nu_method_table table;
  nu_methods_options mopts = {.diagnostics = cfg.diagnostics};
  const char *bad_path = NULL;
  const char *problem = nu_methods_build(&mopts, &table, &bad_path);
  if (problem != NULL) {
    nu_log(NU_LOG_ERROR, "method table is unsound", "problem", problem, "method",
           bad_path != NULL ? bad_path : "(none)", NULL);
    goto done;
  }

  if (migrate_with_wait(&cfg) != 0) goto done;

  nu_pool_options popts = {.conninfo = cfg.database_url, .size = cfg.db_pool_size};
  nu_status st = nu_pool_new(&popts, a, &pool);
  if (!nu_status_is_ok(&st)) {
    nu_log(NU_LOG_ERROR, "cannot create the database pool", "error", st.message, NULL);
    goto done;
  }

  static char services[NU_MAX_SERVICES][128];
  size_t nservices = nu_methods_services(&table, services, NU_MAX_SERVICES);
  const char *service_ptrs[NU_MAX_SERVICES];
  for (size_t i = 0; i < nservices; i++) service_ptrs[i] = services[i];
  st = nu_reflection_index_new(nu_descriptor_set, nu_descriptor_set_len, service_ptrs, nservices,
                               &reflection);
  if (!nu_status_is_ok(&st)) {
    nu_log(NU_LOG_ERROR, "cannot index the descriptor set", "error", st.message, NULL);
    goto done;
  }

  health = nu_health_new();
  nu_app app = {
      .pool = pool,
      .clock = &clock.clock,
      .clock_control = cfg.diagnostics ? &clock : NULL,
      .hasher = hasher,
      .secret_key = secret_key,
      .public_url = cfg.public_url,
      .voucher_cents = cfg.voucher_cents,
      .test_level_monthly_cents = cfg.test_level_monthly_cents,
      .rate_limit_per_address = cfg.rate_limit_per_address,
      .rate_limit_window_ns = cfg.rate_limit_window_s * NU_NS_PER_S,
      .failed_logins_per_hour = cfg.failed_logins_per_hour,
      .import_dir = import_dir,
      .health = health,
      .reflection = reflection,
      .server_version = NU_SERVER_VERSION,
      .known_migrations = (int)nu_migrations_count,
      .start_wall_ns = nu_clock_wall_ns(nu_clock_system()),
  };
  nu_auth auth;
  nu_authenticator_init(&auth, &app);
  nu_rate_limiter limiter;
  nu_rate_limiter_init(&limiter, &app);

  grpc_init();
  grpc_started = true;
  nu_server_options sopts = {
      .listen = cfg.listen,
      .cq_threads = cfg.cq_threads,
      .workers = cfg.workers,
      .default_deadline_ns = cfg.default_deadline_ms * NU_NS_PER_MS,
      .max_message_bytes = (int)cfg.max_message_bytes,
      .table = &table,
      .auth = &auth,
      .limiter = &limiter,
      .trusted_proxies = &cfg.trusted,
      .app = &app,
      .on_grace_over = cancel_database_work,
      .grace_ctx = pool,
  };
  int port = 0;
  st = nu_server_start(&sopts, a, &server, &port);
  if (!nu_status_is_ok(&st)) {
    nu_log(NU_LOG_ERROR, "cannot start the server", "error", st.message, NULL);
    fprintf(stderr, "nuage-server: %s\n", st.message);
    goto done;
  }
  nu_health_set(health, "", NU_HEALTH_SERVING);
  for (size_t i = 0; i < nservices; i++) nu_health_set(health, services[i], NU_HEALTH_SERVING);

  if (cfg.port_file != NULL && write_port_file(cfg.port_file, port) != 0) {
    nu_log(NU_LOG_ERROR, "cannot write the port file", "path", cfg.port_file, NULL);
    nu_health_shutdown(health);
    nu_server_shutdown(server, 0);
    goto done;
  }
  nu_outbox_worker_options oopts = {.dir = cfg.outbox_dir};
  nu_outbox_sink_parse(cfg.outbox_sink, &oopts.sink); /* checked by nu_config_parse */
  const char *outbox_error = NULL;
  outbox = nu_outbox_worker_start(&app, &oopts, &outbox_error);
  if (outbox_error != NULL) {
    nu_log(NU_LOG_ERROR, "cannot start the outbox worker", "error", outbox_error, NULL);
    nu_health_shutdown(health);
    nu_server_shutdown(server, 0);
    goto done;
  }
  if (cfg.document_poll_ms > 0) {
    nu_document_worker_options dopts = {.poll_interval_ms = cfg.document_poll_ms};
    const char *document_error = NULL;
    documents = nu_document_worker_start(&app, &dopts, &document_error);
    if (documents == NULL) {
      nu_log(NU_LOG_ERROR, "cannot start the document worker", "error", document_error, NULL);
      nu_health_shutdown(health);
      nu_server_shutdown(server, 0);
      goto done;
    }
  }
  char port_text[16];
  snprintf(port_text, sizeof(port_text), "%d", port);
  nu_log(NU_LOG_INFO, "serving", "listen", cfg.listen, "port", port_text, "version",
         NU_SERVER_VERSION, NULL);

  int sig = 0;
  sigwait(&sigs, &sig);
  nu_log(NU_LOG_INFO, "shutting down", "signal", sig == SIGTERM ? "SIGTERM" : "SIGINT", NULL);
  __atomic_store_n(&app.stopping, true, __ATOMIC_RELEASE);
  nu_health_shutdown(health);
  nu_server_shutdown(server, cfg.shutdown_grace_ms * NU_NS_PER_MS);
  nu_log(NU_LOG_INFO, "stopped", NULL);
  exit_code = 0;

done:
  nu_document_worker_stop(documents);
  nu_outbox_worker_stop(outbox);
  nu_server_free(server);
  nu_health_free(health);
  nu_reflection_index_free(reflection);
  nu_pool_free(pool);
  nu_password_hasher_free(hasher);
  if (grpc_started) grpc_shutdown();
  free(import_dir);
  nu_arena_free(a);
  return exit_code;
}
