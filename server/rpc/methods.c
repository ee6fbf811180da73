/*
 * methods.c — gathers the rows of every service into the method table.
 */
#include "server/rpc/methods.h"

#include <string.h>

#include "server/rpc/health.h"
#include "server/rpc/invitation.h"
#include "server/rpc/member.h"
#include "server/rpc/organization.h"
#include "server/rpc/reflection.h"
#include "server/rpc/system.h"
#include "server/rpc/user.h"
#include "server/rpc/eligibility.h"
#include "server/rpc/audit.h"
#include "server/rpc/auth_service.h"
#include "server/rpc/catalog_product.h"
#include "server/rpc/catalog_version.h"
#include "server/rpc/catalog_browse.h"
#include "server/rpc/catalog_pricing.h"

#define NU_MAX_METHODS 512

static nu_method rows[NU_MAX_METHODS];

static size_t append(size_t n, const nu_method *src, size_t count) {
  for (size_t i = 0; i < count && n < NU_MAX_METHODS; i++) rows[n++] = src[i];
  return n;
}

void nu_methods_build(const nu_methods_options *opts, nu_method_table *t) {
  size_t n = 0;
  n = append(n, nu_health_methods, nu_health_methods_count);
  n = append(n, nu_reflection_methods, nu_reflection_methods_count);
  n = append(n, nu_system_methods, nu_system_methods_count);
  n = append(n, nu_organization_methods, nu_organization_methods_count);
  n = append(n, nu_member_methods, nu_member_methods_count);
  n = append(n, nu_invitation_methods, nu_invitation_methods_count);
  n = append(n, nu_user_methods, nu_user_methods_count);
  n = append(n, nu_eligibility_methods, nu_eligibility_methods_count);
  n = append(n, nu_audit_methods, nu_audit_methods_count);
  n = append(n, nu_auth_methods, nu_auth_methods_count);
  n = append(n, nu_catalog_product_methods, nu_catalog_product_methods_count);
  n = append(n, nu_catalog_version_methods, nu_catalog_version_methods_count);
  n = append(n, nu_catalog_browse_methods, nu_catalog_browse_methods_count);
  n = append(n, nu_catalog_pricing_methods, nu_catalog_pricing_methods_count);
  if (opts->diagnostics) n = append(n, nu_diagnostics_methods, nu_diagnostics_methods_count);
  t->rows = rows;
  t->count = n;
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
