/*
 * cmd_order.c — the buyer's orders from the command line: `nuagectl order
 * preview|create|list|show` (nuage.v1.OrderService) and `nuagectl document
 * get` (DocumentService/GetDocument, streamed to a file and checked
 * against its SHA-256).
 *
 * Items are repeatable groups of options: each --product starts an item,
 * and --plan, --quantity, --months, --hours and --region that follow apply
 * to it (main.c keeps the options in the order given for this). CreateOrder
 * needs a request_id (AIP-155): the global --request-id, else one generated
 * here and printed, so that a create whose answer was lost can be retried
 * with it and get the same order instead of a second one.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "client/ctl/ctl.h"
#include "client/ctl/order_output.h"
#include "nuage/v1/document.pb-c.h"
#include "nuage/v1/order.pb-c.h"
#include "server/domain/money/money.h"

#define PREVIEW_METHOD "/nuage.v1.OrderService/PreviewOrder"
#define CREATE_METHOD "/nuage.v1.OrderService/CreateOrder"
#define GET_METHOD "/nuage.v1.OrderService/GetOrder"
#define LIST_METHOD "/nuage.v1.OrderService/ListOrders"
#define DOCUMENT_METHOD "/nuage.v1.DocumentService/GetDocument"
#define DEFAULT_TIMEOUT_MS 10000
#define DOCUMENT_POLL_MS 30000
#define DEFAULT_LIMIT 50
#define MAX_LIMIT 100000
#define MAX_ITEMS 100
#define STATUS_PREFIX "ORDER_STATUS_"
#define SORT_PREFIX "ORDER_SORT_"
#define LINE_PREFIX "LINE_PROVISIONING_"

/* ---- printing --------------------------------------------------------------------- */

void nu_ctl_out_money(nu_out *o, const char *key, const Nuage__V1__Money *m) {
  char buf[64];
  if (m == NULL) {
    nu_out_str(o, key, NULL);
  } else if (o->json) {
    nu_out_begin_object(o, key);
    nu_out_int(o, "amount_cents", m->amount_cents);
    nu_out_str(o, "currency", m->currency);
    nu_out_end_object(o);
  } else {
    char amount[32];
    if (nu_money_format(m->amount_cents, amount, sizeof amount) < 0) snprintf(amount, 32, "?");
    snprintf(buf, sizeof buf, "%s %s", amount,
             m->currency != NULL && m->currency[0] != '\0' ? m->currency : "EUR");
    nu_out_str(o, key, buf);
  }
}

void nu_ctl_out_time(nu_out *o, const char *key, const Google__Protobuf__Timestamp *t) {
  char buf[40];
  if (t == NULL || nu_out_format_timestamp(t->seconds, t->nanos, buf, sizeof buf) != 0)
    nu_out_str(o, key, NULL);
  else
    nu_out_str(o, key, buf);
}

const char *nu_ctl_order_status_word(int status, char *buf, size_t size) {
  return nu_out_enum_word(&nuage__v1__order_status__descriptor, STATUS_PREFIX, status, buf, size);
}

/* An empty string is "absent": null in JSON, left out for people. */
static const char *opt_str(const char *s) { return s != NULL && s[0] != '\0' ? s : NULL; }

void nu_ctl_out_order_line(nu_out *o, const Nuage__V1__OrderLine *l) {
  char buf[64];
  nu_out_str(o, "id", opt_str(l->id));
  nu_out_str(o, "product_code", l->product_code);
  nu_out_str(o, "designation", l->designation);
  nu_out_str(o, "product_id", l->product_id);
  nu_out_str(o, "plan_id", l->plan_id);
  nu_out_str(o, "region", opt_str(l->region));
  nu_out_int(o, "quantity", l->quantity);
  if (o->json || l->duration_months != 0) nu_out_int(o, "duration_months", l->duration_months);
  nu_ctl_out_money(o, "unit_price", l->unit_price);
  nu_ctl_out_money(o, "amount_excl_vat", l->amount_excl_vat);
  nu_out_int(o, "vat_rate_bp", l->vat_rate_bp);
  nu_ctl_out_money(o, "vat", l->vat);
  nu_ctl_out_money(o, "amount_incl_vat", l->amount_incl_vat);
  nu_ctl_out_money(o, "upfront", l->upfront);
  nu_ctl_out_money(o, "monthly_price", l->monthly_price);
  if (l->provisioning != 0) {
    nu_out_str(o, "provisioning",
               nu_out_enum_word(&nuage__v1__line_provisioning__descriptor, LINE_PREFIX,
                                l->provisioning, buf, sizeof buf));
    nu_out_int(o, "quantity_delivered", l->quantity_delivered);
    nu_out_int(o, "quantity_admitted", l->quantity_admitted);
  }
  nu_ctl_out_time(o, "expected_delivery_time", l->expected_delivery_time);
  nu_out_str(o, "failure_reason", opt_str(l->failure_reason));
  nu_out_str(o, "has_access_details", l->has_access_details ? "true" : "false");
}

