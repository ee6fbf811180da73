/*
 * user_store.h — the users table: sign-up, profile, status, listing.
 *
 * Owns table users: every write of it is here, also those of sign-in
 * (login_store's view calls them), of invited accounts (invitation_store)
 * and of the demo sellers (catalog_seed_store). Sign-up writes a user, its
 * organisation and its membership in the caller's transaction so that none
 * exists without the others. Rows read here carry what the API shows of a
 * user; reading sign-in data (password hash, failures, TOTP) is
 * login_store's.
 */
#ifndef NU_STORE_USER_STORE_H
#define NU_STORE_USER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/store/core/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A user as the API shows it. Strings are owned by the arena; times are
 * Unix microseconds (0 when NULL). */
typedef struct nu_user_row {
  const char *id;
  const char *login;
  const char *email;
  const char *civility; /* "", "mr", "ms" */
  const char *first_name;
  const char *last_name;
  const char *phone_landline;
  const char *phone_mobile;
  const char *language;     /* "fr", "en" */
  const char *status;       /* "pending", "invited", "active", "locked", "disabled" */
  const char *account_type; /* "personal", "company" */
  bool platform_operator;
  bool totp_enabled;
  int64_t email_confirmed_us;
  int64_t terms_accepted_us;
  int64_t created_us;
  int64_t updated_us;
  int64_t version;
  bool commercial_consent; /* to commercial communications */
} nu_user_row;

/* The user of id; NOT_FOUND "user not found" when absent. */
nu_status nu_user_get(nu_conn *c, nu_arena *a, const char *id, nu_user_row *out);

/* The user whose e-mail is email (case-insensitive); *found false when none. */
nu_status nu_user_find_by_email(nu_conn *c, nu_arena *a, const char *email, nu_user_row *out,
                                bool *found);

/* Self-service sign-up: a pending user, its organisation (buyer, discovery,
 * pending validation, the user as referent: nu_org_insert_signup) and a
 * membership with manager on every section (nu_membership_insert). Three
 * statements: call it inside a transaction (nu_tx_run), which keeps any
 * of the rows from existing without the others. When the login or the
 * e-mail is taken, nothing is written and *user_id and *organization_id
 * are NULL (the caller tells which by looking the e-mail up). */
typedef struct nu_signup_row {
  const char *login;
  const char *email;
  const char *first_name;
  const char *last_name;
  const char *language;
  const char *account_type;
  const char *password_hash;
  const char *organization_name;
  bool commercial_consent;
  int64_t now_ns;
} nu_signup_row;
nu_status nu_user_sign_up(nu_conn *c, nu_arena *a, const nu_signup_row *s, const char **user_id,
                          const char **organization_id);

/* The platform operator of the bootstrap: an active operator without a
 * password (set through a reset link). When the login is already an
 * operator's, that user is reused (*created false); a login or e-mail
 * held by anyone else is ALREADY_EXISTS. */
nu_status nu_user_create_operator(nu_conn *c, nu_arena *a, const char *login, const char *email,
                                  int64_t now_ns, const char **user_id, bool *created);

/* The organisation a signed-up user created (the one it is referent of,
 * oldest first); NULL when none. */
nu_status nu_user_signup_organization(nu_conn *c, nu_arena *a, const char *user_id,
                                      const char **organization_id);

/* Records the e-mail as confirmed at now_ns (kept when already confirmed);
 * *out is the user afterwards. */
nu_status nu_user_confirm_email(nu_conn *c, nu_arena *a, const char *id, int64_t now_ns,
                                nu_user_row *out);

/* Writes the acceptance of the terms: the user becomes active and its
 * sign-in failures are forgotten. The caller decided (nu_user_status_next
 * on the row of nu_user_get_for_update); the store only keeps a guard in
 * SQL (pending, e-mail confirmed) and answers ABORTED when it fails. */
nu_status nu_user_accept_terms(nu_conn *c, nu_arena *a, const char *id, int64_t now_ns,
                               nu_user_row *out);

/* Sets the e-mail (normalised) of the user id, version + 1; *out is the
 * user afterwards. FAILED_PRECONDITION EMAIL_TAKEN when another account
 * has it (the unique index decides, so a race cannot slip in). */
nu_status nu_user_set_email(nu_conn *c, nu_arena *a, const char *id, const char *email,
                            int64_t now_ns, nu_user_row *out);

/* Writes the profile fields of in (civility, names, phones, language,
 * commercial consent) on the user in->id, locked by the caller
 * (nu_user_get_for_update), version + 1; *after is the user afterwards. */
