/*
 * principal.h — who calls, and the rights they hold (DOMAIN.md §1).
 *
 * Rights are per organisation and per section, at a level: none < visitor
 * (read) < manager (act). A principal is a signed-in user (a session) or a
 * machine client (an access key), acting for one organisation at a time.
 * Plain types: the method table (dispatch/), the credential check (auth/),
 * the audit log (store/) and the handlers share them.
 */
#ifndef NU_DOMAIN_IDENTITY_PRINCIPAL_H
#define NU_DOMAIN_IDENTITY_PRINCIPAL_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sections of an organisation's rights (DOMAIN.md §1). */
typedef enum nu_section {
  NU_SECTION_NONE = 0,
  NU_SECTION_CONTRACT,
  NU_SECTION_DASHBOARD,
  NU_SECTION_CATALOGUE,
  NU_SECTION_ORDERS,
  NU_SECTION_SUBSCRIPTIONS,
  NU_SECTION_INVOICES,
  NU_SECTION_SUPPORT,
  NU_SECTION_USERS,
  NU_SECTION_STOREFRONT,
} nu_section;

typedef enum nu_level {
  NU_LEVEL_NONE = 0,
  NU_LEVEL_VISITOR = 1, /* read */
  NU_LEVEL_MANAGER = 2, /* act */
} nu_level;

typedef enum nu_principal_kind {
  NU_PRINCIPAL_ANONYMOUS = 0,
  NU_PRINCIPAL_USER = 1,
  NU_PRINCIPAL_ACCESS_KEY = 2,
} nu_principal_kind;

/* Who is calling. A session or an access key acts for one organisation at
 * a time (the session's current organisation, the key's organisation);
 * `levels` are the caller's rights there. Strings live in the call's arena. */
typedef struct nu_principal {
  nu_principal_kind kind;
  const char *id;              /* user id (a user or the owner of the key); NULL if anonymous */
  const char *organization_id; /* the organisation acted for; NULL when none */
  const char *session_id;      /* NU_PRINCIPAL_USER: the session */
  const char *access_key_id;   /* NU_PRINCIPAL_ACCESS_KEY: the key */
  bool platform_operator;
  /* Rights in organization_id, indexed by nu_section. */
  nu_level levels[NU_SECTION_STOREFRONT + 1];
} nu_principal;

/* "contract", "users", …; "none" for NU_SECTION_NONE, "unknown" past the
 * enum. Static strings. */
const char *nu_section_name(nu_section s);
/* "none", "visitor", "manager"; "unknown" otherwise. */
const char *nu_level_name(nu_level l);

#ifdef __cplusplus
}
#endif

#endif
