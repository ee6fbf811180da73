/*
 * principal.c — names of sections and levels (error messages, logs).
 */
#include "server/domain/identity/principal.h"

const char *nu_section_name(nu_section s) {
  static const char *const names[] = {
      "none",          "contract", "dashboard", "catalogue", "orders",
      "subscriptions", "invoices", "support",   "users",     "storefront",
  };
  if ((unsigned)s < sizeof(names) / sizeof(names[0])) return names[s];
  return "unknown";
}

const char *nu_level_name(nu_level l) {
  switch (l) {
    case NU_LEVEL_NONE: return "none";
    case NU_LEVEL_VISITOR: return "visitor";
    case NU_LEVEL_MANAGER: return "manager";
  }
  return "unknown";
}