nu_status nu_user_write_profile(nu_conn *c, nu_arena *a, const nu_user_row *in, int64_t now_ns,
                                nu_user_row *after);

/* A confirmed account whose voucher may be due: its e-mail and the
 * organisation it signed up with (NULL when it has none). */
typedef struct nu_user_voucher_candidate {
  const char *user_id;
  const char *email;
  const char *organization_id;
} nu_user_voucher_candidate;

/* The users whose confirmed e-mail is under domain (the domain itself or a
 * subdomain; lower-case), oldest first, into *rows (arena). */
nu_status nu_user_confirmed_under_domain(nu_conn *c, nu_arena *a, const char *domain,
                                         nu_user_voucher_candidate **rows, size_t *n);

/* An organisation the user belongs to ("your rights"). */
typedef struct nu_user_membership {
  const char *organization_id;
  const char *organization_name;
  const char *organization_code; /* "ORG-123456" */
  bool referent;
} nu_user_membership;

/* The organisations user_id is a member of, by name, into *rows (arena). */
nu_status nu_user_memberships(nu_conn *c, nu_arena *a, const char *user_id,
                              nu_user_membership **rows, size_t *n);

/* Locks the user of id and reads it: the "before" of a change. NOT_FOUND
 * when absent (or id is not a uuid). */
nu_status nu_user_get_for_update(nu_conn *c, nu_arena *a, const char *id, nu_user_row *out);

/* Writes status (a name of nu_user_state) on id, clearing the sign-in
 * failures and temporary lock when clear_lockout; *after is the user
 * afterwards. The transition is the caller's (nu_user_status_next). */
nu_status nu_user_set_status(nu_conn *c, nu_arena *a, const char *id, const char *status,
                             bool clear_lockout, int64_t now_ns, nu_user_row *after);

/* A page of users by (lower(login), id), after the key when given.
 * status and query may be NULL. Returns up to limit rows in *rows (arena). */
typedef struct nu_user_filter {
  const char *status;
  const char *query;
  const char *after_login; /* lower-case login of the last row, or NULL */
  const char *after_id;
  int limit;
} nu_user_filter;
nu_status nu_user_list(nu_conn *c, nu_arena *a, const nu_user_filter *f, nu_user_row **rows,
                       size_t *n);

/* The referent of a demo seller (catalog_seed_store): a disabled user of
 * fixed id without a password, unless a user of that id (or login, or
 * e-mail) exists. */
nu_status nu_user_insert_disabled(nu_conn *c, nu_arena *a, const char *id, const char *login,
                                  const char *email, int64_t now_ns);

/* An invited account as created (strings in the arena). */
typedef struct nu_user_invited {
  const char *id;
  const char *login;
  const char *status; /* "invited" */
} nu_user_invited;

/* Creates an account with status invited and no password (invitation_store).
 * ALREADY_EXISTS LOGIN_TAKEN when the login is taken (ignoring case),
 * EMAIL_TAKEN when the e-mail is. */
nu_status nu_user_create_invited(nu_conn *c, nu_arena *a, const char *login, const char *email,
                                 const char *first_name, const char *last_name, int64_t now_ns,
                                 nu_user_invited *out);

/* An invited account sets its password and becomes active, its e-mail
 * confirmed; only from status invited, ABORTED CONCURRENT_CHANGE otherwise. */
nu_status nu_user_activate_invited(nu_conn *c, nu_arena *a, const char *id,
                                   const char *password_hash, int64_t now_ns);

/* The writes of signing in (login_store.h says what each is for). */
nu_status nu_user_set_failures(nu_conn *c, nu_arena *a, const char *id, int failures,
                               int64_t locked_until_ns);
nu_status nu_user_clear_failures(nu_conn *c, nu_arena *a, const char *id);
nu_status nu_user_set_password(nu_conn *c, nu_arena *a, const char *id, const char *hash,
                               int64_t now_ns);
nu_status nu_user_rehash_password(nu_conn *c, nu_arena *a, const char *id, const char *old_hash,
                                  const char *new_hash);
nu_status nu_user_totp_enroll(nu_conn *c, nu_arena *a, const char *id, const uint8_t *box,
                              size_t len, int64_t now_ns);
nu_status nu_user_totp_accept_step(nu_conn *c, nu_arena *a, const char *id, int64_t step,
                                   bool enable, int64_t now_ns, bool *accepted);
/* TOTP off on the user's row: secret and step gone (the recovery codes are
 * login_store's). */
nu_status nu_user_totp_clear(nu_conn *c, nu_arena *a, const char *id, int64_t now_ns);

#ifdef __cplusplus
}
#endif

#endif
