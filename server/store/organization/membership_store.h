/*
 * membership_store.h — the memberships table, and the sessions that act
 * for an organisation through a membership.
 *
 * Levels travel as nine small integers indexed by section - 1 (contract
 * first, storefront last), values 0 none, 1 visitor, 2 manager, exactly as
 * the smallint[] column and nu_level. Owns table memberships. A session
 * acts for an organisation only while its user is a member, so removing a
 * member detaches their sessions here, in the same transaction (through
 * session_store, which owns the sessions table, as access_key_store owns
 * the keys).
 */
#ifndef NU_STORE_MEMBERSHIP_STORE_H
#define NU_STORE_MEMBERSHIP_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NU_MEMBERSHIP_SECTIONS 9

/* A member as the API shows it: the membership and some of the user. */
typedef struct nu_member_row {
  const char *organization_id;
  const char *user_id;
  const char *login;
  const char *email;
  const char *first_name;
  const char *last_name;
  int levels[NU_MEMBERSHIP_SECTIONS];
  bool referent;
  int64_t version;
  int64_t created_us;
  const char *sort_key; /* lower(login), for page tokens */
  const char *civility; /* the user's profile: "", "mr", "ms" */
  const char *phone_landline;
  const char *phone_mobile;
  const char *language;
} nu_member_row;

/* "{2,2,…}" for a smallint[] parameter (arena); NULL when out of memory. */
const char *nu_levels_format(nu_arena *a, const int levels[NU_MEMBERSHIP_SECTIONS]);
/* Parses "{…}" of nine levels; -1 when malformed. */
int nu_levels_parse(const char *text, int levels[NU_MEMBERSHIP_SECTIONS]);

/* Makes user a member of org with levels at now_ns. ALREADY_EXISTS
 * (reason ALREADY_MEMBER) when they already are. */
nu_status nu_membership_insert(nu_conn *c, nu_arena *a, const char *org, const char *user,
                               const int levels[NU_MEMBERSHIP_SECTIONS], int64_t now_ns);

/* The member user of org (a uuid: the caller checks the syntax), locked
 * when for_update; *found false when not a member. */
nu_status nu_membership_get(nu_conn *c, nu_arena *a, const char *org, const char *user,
                            bool for_update, nu_member_row *out, bool *found);

/* A page of org's members by (lower(login), user id); query (or NULL)
 * matches login, e-mail, first or last name, ignoring case. */
typedef struct nu_member_filter {
  const char *organization_id;
  const char *query;
  const char *after_login; /* keyset, or NULL */
  const char *after_id;
  int limit;
} nu_member_filter;
nu_status nu_membership_list(nu_conn *c, nu_arena *a, const nu_member_filter *f,
                             nu_member_row **rows, size_t *n);

/* Replaces the levels of a member and bumps the version; *out after. */
nu_status nu_membership_set_levels(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                   const int levels[NU_MEMBERSHIP_SECTIONS], int64_t now_ns,
                                   nu_member_row *out);

/* Deletes the membership. */
nu_status nu_membership_delete(nu_conn *c, nu_arena *a, const char *org, const char *user);

/* Sessions of user acting for org act for none from now on (they stay
 * signed in: the user may belong to other organisations); *count is how
 * many changed. */
nu_status nu_membership_detach_sessions(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                        int *count);

/* Access keys of user for org are revoked at now_ns: a machine client
 * must not outlive its owner's membership. *count is how many. */
nu_status nu_membership_revoke_keys(nu_conn *c, nu_arena *a, const char *org, const char *user,
                                    int64_t now_ns, int *count);

/* The session acts for org when it acts for none yet (a user's first
 * organisation); otherwise unchanged. */
nu_status nu_membership_adopt_session(nu_conn *c, nu_arena *a, const char *session_id,
                                      const char *org);

#ifdef __cplusplus
}
#endif

#endif
