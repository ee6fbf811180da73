/*
 * order_store.h — SQL of orders, order_lines and order_links (owns them).
 *
 * An order is written once with its lines (nu_order_insert: the number
 * comes from order_number_seq, "CC" + 6 digits); afterwards the store
 * writes what the caller decided on rows it locked: a line's provisioning
 * (nu_order_line_write) and the order's status (nu_order_set_status), or
 * a batch's lines and statuses in one statement each (the _many forms,
 * which a provider's report batch uses).
 * Reads return the order with its lines, the buyer's and seller's names
 * and who placed it. Access details are never read here: they stay sealed
 * in the database until GetLineAccessDetails asks for one
 * (nu_order_line_access).
 */
#ifndef NU_STORE_ORDERS_ORDER_STORE_H
#define NU_STORE_ORDERS_ORDER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_order_line_row {
  const char *id;
  const char *order_id;
  int32_t position;
  const char *product_id;
  const char *plan_id;
  const char *product_code;
  const char *product_name;
  const char *designation;
  const char *plan_model; /* "hourly", "subscription", "free", "byol" */
  const char *region;
  const char *instance_template;
  int64_t quantity;
  int64_t quantity_delivered;
  int64_t quantity_admitted;
  int64_t hours;
  int32_t duration_months;
  int64_t upfront_cents;       /* per unit */
  int64_t monthly_price_cents; /* per unit */
  int64_t unit_price_cents;
  int64_t amount_excl_vat_cents;
  int32_t vat_rate_bp;
  int64_t vat_cents;
  int64_t amount_incl_vat_cents;
  int64_t expected_delivery_us; /* 0: unknown */
  const char *provisioning;     /* "pending", "in_progress", "delivered", "failed" */
  const char *failure_reason;
  bool has_access_details;
  int64_t last_report_us; /* the provider's time of the newest report applied; 0: none */
  int64_t updated_us;
} nu_order_line_row;

typedef struct nu_order_row {
  const char *id;
  const char *number;
  const char *organization_id;
  const char *organization_name;
  const char *seller_id;
  const char *seller_name;
  const char *proposal_number;
  const char *purchase_order_reference;
  const char *service_code;
  const char *contact_name;
  const char *contact_email;
  const char *contact_phone;
  const char *placed_by;
  const char *placed_by_name;
  const char *status;
  const char *currency;
  int64_t total_excl_vat_cents;
  int64_t total_vat_cents;
  int64_t total_incl_vat_cents;
  int64_t version;
  int64_t created_us;
  int64_t updated_us;
  nu_order_line_row *lines;
  size_t n_lines;
} nu_order_row;

/* Writes *in (every field but id, number, names, status, version and
 * times; its lines' product to instance_template and quantities and
 * prices) as a new order to_deliver at now_ns; *out is the order as
 * stored, with its number and lines. RESOURCE_EXHAUSTED ORDER_NUMBERS_EXHAUSTED
 * when the six digits are used up. */
nu_status nu_order_insert(nu_conn *c, nu_arena *a, const nu_order_row *in, int64_t now_ns,
                          nu_order_row *out);

/* The order whose id (a uuid) or number ("CC…") is id_or_number, with its
 * lines, locked FOR UPDATE (the order row and its lines) when for_update;
 * *found false when absent (any text is accepted). */
nu_status nu_order_get(nu_conn *c, nu_arena *a, const char *id_or_number, bool for_update,
                       nu_order_row *out, bool *found);

/* The orders of seller_id holding any of line_ids[0..n) (any text: what
 * is not a uuid, or not a line of the seller's, matches nothing), each
 * with every line, locked FOR UPDATE in the order of their ids, into
 * *orders[0..*n_orders) (arena). */
nu_status nu_order_lock_by_lines(nu_conn *c, nu_arena *a, const char *seller_id,
                                 const char *const *line_ids, size_t n, nu_order_row **orders,
                                 size_t *n_orders);

/* Writes a locked line's provisioning, failure_reason, quantity_delivered,
 * quantity_admitted, expected_delivery_us and last_report_us from *in, and
 * its access details when access_sealed is not NULL (sealed bytes),
 * updated at now_ns. */
nu_status nu_order_line_write(nu_conn *c, nu_arena *a, const nu_order_line_row *in,
                              const uint8_t *access_sealed, size_t access_len, int64_t now_ns);

/* One line to write with nu_order_line_write_many. */
typedef struct nu_order_line_update {
  const nu_order_line_row *line;
  const uint8_t *access_sealed; /* NULL: the access details stay as they are */
  size_t access_len;
} nu_order_line_update;

/* nu_order_line_write for w[0..n) (distinct locked lines) in one
 * statement. */
nu_status nu_order_line_write_many(nu_conn *c, nu_arena *a, const nu_order_line_update *w, size_t n,
                                   int64_t now_ns);

/* The sealed access details of line_id in order order_id; *found false
 * when the line is absent or has none. */
nu_status nu_order_line_access(nu_conn *c, nu_arena *a, const char *order_id, const char *line_id,
                               const uint8_t **sealed, size_t *len, int64_t *reported_us,
                               bool *found);

/* Links orders a and b (both ids) both ways; linking twice is a no-op. */
nu_status nu_order_link(nu_conn *c, nu_arena *a, const char *order_a, const char *order_b);

/* The numbers of the orders linked to order_id, oldest first. */
nu_status nu_order_linked_numbers(nu_conn *c, nu_arena *a, const char *order_id,
                                  const char ***numbers, size_t *n);

/* Sets the locked order's status, bumping its version, at now_ns. */
nu_status nu_order_set_status(nu_conn *c, nu_arena *a, const char *order_id, const char *status,
                              int64_t now_ns);

/* nu_order_set_status for order_ids[i] → statuses[i], i < n (distinct
 * locked orders), in one statement. */
nu_status nu_order_set_status_many(nu_conn *c, nu_arena *a, const char *const *order_ids,
                                   const char *const *statuses, size_t n, int64_t now_ns);

/* The sum of the totals excluding VAT of the organisation's orders placed
 * in [from_us, to_us), cancelled ones aside: what it committed in a month. */
nu_status nu_order_committed(nu_conn *c, nu_arena *a, const char *organization_id, int64_t from_us,
                             int64_t to_us, int64_t *cents);

/* How ListOrders sorts: by creation time (newest first or oldest first)
 * or by total excluding VAT (largest first); ties by id. */
typedef enum nu_order_sort {
  NU_ORDER_SORT_NEWEST = 0,
  NU_ORDER_SORT_OLDEST = 1,
  NU_ORDER_SORT_TOTAL = 2,
} nu_order_sort;

/* What a list selects. Exactly one of organization_id (an organisation's
 * orders) and mine_user_id (the orders that user placed, and every order
 * of the organisations where the user is the referent) is set. */
typedef struct nu_order_filter {
  const char *organization_id;
  const char *mine_user_id;
  const char *query;  /* NULL or "": no text filter; else folded substring */
  const char *status; /* NULL: any */
  int64_t from_us;    /* 0: no lower bound */
  int64_t to_us;      /* 0: no upper bound */
  nu_order_sort sort;
} nu_order_filter;

/* A page of orders with their lines: strictly after the position
 * (after_key: the sort key — created_us or total cents — and after_id)
 * when after_id is set; up to limit rows into *rows (arena). */
nu_status nu_order_list(nu_conn *c, nu_arena *a, const nu_order_filter *f, int64_t after_key,
                        const char *after_id, int limit, nu_order_row **rows, size_t *n);

#ifdef __cplusplus
}
#endif

#endif
