/*
 * cmd_catalog.c — `nuagectl catalog list` and `nuagectl catalog show`:
 * browsing the marketplace catalogue (CatalogService/ListProducts and
 * GetProduct). `catalog estimate` lives in its own file.
 *
 * Enum values are typed as the API's names without their prefix, in lower
 * case ("secnumcloud", "machine_image", "hourly"), and printed the same
 * way; the generated enum descriptors do the mapping, so a value added to
 * catalog.proto works here without a table to update.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/ctl/ctl.h"
#include "nuage/v1/catalog.pb-c.h"

#define LIST_METHOD "/nuage.v1.CatalogService/ListProducts"
#define GET_METHOD "/nuage.v1.CatalogService/GetProduct"
#define DEFAULT_TIMEOUT_MS 10000
#define DEFAULT_LIMIT 50
#define MAX_LIMIT 100000
#define MAX_VALUES 32
#define NAME_WIDTH 40
#define SELLER_WIDTH 24

/* ---- enums between the command line and the API ---------------------------- */

/* The API value of word for enum d whose values are PREFIX_WORD ("hds" →
 * CERTIFICATION_HDS); -1 when unknown. */
static int enum_parse(const ProtobufCEnumDescriptor *d, const char *prefix, const char *word) {
  char name[128];
  size_t n = (size_t)snprintf(name, sizeof(name), "%s", prefix);
  for (const char *s = word; *s != '\0' && n + 1 < sizeof(name); s++) {
    name[n++] = *s == '-' ? '_' : (char)toupper((unsigned char)*s);
  }
  name[n] = '\0';
  const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value_by_name(d, name);
  return v != NULL && v->value != 0 ? v->value : -1;
}

/* Parses a comma-separated option into enum values (at most MAX_VALUES);
 * returns the count, or -1 after printing what is wrong. */
static int parse_list(const char *option, const char *value, const ProtobufCEnumDescriptor *d,
                      const char *prefix, int *out) {
  int n = 0;
  if (value == NULL) return 0;
  char *copy = strdup(value);
  if (copy == NULL) return -1;
  char *save = NULL;
  for (char *w = strtok_r(copy, ",", &save); w != NULL; w = strtok_r(NULL, ",", &save)) {
    int v = enum_parse(d, prefix, w);
    if (v < 0 || n >= MAX_VALUES) {
      fprintf(stderr, "nuagectl: --%s: '%s' is not one of:", option, w);
      for (unsigned i = 0; i < d->n_values; i++) {
        char buf[64];
        if (d->values[i].value != 0) {
          fprintf(stderr, " %s", nu_out_enum_word(d, prefix, d->values[i].value, buf, sizeof(buf)));
        }
      }
      fputc('\n', stderr);
      free(copy);
      return -1;
    }
    out[n++] = v;
  }
  free(copy);
  return n;
}

/* Splits a comma-separated option into strings (pointers into a copy the
 * caller frees with free(*copy)). */
static size_t split_list(const char *value, char **copy, char **out) {
  size_t n = 0;
  *copy = NULL;
  if (value == NULL) return 0;
  *copy = strdup(value);
  if (*copy == NULL) return 0;
  char *save = NULL;
  for (char *w = strtok_r(*copy, ",", &save); w != NULL && n < MAX_VALUES;
       w = strtok_r(NULL, ",", &save)) {
    out[n++] = w;
  }
  return n;
}

/* ---- printing ------------------------------------------------------------------ */

static void money_text(const Nuage__V1__Money *m, char *buf, size_t size) {
  if (m == NULL) {
    snprintf(buf, size, "-");
    return;
  }
  int64_t c = m->amount_cents;
  uint64_t u = c < 0 ? (uint64_t)0 - (uint64_t)c : (uint64_t)c;
  snprintf(buf, size, "%s%" PRIu64 ".%02" PRIu64 " %s", c < 0 ? "-" : "", u / 100, u % 100,
           m->currency != NULL && m->currency[0] != '\0' ? m->currency : "EUR");
}

/* A Money field: {"amount_cents":…,"currency":…} in JSON, "12.34 EUR" for
 * people; absent money is null / left out. */
