/*
 * commands.c — nuagectl's commands, described as data.
 *
 * One row per command; main.c parses options and checks arity from the
 * row before it calls the handler, and help.c prints usage from it. Keep
 * the rows in the order `nuagectl help` should list them.
 */
#include <string.h>

#include "client/ctl/ctl.h"

static const nu_ctl_option health_options[] = {
    {"watch", NULL, "stream status changes (Health/Watch) until Ctrl-C or the end of the stream"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option no_options[] = {
    {NULL, NULL, NULL},
};

const nu_ctl_command nu_ctl_commands[] = {
    {
        .name = "health",
        .args = "[--watch] [SERVICE]",
        .summary = "ask whether the server (or SERVICE) is serving",
        .help = "Calls grpc.health.v1.Health/Check and prints the serving status:\n"
                "SERVING, NOT_SERVING, SERVICE_UNKNOWN or UNKNOWN. The empty service\n"
                "(the default) is the server as a whole. Exits 0 when SERVING, 1\n"
                "otherwise.\n"
                "With --watch, calls Health/Watch and prints one line per change until\n"
                "Ctrl-C, the end of the stream or --timeout; it then exits as above,\n"
                "with the last status it printed. Without --timeout a watch has no\n"
                "deadline.\n"
                "JSON: {\"service\":\"\",\"status\":\"SERVING\"}, one object per line.\n",
        .options = health_options,
        .min_args = 0,
        .max_args = 1,
        .handler = nu_ctl_cmd_health,
    },
    {
        .name = "info",
        .args = "",
        .summary = "show the server's version and its database's schema state",
        .help = "Calls nuage.v1.SystemService/GetServerInfo and prints server_version,\n"
                "schema_version, known_migrations, database_version, database_time and\n"
                "start_time (RFC 3339, UTC), one `key: value` line each, or one JSON\n"
                "object with --json.\n",
        .options = no_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_info,
    },
    {
        .name = "help",
        .args = "[COMMAND]",
        .summary = "show this help, or the help of COMMAND",
        .help = NULL,
        .options = no_options,
        .min_args = 0,
        .max_args = 1,
        .handler = nu_ctl_cmd_help,
    },
    {.name = NULL},
};

const nu_ctl_command *nu_ctl_find_command(const char *name) {
  for (const nu_ctl_command *cmd = nu_ctl_commands; cmd->name != NULL; cmd++)
    if (strcmp(cmd->name, name) == 0)
      return cmd;
  return NULL;
}

const char *nu_ctl_option_value(const nu_ctl *ctx, const char *name) {
  for (int i = 0; ctx->command->options[i].name != NULL; i++)
    if (strcmp(ctx->command->options[i].name, name) == 0)
      return ctx->option_values[i];
  return NULL;
}
