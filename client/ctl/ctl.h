/*
 * ctl.h — nuagectl's command model: the context every command handler
 * receives and the row that describes a command.
 *
 * A command is a row of the table in commands.c: name, usage, summary, its
 * own options, how many arguments it takes, and a handler. main.c funnels
 * every invocation through the same steps (global options → lookup →
 * command options → arity → handler), so a new command is a row and a
 * handler, nothing else.
 */
#ifndef NU_CTL_CTL_H
#define NU_CTL_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include <nuage/client.h>

#include "client/ctl/output.h"

/* Exit statuses, documented in `nuagectl help`. */
enum {
  NU_CTL_EXIT_OK = 0,
  NU_CTL_EXIT_NEGATIVE = 1, /* the call worked, the answer is "no" (NOT_SERVING) */
  NU_CTL_EXIT_USAGE = 2,
  NU_CTL_EXIT_RPC = 3, /* the call failed: the error is printed */
};

#define NU_CTL_MAX_OPTIONS 16
#define NU_CTL_MAX_SEEN 256 /* command options on one command line */

/* A command's own option: a flag (arg NULL) or --name VALUE. */
typedef struct nu_ctl_option {
  const char *name;
  const char *arg; /* placeholder in the usage, e.g. "MS"; NULL for a flag */
  const char *help;
} nu_ctl_option;

struct nu_ctl;

typedef struct nu_ctl_command {
  const char *name;
  const char *args;                   /* usage after the name, e.g. "[--watch] [SERVICE]" */
  const char *summary;                /* one line for the command list */
  const char *help;                   /* what `nuagectl help NAME` adds, or NULL */
  const nu_ctl_option *options;       /* up to NU_CTL_MAX_OPTIONS, ends with name NULL */
  int min_args, max_args;             /* positional arguments */
  int (*handler)(struct nu_ctl *ctx); /* returns an exit status */
  /* A one-letter alias of one of its options ('o' and "output": -o FILE
   * is --output FILE), or 0. */
  char short_option;
  const char *short_option_of;
  /* Signs in or uses an e-mailed link: sends no bearer token, so a stale
   * saved session cannot get in the way of getting a new one. */
  bool anonymous;
} nu_ctl_command;

typedef struct nu_ctl {
  /* Global options, resolved (flag, then environment, then default). */
  const char *addr;
  const char *token;      /* never printed, never logged */
  const char *request_id; /* sent as x-request-id when set */
  int64_t timeout_ms;     /* 0 when --timeout was not given */
  bool json;

  const nu_ctl_command *command;
  /* Values of the command's options, by index in command->options: NULL
   * when absent, "" for a flag that is present. Borrowed from argv. */
  const char *option_values[NU_CTL_MAX_OPTIONS];
  /* Every command option in the order given, for repeatable ones
   * (`order create --product A --plan P --product B …`): index in
   * command->options and value (as in option_values). */
  struct {
    int index;
    const char *value;
  } seen[NU_CTL_MAX_SEEN];
  int n_seen;
  int argc; /* positional arguments after the command's options */
  char **argv;

  nu_out out;        /* results: stdout, human or JSON */
  nu_client *client; /* opened by the first call; closed by main */
} nu_ctl;

/* The table, ended by a row with name NULL. */
extern const nu_ctl_command nu_ctl_commands[];

/* The row named name, or NULL. */
const nu_ctl_command *nu_ctl_find_command(const char *name);

/* The value of the command's option name (see option_values), or NULL. */
const char *nu_ctl_option_value(const nu_ctl *ctx, const char *name);

/* Usage texts (help.c). */
void nu_ctl_print_usage(FILE *f);
void nu_ctl_print_command_usage(FILE *f, const nu_ctl_command *cmd);

/*
 * A unary call with the context's address, deadline and credentials
 * (call.c). Returns 0 and *response (caller frees with
 * protobuf_c_message_free_unpacked), or NU_CTL_EXIT_RPC after printing the
 * error. default_timeout_ms applies when --timeout was not given.
 */
int nu_ctl_call(nu_ctl *ctx, const char *method, const ProtobufCMessage *request,
                const ProtobufCMessageDescriptor *response_desc, int64_t default_timeout_ms,
                ProtobufCMessage **response);

