/*
 * eligibility.c — EligibilityService: importing the eligible-domain list
 * (a bidirectional stream, or a file in the server's import directory), checking an e-mail,
 * listing an organisation's credits (DOMAIN.md §2).
 *
 * The import parses as bytes arrive (domain/eligibility/domain_list) and
 * touches the database once, after the message marked last: the whole list
 * is replaced in one transaction. That transaction runs on a thread of its
 * own, since stream callbacks run on completion-queue threads that must not
 * block.
 */
#include "server/rpc/eligibility/eligibility.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nuage/v1/eligibility.pb-c.h"
#include "server/common/confined_file.h"
#include "server/common/utf8.h"
#include "server/domain/eligibility/domain_list.h"
#include "server/domain/eligibility/policy.h"
#include "server/domain/identity/login.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/store/eligibility/credit_store.h"
#include "server/store/eligibility/eligibility_store.h"
#include "server/validate/email.h"

/* The context's limits: domain/eligibility/policy.h. */
#define NU_IMPORT_MAX_BYTES NU_ELIGIBILITY_IMPORT_MAX_BYTES

/* ---- the import's summary ------------------------------------------------- */

/* text as valid UTF-8 (a proto3 string must be), bad bytes as U+FFFD. */
static char *utf8_clean(nu_arena *a, const char *text, size_t len) {
  char *out = nu_arena_alloc(a, 3 * len + 1);
  if (out == NULL) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    size_t n = nu_utf8_seq_len((const unsigned char *)text + i, len - i);
    if (n == 0 || text[i] == '\0') {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i += 1;
    } else {
      memcpy(out + o, text + i, n);
      o += n;
      i += n;
    }
  }
  out[o] = '\0';
  return out;
}

static const struct {
  unsigned bit;
  Nuage__V1__NormalizationKind api;
} norm_kinds[] = {
    {NU_DOMAIN_NORM_TRIMMED, NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_TRIMMED},
    {NU_DOMAIN_NORM_TRIMMED_NBSP,
     NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_TRIMMED_NO_BREAK_SPACE},
    {NU_DOMAIN_NORM_LOWERCASED, NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_LOWERCASED},
    {NU_DOMAIN_NORM_ROOT_DOT, NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_ROOT_DOT_REMOVED},
    {NU_DOMAIN_NORM_IDNA, NUAGE__V1__NORMALIZATION_KIND__NORMALIZATION_KIND_IDNA_A_LABEL},
};

static Nuage__V1__NormalizedLine *normalized_to_api(nu_arena *a, const nu_domain_normalised *n) {
  Nuage__V1__NormalizedLine *l =
      NU_RPC_NEW(a, Nuage__V1__NormalizedLine, nuage__v1__normalized_line__init);
  if (l == NULL) return NULL;
  l->line = (int32_t)n->line;
  l->result = utf8_clean(a, n->result, strlen(n->result));
  const size_t n_norm = sizeof(norm_kinds) / sizeof(norm_kinds[0]);
  l->kinds = nu_arena_calloc(a, n_norm, sizeof(*l->kinds));
  if (l->result == NULL || l->kinds == NULL) return NULL;
  for (size_t i = 0; i < n_norm; i++) {
    if (n->kinds & norm_kinds[i].bit) l->kinds[l->n_kinds++] = norm_kinds[i].api;
  }
  return l;
}

