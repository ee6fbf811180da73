/*
 * cmd_identity.c — nuagectl's identity commands: login (with a TOTP code
 * when the account asks for one), org create, invite, domains import (the
 * Etalab list streamed with progress on stderr) and eligibility check.
 *
 * The session token is a credential: it goes to the token file (mode 0600)
 * or, with --print-token, to stdout — never to stderr or into an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "client/ctl/ctl.h"
#include "nuage/v1/auth.pb-c.h"
#include "nuage/v1/eligibility.pb-c.h"
#include "nuage/v1/organization.pb-c.h"

#define DEFAULT_TIMEOUT_MS 20000
#define IMPORT_CHUNK 16384

/* A local failure (bad file, no terminal), reported like a call's. */
static int local_failure(nu_ctl *ctx, const char *message) {
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  st.code = NU_CLIENT_INTERNAL;
  st.message = (char *)message;
  return nu_ctl_report_error(ctx, &st);
}

/* ---- the token file ---------------------------------------------------------- */

int nu_ctl_token_path(char *buf, size_t size) {
  const char *xdg = getenv("XDG_CONFIG_HOME");
  const char *home = getenv("HOME");
  int n;
  if (xdg != NULL && xdg[0] != '\0')
    n = snprintf(buf, size, "%s/nuage/token", xdg);
  else if (home != NULL && home[0] != '\0')
    n = snprintf(buf, size, "%s/.config/nuage/token", home);
  else
    return -1;
  return n > 0 && (size_t)n < size ? 0 : -1;
}

/* mkdir -p of the token file's directory, 0700 for what it creates. */
static int make_parents(char *path) {
  for (char *p = path + 1; *p != '\0'; p++) {
    if (*p != '/') continue;
    *p = '\0';
    int rc = mkdir(path, 0700);
    *p = '/';
    if (rc != 0 && errno != EEXIST) return -1;
  }
  return 0;
}

static int store_token(const char *token, char *path, size_t size) {
  if (nu_ctl_token_path(path, size) != 0 || make_parents(path) != 0) return -1;
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return -1;
  /* An older file may have been created with a laxer mode. */
  size_t len = strlen(token);
  int ok =
      fchmod(fd, 0600) == 0 && write(fd, token, len) == (ssize_t)len && write(fd, "\n", 1) == 1;
  return close(fd) == 0 && ok ? 0 : -1;
}

/* ---- prompts ------------------------------------------------------------------ */

/* Reads one line into buf (without its newline), prompting on stderr and
 * turning echo off when stdin is a terminal. */
static int read_secret(const char *prompt, char *buf, size_t size) {
  struct termios old, quiet;
  int tty = isatty(STDIN_FILENO);
  if (tty) {
    fprintf(stderr, "%s", prompt);
    fflush(stderr);
    if (tcgetattr(STDIN_FILENO, &old) == 0) {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t)ECHO;
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    } else {
      tty = 0;
    }
  }
  char *got = fgets(buf, (int)size, stdin);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
  }
  if (got == NULL) return -1;
  buf[strcspn(buf, "\r\n")] = '\0';
  return 0;
}

/* ---- login -------------------------------------------------------------------- */

static int finish_login(nu_ctl *ctx, const char *token) {
  if (nu_ctl_option_value(ctx, "print-token") != NULL) {
    nu_out_begin(&ctx->out);
    nu_out_str(&ctx->out, "token", token);
    nu_out_end(&ctx->out);
    return NU_CTL_EXIT_OK;
  }
  char path[4096];
  if (store_token(token, path, sizeof path) != 0)
    return local_failure(ctx, "cannot write the token file (~/.config/nuage/token)");
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "status", "signed in");
  nu_out_str(&ctx->out, "token_file", path);
  nu_out_end(&ctx->out);
  return NU_CTL_EXIT_OK;
}

