/*
 * main.c — nuagectl's entry point: the one funnel every command goes
 * through.
 *
 * Global options before the command → command lookup → the command's own
 * options, mixed with global ones in any order → arity → handler. Commands
 * themselves are rows in commands.c.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/ctl/ctl.h"

#define DEFAULT_ADDR "127.0.0.1:50051"
#define MAX_TIMEOUT_MS 86400000LL /* a day: longer is a typo */

enum {
  OPT_ADDR = 256,
  OPT_JSON,
  OPT_TIMEOUT,
  OPT_TOKEN,
  OPT_REQUEST_ID,
  OPT_COMMAND = 512, /* + index in the command's options */
};

static const struct option global_options[] = {
    {"addr", required_argument, NULL, OPT_ADDR},
    {"json", no_argument, NULL, OPT_JSON},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"token", required_argument, NULL, OPT_TOKEN},
    {"request-id", required_argument, NULL, OPT_REQUEST_ID},
    {"help", no_argument, NULL, 'h'},
};

#define N_GLOBAL (sizeof global_options / sizeof global_options[0])

/* What the command line said, before defaults. */
typedef struct parsed {
  const char *addr, *token, *timeout;
  bool help;
} parsed;

/* Says what is wrong (fmt NULL: getopt has said it) and how to get help. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...) {
  va_list ap;

  if (fmt != NULL) {
    va_start(ap, fmt);
    fputs("nuagectl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
  }
  fputs("Try 'nuagectl help'.\n", stderr);
  return NU_CTL_EXIT_USAGE;
}

/* Handles a global option. Returns 0, or -1 for an unknown one (getopt
 * has said why). */
static int global_option(int opt, nu_ctl *ctx, parsed *p) {
  switch (opt) {
    case OPT_ADDR: p->addr = optarg; return 0;
    case OPT_JSON: ctx->json = true; return 0;
    case OPT_TIMEOUT: p->timeout = optarg; return 0;
    case OPT_TOKEN: p->token = optarg; return 0;
    case OPT_REQUEST_ID: ctx->request_id = optarg; return 0;
    case 'h': p->help = true; return 0;
    default: return -1;
  }
}

static const char *env_or(const char *name, const char *fallback) {
  const char *v = getenv(name);
  return v != NULL && v[0] != '\0' ? v : fallback;
}

/* The token `nuagectl login` saved, or NULL. Kept for the whole run. */
static const char *saved_token(void) {
  static char token[512];
  char path[4096];
  FILE *f;

  if (nu_ctl_token_path(path, sizeof path) != 0 || (f = fopen(path, "r")) == NULL) return NULL;
  char *got = fgets(token, sizeof token, f);
  fclose(f);
  if (got == NULL) return NULL;
  token[strcspn(token, "\r\n")] = '\0';
  return token[0] != '\0' ? token : NULL;
}

/* Flags first, then the environment, then the saved token, then defaults. */
static int resolve(nu_ctl *ctx, const parsed *p) {
  ctx->addr = p->addr != NULL ? p->addr : env_or("NUAGE_ADDR", DEFAULT_ADDR);
  if (ctx->addr[0] == '\0') return usage_error("--addr is empty");
  ctx->token = p->token != NULL ? p->token : env_or("NUAGE_TOKEN", NULL);
  if (ctx->token == NULL) ctx->token = saved_token();
  if (p->timeout != NULL) {
    char *end;
    long long ms = strtoll(p->timeout, &end, 10);
    if (end == p->timeout || *end != '\0' || ms < 1 || ms > MAX_TIMEOUT_MS)
      return usage_error("--timeout '%s': expected milliseconds, 1..86400000", p->timeout);
    ctx->timeout_ms = ms;
  }
  return 0;
}

/* Parses what follows the command name: its options and global ones, in
 * any order, then its positional arguments. argv[0] is the command. */
