/*
 * methods.c — gathers the rows of every service into the method table and
 * gives each its access from the .proto.
 */
#include "server/dispatch/methods.h"

#include <stdint.h>
#include <string.h>

#include "server/dispatch/access.h"

#include "server/rpc/audit/audit.h"
#include "server/rpc/catalog/catalog_browse.h"
#include "server/rpc/catalog/catalog_pricing.h"
#include "server/rpc/catalog/catalog_product.h"
#include "server/rpc/catalog/catalog_version.h"
#include "server/rpc/eligibility/domain_request.h"
#include "server/rpc/eligibility/eligibility.h"
#include "server/rpc/identity/auth_service.h"
#include "server/rpc/identity/user.h"
#include "server/rpc/orders/admission.h"
#include "server/rpc/orders/document_service.h"
#include "server/rpc/orders/order_service.h"
#include "server/rpc/orders/provisioning_feed.h"
#include "server/rpc/orders/provisioning_report.h"
#include "server/rpc/orders/subscription_service.h"
#include "server/rpc/organization/invitation.h"
#include "server/rpc/organization/member.h"
#include "server/rpc/organization/organization.h"
#include "server/rpc/system/health.h"
#include "server/rpc/system/reflection.h"
#include "server/rpc/system/system.h"

/* The embedded FileDescriptorSet (//api:descriptor_set_lib). */
extern const unsigned char nu_descriptor_set[];
extern const size_t nu_descriptor_set_len;

static nu_method rows[NU_MAX_METHODS];

/* Appends count rows; a table that does not fit is refused as a whole
 * (SIZE_MAX), never cut short. */
static size_t append(size_t n, const nu_method *src, size_t count) {
  if (n == SIZE_MAX || count > NU_MAX_METHODS - n) return SIZE_MAX;
  memcpy(&rows[n], src, count * sizeof(*src));
  return n + count;
}

const char *nu_methods_build(const nu_methods_options *opts, nu_method_table *t,
                             const char **bad_path) {
  size_t n = 0;
  *bad_path = NULL;
  t->rows = rows;
  t->count = 0;
  n = append(n, nu_health_methods, nu_health_methods_count);
  n = append(n, nu_reflection_methods, nu_reflection_methods_count);
  n = append(n, nu_system_methods, nu_system_methods_count);
  n = append(n, nu_organization_methods, nu_organization_methods_count);
  n = append(n, nu_member_methods, nu_member_methods_count);
  n = append(n, nu_invitation_methods, nu_invitation_methods_count);
  n = append(n, nu_user_methods, nu_user_methods_count);
  n = append(n, nu_eligibility_methods, nu_eligibility_methods_count);
  n = append(n, nu_domain_request_methods, nu_domain_request_methods_count);
  n = append(n, nu_audit_methods, nu_audit_methods_count);
  n = append(n, nu_auth_methods, nu_auth_methods_count);
  n = append(n, nu_catalog_product_methods, nu_catalog_product_methods_count);
  n = append(n, nu_catalog_version_methods, nu_catalog_version_methods_count);
  n = append(n, nu_catalog_browse_methods, nu_catalog_browse_methods_count);
  n = append(n, nu_catalog_pricing_methods, nu_catalog_pricing_methods_count);
  n = append(n, nu_order_methods, nu_order_methods_count);
  n = append(n, nu_admission_methods, nu_admission_methods_count);
  n = append(n, nu_provisioning_feed_methods, nu_provisioning_feed_methods_count);
  n = append(n, nu_provisioning_report_methods, nu_provisioning_report_methods_count);
  n = append(n, nu_document_methods, nu_document_methods_count);
  n = append(n, nu_subscription_methods, nu_subscription_methods_count);
  if (opts->diagnostics) n = append(n, nu_diagnostics_methods, nu_diagnostics_methods_count);
  if (n == SIZE_MAX) return "more methods than NU_MAX_METHODS";

  size_t bad = 0;
  const char *problem =
      nu_method_access_load(nu_descriptor_set, nu_descriptor_set_len, rows, n, &bad);
  if (problem != NULL) {
    if (bad < n) *bad_path = rows[bad].path;
    return problem;
  }
  t->count = n;
  const nu_method *bad_row = NULL;
  problem = nu_method_table_check(t, &bad_row);
  if (problem != NULL) {
    *bad_path = bad_row != NULL ? bad_row->path : NULL;
    t->count = 0;
  }
  return problem;
}

size_t nu_methods_services(const nu_method_table *t, char names[][128], size_t cap) {
  size_t n = 0;
  for (size_t i = 0; i < t->count; i++) {
    char name[128];
    if (nu_method_service_name(t->rows[i].path, name, sizeof(name)) != 0) continue;
    bool seen = false;
    for (size_t j = 0; j < n && !seen; j++) seen = strcmp(names[j], name) == 0;
    if (!seen && n < cap) strcpy(names[n++], name);
  }
  return n;
}
