/*
 * admission_store.h — SQL of admissions and admission_lines (owns both):
 * who certified which delivered quantities of an order, and when
 * ("service fait", which invoices later cite); and of incidents (owns it):
 * the incident a contested delivery opens, "SAV-" + 5 digits, which the
 * after-sales issue completes.
 */
#ifndef NU_STORE_ORDERS_ADMISSION_STORE_H
#define NU_STORE_ORDERS_ADMISSION_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_admitted_line_row {
  const char *line_id;
  int64_t quantity;
} nu_admitted_line_row;

typedef struct nu_admission_row {
  const char *id;
  const char *order_id;
  const char *user_id;
  const char *user_name;
  int64_t admitted_us;
  nu_admitted_line_row *lines;
  size_t n_lines;
} nu_admission_row;

/* Records that user_id certified lines[0..n) of order_id at now_ns; *id
 * the admission (arena). */
nu_status nu_admission_insert(nu_conn *c, nu_arena *a, const char *order_id, const char *user_id,
                              const nu_admitted_line_row *lines, size_t n, int64_t now_ns,
                              const char **id);

/* The admissions of an order, oldest first, with their lines. */
nu_status nu_admission_list(nu_conn *c, nu_arena *a, const char *order_id, nu_admission_row **rows,
                            size_t *n);

/* Opens an incident on order_id of organization_id (kind, description) by
 * user_id at now_ns; *id and *number ("SAV-00012") in the arena. */
nu_status nu_incident_open(nu_conn *c, nu_arena *a, const char *order_id,
                           const char *organization_id, const char *kind, const char *description,
                           const char *user_id, int64_t now_ns, const char **id,
                           const char **number);

/* The incident of order_id still open (declared or in progress), newest
 * first; *id NULL when none. */
nu_status nu_incident_open_of(nu_conn *c, nu_arena *a, const char *order_id, const char **id);

#ifdef __cplusplus
}
#endif

#endif