static int parse_command_line(int argc, char **argv, nu_ctl *ctx, parsed *p) {
  const nu_ctl_command *cmd = ctx->command;
  struct option longopts[N_GLOBAL + NU_CTL_MAX_OPTIONS + 1];
  char shortopts[4] = "h";
  size_t n = 0, ns = 1;
  int opt;

  memcpy(longopts, global_options, sizeof global_options);
  n = N_GLOBAL;
  for (int i = 0; cmd->options[i].name != NULL; i++) {
    if (i >= NU_CTL_MAX_OPTIONS)
      abort(); /* a table row with too many options: a programming error */
    longopts[n].name = cmd->options[i].name;
    longopts[n].has_arg = cmd->options[i].arg != NULL ? required_argument : no_argument;
    longopts[n].flag = NULL;
    longopts[n].val = OPT_COMMAND + i;
    n++;
    if (cmd->short_option != 0 && strcmp(cmd->options[i].name, cmd->short_option_of) == 0) {
      shortopts[ns++] = cmd->short_option;
      if (cmd->options[i].arg != NULL) shortopts[ns++] = ':';
    }
  }
  shortopts[ns] = '\0';
  memset(&longopts[n], 0, sizeof longopts[n]);

  optind = 0; /* glibc: start over on a new argv */
  while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
    if (opt != 'h' && opt < OPT_COMMAND && opt == cmd->short_option) {
      for (int i = 0; cmd->options[i].name != NULL; i++)
        if (strcmp(cmd->options[i].name, cmd->short_option_of) == 0) opt = OPT_COMMAND + i;
    }
    if (opt >= OPT_COMMAND) {
      const char *value = optarg != NULL ? optarg : "";
      ctx->option_values[opt - OPT_COMMAND] = value;
      if (ctx->n_seen == NU_CTL_MAX_SEEN) return usage_error("%s: too many options", cmd->name);
      ctx->seen[ctx->n_seen].index = opt - OPT_COMMAND;
      ctx->seen[ctx->n_seen++].value = value;
      continue;
    }
    if (global_option(opt, ctx, p) != 0) return usage_error(NULL);
  }
  ctx->argc = argc - optind;
  ctx->argv = argv + optind;
  if (p->help) return 0;
  if (ctx->argc < cmd->min_args) return usage_error("%s: missing argument", cmd->name);
  if (ctx->argc > cmd->max_args) return usage_error("%s: too many arguments", cmd->name);
  return 0;
}

int main(int argc, char **argv) {
  nu_ctl ctx;
  parsed p;
  struct option longopts[N_GLOBAL + 1];
  int opt, rc;

  memset(&ctx, 0, sizeof ctx);
  memset(&p, 0, sizeof p);
  memcpy(longopts, global_options, sizeof global_options);
  memset(&longopts[N_GLOBAL], 0, sizeof longopts[N_GLOBAL]);

  /* "+": stop at the command; its options are not known yet. */
  while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1)
    if (global_option(opt, &ctx, &p) != 0) return usage_error(NULL);
  if (optind == argc) {
    if (p.help) {
      nu_ctl_print_usage(stdout);
      return NU_CTL_EXIT_OK;
    }
    nu_ctl_print_usage(stderr);
    return NU_CTL_EXIT_USAGE;
  }
  /* Two-word commands ("catalog estimate") before one-word ones. */
  if (optind + 1 < argc) {
    char two[128];
    if (snprintf(two, sizeof two, "%s %s", argv[optind], argv[optind + 1]) < (int)sizeof two &&
        (ctx.command = nu_ctl_find_command(two)) != NULL)
      optind++;
  }
  if (ctx.command == NULL) ctx.command = nu_ctl_find_command(argv[optind]);
  if (ctx.command == NULL) return usage_error("unknown command '%s'", argv[optind]);
  rc = parse_command_line(argc - optind, argv + optind, &ctx, &p);
  if (rc != 0) return rc;
  if (p.help) {
    nu_ctl_print_command_usage(stdout, ctx.command);
    return NU_CTL_EXIT_OK;
  }
  rc = resolve(&ctx, &p);
  if (rc != 0) return rc;
  if (ctx.command->anonymous) ctx.token = NULL;

  nu_out_init(&ctx.out, stdout, ctx.json);
  rc = ctx.command->handler(&ctx);
  nu_client_close(ctx.client);
  return rc;
}
