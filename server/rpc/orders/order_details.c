/*
 * order_details.c — the whole API view of one order (see the header).
 */
#include "server/rpc/orders/order_details.h"

#include "server/rpc/core/handler.h"
#include "server/rpc/orders/order_view.h"
#include "server/store/orders/admission_store.h"
#include "server/store/orders/document_store.h"

static nu_status documents_view(nu_arena *a, nu_conn *c, Nuage__V1__Order *o);

static nu_status admissions_view(nu_arena *a, nu_conn *c, Nuage__V1__Order *o) {
  nu_admission_row *rows = NULL;
  size_t n = 0;
  nu_status st = nu_admission_list(c, a, o->id, &rows, &n);
  if (!nu_status_is_ok(&st) || n == 0) return st;
  o->admissions = (Nuage__V1__Admission **)nu_rpc_array(a, n);
  if (o->admissions == NULL) return nu_rpc_oom(a);
  for (size_t i = 0; i < n; i++) {
    Nuage__V1__Admission *ad = NU_RPC_NEW(a, Nuage__V1__Admission, nuage__v1__admission__init);
    Nuage__V1__AdmittedLine **lines = (Nuage__V1__AdmittedLine **)nu_rpc_array(a, rows[i].n_lines);
    if (ad == NULL || lines == NULL) return nu_rpc_oom(a);
    ad->id = (char *)rows[i].id;
    ad->user_id = (char *)rows[i].user_id;
    ad->user_name = (char *)rows[i].user_name;
    ad->admit_time = nu_rpc_timestamp(a, rows[i].admitted_us * 1000);
    for (size_t k = 0; k < rows[i].n_lines; k++) {
      lines[k] = NU_RPC_NEW(a, Nuage__V1__AdmittedLine, nuage__v1__admitted_line__init);
      if (lines[k] == NULL) return nu_rpc_oom(a);
      lines[k]->line_id = (char *)rows[i].lines[k].line_id;
      lines[k]->quantity = rows[i].lines[k].quantity;
    }
    ad->lines = lines;
    ad->n_lines = rows[i].n_lines;
    o->admissions[i] = ad;
  }
  o->n_admissions = n;
  return nu_ok();
}

nu_status nu_order_details(nu_arena *a, nu_conn *c, const nu_order_row *r, Nuage__V1__Order **out) {
  Nuage__V1__Order *o = nu_order_view(a, r);
  if (o == NULL) return nu_rpc_oom(a);
  nu_status st = documents_view(a, c, o);
  if (!nu_status_is_ok(&st)) return st;
  st = admissions_view(a, c, o);
  if (!nu_status_is_ok(&st)) return st;
  const char **linked = NULL;
  size_t n_linked = 0;
  st = nu_order_linked_numbers(c, a, o->id, &linked, &n_linked);
  if (!nu_status_is_ok(&st)) return st;
  o->linked_order_numbers = (char **)linked;
  o->n_linked_order_numbers = n_linked;
  const char *incident = NULL;
  st = nu_incident_open_of(c, a, o->id, &incident);
  if (!nu_status_is_ok(&st)) return st;
  if (incident != NULL) o->incident_id = (char *)incident;
  *out = o;
  return nu_ok();
}

nu_status nu_order_full_view(nu_arena *a, nu_conn *c, const char *order_id,
                             ProtobufCMessage **resp) {
  nu_order_row r;
  bool found = false;
  nu_status st = nu_order_get(c, a, order_id, false, &r, &found);
  if (!nu_status_is_ok(&st)) return st;
  if (!found) return nu_error(a, NU_INTERNAL, NULL, "the order just changed is missing");
  Nuage__V1__Order *o = NULL;
  st = nu_order_details(a, c, &r, &o);
  if (!nu_status_is_ok(&st)) return st;
  *resp = &o->base;
  return nu_ok();
}

static nu_status documents_view(nu_arena *a, nu_conn *c, Nuage__V1__Order *o) {
  nu_document_row *rows = NULL;
  size_t n = 0;
  nu_status st = nu_document_list_for_order(c, a, o->id, &rows, &n);
  if (!nu_status_is_ok(&st) || n == 0) return st;
  o->documents = (Nuage__V1__OrderDocument **)nu_rpc_array(a, n);
  if (o->documents == NULL) return nu_rpc_oom(a);
  for (size_t i = 0; i < n; i++) {
    Nuage__V1__OrderDocument *d =
        NU_RPC_NEW(a, Nuage__V1__OrderDocument, nuage__v1__order_document__init);
    if (d == NULL) return nu_rpc_oom(a);
    d->id = (char *)rows[i].id;
    d->number = (char *)rows[i].number;
    d->kind = (char *)rows[i].kind;
    d->create_time = nu_rpc_timestamp(a, rows[i].created_us * 1000);
    o->documents[i] = d;
  }
  o->n_documents = n;
  return nu_ok();
}