static void out_money(nu_out *o, const char *key, const Nuage__V1__Money *m) {
  if (m == NULL) {
    nu_out_str(o, key, NULL);
  } else if (o->json) {
    nu_out_begin_object(o, key);
    nu_out_int(o, "amount_cents", m->amount_cents);
    nu_out_str(o, "currency", m->currency);
    nu_out_end_object(o);
  } else {
    char buf[64];
    money_text(m, buf, sizeof(buf));
    nu_out_str(o, key, buf);
  }
}

/* An enum list: a JSON array of words, or "a, b" for people. */
static void out_enums(nu_out *o, const char *key, const ProtobufCEnumDescriptor *d,
                      const char *prefix, const int *values, size_t n) {
  char buf[64];
  if (o->json) {
    nu_out_begin_array(o, key);
    for (size_t i = 0; i < n; i++)
      nu_out_str(o, NULL, nu_out_enum_word(d, prefix, values[i], buf, sizeof(buf)));
    nu_out_end_array(o);
    return;
  }
  char line[1024] = "";
  size_t len = 0;
  for (size_t i = 0; i < n && len + 1 < sizeof(line); i++) {
    len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", i > 0 ? ", " : "",
                            nu_out_enum_word(d, prefix, values[i], buf, sizeof(buf)));
  }
  nu_out_str(o, key, line);
}

/* A list of strings: a JSON array, or "a, b" for people. */
static void out_strings(nu_out *o, const char *key, char **values, size_t n) {
  if (o->json) {
    nu_out_begin_array(o, key);
    for (size_t i = 0; i < n; i++) nu_out_str(o, NULL, values[i]);
    nu_out_end_array(o);
    return;
  }
  char line[1024] = "";
  size_t len = 0;
  for (size_t i = 0; i < n && len + 1 < sizeof(line); i++) {
    len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", i > 0 ? ", " : "", values[i]);
  }
  nu_out_str(o, key, line);
}

#define KIND_PREFIX "PRODUCT_KIND_"
#define CERT_PREFIX "CERTIFICATION_"
#define CAP_PREFIX "CAPABILITY_"
#define MODEL_PREFIX "PRICING_MODEL_"
#define SORT_PREFIX "PRODUCT_SORT_"
#define STATE_PREFIX "STATE_"

/* One product as a record (JSON, or `key: value` lines for show). */
static void out_product(nu_out *o, const Nuage__V1__Product *p, bool with_plans) {
  char buf[64];
  nu_out_begin(o);
  nu_out_str(o, "id", p->id);
  nu_out_str(o, "code", p->code);
  nu_out_str(o, "name", p->name);
  nu_out_str(o, "seller_id", p->seller_id);
  nu_out_str(o, "seller_name", p->seller_name);
  nu_out_str(o, "kind",
             nu_out_enum_word(&nuage__v1__product_kind__descriptor, KIND_PREFIX, p->kind, buf,
                              sizeof(buf)));
  nu_out_str(o, "category", p->category);
  nu_out_str(o, "state",
             nu_out_enum_word(&nuage__v1__product__state__descriptor, STATE_PREFIX, p->state, buf,
                              sizeof(buf)));
  out_strings(o, "regions", p->regions, p->n_regions);
  out_enums(o, "certifications", &nuage__v1__certification__descriptor, CERT_PREFIX,
            (const int *)p->certifications, p->n_certifications);
  out_enums(o, "capabilities", &nuage__v1__capability__descriptor, CAP_PREFIX,
            (const int *)p->capabilities, p->n_capabilities);
  nu_out_str(o, "extra_eu_law", p->extra_eu_law ? "true" : "false");
  out_enums(o, "pricing_models", &nuage__v1__pricing_model__descriptor, MODEL_PREFIX,
            (const int *)p->pricing_models, p->n_pricing_models);
  out_money(o, "min_monthly_price", p->min_monthly_price);
  nu_out_str(o, "description", p->description);
  if (with_plans) {
    nu_out_begin_array(o, "pricing_plans");
    for (size_t i = 0; i < p->n_pricing_plans; i++) {
      const Nuage__V1__PricingPlan *pl = p->pricing_plans[i];
      nu_out_begin_object(o, NULL);
      nu_out_str(o, "id", pl->id);
      nu_out_str(o, "name", pl->name);
      nu_out_str(o, "model",
                 nu_out_enum_word(&nuage__v1__pricing_model__descriptor, MODEL_PREFIX, pl->model,
                                  buf, sizeof(buf)));
      out_money(o, "hourly_price", pl->hourly_price);
      out_money(o, "monthly_price", pl->monthly_price);
      if (pl->commitment_months != 0 || o->json)
        nu_out_int(o, "commitment_months", pl->commitment_months);
      out_money(o, "upfront", pl->upfront);
      nu_out_int(o, "vat_rate_bp", pl->vat_rate_bp);
      nu_out_str(o, "active", pl->active ? "true" : "false");
      nu_out_end_object(o);
    }
    nu_out_end_array(o);
  }
  nu_out_end(o);
}