static void out_lines(nu_out *o, Nuage__V1__OrderLine **lines, size_t n) {
  nu_out_begin_array(o, "lines");
  for (size_t i = 0; i < n; i++) {
    nu_out_begin_object(o, NULL);
    nu_ctl_out_order_line(o, lines[i]);
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
}

static void out_vat_table(nu_out *o, Nuage__V1__VatRow **rows, size_t n) {
  nu_out_begin_array(o, "vat_table");
  for (size_t i = 0; i < n; i++) {
    nu_out_begin_object(o, NULL);
    nu_out_int(o, "rate_bp", rows[i]->rate_bp);
    nu_ctl_out_money(o, "amount_excl_vat", rows[i]->amount_excl_vat);
    nu_ctl_out_money(o, "vat", rows[i]->vat);
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
}

void nu_ctl_out_order(nu_out *o, const Nuage__V1__Order *ord) {
  char buf[64];
  nu_out_str(o, "id", ord->id);
  nu_out_str(o, "number", ord->number);
  nu_out_str(o, "status", nu_ctl_order_status_word(ord->status, buf, sizeof buf));
  nu_out_str(o, "organization_id", ord->organization_id);
  nu_out_str(o, "organization_name", ord->organization_name);
  nu_out_str(o, "seller_id", ord->seller_id);
  nu_out_str(o, "seller_name", ord->seller_name);
  nu_out_str(o, "proposal_number", opt_str(ord->proposal_number));
  nu_out_str(o, "purchase_order_reference", opt_str(ord->purchase_order_reference));
  nu_out_str(o, "service_code", opt_str(ord->service_code));
  if (ord->contact != NULL) {
    nu_out_begin_object(o, "contact");
    nu_out_str(o, "name", ord->contact->name);
    nu_out_str(o, "email", opt_str(ord->contact->email));
    nu_out_str(o, "phone", opt_str(ord->contact->phone));
    nu_out_end_object(o);
  } else {
    nu_out_str(o, "contact", NULL);
  }
  nu_out_str(o, "placed_by_user_id", opt_str(ord->placed_by_user_id));
  nu_out_str(o, "placed_by_name", opt_str(ord->placed_by_name));
  nu_ctl_out_time(o, "create_time", ord->create_time);
  nu_ctl_out_time(o, "update_time", ord->update_time);
  out_lines(o, ord->lines, ord->n_lines);
  out_vat_table(o, ord->vat_table, ord->n_vat_table);
  nu_ctl_out_money(o, "total_excl_vat", ord->total_excl_vat);
  nu_ctl_out_money(o, "total_vat", ord->total_vat);
  nu_ctl_out_money(o, "total_incl_vat", ord->total_incl_vat);
  nu_out_begin_array(o, "documents");
  for (size_t i = 0; i < ord->n_documents; i++) {
    nu_out_begin_object(o, NULL);
    nu_out_str(o, "id", ord->documents[i]->id);
    nu_out_str(o, "number", ord->documents[i]->number);
    nu_out_str(o, "kind", ord->documents[i]->kind);
    nu_ctl_out_time(o, "create_time", ord->documents[i]->create_time);
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
  nu_out_begin_array(o, "linked_order_numbers");
  for (size_t i = 0; i < ord->n_linked_order_numbers; i++)
    nu_out_str(o, NULL, ord->linked_order_numbers[i]);
  nu_out_end_array(o);
  nu_out_begin_array(o, "admissions");
  for (size_t i = 0; i < ord->n_admissions; i++) {
    const Nuage__V1__Admission *a = ord->admissions[i];
    nu_out_begin_object(o, NULL);
    nu_out_str(o, "id", a->id);
    nu_out_str(o, "user_name", a->user_name);
    nu_ctl_out_time(o, "admit_time", a->admit_time);
    nu_out_begin_array(o, "lines");
    for (size_t j = 0; j < a->n_lines; j++) {
      nu_out_begin_object(o, NULL);
      nu_out_str(o, "line_id", a->lines[j]->line_id);
      nu_out_int(o, "quantity", a->lines[j]->quantity);
      nu_out_end_object(o);
    }
    nu_out_end_array(o);
    nu_out_end_object(o);
  }
  nu_out_end_array(o);
  nu_out_str(o, "incident_id", opt_str(ord->incident_id));
}

/* ---- options ---------------------------------------------------------------------- */

/* The option's value as a whole number in min..max into *out. Returns 0,
 * or NU_CTL_EXIT_USAGE after saying why. */
static int parse_int(const char *cmd, const char *name, const char *s, int64_t min, int64_t max,
                     int64_t *out) {
  char *end = NULL;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (s[0] == '\0' || *end != '\0' || errno != 0 || v < min || v > max) {
    fprintf(stderr, "nuagectl: %s: --%s '%s': expected a whole number, %" PRId64 "..%" PRId64 "\n",
            cmd, name, s, min, max);
    return NU_CTL_EXIT_USAGE;
  }
  *out = v;
  return 0;
}

/* The items the options describe, in the caller's storage. */
typedef struct items {
  Nuage__V1__OrderItem item[MAX_ITEMS];
  Nuage__V1__OrderItem *ptr[MAX_ITEMS];
  size_t n;
} items;

/* Groups the repeatable item options: each --product opens an item.
 * Returns 0, or NU_CTL_EXIT_USAGE after saying why. */
static int parse_items(const nu_ctl *ctx, items *it) {
  const char *cmd = ctx->command->name;
  it->n = 0;
  for (int i = 0; i < ctx->n_seen; i++) {
    const char *name = ctx->command->options[ctx->seen[i].index].name;
    const char *value = ctx->seen[i].value;
    Nuage__V1__OrderItem *cur = it->n > 0 ? &it->item[it->n - 1] : NULL;
    int64_t v = 0;
    bool item_option = true;

    if (strcmp(name, "product") == 0) {
      if (it->n == MAX_ITEMS) {
        fprintf(stderr, "nuagectl: %s: at most %d items\n", cmd, MAX_ITEMS);
        return NU_CTL_EXIT_USAGE;
      }
      cur = &it->item[it->n];
      nuage__v1__order_item__init(cur);
      cur->quantity = 1;
      cur->product_id = (char *)value;
      it->ptr[it->n] = cur;
      it->n++;
      continue;
    }
    if (strcmp(name, "plan") != 0 && strcmp(name, "quantity") != 0 && strcmp(name, "months") != 0 &&
        strcmp(name, "hours") != 0 && strcmp(name, "region") != 0)
      item_option = false;
    if (!item_option) continue;
    if (cur == NULL) {
      fprintf(stderr, "nuagectl: %s: --%s before any --product (each item starts with --product)\n",
              cmd, name);
      return NU_CTL_EXIT_USAGE;
    }
    if (strcmp(name, "plan") == 0) {
      cur->plan_id = (char *)value;
    } else if (strcmp(name, "region") == 0) {
      cur->region = (char *)value;
    } else if (strcmp(name, "quantity") == 0) {
      if (parse_int(cmd, name, value, 1, INT64_MAX, &v) != 0) return NU_CTL_EXIT_USAGE;
      cur->quantity = v;
    } else if (strcmp(name, "months") == 0) {
      if (parse_int(cmd, name, value, 1, INT32_MAX, &v) != 0) return NU_CTL_EXIT_USAGE;
      cur->duration_months = (int32_t)v;
    } else {
      if (parse_int(cmd, name, value, 1, INT64_MAX, &v) != 0) return NU_CTL_EXIT_USAGE;
      cur->hours = v;
    }
  }
  if (it->n == 0) {
    fprintf(stderr, "nuagectl: %s: no item: give --product ID --plan ID [--quantity N]\n", cmd);
    return NU_CTL_EXIT_USAGE;
  }
  for (size_t i = 0; i < it->n; i++) {
    if (it->item[i].plan_id[0] == '\0') { /* init leaves the empty string */
      fprintf(stderr, "nuagectl: %s: item %zu (product %s) has no --plan\n", cmd, i + 1,
              it->item[i].product_id);
      return NU_CTL_EXIT_USAGE;
    }
  }
  return 0;
}

/* A random UUID v4 into buf (37 bytes). */
static void new_request_id(char *buf, size_t size) {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
  b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
  snprintf(buf, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
           b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
           b[15]);
}

/* ---- order preview / create ------------------------------------------------------ */

int nu_ctl_cmd_order_preview(nu_ctl *ctx) {
  Nuage__V1__PreviewOrderRequest req = NUAGE__V1__PREVIEW_ORDER_REQUEST__INIT;
  items it;
  int rc = parse_items(ctx, &it);
  if (rc != 0) return rc;
  req.n_items = it.n;
  req.items = it.ptr;

  ProtobufCMessage *msg = NULL;
  rc = nu_ctl_call(ctx, PREVIEW_METHOD, &req.base, &nuage__v1__order_summary__descriptor,
                   DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  const Nuage__V1__OrderSummary *s = (const Nuage__V1__OrderSummary *)msg;
  nu_out *o = &ctx->out;
  nu_out_begin(o);
  nu_out_str(o, "seller_id", s->seller_id);
  nu_out_str(o, "seller_name", s->seller_name);
  out_lines(o, s->lines, s->n_lines);
  out_vat_table(o, s->vat_table, s->n_vat_table);
  nu_ctl_out_money(o, "total_excl_vat", s->total_excl_vat);
  nu_ctl_out_money(o, "total_vat", s->total_vat);
  nu_ctl_out_money(o, "total_incl_vat", s->total_incl_vat);
  nu_out_end(o);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

int nu_ctl_cmd_order_create(nu_ctl *ctx) {
  Nuage__V1__CreateOrderRequest req = NUAGE__V1__CREATE_ORDER_REQUEST__INIT;
  Nuage__V1__OrderContact contact = NUAGE__V1__ORDER_CONTACT__INIT;
  char generated[40];
  items it;
  int rc = parse_items(ctx, &it);
  if (rc != 0) return rc;
  req.n_items = it.n;
  req.items = it.ptr;
  req.purchase_order_reference = (char *)nu_ctl_option_value(ctx, "po-ref");
  req.service_code = (char *)nu_ctl_option_value(ctx, "service-code");
  contact.name = (char *)nu_ctl_option_value(ctx, "contact-name");
  contact.email = (char *)nu_ctl_option_value(ctx, "contact-email");
  contact.phone = (char *)nu_ctl_option_value(ctx, "contact-phone");
  if (contact.name == NULL) {
    fputs(
        "nuagectl: order create: --contact-name is required (who to call for the "
        "implementation)\n",
        stderr);
    return NU_CTL_EXIT_USAGE;
  }
  req.contact = &contact;
  if (ctx->request_id == NULL) {
    /* Printed before the call, so it is known even when the answer is lost. */
    if (sodium_init() < 0) return nu_ctl_local_failure(ctx, "cannot initialise libsodium");
    new_request_id(generated, sizeof generated);
    ctx->request_id = generated;
    fprintf(stderr, "request_id: %s (retry with --request-id %s)\n", generated, generated);
  }
  req.request_id = (char *)ctx->request_id;

  ProtobufCMessage *msg = NULL;
  rc = nu_ctl_call(ctx, CREATE_METHOD, &req.base, &nuage__v1__order__descriptor, DEFAULT_TIMEOUT_MS,
                   &msg);
  if (rc == 0) {
    nu_out_begin(&ctx->out);
    nu_out_str(&ctx->out, "request_id", ctx->request_id);
    nu_ctl_out_order(&ctx->out, (const Nuage__V1__Order *)msg);
    nu_out_end(&ctx->out);
    protobuf_c_message_free_unpacked(msg, NULL);
  }
  if (ctx->request_id == generated) ctx->request_id = NULL; /* not past this frame */
  return rc;
}

/* ---- order list --------------------------------------------------------------------- */

/* The API value of word for enum d (PREFIX_WORD), or -1. */
static int enum_parse(const ProtobufCEnumDescriptor *d, const char *prefix, const char *word) {
  char name[128];
  size_t n = (size_t)snprintf(name, sizeof name, "%s", prefix);
  for (const char *s = word; *s != '\0' && n + 1 < sizeof name; s++)
    name[n++] = *s == '-' ? '_' : (char)toupper((unsigned char)*s);
  name[n] = '\0';
  const ProtobufCEnumValue *v = protobuf_c_enum_descriptor_get_value_by_name(d, name);
  return v != NULL && v->value != 0 ? v->value : -1;
}

/* Says which words enum d takes, after an unknown one. */
static int enum_usage(const char *option, const char *word, const ProtobufCEnumDescriptor *d,
                      const char *prefix) {
  char buf[64];
  fprintf(stderr, "nuagectl: order list: --%s: '%s' is not one of:", option, word);
  for (unsigned i = 0; i < d->n_values; i++)
    if (d->values[i].value != 0)
      fprintf(stderr, " %s", nu_out_enum_word(d, prefix, d->values[i].value, buf, sizeof buf));
  fputc('\n', stderr);
  return NU_CTL_EXIT_USAGE;
}

/* --from/--to: RFC 3339, or a date (its midnight UTC). */
static int time_option(const nu_ctl *ctx, const char *name, Google__Protobuf__Timestamp *t,
                       Google__Protobuf__Timestamp **out) {
  const char *v = nu_ctl_option_value(ctx, name);
  char full[64];
  if (v == NULL) return 0;
  if (strlen(v) == 10) {
    snprintf(full, sizeof full, "%sT00:00:00Z", v);
  } else {
    snprintf(full, sizeof full, "%s", v);
  }
  google__protobuf__timestamp__init(t);
  if (nu_out_parse_timestamp(full, &t->seconds, &t->nanos) != 0) {
    fprintf(stderr,
            "nuagectl: order list: --%s '%s': expected RFC 3339 (2026-11-21T13:51:00Z) or a "
            "date (2026-11-21)\n",
            name, v);
    return NU_CTL_EXIT_USAGE;
  }
  *out = t;
  return 0;
}

static void list_header(FILE *f) {
  fprintf(f, "%-8s  %-20s  %-20s  %-24s  %14s  %s\n", "NUMBER", "CREATED", "STATUS", "SELLER",
          "EXCL. VAT", "ID");
}

static void list_row(FILE *f, const Nuage__V1__Order *ord) {
  char when[40] = "-", status[64], amount[32] = "-", seller[25];
  if (ord->create_time != NULL)
    nu_out_format_timestamp(ord->create_time->seconds, 0, when, sizeof when);
  if (ord->total_excl_vat != NULL) nu_money_format(ord->total_excl_vat->amount_cents, amount, 32);
  snprintf(seller, sizeof seller, "%s", ord->seller_name);
  fprintf(f, "%-8s  %-20s  %-20s  ", ord->number, when,
          nu_ctl_order_status_word(ord->status, status, sizeof status));
  nu_out_text(f, seller);
  for (size_t n = strlen(seller); n < 24; n++) fputc(' ', f);
  fprintf(f, "  %14s  %s\n", amount, ord->id);
}

int nu_ctl_cmd_order_list(nu_ctl *ctx) {
  Nuage__V1__ListOrdersRequest req = NUAGE__V1__LIST_ORDERS_REQUEST__INIT;
  Google__Protobuf__Timestamp from, to;
  int64_t limit = DEFAULT_LIMIT;
  const char *v;
  int rc;

  req.query = (char *)nu_ctl_option_value(ctx, "query");
  if ((v = nu_ctl_option_value(ctx, "status")) != NULL) {
    int s = enum_parse(&nuage__v1__order_status__descriptor, STATUS_PREFIX, v);
    if (s < 0) return enum_usage("status", v, &nuage__v1__order_status__descriptor, STATUS_PREFIX);
    req.status = (Nuage__V1__OrderStatus)s;
  }
  if ((v = nu_ctl_option_value(ctx, "sort")) != NULL) {
    int s = enum_parse(&nuage__v1__order_sort__descriptor, SORT_PREFIX, v);
    if (s < 0) return enum_usage("sort", v, &nuage__v1__order_sort__descriptor, SORT_PREFIX);
    req.sort = (Nuage__V1__OrderSort)s;
  }
  if ((rc = time_option(ctx, "from", &from, &req.create_time_from)) != 0 ||
      (rc = time_option(ctx, "to", &to, &req.create_time_to)) != 0)
    return rc;
  if ((v = nu_ctl_option_value(ctx, "limit")) != NULL &&
      parse_int("order list", "limit", v, 1, MAX_LIMIT, &limit) != 0)
    return NU_CTL_EXIT_USAGE;

  int64_t shown = 0;
  char *token = NULL;
  if (!ctx->json) list_header(stdout);
  while (shown < limit) {
    int64_t want = limit - shown;
    req.page_size = (int32_t)(want > 100 ? 100 : want);
    req.page_token = token;
    ProtobufCMessage *msg = NULL;
    rc = nu_ctl_call(ctx, LIST_METHOD, &req.base, &nuage__v1__list_orders_response__descriptor,
                     DEFAULT_TIMEOUT_MS, &msg);
    if (rc != 0) break;
    const Nuage__V1__ListOrdersResponse *resp = (const void *)msg;
    for (size_t i = 0; i < resp->n_orders && shown < limit; i++, shown++) {
      if (ctx->json) {
        nu_out_begin(&ctx->out);
        nu_ctl_out_order(&ctx->out, resp->orders[i]);
        nu_out_end(&ctx->out);
      } else {
        list_row(stdout, resp->orders[i]);
      }
    }
    free(token);
    token = resp->next_page_token != NULL && resp->next_page_token[0] != '\0'
                ? strdup(resp->next_page_token)
                : NULL;
    protobuf_c_message_free_unpacked(msg, NULL);
    if (token == NULL) break;
  }
  if (rc == 0 && !ctx->json)
    printf("%" PRId64 " order%s%s\n", shown, shown == 1 ? "" : "s",
           token != NULL ? " (more: raise --limit)" : "");
  fflush(stdout);
  free(token);
  return rc;
}

/* ---- order show ----------------------------------------------------------------------- */

int nu_ctl_cmd_order_show(nu_ctl *ctx) {
  Nuage__V1__GetOrderRequest req = NUAGE__V1__GET_ORDER_REQUEST__INIT;
  const char *ref = ctx->argv[0];
  /* A uuid is an id; anything else is an order number ("CC000042"). */
  if (strlen(ref) == 36 && ref[8] == '-' && ref[13] == '-')
    req.order_id = (char *)ref;
  else
    req.number = (char *)ref;
  ProtobufCMessage *msg = NULL;
  int rc = nu_ctl_call(ctx, GET_METHOD, &req.base, &nuage__v1__order__descriptor,
                       DEFAULT_TIMEOUT_MS, &msg);
  if (rc != 0) return rc;
  nu_out_begin(&ctx->out);
  nu_ctl_out_order(&ctx->out, (const Nuage__V1__Order *)msg);
  nu_out_end(&ctx->out);
  protobuf_c_message_free_unpacked(msg, NULL);
  return NU_CTL_EXIT_OK;
}

/* ---- document get ---------------------------------------------------------------------- */

/* The document's stream into f: info (a copy, caller frees with
 * protobuf_c_message_free_unpacked) and the SHA-256 and size of what came. */
typedef struct download {
  Nuage__V1__DocumentChunk *first; /* holds the info */
  crypto_hash_sha256_state sha;
  int64_t size;
} download;

static int receive(nu_ctl *ctx, nu_client_stream *stream, FILE *f, download *d) {
  nu_client_status st = NU_CLIENT_STATUS_INIT;
  int rc = NU_CTL_EXIT_OK;
  for (;;) {
    ProtobufCMessage *msg = NULL;
    int r = nu_client_stream_read(stream, DOCUMENT_POLL_MS, &nuage__v1__document_chunk__descriptor,
                                  &msg, &st);
    if (r == NU_CLIENT_STREAM_TIMEOUT) continue;
    if (r != NU_CLIENT_STREAM_MESSAGE) {
      if (st.code != NU_CLIENT_OK) rc = nu_ctl_report_error(ctx, &st);
      break;
    }
    Nuage__V1__DocumentChunk *c = (Nuage__V1__DocumentChunk *)msg;
    if (c->data.len > 0) {
      crypto_hash_sha256_update(&d->sha, c->data.data, c->data.len);
      d->size += (int64_t)c->data.len;
      if (fwrite(c->data.data, 1, c->data.len, f) != c->data.len) {
        protobuf_c_message_free_unpacked(msg, NULL);
        rc = nu_ctl_local_failure(ctx, "cannot write the document");
        break;
      }
    }
    if (d->first == NULL && c->info != NULL)
      d->first = c;
    else
      protobuf_c_message_free_unpacked(msg, NULL);
  }
  nu_client_status_clear(&st);
  if (rc == 0 && d->first == NULL) rc = nu_ctl_local_failure(ctx, "the server sent no document");
  return rc;
}

/* Whether what came is what the info announced. */
static bool verified(download *d, char *hex, size_t size) {
  unsigned char sum[crypto_hash_sha256_BYTES];
  const Nuage__V1__DocumentInfo *info = d->first->info;
  crypto_hash_sha256_final(&d->sha, sum);
  sodium_bin2hex(hex, size, sum, sizeof sum);
  return info->size == d->size && info->sha256 != NULL && strcasecmp(info->sha256, hex) == 0;
}

int nu_ctl_cmd_document_get(nu_ctl *ctx) {
  Nuage__V1__GetDocumentRequest req = NUAGE__V1__GET_DOCUMENT_REQUEST__INIT;
  nu_client_stream *stream = NULL;
  const char *path = nu_ctl_option_value(ctx, "output");
  char part[4096], fallback[256], hex[2 * crypto_hash_sha256_BYTES + 1];
  download d;
  FILE *f = NULL;
  int rc;

  if (sodium_init() < 0) return nu_ctl_local_failure(ctx, "cannot initialise libsodium");
  memset(&d, 0, sizeof d);
  crypto_hash_sha256_init(&d.sha);
  /* Written beside the target, renamed once checked: a broken download
   * never leaves a file that looks complete. */
  snprintf(part, sizeof part, "%s.part", path != NULL ? path : "nuagectl-document");
  if ((f = fopen(part, "wb")) == NULL) return nu_ctl_local_failure(ctx, "cannot create the file");
  req.document_id = ctx->argv[0];
  rc = nu_ctl_open_stream(ctx, DOCUMENT_METHOD, &req.base, &stream);
  if (rc == 0) rc = receive(ctx, stream, f, &d);
  nu_client_stream_close(stream);
  if (fclose(f) != 0 && rc == 0) rc = nu_ctl_local_failure(ctx, "cannot write the document");
  if (rc == 0 && !verified(&d, hex, sizeof hex))
    rc = nu_ctl_local_failure(ctx, "the document received does not match its size and sha256");
  if (rc == 0 && path == NULL) {
    /* Default: the document's number, as its PDF when it is one. */
    const Nuage__V1__DocumentInfo *info = d.first->info;
    bool pdf = info->content_type != NULL && strcmp(info->content_type, "application/pdf") == 0;
    snprintf(fallback, sizeof fallback, "%s%s",
             info->number != NULL && info->number[0] != '\0' && strchr(info->number, '/') == NULL
                 ? info->number
                 : "document",
             pdf ? ".pdf" : "");
    path = fallback;
  }
  if (rc == 0 && rename(part, path) != 0) rc = nu_ctl_local_failure(ctx, "cannot rename the file");
  if (rc != 0) {
    unlink(part);
  } else {
    const Nuage__V1__DocumentInfo *info = d.first->info;
    nu_out_begin(&ctx->out);
    nu_out_str(&ctx->out, "id", info->id);
    nu_out_str(&ctx->out, "number", info->number);
    nu_out_str(&ctx->out, "kind", info->kind);
    nu_out_str(&ctx->out, "content_type", info->content_type);
    nu_out_int(&ctx->out, "size", info->size);
    nu_out_str(&ctx->out, "sha256", hex);
    nu_out_str(&ctx->out, "order_id", opt_str(info->order_id));
    nu_ctl_out_time(&ctx->out, "create_time", info->create_time);
    nu_out_str(&ctx->out, "file", path);
    nu_out_end(&ctx->out);
  }
  if (d.first != NULL) protobuf_c_message_free_unpacked(&d.first->base, NULL);
  return rc;
}