/* The summary of an import of list, recorded as import_id at now_ns. */
static Nuage__V1__EligibleDomainImport *summary_to_api(nu_arena *a, const nu_domain_list *list,
                                                       const char *import_id, const char *source,
                                                       int64_t now_ns) {
  Nuage__V1__EligibleDomainImport *s =
      NU_RPC_NEW(a, Nuage__V1__EligibleDomainImport, nuage__v1__eligible_domain_import__init);
  if (s == NULL) return NULL;
  const nu_domain_counts *k = &list->counts;
  s->id = (char *)import_id;
  s->source = (char *)source;
  s->lines = (int32_t)k->lines;
  s->accepted = (int32_t)list->entry_count;
  s->normalized = (int32_t)list->normalised_count;
  s->duplicates = (int32_t)k->duplicates;
  s->invalid = (int32_t)k->invalid;
  s->empty = (int32_t)k->empty;
  s->comments = (int32_t)k->comments;
  s->create_time = nu_rpc_timestamp(a, now_ns);
  if (list->normalised_count > 0) {
    s->normalized_lines = (Nuage__V1__NormalizedLine **)nu_rpc_array(a, list->normalised_count);
    if (s->normalized_lines == NULL) return NULL;
  }
  for (size_t i = 0; i < list->normalised_count; i++) {
    s->normalized_lines[i] = normalized_to_api(a, &list->normalised[i]);
    if (s->normalized_lines[i] == NULL) return NULL;
  }
  s->n_normalized_lines = list->normalised_count;
  if (list->invalid_count > 0) {
    s->invalid_lines = (Nuage__V1__InvalidLine **)nu_rpc_array(a, list->invalid_count);
    if (s->invalid_lines == NULL) return NULL;
  }
  for (size_t i = 0; i < list->invalid_count; i++) {
    const nu_domain_invalid *in = &list->invalid[i];
    Nuage__V1__InvalidLine *l =
        NU_RPC_NEW(a, Nuage__V1__InvalidLine, nuage__v1__invalid_line__init);
    if (l == NULL) return NULL;
    l->line = (int32_t)in->line;
    l->reason = (char *)in->reason;
    l->text = utf8_clean(a, in->text, in->text_len);
    if (l->text == NULL) return NULL;
    s->invalid_lines[i] = l;
  }
  s->n_invalid_lines = list->invalid_count;
  if (list->duplicate_count > 0) {
    s->duplicate_lines = (Nuage__V1__DuplicateLine **)nu_rpc_array(a, list->duplicate_count);
    if (s->duplicate_lines == NULL) return NULL;
  }
  for (size_t i = 0; i < list->duplicate_count; i++) {
    const nu_domain_duplicate *d = &list->duplicates[i];
    Nuage__V1__DuplicateLine *l =
        NU_RPC_NEW(a, Nuage__V1__DuplicateLine, nuage__v1__duplicate_line__init);
    if (l == NULL) return NULL;
    l->line = (int32_t)d->line;
    l->first_line = (int32_t)d->first_line;
    l->domain = (char *)d->name;
    s->duplicate_lines[i] = l;
  }
  s->n_duplicate_lines = list->duplicate_count;
  return s;
}

/* ---- replacing the list ----------------------------------------------------- */

typedef struct replace_run {
  nu_call *call;
  const nu_domain_list *list;
  const char *source;
  int64_t now_ns;
  const char *import_id;
} replace_run;

static nu_status replace_tx(nu_conn *c, nu_arena *a, void *arg) {
  replace_run *r = arg;
  const nu_domain_list *l = r->list;
  const char **names = nu_arena_calloc(a, l->entry_count + 1, sizeof(*names));
  uint32_t *lines = nu_arena_calloc(a, l->entry_count + 1, sizeof(*lines));
  if (names == NULL || lines == NULL) return nu_rpc_oom(a);
  for (size_t i = 0; i < l->entry_count; i++) {
    names[i] = l->entries[i].name;
    lines[i] = l->entries[i].line;
  }
  nu_domain_import imp = {
      .imported_by = nu_call_principal(r->call)->id,
      .source = r->source,
      .now_ns = r->now_ns,
      .names = names,
      .name_lines = lines,
      .count = l->entry_count,
      .lines = (int64_t)l->counts.lines,
      .normalised = (int64_t)l->normalised_count,
      .duplicates = (int64_t)l->counts.duplicates,
      .invalid = (int64_t)l->counts.invalid,
  };
  nu_status st = nu_eligibility_replace(c, a, &imp, &r->import_id);
  if (!nu_status_is_ok(&st)) return st;
  char counts[160];
  snprintf(counts, sizeof(counts),
           "lines=%zu accepted=%zu normalized=%zu duplicates=%zu invalid=%zu", l->counts.lines,
           l->entry_count, l->normalised_count, l->counts.duplicates, l->counts.invalid);
  nu_audit_change ch[] = {{"source", NULL, r->source}, {"counts", NULL, counts}};
  return nu_rpc_audit(r->call, c, NULL, "eligible_domains.import", "eligible_domain_import",
                      r->import_id, ch, 2);
}