/* Code points of a UTF-8 string (what a terminal column counts). */
static size_t width(const char *s) {
  size_t n = 0;
  for (; *s != '\0'; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* s cut to at most max code points ("…" marks a cut), padded to max. */
static void cell(FILE *f, const char *s, size_t max) {
  size_t w = width(s);
  if (w <= max) {
    nu_out_text(f, s);
    for (size_t i = w; i < max; i++) fputc(' ', f);
  } else {
    char cut[256];
    size_t bytes = 0, cps = 0;
    while (s[bytes] != '\0' && bytes + 4 < sizeof(cut)) {
      if (((unsigned char)s[bytes] & 0xC0) != 0x80 && ++cps > max - 1) break;
      bytes++;
    }
    memcpy(cut, s, bytes);
    strcpy(cut + bytes, "\xe2\x80\xa6"); /* … */
    nu_out_text(f, cut);
  }
  fputs("  ", f);
}

static void table_header(FILE *f) {
  fprintf(f, "%-10s  %-*s  %-*s  %-20s  %-14s  %s\n", "CODE", NAME_WIDTH, "NAME", SELLER_WIDTH,
          "SELLER", "KIND", "FROM/MONTH", "CERTIFICATIONS");
}

static void table_row(FILE *f, const Nuage__V1__Product *p) {
  char buf[64], money[64], certs[512] = "";
  size_t len = 0;
  cell(f, p->code, 10);
  cell(f, p->name, NAME_WIDTH);
  cell(f, p->seller_name, SELLER_WIDTH);
  cell(f,
       nu_out_enum_word(&nuage__v1__product_kind__descriptor, KIND_PREFIX, p->kind, buf,
                        sizeof(buf)),
       20);
  money_text(p->min_monthly_price, money, sizeof(money));
  cell(f, money, 14);
  for (size_t i = 0; i < p->n_certifications && len + 1 < sizeof(certs); i++) {
    len += (size_t)snprintf(certs + len, sizeof(certs) - len, "%s%s", i > 0 ? "," : "",
                            nu_out_enum_word(&nuage__v1__certification__descriptor, CERT_PREFIX,
                                             p->certifications[i], buf, sizeof(buf)));
  }
  nu_out_text(f, certs);
  fputc('\n', f);
}

/* ---- catalog list ------------------------------------------------------------------ */

/* The request the options describe; -1 after printing a usage error. The
 * arrays live in the caller's storage. */
typedef struct list_args {
  int kinds[MAX_VALUES], certs[MAX_VALUES], caps[MAX_VALUES], models[MAX_VALUES];
  char *regions[MAX_VALUES];
  char *regions_copy;
  long limit;
} list_args;

static int list_request(nu_ctl *ctx, list_args *la, Nuage__V1__ListProductsRequest *req) {
  int n;
  const char *v;
  req->query = (char *)nu_ctl_option_value(ctx, "query");
  if ((n = parse_list("kind", nu_ctl_option_value(ctx, "kind"),
                      &nuage__v1__product_kind__descriptor, KIND_PREFIX, la->kinds)) < 0)
    return -1;
  req->n_kinds = (size_t)n;
  req->kinds = (Nuage__V1__ProductKind *)la->kinds;
  if ((n = parse_list("certification", nu_ctl_option_value(ctx, "certification"),
                      &nuage__v1__certification__descriptor, CERT_PREFIX, la->certs)) < 0)
    return -1;
  req->n_certifications = (size_t)n;
  req->certifications = (Nuage__V1__Certification *)la->certs;
  if ((n = parse_list("capability", nu_ctl_option_value(ctx, "capability"),
                      &nuage__v1__capability__descriptor, CAP_PREFIX, la->caps)) < 0)
    return -1;
  req->n_capabilities = (size_t)n;
  req->capabilities = (Nuage__V1__Capability *)la->caps;
  if ((n = parse_list("model", nu_ctl_option_value(ctx, "model"),
                      &nuage__v1__pricing_model__descriptor, MODEL_PREFIX, la->models)) < 0)
    return -1;
  req->n_pricing_models = (size_t)n;
  req->pricing_models = (Nuage__V1__PricingModel *)la->models;
  req->n_regions = split_list(nu_ctl_option_value(ctx, "region"), &la->regions_copy, la->regions);
  req->regions = la->regions;
  req->seller_id = (char *)nu_ctl_option_value(ctx, "seller");
  req->exclude_extra_eu_law = nu_ctl_option_value(ctx, "sovereign") != NULL;
  req->include_unpublished = nu_ctl_option_value(ctx, "all") != NULL;
  if ((v = nu_ctl_option_value(ctx, "sort")) != NULL) {
    int s = enum_parse(&nuage__v1__product_sort__descriptor, SORT_PREFIX, v);
    if (s < 0) {
      fprintf(stderr, "nuagectl: --sort: '%s' is not one of: relevance name price newest\n", v);
      return -1;
    }
    req->sort = (Nuage__V1__ProductSort)s;
  }
  la->limit = DEFAULT_LIMIT;
  if ((v = nu_ctl_option_value(ctx, "limit")) != NULL) {
    char *end;
    la->limit = strtol(v, &end, 10);
    if (end == v || *end != '\0' || la->limit < 1 || la->limit > MAX_LIMIT) {
      fprintf(stderr, "nuagectl: --limit '%s': expected 1..%d\n", v, MAX_LIMIT);
      return -1;
    }
  }
  return 0;
}

/* Pages through ListProducts until --limit products or the end. */
static int catalog_list(nu_ctl *ctx) {
  Nuage__V1__ListProductsRequest req = NUAGE__V1__LIST_PRODUCTS_REQUEST__INIT;
  list_args la;
  memset(&la, 0, sizeof(la));
  if (list_request(ctx, &la, &req) != 0) {
    free(la.regions_copy);
    return NU_CTL_EXIT_USAGE;
  }
  long shown = 0;
  char *token = NULL;
  int rc = NU_CTL_EXIT_OK;
  if (!ctx->json) table_header(stdout);
  while (shown < la.limit) {
    long want = la.limit - shown;
    req.page_size = (int32_t)(want > 500 ? 500 : want);
    req.page_token = token;
    ProtobufCMessage *msg = NULL;
    rc = nu_ctl_call(ctx, LIST_METHOD, &req.base, &nuage__v1__list_products_response__descriptor,
                     DEFAULT_TIMEOUT_MS, &msg);
    if (rc != 0) break;
    const Nuage__V1__ListProductsResponse *resp = (const void *)msg;
    for (size_t i = 0; i < resp->n_products && shown < la.limit; i++, shown++) {
      if (ctx->json)
        out_product(&ctx->out, resp->products[i], false);
      else
        table_row(stdout, resp->products[i]);
    }
    free(token);
    token = resp->next_page_token != NULL && resp->next_page_token[0] != '\0'
                ? strdup(resp->next_page_token)
                : NULL;
    protobuf_c_message_free_unpacked(msg, NULL);
    if (token == NULL) break;
  }
  if (rc == 0 && !ctx->json) {
    printf("%ld product%s%s\n", shown, shown == 1 ? "" : "s",
           token != NULL ? " (more: raise --limit)" : "");
  }
  fflush(stdout);
  free(token);
  free(la.regions_copy);
  return rc;
}

/* ---- catalog show -------------------------------------------------------------------- */

/* By code when the argument looks like one ("NUP-1000"), else by id. */
static int catalog_show(nu_ctl *ctx, const char *ref) {
  Nuage__V1__GetProductRequest req = NUAGE__V1__GET_PRODUCT_REQUEST__INIT;
  bool is_id = strlen(ref) == 36 && ref[8] == '-' && ref[13] == '-';
  if (is_id)
    req.product_id = (char *)ref;
  else
    req.code = (char *)ref;
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, GET_METHOD, &req.base, &nuage__v1__product__descriptor,
                       DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  out_product(&ctx->out, (const Nuage__V1__Product *)msg, true);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

int nu_ctl_cmd_catalog_list(nu_ctl *ctx) { return catalog_list(ctx); }

int nu_ctl_cmd_catalog_show(nu_ctl *ctx) { return catalog_show(ctx, ctx->argv[0]); }
