/*
 * policy.h — the lifetimes and limits of the identity context, in one place
 * (DOMAIN.md §1).
 *
 * Durations are nanoseconds of the app's clock (…_NS), counts are plain
 * numbers, lengths are bytes unless a name says otherwise. The rules that
 * apply them stay beside (lockout.h, email_code.h, password_policy.h,
 * totp.h, recovery.h); handlers and stores read the numbers from here,
 * through those headers or directly.
 */
#ifndef NU_DOMAIN_IDENTITY_POLICY_H
#define NU_DOMAIN_IDENTITY_POLICY_H

#include <stdint.h>

#include "server/common/clock.h"

/* ---- sessions ------------------------------------------------------------- */

/* A session ends after this much inactivity (24 h). */
#define NU_SESSION_IDLE_NS (INT64_C(24) * 3600 * NU_NS_PER_S)
/* A session's last_used_at is written again only when older than this
 * (60 s), so a busy client does not write on every call; access keys too. */
#define NU_SESSION_TOUCH_NS (INT64_C(60) * NU_NS_PER_S)

/* ---- sign-in -------------------------------------------------------------- */

/* A login challenge (the second step awaits a TOTP or recovery code) lives
 * 5 minutes. */
#define NU_AUTH_CHALLENGE_TTL_NS (INT64_C(5) * 60 * NU_NS_PER_S)
/* The fifth failure in a row (password, TOTP or recovery code) locks the
 * login ... */
#define NU_LOCKOUT_MAX_FAILURES 5
/* ... for 15 minutes. */
#define NU_LOCKOUT_DURATION_NS (INT64_C(15) * 60 * NU_NS_PER_S)
/* TOTP codes are accepted this many 30-second steps before and after the
 * current one (±1: clock drift, typing). */
#define NU_TOTP_WINDOW_STEPS 1
/* Recovery codes given when TOTP is enabled (each works once). */
#define NU_RECOVERY_COUNT 10

/* ---- links sent by e-mail ------------------------------------------------- */

/* A password reset link lives 5 minutes. */
#define NU_AUTH_RESET_LINK_TTL_NS (INT64_C(5) * 60 * NU_NS_PER_S)
/* A sign-up's e-mail confirmation link lives 24 hours. */
#define NU_SIGNUP_LINK_TTL_NS (INT64_C(24) * 3600 * NU_NS_PER_S)
/* The link that confirms a new e-mail address (RequestEmailChange). */
#define NU_EMAIL_CHANGE_LINK_TTL_NS (INT64_C(24) * 3600 * NU_NS_PER_S)

/* ---- access keys ---------------------------------------------------------- */

/* The e-mailed code that stands for TOTP when creating an access key lives
 * 10 minutes ... */
#define NU_EMAIL_CODE_TTL_NS (INT64_C(10) * 60 * NU_NS_PER_S)
/* ... and the fifth wrong code kills it. */
#define NU_EMAIL_CODE_MAX_ATTEMPTS 5
/* An access key's description, in bytes. */
#define NU_ACCESS_KEY_DESCRIPTION_MAX 200

/* ---- passwords and profiles ----------------------------------------------- */

/* A password has at least 12 characters (Unicode code points) ... */
#define NU_PASSWORD_MIN_CHARS 12
/* ... and at most 1024 bytes: bounds the work of hashing (Argon2id) and of
 * the check. */
#define NU_PASSWORD_MAX_BYTES 1024
/* A first or last name, in bytes (sign-up, profile, invitation). */
#define NU_PERSON_NAME_MAX_LEN 100
/* The reason an operator gives for a user's new status, in bytes. */
#define NU_USER_STATUS_REASON_MAX_LEN 500

/* ---- account levels (account_level.h) -------------------------------------- */

/* Identity verified but billing details missing: build is granted for
 * 14 days, then falls back unless the billing details arrived. */
#define NU_PROVISIONAL_BUILD_NS (INT64_C(14) * 86400 * NU_NS_PER_S)
/* What a test organisation may commit per calendar month, excl. VAT, by
 * default (--test-level-monthly-cents): 500.00 EUR. */
#define NU_TEST_LEVEL_MONTHLY_CENTS_DEFAULT INT64_C(50000)

#endif