/* Ends parsing, replaces the list, and builds the summary (arena). */
static nu_status import_list(nu_call *call, nu_domain_parser *p, const char *source,
                             Nuage__V1__EligibleDomainImport **out) {
  nu_arena *a = nu_call_arena(call);
  const nu_domain_list *list = NULL;
  nu_status st = nu_domain_parser_finish(p, &list);
  if (!nu_status_is_ok(&st)) return st;
  if (list->entry_count == 0) {
    return nu_error(a, NU_FAILED_PRECONDITION, "EMPTY_DOMAIN_LIST",
                    "the file holds no valid domain (%zu lines, %zu invalid): the list is kept",
                    list->counts.lines, list->counts.invalid);
  }
  replace_run r = {.call = call, .list = list, .source = source, .now_ns = nu_rpc_now(call)};
  st = nu_rpc_tx(call, false, replace_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  *out = summary_to_api(a, list, r.import_id, source, r.now_ns);
  return *out != NULL ? nu_ok() : nu_rpc_oom(a);
}

/* ---- ImportEligibleDomains (bidirectional stream) ------------------------- */

typedef struct import_stream {
  nu_domain_parser *parser;
  const char *source;
  int64_t bytes;
  int64_t lines;
  bool first;
  Nuage__V1__ImportEligibleDomainsResponse reply;
  Nuage__V1__ImportProgress progress;
  Nuage__V1__EligibleDomainImport *summary;
} import_stream;

static void on_chunk(nu_call *c, void *arg, ProtobufCMessage *msg, nu_status st);

static void gone(nu_call *c) {
  nu_call_finish(c, nu_error(nu_call_arena(c), NU_CANCELLED, NULL, "the client went away"));
}

static void on_progress_sent(nu_call *c, void *arg, bool ok) {
  if (!ok || nu_call_recv(c, on_chunk, arg) != 0) gone(c);
}

static void on_summary_sent(nu_call *c, void *arg, bool ok) {
  (void)arg;
  if (!ok) {
    gone(c);
    return;
  }
  nu_call_finish(c, nu_ok());
}

/* The commit, on a thread of its own (see top). */
typedef struct commit_job {
  nu_call *call;
  import_stream *s;
} commit_job;

static void *run_commit(void *arg) {
  commit_job *job = arg;
  nu_call *c = job->call;
  import_stream *s = job->s;
  nu_status st = import_list(c, s->parser, s->source, &s->summary);
  if (!nu_status_is_ok(&st)) {
    nu_call_finish(c, st);
    return NULL;
  }
  nuage__v1__import_eligible_domains_response__init(&s->reply);
  s->reply.event_case = NUAGE__V1__IMPORT_ELIGIBLE_DOMAINS_RESPONSE__EVENT_SUMMARY;
  s->reply.summary = s->summary;
  if (nu_call_send(c, &s->reply.base, on_summary_sent, s) != 0) gone(c);
  return NULL;
}

static void start_commit(nu_call *c, import_stream *s) {
  nu_arena *a = nu_call_arena(c);
  commit_job *job = nu_arena_alloc(a, sizeof(*job));
  if (job == NULL) {
    nu_call_finish(c, nu_rpc_oom(a));
    return;
  }
  job->call = c;
  job->s = s;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t t;
  int rc = pthread_create(&t, &attr, run_commit, job);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    nu_call_finish(c, nu_error(a, NU_UNAVAILABLE, "NO_THREAD", "cannot start the import"));
  }
}

