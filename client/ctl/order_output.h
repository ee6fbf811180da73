/*
 * order_output.h — how nuagectl prints orders, shared by the buyer's
 * `order` commands (cmd_order.c) and the provider's feed (cmd_provider.c).
 *
 * Amounts stay integer cents: JSON carries {"amount_cents":..,"currency":..},
 * people read "36.00 EUR". Access details are never printed: an order line
 * only says whether it has some.
 */
#ifndef NU_CTL_ORDER_OUTPUT_H
#define NU_CTL_ORDER_OUTPUT_H

#include "client/ctl/output.h"
#include "nuage/v1/order.pb-c.h"

/* A Money field (absent: null, left out for people). */
void nu_ctl_out_money(nu_out *o, const char *key, const Nuage__V1__Money *m);

/* A Timestamp field as RFC 3339 (absent: null, left out for people). */
void nu_ctl_out_time(nu_out *o, const char *key, const Google__Protobuf__Timestamp *t);

/* The fields of one order line, inside the current object. */
void nu_ctl_out_order_line(nu_out *o, const Nuage__V1__OrderLine *l);

/* The fields of an order inside the current record: identity, parties,
 * references, status, lines, VAT table, totals, documents, admissions. */
void nu_ctl_out_order(nu_out *o, const Nuage__V1__Order *ord);

/* The word of an order status ("to_deliver") into buf; returns buf. */
const char *nu_ctl_order_status_word(int status, char *buf, size_t size);

#endif
