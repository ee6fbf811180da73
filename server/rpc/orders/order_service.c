/*
 * order_service.c — OrderService: PreviewOrder and CreateOrder (direct
 * orders from catalogue plans, priced by order_pricing, placed by
 * order_placement), GetOrder, ListOrders and ListMyOrders, and
 * GetLineAccessDetails (the one place access details are unsealed).
 *
 * The buyer's members see their organisation's orders per their level on
 * `orders` (the method table checks it); an order of another organisation
 * answers exactly like an absent one.
 */
#include "server/rpc/orders/order_service.h"

#include <string.h>

#include "nuage/v1/order.pb-c.h"
#include "server/app/app.h"
#include "server/domain/identity/login.h"
#include "server/domain/orders/policy.h"
#include "server/rpc/core/handler.h"
#include "server/rpc/core/list.h"
#include "server/rpc/orders/access_details.h"
#include "server/rpc/orders/order_details.h"
#include "server/rpc/orders/order_placement.h"
#include "server/rpc/orders/order_pricing.h"
#include "server/rpc/orders/order_view.h"
#include "server/store/orders/order_store.h"
#include "server/validate/email.h"
#include "server/validate/ids.h"
#include "server/validate/phone.h"

static nu_status not_found(nu_arena *a) { return nu_rpc_not_found(a, "order"); }

/* Whether the caller may read the order: a member of the buyer acting for
 * it, or the platform operator. */
static bool readable(nu_call *call, const nu_order_row *o) {
  const nu_principal *p = nu_call_principal(call);
  return p->platform_operator ||
         (p->organization_id != NULL && strcmp(p->organization_id, o->organization_id) == 0);
}

/* ---- PreviewOrder ---------------------------------------------------------- */

static nu_status validate_preview(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__PreviewOrderRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_order_validate_items(&v, req->items, req->n_items);
  return nu_validator_result(&v);
}

typedef struct price_run {
  nu_call *call;
  Nuage__V1__OrderItem *const *items;
  size_t n;
  nu_order_row priced;
} price_run;

static nu_status price_tx(nu_conn *c, nu_arena *a, void *arg) {
  (void)a;
  price_run *r = arg;
  return nu_order_price(r->call, c, r->items, r->n, &r->priced);
}