static void on_chunk(nu_call *c, void *arg, ProtobufCMessage *msg, nu_status st) {
  import_stream *s = arg;
  nu_arena *a = nu_call_arena(c);
  if (!nu_status_is_ok(&st)) {
    nu_call_finish(c, st);
    return;
  }
  if (msg == NULL) {
    /* The client closed its side (or went away) without a last message:
     * nothing is imported. */
    nu_call_finish(c, nu_error(a, NU_FAILED_PRECONDITION, "IMPORT_INCOMPLETE",
                               "the stream ended before a message marked last: "
                               "the list is unchanged"));
    return;
  }
  const Nuage__V1__ImportEligibleDomainsRequest *req = (const void *)msg;
  if (s->first) {
    s->first = false;
    if (req->source[0] != '\0') {
      s->source = nu_arena_strndup(a, req->source, NU_ELIGIBILITY_SOURCE_MAX_LEN);
      if (s->source == NULL) {
        nu_call_finish(c, nu_rpc_oom(a));
        return;
      }
    }
  }
  s->bytes += (int64_t)req->chunk.len;
  if (s->bytes > NU_IMPORT_MAX_BYTES) {
    nu_call_finish(c,
                   nu_error(a, NU_RESOURCE_EXHAUSTED, "IMPORT_TOO_LARGE",
                            "the list is larger than %lld bytes", (long long)NU_IMPORT_MAX_BYTES));
    return;
  }
  for (size_t i = 0; i < req->chunk.len; i++) s->lines += req->chunk.data[i] == '\n';
  st = nu_domain_parser_feed(s->parser, req->chunk.data, req->chunk.len);
  if (!nu_status_is_ok(&st)) {
    nu_call_finish(c, st);
    return;
  }
  if (req->last) {
    start_commit(c, s);
    return;
  }
  nuage__v1__import_eligible_domains_response__init(&s->reply);
  nuage__v1__import_progress__init(&s->progress);
  s->progress.bytes = s->bytes;
  s->progress.lines = s->lines;
  s->reply.event_case = NUAGE__V1__IMPORT_ELIGIBLE_DOMAINS_RESPONSE__EVENT_PROGRESS;
  s->reply.progress = &s->progress;
  if (nu_call_send(c, &s->reply.base, on_progress_sent, s) != 0) gone(c);
}

static void import_eligible_domains(nu_call *call, const ProtobufCMessage *unused) {
  (void)unused;
  nu_arena *a = nu_call_arena(call);
  import_stream *s = nu_arena_calloc(a, 1, sizeof(*s));
  if (s == NULL || (s->parser = nu_domain_parser_new(a)) == NULL) {
    nu_call_finish(call, nu_rpc_oom(a));
    return;
  }
  s->source = "stream";
  s->first = true;
  if (nu_call_recv(call, on_chunk, s) != 0) gone(call);
}

/* ---- ImportEligibleDomainsFromFile ----------------------------------------- */

/* The path is relative to the import directory (--import-dir) and opened
 * there by nu_confined_open: absolute paths, "..", symbolic links and
 * anything but a regular file are refused, so no file outside that
 * directory is ever opened, and the answers do not tell whether one
 * exists. */
static nu_status validate_from_file(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ImportEligibleDomainsFromFileRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  const char *why = NULL;
  if (!nu_confined_path_valid(req->path, &why)) nu_validate_fail(&v, "path", "%s", why);
  return nu_validator_result(&v);
}

static nu_status unreadable(nu_arena *a) {
  nu_status st = nu_error(a, NU_FAILED_PRECONDITION, "FILE_UNREADABLE",
                          "no readable regular file at this path in the import directory");
  nu_status_add_violation(a, &st, "path", "names no readable regular file in the import directory");
  return st;
}

/* Feeds the open file fd to p, at most NU_IMPORT_MAX_BYTES (the file may
 * grow after it was measured). Closes fd. */
