/*
 * invitation_store.h — the invitations table, and the invitation's view of
 * users: finding the account of an invited address, creating an invited
 * account, activating it on acceptance. Owns table invitations; the
 * accounts and links it touches are written by their owners (user_store,
 * link_store) in the same transaction.
 *
 * The state "expired" is not stored: a pending row whose expires_at has
 * passed (on the app's clock, given as now) reads as expired.
 */
#ifndef NU_STORE_INVITATION_STORE_H
#define NU_STORE_INVITATION_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"
#include "server/store/organization/membership_store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_invitation_row {
  const char *id;
  const char *organization_id;
  const char *user_id;
  const char *email;
  const char *login;     /* of the invited user */
  bool existing_account; /* the user has a password */
  int levels[NU_MEMBERSHIP_SECTIONS];
  const char *invited_by; /* or NULL */
  const char *status;     /* stored: "pending", "accepted", "revoked" */
  int sent_count;
  int64_t version;
  int64_t created_us;
  int64_t expires_us;
  int64_t accepted_us; /* 0 when NULL */
  int64_t revoked_us;
} nu_invitation_row;

/* Invites user (new or existing) to org. ALREADY_EXISTS INVITATION_PENDING
 * when a pending invitation of that user to org exists (resend it). */
typedef struct nu_invitation_new {
  const char *organization_id;
  const char *user_id;
  const char *email;
  const int *levels; /* NU_MEMBERSHIP_SECTIONS */
  const char *invited_by;
  int64_t now_ns;
  int64_t expires_ns;
} nu_invitation_new;
nu_status nu_invitation_insert(nu_conn *c, nu_arena *a, const nu_invitation_new *n,
                               nu_invitation_row *out);

/* The invitation id of org (uuids: the caller checks the syntax; org NULL:
 * any organisation, for a link that names the invitation), locked
 * when for_update; *found false when none. */
nu_status nu_invitation_get(nu_conn *c, nu_arena *a, const char *org, const char *id,
                            bool for_update, nu_invitation_row *out, bool *found);

/* A page of org's invitations, newest first by (created_at, id). state is
 * NULL or one of "pending", "accepted", "expired", "revoked", judged at
 * now_ns. */
typedef struct nu_invitation_filter {
  const char *organization_id;
  const char *state;
  int64_t now_ns;
  int64_t after_created_us; /* keyset, with after_id (NULL: first page) */
  const char *after_id;
  int limit;
} nu_invitation_filter;
nu_status nu_invitation_list(nu_conn *c, nu_arena *a, const nu_invitation_filter *f,
                             nu_invitation_row **rows, size_t *n);

/* A resent invitation: pending again until expires_ns, sent once more. */
nu_status nu_invitation_resent(nu_conn *c, nu_arena *a, const char *id, int64_t expires_ns,
                               nu_invitation_row *out);

/* Sets status ("accepted" or "revoked") with its time at now_ns. */
nu_status nu_invitation_finish(nu_conn *c, nu_arena *a, const char *id, const char *status,
                               int64_t now_ns, nu_invitation_row *out);

/* Every unused link of the invitation stops working at now_ns (a resend or
 * a revocation; other invitations of the same user keep theirs). */
nu_status nu_invitation_kill_links(nu_conn *c, nu_arena *a, const char *id, int64_t now_ns);

/* The account of an address (e-mail compared ignoring case). */
typedef struct nu_invitee {
  const char *id;
  const char *login;
  const char *status;
  bool has_password;
} nu_invitee;
nu_status nu_invitation_find_user(nu_conn *c, nu_arena *a, const char *email, nu_invitee *out,
                                  bool *found);

/* Creates an account with status invited and no password. ALREADY_EXISTS
 * LOGIN_TAKEN when the login is taken (ignoring case). */
nu_status nu_invitation_create_user(nu_conn *c, nu_arena *a, const char *login, const char *email,
                                    const char *first_name, const char *last_name, int64_t now_ns,
                                    nu_invitee *out);

/* Whether a login is taken (ignoring case). */
nu_status nu_invitation_login_taken(nu_conn *c, nu_arena *a, const char *login, bool *taken);

/* An invited account sets its password and becomes active, its e-mail
 * confirmed (the link reached it). The caller decided the transition
 * (nu_user_status_next, ENROLL); the SQL still writes only from status
 * invited and answers ABORTED otherwise. */
nu_status nu_invitation_activate_user(nu_conn *c, nu_arena *a, const char *user_id,
                                      const char *password_hash, int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