/* Opens a server-streaming call the same way; the deadline is --timeout or
 * none. Returns 0 and *stream (caller frees with nu_client_stream_close),
 * or NU_CTL_EXIT_RPC after printing the error. */
int nu_ctl_open_stream(nu_ctl *ctx, const char *method, const ProtobufCMessage *request,
                       nu_client_stream **stream);

/* Opens a bidirectional stream the same way and sends its first message
 * (borrowed); the deadline is --timeout or none. Returns 0 and *stream
 * (caller frees with nu_client_stream_close), or NU_CTL_EXIT_RPC. */
int nu_ctl_open_bidi(nu_ctl *ctx, const char *method, const ProtobufCMessage *first,
                     nu_client_stream **stream);

/* Where `nuagectl login` keeps the session token:
 * $XDG_CONFIG_HOME/nuage/token, else ~/.config/nuage/token. Returns 0, or
 * -1 when neither variable is set or buf is too small. */
int nu_ctl_token_path(char *buf, size_t size);

/* Prints a failed call's status (human on stderr, or JSON on stdout) and
 * returns NU_CTL_EXIT_RPC. */
int nu_ctl_report_error(nu_ctl *ctx, const nu_client_status *status);

/* Reads one line into buf (without its newline), prompting on stderr
 * without echo when stdin is a terminal; -1 at the end of stdin. */
int nu_ctl_read_secret(const char *prompt, char *buf, size_t size);

/* Reports a local failure (bad input, no terminal) like a failed call's. */
int nu_ctl_local_failure(nu_ctl *ctx, const char *message);

/* The token of an e-mailed link (the whole link, or its bare nul_… token)
 * into token. */
void nu_ctl_link_token(const char *arg, char *token, size_t size);

/* Handlers. */
int nu_ctl_cmd_health(nu_ctl *ctx);
int nu_ctl_cmd_help(nu_ctl *ctx);
int nu_ctl_cmd_info(nu_ctl *ctx);
int nu_ctl_cmd_login(nu_ctl *ctx);
int nu_ctl_cmd_org(nu_ctl *ctx);
int nu_ctl_cmd_org_show(nu_ctl *ctx);
int nu_ctl_cmd_org_list(nu_ctl *ctx);
int nu_ctl_cmd_org_rename(nu_ctl *ctx);
int nu_ctl_cmd_org_refs(nu_ctl *ctx);
int nu_ctl_cmd_subscription_list(nu_ctl *ctx);
int nu_ctl_cmd_subscription_show(nu_ctl *ctx);
int nu_ctl_cmd_subscription_terminate(nu_ctl *ctx);
int nu_ctl_cmd_order_admit(nu_ctl *ctx);
int nu_ctl_cmd_order_contest(nu_ctl *ctx);
int nu_ctl_cmd_invite(nu_ctl *ctx);
int nu_ctl_cmd_domains(nu_ctl *ctx);
int nu_ctl_cmd_domain_requests(nu_ctl *ctx);
int nu_ctl_cmd_eligibility(nu_ctl *ctx);
int nu_ctl_cmd_set_password(nu_ctl *ctx);
int nu_ctl_cmd_accept_invitation(nu_ctl *ctx);
int nu_ctl_cmd_me(nu_ctl *ctx);
int nu_ctl_cmd_member_edit(nu_ctl *ctx);
int nu_ctl_cmd_email_change(nu_ctl *ctx);
int nu_ctl_cmd_email_confirm(nu_ctl *ctx);
int nu_ctl_cmd_catalog_list(nu_ctl *ctx);
int nu_ctl_cmd_catalog_show(nu_ctl *ctx);
int nu_ctl_cmd_catalog_estimate(nu_ctl *ctx);
int nu_ctl_cmd_order_preview(nu_ctl *ctx);
int nu_ctl_cmd_order_create(nu_ctl *ctx);
int nu_ctl_cmd_order_list(nu_ctl *ctx);
int nu_ctl_cmd_order_show(nu_ctl *ctx);
int nu_ctl_cmd_document_get(nu_ctl *ctx);
int nu_ctl_cmd_provider_watch(nu_ctl *ctx);
int nu_ctl_cmd_provider_events(nu_ctl *ctx);
int nu_ctl_cmd_provider_report(nu_ctl *ctx);

#endif
