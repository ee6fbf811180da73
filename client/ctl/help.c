/*
 * help.c — nuagectl's usage texts and the `help` command, generated from
 * the command table so they cannot drift from what the parser accepts.
 */
#include <stdio.h>
#include <string.h>

#include "client/ctl/ctl.h"

void nu_ctl_print_usage(FILE *f) {
  fputs(
      "usage: nuagectl [OPTIONS] COMMAND [ARGS]\n"
      "\n"
      "Administers a Nuage server over gRPC.\n"
      "\n"
      "Commands:\n",
      f);
  for (const nu_ctl_command *cmd = nu_ctl_commands; cmd->name != NULL; cmd++) {
    char head[160];
    snprintf(head, sizeof head, "%s%s%s", cmd->name, cmd->args[0] ? " " : "", cmd->args);
    /* A synopsis too long for the column gets a line of its own. */
    if (strlen(head) > 28) {
      fprintf(f, "  %s\n  %-28s %s\n", head, "", cmd->summary);
    } else {
      fprintf(f, "  %-28s %s\n", head, cmd->summary);
    }
  }
  fputs(
      "\n"
      "Options (before or after the command):\n"
      "  --addr HOST:PORT  server address (default: $NUAGE_ADDR, else 127.0.0.1:50051)\n"
      "  --json            print results, and errors, as JSON on stdout\n"
      "  --timeout MS      deadline of each call, 1..86400000 ms (default 10000;\n"
      "                    watches have none unless given)\n"
      "  --token TOKEN     bearer token, sent as `authorization: Bearer TOKEN`\n"
      "                    (default: $NUAGE_TOKEN, which other users cannot see in\n"
      "                    the process list); never printed\n"
      "  --request-id ID   send `x-request-id: ID`, to find the call in server logs\n"
      "  -h, --help        show this help; `nuagectl help COMMAND` for a command\n"
      "\n"
      "Environment:\n"
      "  NUAGE_ADDR   default for --addr\n"
      "  NUAGE_TOKEN  default for --token\n"
      "\n"
      "Errors: `error: CODE: message` on stderr, then `  reason: REASON`,\n"
      "`  field FIELD: DESCRIPTION` per invalid field and `  request_id: ID`.\n"
      "With --json: {\"error\":{\"code\":..,\"message\":..,\"reason\":..,\"domain\":..,\n"
      "\"metadata\":{..},\"field_violations\":[{\"field\":..,\"description\":..}],\n"
      "\"request_id\":..}} on stdout.\n"
      "\n"
      "Exit status:\n"
      "  0  success (health: SERVING)\n"
      "  1  the server answered \"no\" (health: anything but SERVING)\n"
      "  2  usage error\n"
      "  3  the call failed (the error is printed)\n",
      f);
}

void nu_ctl_print_command_usage(FILE *f, const nu_ctl_command *cmd) {
  fprintf(f, "usage: nuagectl [OPTIONS] %s%s%s\n\n%s\n", cmd->name, cmd->args[0] ? " " : "",
          cmd->args, cmd->summary);
  if (cmd->help != NULL) fprintf(f, "\n%s", cmd->help);
  if (cmd->options[0].name != NULL) {
    fputs("\nOptions:\n", f);
    for (const nu_ctl_option *opt = cmd->options; opt->name != NULL; opt++) {
      char head[64], alias[8] = "";
      if (cmd->short_option != 0 && strcmp(opt->name, cmd->short_option_of) == 0)
        snprintf(alias, sizeof alias, "-%c, ", cmd->short_option);
      snprintf(head, sizeof head, "%s--%s%s%s", alias, opt->name, opt->arg ? " " : "",
               opt->arg ? opt->arg : "");
      fprintf(f, "  %-16s %s\n", head, opt->help);
    }
  }
  fputs("\nGlobal options: see `nuagectl help`.\n", f);
}

int nu_ctl_cmd_help(nu_ctl *ctx) {
  const nu_ctl_command *cmd;

  if (ctx->argc == 0) {
    nu_ctl_print_usage(stdout);
    return NU_CTL_EXIT_OK;
  }
  /* "help catalog list": a two-word command first. */
  cmd = NULL;
  if (ctx->argc == 2) {
    char two[128];
    if (snprintf(two, sizeof two, "%s %s", ctx->argv[0], ctx->argv[1]) < (int)sizeof two)
      cmd = nu_ctl_find_command(two);
  } else {
    cmd = nu_ctl_find_command(ctx->argv[0]);
  }
  if (cmd == NULL) {
    fprintf(stderr, "nuagectl: unknown command '%s'\nTry 'nuagectl help'.\n", ctx->argv[0]);
    return NU_CTL_EXIT_USAGE;
  }
  nu_ctl_print_command_usage(stdout, cmd);
  return NU_CTL_EXIT_OK;
}