static nu_status read_list(nu_arena *a, int fd, nu_domain_parser *p) {
  FILE *f = fdopen(fd, "rb");
  if (f == NULL) {
    close(fd);
    return unreadable(a);
  }
  char buf[65536];
  size_t n;
  int64_t total = 0;
  nu_status st = nu_ok();
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
    total += (int64_t)n;
    if (total > NU_IMPORT_MAX_BYTES) {
      st = nu_error(a, NU_RESOURCE_EXHAUSTED, "IMPORT_TOO_LARGE",
                    "the list is larger than %lld bytes", (long long)NU_IMPORT_MAX_BYTES);
      break;
    }
    st = nu_domain_parser_feed(p, buf, n);
    if (!nu_status_is_ok(&st)) break;
  }
  if (nu_status_is_ok(&st) && ferror(f)) {
    st = nu_error(a, NU_FAILED_PRECONDITION, "FILE_UNREADABLE", "reading the file failed");
  }
  fclose(f);
  return st;
}

static nu_status import_from_file(nu_call *call, const ProtobufCMessage *msg,
                                  ProtobufCMessage **resp) {
  const Nuage__V1__ImportEligibleDomainsFromFileRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  const nu_app *app = nu_call_app(call);
  if (app->import_dir == NULL) {
    return nu_error(a, NU_FAILED_PRECONDITION, "IMPORT_DIR_NOT_CONFIGURED",
                    "the server has no import directory (--import-dir): stream the list with "
                    "ImportEligibleDomains instead");
  }
  nu_domain_parser *p = nu_domain_parser_new(a);
  if (p == NULL) return nu_rpc_oom(a);
  int fd = -1;
  int64_t size = 0;
  switch (nu_confined_open(app->import_dir, req->path, NU_IMPORT_MAX_BYTES, &fd, &size)) {
    case NU_CONFINED_OK: break;
    case NU_CONFINED_TOO_LARGE:
      return nu_error(a, NU_RESOURCE_EXHAUSTED, "IMPORT_TOO_LARGE",
                      "the list is larger than %lld bytes", (long long)NU_IMPORT_MAX_BYTES);
    case NU_CONFINED_NO_DIR:
      return nu_error(a, NU_FAILED_PRECONDITION, "IMPORT_DIR_UNAVAILABLE",
                      "the server's import directory cannot be opened");
    default: return unreadable(a);
  }
  nu_status st = read_list(a, fd, p);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__EligibleDomainImport *out = NULL;
  st = import_list(call, p, req->path, &out);
  if (!nu_status_is_ok(&st)) return st;
  *resp = &out->base;
  return nu_ok();
}

/* ---- CheckEligibility --------------------------------------------------------- */

static nu_status validate_check(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__CheckEligibilityRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_email(&v, "email", req->email, true);
  return nu_validator_result(&v);
}

typedef struct check_run {
  const char *domain;
  const char *matched;
  int32_t line;
} check_run;

static nu_status check_tx(nu_conn *c, nu_arena *a, void *arg) {
  check_run *r = arg;
  return nu_eligibility_lookup(c, a, r->domain, &r->matched, &r->line);
}