int nu_ctl_cmd_login(nu_ctl *ctx) {
  char password[1100], code[64];
  Nuage__V1__LoginRequest req = NUAGE__V1__LOGIN_REQUEST__INIT;
  ProtobufCMessage *msg = NULL;
  int rc;

  if (read_secret("password: ", password, sizeof password) != 0)
    return local_failure(ctx, "no password given");
  req.login = ctx->argv[0];
  req.password = password;
  rc = nu_ctl_call(ctx, "/nuage.v1.AuthService/Login", &req.base,
                   &nuage__v1__login_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  explicit_bzero(password, sizeof password);
  if (rc != 0) return rc;
  const Nuage__V1__LoginResponse *resp = (const void *)msg;
  if (resp->challenge_token == NULL || resp->challenge_token[0] == '\0') {
    rc = finish_login(ctx, resp->session_token);
    protobuf_c_message_free_unpacked(msg, NULL);
    return rc;
  }
  /* Second step: the account has TOTP. */
  Nuage__V1__VerifyLoginCodeRequest vreq = NUAGE__V1__VERIFY_LOGIN_CODE_REQUEST__INIT;
  vreq.challenge_token = resp->challenge_token;
  if (read_secret("TOTP code: ", code, sizeof code) != 0) {
    protobuf_c_message_free_unpacked(msg, NULL);
    return local_failure(ctx, "no TOTP code given");
  }
  vreq.code = code;
  ProtobufCMessage *vmsg = NULL;
  rc = nu_ctl_call(ctx, "/nuage.v1.AuthService/VerifyLoginCode", &vreq.base,
                   &nuage__v1__login_response__descriptor, DEFAULT_TIMEOUT_MS, &vmsg);
  protobuf_c_message_free_unpacked(msg, NULL);
  if (rc != 0) return rc;
  rc = finish_login(ctx, ((const Nuage__V1__LoginResponse *)vmsg)->session_token);
  protobuf_c_message_free_unpacked(vmsg, NULL);
  return rc;
}

/* ---- org create --------------------------------------------------------------- */

int nu_ctl_cmd_org(nu_ctl *ctx) {
  if (strcmp(ctx->argv[0], "create") != 0 || ctx->argc != 2) {
    fprintf(stderr, "nuagectl: usage: nuagectl org create NAME [--seller] [--siret SIRET]\n");
    return NU_CTL_EXIT_USAGE;
  }
  Nuage__V1__Organization org = NUAGE__V1__ORGANIZATION__INIT;
  Nuage__V1__CreateOrganizationRequest req = NUAGE__V1__CREATE_ORGANIZATION_REQUEST__INIT;
  org.name = ctx->argv[1];
  org.seller = nu_ctl_option_value(ctx, "seller") != NULL;
  org.buyer = !org.seller || nu_ctl_option_value(ctx, "buyer") != NULL;
  if (nu_ctl_option_value(ctx, "siret") != NULL)
    org.siret = (char *)nu_ctl_option_value(ctx, "siret");
  req.organization = &org;
  if (ctx->request_id != NULL) req.request_id = (char *)ctx->request_id;
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, "/nuage.v1.OrganizationService/CreateOrganization", &req.base,
                       &nuage__v1__organization__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  const Nuage__V1__Organization *o = (const void *)msg;
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "id", o->id);
  nu_out_str(&ctx->out, "name", o->name);
  nu_out_str(&ctx->out, "buyer", o->buyer ? "true" : "false");
  nu_out_str(&ctx->out, "seller", o->seller ? "true" : "false");
  nu_out_end(&ctx->out);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

/* ---- invite ------------------------------------------------------------------- */

int nu_ctl_cmd_invite(nu_ctl *ctx) {
  const char *level = nu_ctl_option_value(ctx, "level");
  Nuage__V1__Level l = NUAGE__V1__LEVEL__LEVEL_VISITOR;
  if (level != NULL && strcmp(level, "manager") == 0)
    l = NUAGE__V1__LEVEL__LEVEL_MANAGER;
  else if (level != NULL && strcmp(level, "visitor") != 0) {
    fprintf(stderr, "nuagectl: invite: --level is visitor or manager\n");
    return NU_CTL_EXIT_USAGE;
  }
  Nuage__V1__SectionRole roles[9];
  Nuage__V1__SectionRole *role_ptrs[9];
  for (int i = 0; i < 9; i++) {
    nuage__v1__section_role__init(&roles[i]);
    roles[i].section = (Nuage__V1__Section)(i + 1);
    roles[i].level = l;
    role_ptrs[i] = &roles[i];
  }
  Nuage__V1__CreateInvitationRequest req = NUAGE__V1__CREATE_INVITATION_REQUEST__INIT;
  req.email = ctx->argv[0];
  if (nu_ctl_option_value(ctx, "org") != NULL)
    req.organization_id = (char *)nu_ctl_option_value(ctx, "org");
  if (nu_ctl_option_value(ctx, "login") != NULL)
    req.login = (char *)nu_ctl_option_value(ctx, "login");
  req.roles = role_ptrs;
  req.n_roles = 9;
  if (ctx->request_id != NULL) req.request_id = (char *)ctx->request_id;
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, "/nuage.v1.OrganizationService/CreateInvitation", &req.base,
                       &nuage__v1__invitation__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  const Nuage__V1__Invitation *inv = (const void *)msg;
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "id", inv->id);
  nu_out_str(&ctx->out, "organization_id", inv->organization_id);
  nu_out_str(&ctx->out, "email", inv->email);
  nu_out_str(&ctx->out, "login", inv->login);
  nu_out_str(&ctx->out, "state", "pending");
  nu_out_end(&ctx->out);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

/* ---- domains import ------------------------------------------------------------ */

static const char *norm_kind(Nuage__V1__NormalizationKind k) {
  switch (k) {
    case NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_TRIMMED: return "trimmed";
    case NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_TRIMMED_NO_BREAK_SPACE:
      return "no-break space trimmed";
    case NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_LOWERCASED: return "lower-cased";
    case NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_ROOT_DOT_REMOVED:
      return "root dot removed";
    case NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_IDNA_A_LABEL: return "to A-labels";
    default: return "changed";
  }
}

static void print_summary(nu_ctl *ctx, const Nuage__V1__EligibleDomainImport *s) {
  nu_out *o = &ctx->out;
  nu_out_begin(o);
  nu_out_str(o, "id", s->id);
  nu_out_str(o, "source", s->source);
  nu_out_int(o, "lines", s->lines);
  nu_out_int(o, "accepted", s->accepted);
  nu_out_int(o, "normalized", s->normalized);
  nu_out_int(o, "duplicates", s->duplicates);
  nu_out_int(o, "invalid", s->invalid);
  nu_out_int(o, "empty", s->empty);
  nu_out_int(o, "comments", s->comments);
  nu_out_begin_array(o, "normalized_lines");
  for (size_t i = 0; i < s->n_normalized_lines; i++) {
    const Nuage__V1__NormalizedLine *n = s->normalized_lines[i];
    nu_out_begin_object(o, NULL);
    nu_out_int(o, "line", n->line);
    nu_out_str(o, "result", n->result);
    nu_out_str(o, "change", n->n_kinds > 0 ? norm_kind(n->kinds[0]) : "changed");
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
  nu_out_begin_array(o, "invalid_lines");
  for (size_t i = 0; i < s->n_invalid_lines; i++) {
    const Nuage__V1__InvalidLine *n = s->invalid_lines[i];
    nu_out_begin_object(o, NULL);
    nu_out_int(o, "line", n->line);
    nu_out_str(o, "reason", n->reason);
    nu_out_str(o, "text", n->text);
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
  nu_out_begin_array(o, "duplicate_lines");
  for (size_t i = 0; i < s->n_duplicate_lines; i++) {
    const Nuage__V1__DuplicateLine *n = s->duplicate_lines[i];
    nu_out_begin_object(o, NULL);
    nu_out_int(o, "line", n->line);
    nu_out_int(o, "first_line", n->first_line);
    nu_out_str(o, "domain", n->domain);
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
  nu_out_end(o);
}

/* Reads the stream's next message; on the end, reports a failure. */
static int next_reply(nu_ctl *ctx, nu_client_stream *s,
                      Nuage__V1__ImportEligibleDomainsResponse **reply) {
  ProtobufCMessage *msg = NULL;
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  int r = nu_client_stream_read(s, -1, &nuage__v1__import_eligible_domains_response__descriptor,
                                &msg, &st);
  if (r == NU_CLIENT_STREAM_MESSAGE) {
    *reply = (void *)msg;
    return 0;
  }
  int rc = st.code != 0 ? nu_ctl_report_error(ctx, &st)
                        : local_failure(ctx, "the server ended the import without a summary");
  nu_client_status_clear(&st);
  return rc;
}

static int import_domains(nu_ctl *ctx, const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "nuagectl: cannot read %s: %s\n", path, strerror(errno));
    return NU_CTL_EXIT_USAGE;
  }
  static unsigned char buf[IMPORT_CHUNK];
  const char *slash = strrchr(path, '/');
  nu_client_stream *s = NULL;
  int rc = NU_CTL_EXIT_OK;
  Nuage__V1__ImportEligibleDomainsResponse *reply = NULL;
  /* fread is short only at the end of the file (or on an error), so a
   * short chunk is the last; a file of whole chunks ends with an empty one.
   * The server acts on `last`: the client's side need not be closed. */
  Nuage__V1__ImportEligibleDomainsRequest req = NUAGE__V1__IMPORT_ELIGIBLE_DOMAINS_REQUEST__INIT;
  req.chunk.data = buf;
  req.chunk.len = fread(buf, 1, sizeof buf, f);
  req.last = req.chunk.len < sizeof buf;
  req.source = (char *)(slash != NULL ? slash + 1 : path);
  rc = nu_ctl_open_bidi(ctx, "/nuage.v1.EligibilityService/ImportEligibleDomains", &req.base, &s);
  while (rc == 0) {
    rc = next_reply(ctx, s, &reply);
    if (rc != 0) break;
    if (reply->event_case == NUAGE__V1__IMPORT_ELIGIBLE_DOMAINS_RESPONSE__EVENT_SUMMARY) {
      print_summary(ctx, reply->summary);
      protobuf_c_message_free_unpacked(&reply->base, NULL);
      break;
    }
    if (reply->progress != NULL) {
      fprintf(stderr, "importing: %lld lines, %lld bytes\n", (long long)reply->progress->lines,
              (long long)reply->progress->bytes);
    }
    protobuf_c_message_free_unpacked(&reply->base, NULL);
    req.source = "";
    req.chunk.len = fread(buf, 1, sizeof buf, f);
    req.last = req.chunk.len < sizeof buf;
    /* A refused write means the call ended: the next read says why. */
    (void)nu_client_stream_write(s, &req.base, 0);
  }
  if (ferror(f) && rc == NU_CTL_EXIT_OK) rc = local_failure(ctx, "reading the file failed");
  fclose(f);
  nu_client_stream_close(s);
  return rc;
}

int nu_ctl_cmd_domains(nu_ctl *ctx) {
  if (strcmp(ctx->argv[0], "import") != 0 || ctx->argc != 2) {
    fprintf(stderr, "nuagectl: usage: nuagectl domains import FILE\n");
    return NU_CTL_EXIT_USAGE;
  }
  return import_domains(ctx, ctx->argv[1]);
}

/* ---- eligibility check ----------------------------------------------------------- */

int nu_ctl_cmd_eligibility(nu_ctl *ctx) {
  if (strcmp(ctx->argv[0], "check") != 0 || ctx->argc != 2) {
    fprintf(stderr, "nuagectl: usage: nuagectl eligibility check EMAIL\n");
    return NU_CTL_EXIT_USAGE;
  }
  Nuage__V1__CheckEligibilityRequest req = NUAGE__V1__CHECK_ELIGIBILITY_REQUEST__INIT;
  req.email = ctx->argv[1];
  ProtobufCMessage *msg = NULL;
  int rc =
      nu_ctl_call(ctx, "/nuage.v1.EligibilityService/CheckEligibility", &req.base,
                  &nuage__v1__check_eligibility_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  const Nuage__V1__CheckEligibilityResponse *r = (const void *)msg;
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "email", ctx->argv[1]);
  nu_out_str(&ctx->out, "eligible", r->eligible ? "true" : "false");
  nu_out_str(&ctx->out, "matched_domain", r->eligible ? r->matched_domain : NULL);
  if (r->eligible) nu_out_int(&ctx->out, "matched_line", r->matched_line);
  nu_out_end(&ctx->out);
  rc = r->eligible ? NU_CTL_EXIT_OK : NU_CTL_EXIT_NEGATIVE;
  protobuf_c_message_free_unpacked(msg, NULL);
  return rc;
}

/* ---- links: set-password, accept-invitation ------------------------------------ */

/* The e-mailed links carry "…?token=nul_…"; both the token and the whole
 * link are accepted. */
static const char *link_token(const char *arg) {
  const char *t = strstr(arg, "token=");
  return t != NULL ? t + strlen("token=") : arg;
}

int nu_ctl_cmd_set_password(nu_ctl *ctx) {
  char password[1100], code[64] = "";
  Nuage__V1__ResetPasswordRequest req = NUAGE__V1__RESET_PASSWORD_REQUEST__INIT;
  char token[256];
  snprintf(token, sizeof token, "%s", link_token(ctx->argv[0]));
  token[strcspn(token, "&")] = '\0';
  if (read_secret("new password: ", password, sizeof password) != 0)
    return local_failure(ctx, "no password given");
  if (nu_ctl_option_value(ctx, "totp") != NULL &&
      read_secret("TOTP code: ", code, sizeof code) != 0) {
    explicit_bzero(password, sizeof password);
    return local_failure(ctx, "no TOTP code given");
  }
  req.token = token;
  req.new_password = password;
  req.code = code;
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, "/nuage.v1.AuthService/ResetPassword", &req.base,
                       &nuage__v1__reset_password_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  explicit_bzero(password, sizeof password);
  explicit_bzero(token, sizeof token);
  if (rc != 0) return rc;
  protobuf_c_message_free_unpacked(msg, NULL);
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "status", "password set");
  nu_out_end(&ctx->out);
  return NU_CTL_EXIT_OK;
}

int nu_ctl_cmd_accept_invitation(nu_ctl *ctx) {
  char password[1100] = "";
  Nuage__V1__AcceptInvitationRequest req = NUAGE__V1__ACCEPT_INVITATION_REQUEST__INIT;
  char token[256];
  snprintf(token, sizeof token, "%s", link_token(ctx->argv[0]));
  token[strcspn(token, "&")] = '\0';
  if (nu_ctl_option_value(ctx, "existing-account") == NULL &&
      read_secret("password for the new account: ", password, sizeof password) != 0)
    return local_failure(ctx, "no password given");
  req.token = token;
  req.password = password;
  const char *mobile = nu_ctl_option_value(ctx, "phone-mobile");
  const char *landline = nu_ctl_option_value(ctx, "phone-landline");
  if (mobile != NULL) req.phone_mobile = (char *)mobile;
  if (landline != NULL) req.phone_landline = (char *)landline;
  ProtobufCMessage *msg = NULL;
  int rc =
      nu_ctl_call(ctx, "/nuage.v1.OrganizationService/AcceptInvitation", &req.base,
                  &nuage__v1__accept_invitation_response__descriptor, DEFAULT_TIMEOUT_MS, &msg);
  explicit_bzero(password, sizeof password);
  explicit_bzero(token, sizeof token);
  if (rc != 0) return rc;
  const Nuage__V1__AcceptInvitationResponse *r = (const void *)msg;
  nu_out_begin(&ctx->out);
  nu_out_str(&ctx->out, "organization_id", r->organization_id);
  nu_out_str(&ctx->out, "login", r->login);
  nu_out_end(&ctx->out);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

/* ---- shared with the other command files (ctl.h) ------------------------------ */

int nu_ctl_read_secret(const char *prompt, char *buf, size_t size) {
  return read_secret(prompt, buf, size);
}

int nu_ctl_local_failure(nu_ctl *ctx, const char *message) { return local_failure(ctx, message); }

void nu_ctl_link_token(const char *arg, char *token, size_t size) {
  snprintf(token, size, "%s", link_token(arg));
  token[strcspn(token, "&")] = '\0';
}