static nu_status preview_order(nu_call *call, const ProtobufCMessage *msg,
                               ProtobufCMessage **resp) {
  const Nuage__V1__PreviewOrderRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  price_run r = {.call = call, .items = req->items, .n = req->n_items};
  nu_status st = nu_rpc_tx(call, true, price_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  Nuage__V1__OrderSummary *out = nu_order_summary_view(a, &r.priced);
  if (out == NULL) return nu_rpc_oom(a);
  *resp = &out->base;
  return nu_ok();
}

/* ---- CreateOrder ----------------------------------------------------------- */

static nu_status validate_create(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__CreateOrderRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_order_validate_items(&v, req->items, req->n_items);
  nu_validate_max_len(&v, "purchase_order_reference", req->purchase_order_reference,
                      NU_ORDER_REFERENCE_MAX_LEN);
  nu_validate_max_len(&v, "service_code", req->service_code, NU_ORDER_REFERENCE_MAX_LEN);
  if (req->contact == NULL) {
    nu_validate_fail(&v, "contact", "is required: who to call for the implementation");
  } else {
    nu_validate_required(&v, "contact.name", req->contact->name);
    nu_validate_max_len(&v, "contact.name", req->contact->name, NU_ORDER_CONTACT_NAME_MAX_LEN);
    nu_validate_email(&v, "contact.email", req->contact->email, true);
    nu_validate_phone(&v, "contact.phone", req->contact->phone);
  }
  nu_validate_required(&v, "request_id", req->request_id);
  if (req->n_linked_order_numbers > NU_ORDER_LINKS_MAX) {
    nu_validate_fail(&v, "linked_order_numbers", "holds at most %d orders", NU_ORDER_LINKS_MAX);
  }
  for (size_t i = 0; i < req->n_linked_order_numbers; i++) {
    const char *n = req->linked_order_numbers[i];
    if (strlen(n) != 8 || strncmp(n, "CC", 2) != 0 || strspn(n + 2, "0123456789") != 6) {
      const char *f = nu_arena_sprintf(v.arena, "linked_order_numbers[%zu]", i);
      if (f != NULL) nu_validate_fail(&v, f, "must be an order number: CC and 6 digits");
    }
  }
  if (req->expected_total_excl_vat != NULL &&
      strcmp(req->expected_total_excl_vat->currency, "EUR") != 0) {
    nu_validate_fail(&v, "expected_total_excl_vat.currency", "must be \"EUR\"");
  }
  return nu_validator_result(&v);
}

typedef struct create_run {
  nu_call *call;
  const Nuage__V1__CreateOrderRequest *req;
  const char *contact_email;
  const char *contact_phone;
} create_run;

static nu_status create_tx(nu_conn *c, nu_arena *a, void *arg, ProtobufCMessage **resp) {
  create_run *r = arg;
  const Nuage__V1__CreateOrderRequest *req = r->req;
  const nu_principal *p = nu_call_principal(r->call);
  nu_order_row in;
  memset(&in, 0, sizeof(in));
  nu_status st = nu_order_price(r->call, c, req->items, req->n_items, &in);
  if (!nu_status_is_ok(&st)) return st;
  if (req->expected_total_excl_vat != NULL &&
      req->expected_total_excl_vat->amount_cents != in.total_excl_vat_cents) {
    return nu_error(a, NU_FAILED_PRECONDITION, "PRICE_CHANGED",
                    "the price changed since the preview: preview the order again");
  }
  in.organization_id = p->organization_id;
  in.placed_by = p->id;
  in.purchase_order_reference = req->purchase_order_reference;
  in.service_code = req->service_code;
  in.contact_name = req->contact->name;
  in.contact_email = r->contact_email;
  in.contact_phone = r->contact_phone;
  nu_order_row out;
  st = nu_order_place(r->call, c, &in, &out);
  if (!nu_status_is_ok(&st)) return st;
  st = nu_order_place_links(r->call, c, &out, req->linked_order_numbers,
                            req->n_linked_order_numbers);
  if (!nu_status_is_ok(&st)) return st;
  return nu_order_full_view(a, c, out.id, resp);
}

static nu_status create_order(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__CreateOrderRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  if (nu_call_principal(call)->organization_id == NULL) {
    return nu_error(a, NU_FAILED_PRECONDITION, "NO_ORGANIZATION",
                    "the caller acts for no organization: switch to the buyer organisation");
  }
  create_run r = {.call = call, .req = req, .contact_phone = ""};
  char *email = nu_arena_alloc(a, NU_EMAIL_BUF_SIZE);
  if (email == NULL) return nu_rpc_oom(a);
  if (nu_email_normalize(req->contact->email, email, NU_EMAIL_BUF_SIZE, NULL) != 0) {
    return nu_error(a, NU_INTERNAL, NULL, "normalisation failed after validation");
  }
  r.contact_email = email;
  if (req->contact->phone[0] != '\0' &&
      nu_phone_normalized(a, req->contact->phone, &r.contact_phone, NULL) != 0) {
    return nu_error(a, NU_INTERNAL, NULL, "normalisation failed after validation");
  }
  return nu_rpc_create_tx(call, req->request_id, msg, create_tx, &r, resp);
}

/* ---- GetOrder --------------------------------------------------------------- */

static nu_status validate_get(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__GetOrderRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  bool by_id = req->order_id[0] != '\0';
  bool by_number = req->number[0] != '\0';
  if (by_id == by_number) {
    nu_validate_fail(&v, by_id ? "number" : "order_id",
                     "exactly one of order_id and number is required");
  } else if (by_id) {
    nu_validate_id(&v, "order_id", req->order_id, "an order id", true);
  } else if (strlen(req->number) != 8 || strncmp(req->number, "CC", 2) != 0 ||
             strspn(req->number + 2, "0123456789") != 6) {
    nu_validate_fail(&v, "number", "must be an order number: CC and 6 digits (CC000123)");
  }
  return nu_validator_result(&v);
}

typedef struct get_run {
  nu_call *call;
  const char *key;
  Nuage__V1__Order *view;
} get_run;

static nu_status get_tx(nu_conn *c, nu_arena *a, void *arg) {
  get_run *r = arg;
  bool found = false;
  nu_order_row row;
  nu_status st = nu_order_get(c, a, r->key, false, &row, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || !readable(r->call, &row)) return not_found(a);
  return nu_order_details(a, c, &row, &r->view);
}

static nu_status get_order(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__GetOrderRequest *req = (const void *)msg;
  get_run r = {.call = call, .key = req->order_id[0] != '\0' ? req->order_id : req->number};
  nu_status st = nu_rpc_tx(call, true, get_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  *resp = &r.view->base;
  return nu_ok();
}

/* ---- ListOrders / ListMyOrders ------------------------------------------- */

static void validate_filter(nu_validator *v, const char *query, Nuage__V1__OrderStatus status) {
  nu_validate_max_len(v, "query", query, NU_ORDER_QUERY_MAX_LEN);
  if (status != NUAGE__V1__ORDER_STATUS__ORDER_STATUS_UNSPECIFIED &&
      nu_order_status_from_api(status) == NULL) {
    nu_validate_fail(v, "status", "is not an order status");
  }
}

static nu_status validate_list(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListOrdersRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  validate_filter(&v, req->query, req->status);
  if (req->sort < NUAGE__V1__ORDER_SORT__ORDER_SORT_UNSPECIFIED ||
      req->sort > NUAGE__V1__ORDER_SORT__ORDER_SORT_TOTAL_DESC) {
    nu_validate_fail(&v, "sort", "is not an order sort");
  }
  if (req->create_time_from != NULL && req->create_time_to != NULL &&
      nu_rpc_time_us(req->create_time_to) <= nu_rpc_time_us(req->create_time_from)) {
    nu_validate_fail(&v, "create_time_to", "must be after create_time_from");
  }
  nu_validate_id(&v, "organization_id", req->organization_id, "an organization id", false);
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

static nu_status validate_list_mine(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__ListMyOrdersRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  validate_filter(&v, req->query, req->status);
  nu_list_validate(&v, call, msg, req->page_size);
  return nu_validator_result(&v);
}

static nu_status fetch_orders(nu_conn *c, nu_arena *a, void *ctx, const nu_list_page *page,
                              const void **rows, size_t *n) {
  const nu_order_filter *f = ctx;
  nu_order_row *found = NULL;
  nu_status st = nu_order_list(c, a, f, page->after_int64, page->after_id, page->limit, &found, n);
  *rows = found;
  return st;
}

static ProtobufCMessage *order_api(nu_arena *a, void *ctx, const void *row) {
  (void)ctx;
  Nuage__V1__Order *o = nu_order_view(a, row);
  return o != NULL ? &o->base : NULL;
}

static const nu_list_spec kByTime = {
    .row_size = sizeof(nu_order_row),
    NU_LIST_KEY_INT64(nu_order_row, created_us),
    NU_LIST_ID(nu_order_row, id),
    .fetch = fetch_orders,
    .to_api = order_api,
};

static const nu_list_spec kByTotal = {
    .row_size = sizeof(nu_order_row),
    NU_LIST_KEY_INT64(nu_order_row, total_excl_vat_cents),
    NU_LIST_ID(nu_order_row, id),
    .fetch = fetch_orders,
    .to_api = order_api,
};

static nu_status list_orders(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__ListOrdersRequest *req = (const void *)msg;
  nu_order_filter f = {
      .query = req->query,
      .status = nu_order_status_from_api(req->status),
      .from_us = nu_rpc_time_us(req->create_time_from),
      .to_us = nu_rpc_time_us(req->create_time_to),
  };
  nu_status st = nu_rpc_scope_org(call, req->organization_id, &f.organization_id);
  if (!nu_status_is_ok(&st)) return st;
  switch (req->sort) {
    case NUAGE__V1__ORDER_SORT__ORDER_SORT_CREATE_TIME_ASC: f.sort = NU_ORDER_SORT_OLDEST; break;
    case NUAGE__V1__ORDER_SORT__ORDER_SORT_TOTAL_DESC: f.sort = NU_ORDER_SORT_TOTAL; break;
    default: f.sort = NU_ORDER_SORT_NEWEST; break;
  }
  return nu_list_run(call, msg, req->page_size,
                     f.sort == NU_ORDER_SORT_TOTAL ? &kByTotal : &kByTime, &f, resp);
}

static nu_status list_my_orders(nu_call *call, const ProtobufCMessage *msg,
                                ProtobufCMessage **resp) {
  const Nuage__V1__ListMyOrdersRequest *req = (const void *)msg;
  nu_order_filter f = {
      .mine_user_id = nu_call_principal(call)->id,
      .query = req->query,
      .status = nu_order_status_from_api(req->status),
      .sort = NU_ORDER_SORT_NEWEST,
  };
  return nu_list_run(call, msg, req->page_size, &kByTime, &f, resp);
}

/* ---- GetLineAccessDetails ------------------------------------------------- */

static nu_status validate_access(nu_call *call, const ProtobufCMessage *msg) {
  const Nuage__V1__GetLineAccessDetailsRequest *req = (const void *)msg;
  nu_validator v;
  nu_validator_init(&v, nu_call_arena(call));
  nu_validate_id(&v, "order_id", req->order_id, "an order id", true);
  nu_validate_id(&v, "line_id", req->line_id, "an order line id", true);
  return nu_validator_result(&v);
}

typedef struct access_run {
  nu_call *call;
  const Nuage__V1__GetLineAccessDetailsRequest *req;
  const uint8_t *sealed;
  size_t len;
  int64_t reported_us;
} access_run;

static nu_status access_tx(nu_conn *c, nu_arena *a, void *arg) {
  access_run *r = arg;
  nu_order_row o;
  bool found = false;
  nu_status st = nu_order_get(c, a, r->req->order_id, false, &o, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found || !readable(r->call, &o)) return not_found(a);
  st = nu_order_line_access(c, a, o.id, r->req->line_id, &r->sealed, &r->len, &r->reported_us,
                            &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_rpc_not_found(a, "access details");
  /* Reading access details is recorded: who saw them, never what. */
  return nu_rpc_audit(r->call, c, o.organization_id, "order.read_access_details", "order_line",
                      r->req->line_id, NULL, 0);
}

static nu_status get_access(nu_call *call, const ProtobufCMessage *msg, ProtobufCMessage **resp) {
  const Nuage__V1__GetLineAccessDetailsRequest *req = (const void *)msg;
  nu_arena *a = nu_call_arena(call);
  access_run r = {.call = call, .req = req};
  nu_status st = nu_rpc_tx(call, false, access_tx, &r);
  if (!nu_status_is_ok(&st)) return st;
  nu_app *app = nu_call_app(call);
  const char *plain = NULL;
  if (nu_access_details_open(a, app->secret_key, r.sealed, r.len, &plain) != 0) {
    return nu_error(a, NU_INTERNAL, "UNSEAL_FAILED",
                    "the access details cannot be opened with this server's key");
  }
  Nuage__V1__LineAccessDetails *out =
      NU_RPC_NEW(a, Nuage__V1__LineAccessDetails, nuage__v1__line_access_details__init);
  if (out == NULL) return nu_rpc_oom(a);
  out->order_id = (char *)req->order_id;
  out->line_id = (char *)req->line_id;
  out->access_details = (char *)plain;
  out->report_time = nu_rpc_timestamp(a, r.reported_us * 1000);
  *resp = &out->base;
  return nu_ok();
}

/* ---- rows ------------------------------------------------------------------ */

const nu_method nu_order_methods[] = {
    NU_RPC_ROW("OrderService", "PreviewOrder", preview_order_request, order_summary,
               validate_preview, preview_order),
    NU_RPC_ROW("OrderService", "CreateOrder", create_order_request, order, validate_create,
               create_order),
    NU_RPC_ROW("OrderService", "GetOrder", get_order_request, order, validate_get, get_order),
    NU_RPC_ROW("OrderService", "ListOrders", list_orders_request, list_orders_response,
               validate_list, list_orders),
    NU_RPC_ROW("OrderService", "ListMyOrders", list_my_orders_request, list_orders_response,
               validate_list_mine, list_my_orders),
    NU_RPC_ROW("OrderService", "GetLineAccessDetails", get_line_access_details_request,
               line_access_details, validate_access, get_access),
};
const size_t nu_order_methods_count = sizeof(nu_order_methods) / sizeof(nu_order_methods[0]);
