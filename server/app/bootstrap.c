/*
 * bootstrap.c — create-operator (see bootstrap.h).
 */
#include "server/app/bootstrap.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/common/clock.h"
#include "server/common/log.h"
#include "server/domain/identity/login.h"
#include "server/domain/identity/token.h"
#include "server/store/core/audit_store.h"
#include "server/store/core/migrate.h"
#include "server/store/core/pool.h"
#include "server/store/core/tx.h"
#include "server/store/identity/link_store.h"
#include "server/store/identity/user_store.h"

#define LINK_TTL_NS (INT64_C(24) * 3600 * NU_NS_PER_S)

typedef struct bootstrap_run {
  const char *login;
  const char *email;
  int64_t now_ns;
  const char *user_id;
  bool created;
  char token[NU_TOKEN_SIZE];
} bootstrap_run;

static nu_status bootstrap_tx(nu_conn *c, nu_arena *a, void *arg) {
  bootstrap_run *r = arg;
  nu_status st =
      nu_user_create_operator(c, a, r->login, r->email, r->now_ns, &r->user_id, &r->created);
  if (!nu_status_is_ok(&st)) return st;
  nu_link_new l = {.user_id = r->user_id,
                   .purpose = "reset_password",
                   .now_ns = r->now_ns,
                   .ttl_ns = LINK_TTL_NS};
  st = nu_link_create(c, a, &l, true, r->token);
  if (!nu_status_is_ok(&st)) return st;
  nu_audit_change ch[] = {{"login", NULL, r->login}, {"platform_operator", NULL, "true"}};
  nu_audit_event e = {.at_ns = r->now_ns,
                      .actor = NULL,
                      .action = r->created ? "operator.create" : "operator.password_link",
                      .target_type = "user",
                      .target_id = r->user_id,
                      .changes = ch,
                      .change_count = r->created ? 2 : 0,
                      .request_id = "create-operator"};
  return nu_audit_append(c, a, &e);
}

static int usage(void) {
  fprintf(stderr,
          "usage: nuage-server create-operator --login LOGIN --email EMAIL"
          " [--database-url URL] [--public-url URL]\n");
  return 2;
}

int nu_bootstrap_create_operator(int argc, char **argv) {
  const char *login = NULL, *email = NULL;
  const char *db = getenv("NUAGE_DATABASE_URL");
  const char *url = getenv("NUAGE_PUBLIC_URL");
  for (int i = 1; i < argc; i++) {
    const char **dst = NULL;
    if (strcmp(argv[i], "--login") == 0)
      dst = &login;
    else if (strcmp(argv[i], "--email") == 0)
      dst = &email;
    else if (strcmp(argv[i], "--database-url") == 0)
      dst = &db;
    else if (strcmp(argv[i], "--public-url") == 0)
      dst = &url;
    if (dst == NULL || i + 1 >= argc) return usage();
    *dst = argv[++i];
  }
  if (login == NULL || email == NULL || db == NULL) return usage();
  if (url == NULL) url = "http://localhost:8080";
  const char *why = NULL;
  char norm[NU_EMAIL_BUF_SIZE];
  if (nu_login_check(login, &why) != 0) {
    fprintf(stderr, "nuage-server: invalid login: %s\n", why);
    return 2;
  }
  if (nu_email_normalize(email, norm, sizeof(norm), &why) != 0) {
    fprintf(stderr, "nuage-server: invalid e-mail: %s\n", why != NULL ? why : "malformed");
    return 2;
  }

  int code = 1;
  nu_arena *a = nu_arena_new();
  nu_pool *pool = NULL;
  nu_migrate_result mr = {0};
  nu_status st = nu_migrate(db, nu_migrations, nu_migrations_count, a, &mr);
  if (!nu_status_is_ok(&st)) goto done;
  nu_pool_options popts = {.conninfo = db, .size = 1};
  st = nu_pool_new(&popts, a, &pool);
  if (!nu_status_is_ok(&st)) goto done;
  const nu_clock *clock = nu_clock_system();
  bootstrap_run r = {.login = login, .email = norm, .now_ns = nu_clock_wall_ns(clock)};
  nu_tx_options topts = {.deadline_mono_ns = nu_clock_mono_ns(clock) + 30 * NU_NS_PER_S};
  st = nu_tx_run(pool, a, &topts, bootstrap_tx, &r);
  if (!nu_status_is_ok(&st)) goto done;
  /* The link is a credential: stdout only, for the person running this. */
  printf("%s operator %s (%s)\nset the password within 24 hours: %s/reset-password?token=%s\n",
         r.created ? "created" : "existing", login, r.user_id, url, r.token);
  fflush(stdout);
  nu_log(NU_LOG_INFO, "operator ready", "login", login, "user_id", r.user_id, NULL);
  code = 0;
done:
  if (code != 0) fprintf(stderr, "nuage-server: create-operator failed: %s\n", st.message);
  nu_pool_free(pool);
  nu_arena_free(a);
  return code;
}