static nu_status check_eligibility(nu_call *call, const ProtobufCMessage *msg,
                                   ProtobufCMessage **resp) {
  const Nuage__V1__CheckEligibilityRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  char *email = nu_arena_alloc(a, NU_EMAIL_BUF_SIZE);
  if (email == NULL) return nu_rpc_oom(a);
  if (nu_email_normalize(req->email, email, NU_EMAIL_BUF_SIZE, NULL) != 0) {
    return nu_error(a, NU_INTERNAL, NULL, "e-mail normalisation failed after validation");
  }
  check_run r = {.domain = strrchr(email, '@') + 1};
  nu_status st = nu_rpc_tx(call, true, check_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__CheckEligibilityResponse *out = NU_RPC_NEW(
      a, Nuage__V1__CheckEligibilityResponse, nuage__v1__check_eligibility_response__init);
  if (out == NULL) return nu_rpc_oom(a);
  out->eligible = r.matched != NULL;
  out->matched_domain = r.matched != NULL ? (char *)r.matched : "";
  out->matched_line = r.line;
  *resp = &out->base;
  return nu_ok();
}

/* ---- ListCredits ---------------------------------------------------------------- */

static nu_status validate_list_credits(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListCreditsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_list_validate(&v, call, msg, req->page_size);
  nu_validate_max_len(&v, "organization_id", req->organization_id, 36);
  return nu_validator_result(&v);
}

static nu_status fetch_credits(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                               const void **rows, size_t *n) {
  const char *const *org = ctx; /* the organisation listed */
  nu_credit_row *credits = NULL;
  nu_status st =
      nu_credit_list(c, a, *org, page->after_key, page->after_id, page->limit, &credits, n);
  *rows = credits;
  /* A malformed organisation id is an organisation that does not exist. */
  if (st.code == NU_INVALID_ARGUMENT) return nu_rpc_not_found(a, "organization");
  return st;
}

static Nuage__V1__Money *money(nu_arena *a, int64_t cents, const char *currency) {
  Nuage__V1__Money *m = NU_RPC_NEW(a, Nuage__V1__Money, nuage__v1__money__init);
  if (m == NULL) return NULL;
  m->amount_cents = cents;
  m->currency = (char *)currency;
  return m;
}

static Nuage__V1__Credit *credit_to_api(nu_arena *a, const nu_credit_row *r) {
  Nuage__V1__Credit *k = NU_RPC_NEW(a, Nuage__V1__Credit, nuage__v1__credit__init);
  if (k == NULL) return NULL;
  k->id = (char *)r->id;
  k->organization_id = (char *)r->organization_id;
  k->nature = strcmp(r->nature, "eligibility_voucher") == 0
                  ? NUAGE__V1__CREDIT_NATURE__CREDIT_NATURE_ELIGIBILITY_VOUCHER
                  : NUAGE__V1__CREDIT_NATURE__CREDIT_NATURE_UNSPECIFIED;
  k->amount = money(a, r->amount_cents, r->currency);
  k->remaining = money(a, r->remaining_cents, r->currency);
  k->activation_date = (char *)r->activation_date;
  k->email = (char *)r->email;
  k->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  return k->amount != NULL && k->remaining != NULL ? k : NULL;
}

static ProtobufCMessage *credit_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__Credit *k = credit_to_api(a, row);
  return k != NULL ? &k->base : NULL;
}

static const nu_list_spec kCreditList = {
    .row_size = sizeof(nu_credit_row),
    NU_LIST_KEY_TEXT(nu_credit_row, activation_date),
    NU_LIST_ID(nu_credit_row, id),
    .fetch = fetch_credits,
    .to_api = credit_api,
};

static nu_status list_credits(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__ListCreditsRequest *req = (const void *)msg;
  const char *org = NULL;
  nu_status st = nu_rpc_scope_org(call, req->organization_id, &org);
  if (!nu_status_is_ok(&st)) return st;
  return nu_list_run(call, msg, req->page_size, &kCreditList, &org, resp);
}

/* ---- rows ---------------------------------------------------------------------- */

const nu_method nu_eligibility_methods[] = {
    NU_ROW_STREAM("/nuage.v1.EligibilityService/ImportEligibleDomains", NU_BIDI_STREAMING,
                  &nuage__v1__import_eligible_domains_request__descriptor,
                  &nuage__v1__import_eligible_domains_response__descriptor, NU_RUN_WORKER, NULL,
                  import_eligible_domains),
    NU_RPC_ROW("EligibilityService", "ImportEligibleDomainsFromFile",
               import_eligible_domains_from_file_request, eligible_domain_import,
               validate_from_file, import_from_file),
    NU_RPC_ROW("EligibilityService", "CheckEligibility", check_eligibility_request,
               check_eligibility_response, validate_check, check_eligibility,
               .rate_limit = NU_RATE_PUBLIC_WRITE),
    NU_RPC_ROW("EligibilityService", "ListCredits", list_credits_request, list_credits_response,
               validate_list_credits, list_credits),
};
const size_t nu_eligibility_methods_count =
    sizeof(nu_eligibility_methods) / sizeof(nu_eligibility_methods[0]);
