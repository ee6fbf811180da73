/*
 * commands.c — nuagectl's commands, described as data.
 *
 * One row per command; main.c parses options and checks arity from the
 * row before it calls the handler, and help.c prints usage from it. Keep
 * the rows in the order `nuagectl help` should list them.
 */
#include <string.h>

#include "client/ctl/ctl.h"

static const nu_ctl_option health_options[] = {
    {"watch", NULL, "stream status changes (Health/Watch) until Ctrl-C or the end of the stream"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option login_options[] = {
    {"print-token", NULL, "print the session token on stdout instead of saving it"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option org_options[] = {
    {"seller", NULL, "the organisation sells (it buys unless --buyer is also absent)"},
    {"buyer", NULL, "the organisation buys (the default)"},
    {"siret", "SIRET", "14-digit SIRET of a French body"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option org_list_options[] = {
    {"query", "TEXT", "name (case and accents ignored) or code containing TEXT"},
    {"limit", "N", "at most N organisations (default 50; pages are fetched as needed)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option org_change_options[] = {
    {"org", "ID|CODE", "the organisation (default: the one the session acts for)"},
    {"etag", "ETAG", "the etag last read (default: read the organisation first)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option org_refs_options[] = {
    {"org", "ID|CODE", "the organisation (default: the one the session acts for)"},
    {"etag", "ETAG", "the etag last read (default: read the organisation first)"},
    {"ref1", "TEXT", "REF1, up to 40 characters (\"\" clears it)"},
    {"ref2", "TEXT", "REF2, up to 40 characters"},
    {"ref3", "TEXT", "REF3, up to 40 characters"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option subscription_list_options[] = {
    {"status", "STATUS", "subscribed, active, ended or terminated (now)"},
    {"query", "TEXT", "order number, name or product code containing TEXT"},
    {"limit", "N", "at most N subscriptions (default 50; pages are fetched as needed)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option terminate_options[] = {
    {"quantity", "N", "terminate N units only: the subscription is split (default: all)"},
    {"idempotency-key", "KEY",
     "the request_id of the call (default: generated, printed on stderr)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option admit_options[] = {
    {"line", "LINE_ID", "admit this line only (with --quantity; default: every delivered unit)"},
    {"quantity", "N", "units of --line to admit"},
    {"idempotency-key", "KEY",
     "the request_id of the call (default: generated, printed on stderr)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option contest_options[] = {
    {"kind", "KIND",
     "incomplete (default: what was delivered is not what was ordered) or credentials"
     " (the access details do not work)"},
    {"idempotency-key", "KEY",
     "the request_id of the call (default: generated, printed on stderr)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option invite_options[] = {
    {"org", "ID", "the organisation (default: the one the session acts for)"},
    {"login", "LOGIN", "login of a new account (default: derived from the address)"},
    {"level", "LEVEL", "visitor (default) or manager, on every section"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option set_password_options[] = {
    {"totp", NULL, "the account has TOTP: also ask for a current code"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option accept_options[] = {
    {"existing-account", NULL, "the invited e-mail already has an account: ask no password"},
    {"phone-mobile", "PHONE", "a new account's mobile phone (E.164 or 06…; one phone is required)"},
    {"phone-landline", "PHONE", "a new account's landline (E.164 or 01…)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option member_edit_options[] = {
    {"org", "ID", "the organisation (default: the one the session acts for)"},
    {"civility", "C", "mr, ms or none"},
    {"first-name", "NAME", "first name"},
    {"last-name", "NAME", "last name"},
    {"phone-mobile", "PHONE", "mobile phone (E.164 or 06…; \"\" removes it)"},
    {"phone-landline", "PHONE", "landline (E.164 or 01…; \"\" removes it)"},
    {"language", "LANG", "fr or en"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option estimate_options[] = {
    {"quantity", "N", "units (instances, seats…), default 1"},
    {"hours", "H", "hourly plans: hours of use per unit"},
    {"months", "M", "subscriptions: months (default and minimum: the commitment)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option catalog_list_options[] = {
    {"query", "TEXT", "full-text search (French and English, accents ignored)"},
    {"kind", "K,…", "machine_image, managed_service, professional_service (any of)"},
    {"certification", "C,…", "hds, iso_27001, secnumcloud, … (all of)"},
    {"region", "R,…", "regions (any of)"},
    {"seller", "ID", "one seller organisation"},
    {"model", "M,…", "pricing models: hourly, free, byol, subscription, quotation (any of)"},
    {"capability", "C,…", "standard_vms, serverless, monitoring, vdi, … (all of)"},
    {"sovereign", NULL, "leave out providers subject to extra-European law"},
    {"sort", "S", "relevance (with --query), name, price, newest"},
    {"limit", "N", "at most N products (default 50; pages are fetched as needed)"},
    {"all", NULL, "also your organisation's drafts and unpublished products (sellers)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option domain_requests_options[] = {
    {"state", "STATE", "list: only pending, accepted or refused requests"},
    {"limit", "N", "list: at most N requests (default: all; pages are fetched as needed)"},
    {NULL, NULL, NULL},
};

/* An order's items, repeatable groups each opened by --product (cmd_order.c);
 * shared by preview and create. */
/* clang-format off */
#define ORDER_ITEM_OPTIONS                                                              \
    {"product", "ID|CODE", "starts an item: the product (repeat for several items)"},   \
    {"plan", "ID", "the item's pricing plan"},                                          \
    {"quantity", "N", "the item's units (default 1)"},                                  \
    {"months", "M", "subscriptions: the item's months (default: the commitment)"},      \
    {"hours", "H", "hourly plans: hours of use per unit"},                              \
    {"region", "R", "the item's region"}
/* clang-format on */

static const nu_ctl_option order_item_options[] = {
    ORDER_ITEM_OPTIONS,
    {NULL, NULL, NULL},
};

static const nu_ctl_option order_create_options[] = {
    ORDER_ITEM_OPTIONS,
    {"po-ref", "REF", "your purchase order reference"},
    {"service-code", "CODE", "your service code (for the invoice)"},
    {"contact-name", "NAME", "who to call for the implementation (required)"},
    {"contact-email", "EMAIL", "the contact's e-mail"},
    {"contact-phone", "PHONE", "the contact's phone (E.164 or 06…)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option order_list_options[] = {
    {"query", "TEXT", "order number, reference or product containing TEXT"},
    {"status", "S", "to_deliver, partially_delivered, delivered, admitted, disputed, cancelled"},
    {"from", "TIME", "placed at or after TIME (RFC 3339, or a date: its midnight UTC)"},
    {"to", "TIME", "placed before TIME"},
    {"sort", "S", "create_time_desc (default), create_time_asc, total_desc"},
    {"limit", "N", "at most N orders (default 50; pages are fetched as needed)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option document_options[] = {
    {"output", "FILE", "where to write it (default: its number, e.g. BL000012.pdf)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option provider_watch_options[] = {
    {"cursor", "N", "resume after event N (the last cursor printed; default 0: from the start)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option provider_events_options[] = {
    {"cursor", "N", "events after N (default 0: from the start)"},
    {"limit", "N", "at most N events (default 100; pages are fetched as needed)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option provider_report_options[] = {
    {"batch", "N", "reports per call, 1..1000 (default 1000)"},
    {NULL, NULL, NULL},
};

static const nu_ctl_option no_options[] = {
    {NULL, NULL, NULL},
};

const nu_ctl_command nu_ctl_commands[] = {
    {
        .name = "health",
        .args = "[--watch] [SERVICE]",
        .summary = "ask whether the server (or SERVICE) is serving",
        .help = "Calls grpc.health.v1.Health/Check and prints the serving status:\n"
                "SERVING, NOT_SERVING, SERVICE_UNKNOWN or UNKNOWN. The empty service\n"
                "(the default) is the server as a whole. Exits 0 when SERVING, 1\n"
                "otherwise.\n"
                "With --watch, calls Health/Watch and prints one line per change until\n"
                "Ctrl-C, the end of the stream or --timeout; it then exits as above,\n"
                "with the last status it printed. Without --timeout a watch has no\n"
                "deadline.\n"
                "JSON: {\"service\":\"\",\"status\":\"SERVING\"}, one object per line.\n",
        .options = health_options,
        .min_args = 0,
        .max_args = 1,
        .handler = nu_ctl_cmd_health,
    },
    {
        .name = "info",
        .args = "",
        .summary = "show the server's version and its database's schema state",
        .help = "Calls nuage.v1.SystemService/GetServerInfo and prints server_version,\n"
                "schema_version, known_migrations, database_version, database_time and\n"
                "start_time (RFC 3339, UTC), one `key: value` line each, or one JSON\n"
                "object with --json.\n",
        .options = no_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_info,
    },
    {
        .name = "login",
        .args = "[--print-token] LOGIN",
        .summary = "sign in (password, then a TOTP code if asked) and keep the token",
        .help = "Reads the password (without echo on a terminal; else the first line of\n"
                "stdin), calls AuthService/Login and, when the account has TOTP, asks for\n"
                "the code (next line of stdin) and calls VerifyLoginCode. The session\n"
                "token is saved in $XDG_CONFIG_HOME/nuage/token or ~/.config/nuage/token\n"
                "(mode 0600) and used by later commands when neither --token nor\n"
                "NUAGE_TOKEN is set; --print-token prints it on stdout instead.\n",
        .options = login_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_login,
        .anonymous = true,
    },
    {
        .name = "org",
        .args = "create NAME [--seller] [--buyer] [--siret SIRET]",
        .summary = "create an organisation (you become its referent)",
        .help = "Calls OrganizationService/CreateOrganization. The global --request-id is\n"
                "also the request's idempotency key.\n",
        .options = org_options,
        .min_args = 2,
        .max_args = 2,
        .handler = nu_ctl_cmd_org,
    },
    {
        .name = "org show",
        .args = "[ID|CODE]",
        .summary = "show an organisation (yours by default), by id or ORG- code",
        .help =
            "Calls OrganizationService/GetOrganization and prints the organisation as\n"
            "`key: value` lines: id, code, name, state, account and support levels,\n"
            "referent, REF1-3, SIRET and billing details (withheld from a visitor on\n"
            "contract: company_details_withheld: true), etag.\n"
            "JSON: {\"id\":..,\"code\":..,\"name\":..,\"state\":..,\"buyer\":..,\"seller\":..,\n"
            "\"account_level\":..,\"support_level\":..,\"region\":..,\"referent_user_id\":..,\n"
            "\"invoice_reference_1\":..,\"invoice_reference_2\":..,\"invoice_reference_3\":..,\n"
            "\"company_details_withheld\":..,\"siret\":..|null,\"billing_details\":{..}|null,\n"
            "\"etag\":..}.\n",
        .options = no_options,
        .min_args = 0,
        .max_args = 1,
        .handler = nu_ctl_cmd_org_show,
    },
    {
        .name = "org list",
        .args = "[--query TEXT] [--limit N]",
        .summary = "list your organisations (every one for the operator)",
        .help = "Calls OrganizationService/ListOrganizations, page after page, and prints\n"
                "a table: code, name, state, id; then the count.\n"
                "JSON: one object per organisation and line: {\"id\":..,\"code\":..,\n"
                "\"name\":..,\"state\":..,\"buyer\":..,\"seller\":..}.\n",
        .options = org_list_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_org_list,
    },
    {
        .name = "subscription list",
        .args = "[--status S] [--query TEXT] [--limit N]",
        .summary = "list your organisation's subscriptions",
        .help = "Calls SubscriptionService/ListSubscriptions, page after page, and prints a\n"
                "table: id, status (derived now), quantity, start, name; then the count.\n"
                "JSON: one object per subscription and line, as `subscription show`.\n",
        .options = subscription_list_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_subscription_list,
    },
    {
        .name = "subscription show",
        .args = "ID",
        .summary = "show one subscription",
        .help = "Calls SubscriptionService/GetSubscription and prints id, name, status, type,\n"
                "product code, quantity, duration, prices, region, start, end, termination,\n"
                "order number, split_from_id, etag.\n",
        .options = no_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_subscription_show,
    },
    {
        .name = "subscription terminate",
        .args = "ID [--quantity N] [--idempotency-key KEY]",
        .summary = "terminate a subscription from the 1st of next month (Paris)",
        .help = "Reads the subscription for its etag, then calls\n"
                "SubscriptionService/TerminateSubscription. With --quantity, only N units end\n"
                "and the subscription is split; prints the terminated part, then what remains.\n",
        .options = terminate_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_subscription_terminate,
    },
    {
        .name = "order admit",
        .args = "ORDER_ID [--line LINE_ID --quantity N] [--idempotency-key KEY]",
        .summary = "certify a delivery (service fait): every delivered unit, or part of a line",
        .help = "Calls OrderService/AdmitDelivery; subscriptions are created for the admitted\n"
                "units. Prints the order's id, number, status and the admission's id.\n",
        .options = admit_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_order_admit,
    },
    {
        .name = "order contest",
        .args = "ORDER_ID REASON [--idempotency-key KEY]",
        .summary = "contest a delivery: the order is disputed and an incident opened",
        .help = "Calls OrderService/ContestDelivery and prints the order's id, number, status\n"
                "and the incident's id.\n",
        .options = contest_options,
        .min_args = 2,
        .max_args = 2,
        .handler = nu_ctl_cmd_order_contest,
    },
    {
        .name = "org rename",
        .args = "NAME [--org ID|CODE] [--etag ETAG]",
        .summary = "rename an organisation (its referent or the operator)",
        .help = "Calls OrganizationService/UpdateOrganization with the mask `name` and\n"
                "prints the organisation after, as `org show` does. Another manager gets\n"
                "PERMISSION_DENIED (REFERENT_ONLY).\n",
        .options = org_change_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_org_rename,
    },
    {
        .name = "org refs",
        .args = "[--ref1 TEXT] [--ref2 TEXT] [--ref3 TEXT] [--org ID|CODE] [--etag ETAG]",
        .summary = "set the invoice references REF1-3 (its referent or the operator)",
        .help = "Calls OrganizationService/UpdateOrganization with the references given\n"
                "(invoice_reference_1..3; the others are kept) and prints the\n"
                "organisation after, as `org show` does. Another manager gets\n"
                "PERMISSION_DENIED (REFERENT_ONLY).\n",
        .options = org_refs_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_org_refs,
    },
    {
        .name = "invite",
        .args = "EMAIL [--org ID] [--login LOGIN] [--level visitor|manager]",
        .summary = "invite a member into an organisation",
        .help = "Calls OrganizationService/CreateInvitation with the level on every\n"
                "section; the invited address receives a set-password link.\n",
        .options = invite_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_invite,
    },
    {
        .name = "domains",
        .args = "import FILE",
        .summary = "replace the eligible-domain list with FILE (platform operator)",
        .help = "Streams FILE to EligibilityService/ImportEligibleDomains, printing\n"
                "progress on stderr, then the summary: counts of lines, accepted,\n"
                "normalized, duplicates, invalid, and every normalized, invalid and\n"
                "duplicate line with its number.\n",
        .options = no_options,
        .min_args = 2,
        .max_args = 2,
        .handler = nu_ctl_cmd_domains,
    },
    {
        .name = "domains requests",
        .args = "list [--state S] [--limit N] | accept ID | refuse ID REASON",
        .summary = "list, accept or refuse eligible-domain requests (platform operator)",
        .help = "list: EligibilityService/ListEligibleDomainRequests, every page, newest\n"
                "first: one record per request (id, domain, email, state, note,\n"
                "refusal_reason, create_time, decide_time, decided_by_user_id and, once\n"
                "accepted, credits_granted), then the count.\n"
                "accept: AcceptEligibleDomainRequest: the domain joins the list (and\n"
                "stays through imports), the requester is e-mailed, and accounts\n"
                "confirmed earlier under the domain get their credit, once.\n"
                "refuse: RefuseEligibleDomainRequest with REASON, which the requester\n"
                "is e-mailed. Both print the request as it now is.\n"
                "JSON: one object per request and line, with the keys above (absent\n"
                "values null).\n",
        .options = domain_requests_options,
        .min_args = 1,
        .max_args = 3,
        .handler = nu_ctl_cmd_domain_requests,
    },
    {
        .name = "eligibility",
        .args = "check EMAIL",
        .summary = "tell whether an e-mail is eligible and through which listed domain",
        .help = "Calls EligibilityService/CheckEligibility. Exits 0 when eligible, 1 when\n"
                "not.\n",
        .options = no_options,
        .min_args = 2,
        .max_args = 2,
        .handler = nu_ctl_cmd_eligibility,
    },
    {
        .name = "set-password",
        .args = "[--totp] LINK",
        .summary = "set a password with an e-mailed reset link (or the operator's first)",
        .help = "Reads the new password like `login` and calls AuthService/ResetPassword\n"
                "with the token of LINK (the whole link or just its nul_… token). Reset\n"
                "links live 5 minutes; the link printed by `nuage-server create-operator`\n"
                "24 hours. With --totp, also reads a current code. Every session of the\n"
                "account ends.\n",
        .options = set_password_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_set_password,
        .anonymous = true,
    },
    {
        .name = "accept-invitation",
        .args = "[--existing-account] [--phone-mobile PHONE] [--phone-landline PHONE] LINK",
        .summary = "join an organisation with an e-mailed invitation link",
        .help = "Calls OrganizationService/AcceptInvitation with the token of LINK and,\n"
                "for a new account, the password read like `login` and the phones (at\n"
                "least one). Prints the organisation joined and the login to sign in\n"
                "with.\n",
        .options = accept_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_accept_invitation,
        .anonymous = true,
    },
    {
        .name = "me",
        .args = "",
        .summary = "show who you are signed in as, and your rights",
        .help =
            "Calls UserService/GetCurrentUser and prints the profile (login, e-mail,\n"
            "names, phones, language, status, commercial consent), the organisation\n"
            "the session acts for with your level on each section there, and your\n"
            "organisations (referent or not).\n"
            "JSON: {\"id\":..,\"login\":..,\"email\":..,..,\"acting_organization_id\":..,\n"
            "\"roles\":{\"contract\":\"manager\",..},\"memberships\":[{\"organization_id\":..,\n"
            "\"organization_name\":..,\"referent\":\"true\"|\"false\"}]}.\n",
        .options = no_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_me,
    },
    {
        .name = "member edit",
        .args =
            "USER_ID [--org ID] [--civility C] [--first-name N] [--last-name N] [--phone-mobile P]"
            " [--phone-landline P] [--language fr|en]",
        .summary = "edit a member's profile (manager on users)",
        .help = "Reads the member's etag with OrganizationService/ListMembers, then calls\n"
                "UpdateMember with the fields given (only those change). The e-mail,\n"
                "login and password stay the member's own. Prints the member.\n"
                "JSON: {\"user_id\":..,\"organization_id\":..,\"login\":..,\"email\":..,\n"
                "\"civility\":..,\"first_name\":..,\"last_name\":..,\"phone_landline\":..,\n"
                "\"phone_mobile\":..,\"language\":..,\"etag\":..}.\n",
        .options = member_edit_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_member_edit,
    },
    {
        .name = "email change",
        .args = "NEW_EMAIL",
        .summary = "ask to change your e-mail (a link goes to the new address)",
        .help = "Reads your password like `login` and calls UserService/RequestEmailChange.\n"
                "The new address receives a link valid 24 hours (use it with `email\n"
                "confirm`); the current one a notice. The answer is the same whether or\n"
                "not the new address already has an account.\n",
        .options = no_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_email_change,
    },
    {
        .name = "email confirm",
        .args = "LINK",
        .summary = "switch your e-mail with the link sent to the new address",
        .help = "Calls UserService/ConfirmEmailChange with the token of LINK (the whole\n"
                "link or its nul_… token). Prints the account's e-mail from now on.\n",
        .options = no_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_email_confirm,
        .anonymous = true,
    },
    {
        .name = "catalog list",
        .args = "[--query TEXT] [FILTER OPTIONS] [--sort S] [--limit N] [--all]",
        .summary = "browse the catalogue: search, filters, sort",
        .help = "Calls CatalogService/ListProducts, page after page, and prints a table:\n"
                "code, name, seller, kind, cheapest monthly price, certifications; then\n"
                "the count. Works without signing in (published products only).\n"
                "JSON: one object per product and line: {\"id\":..,\"code\":..,\"name\":..,\n"
                "\"seller_id\":..,\"seller_name\":..,\"kind\":..,\"category\":..,\"state\":..,\n"
                "\"regions\":[..],\"certifications\":[..],\"capabilities\":[..],\n"
                "\"extra_eu_law\":..,\"pricing_models\":[..],\"min_monthly_price\":\n"
                "{\"amount_cents\":..,\"currency\":..}|null,\"description\":..}.\n",
        .options = catalog_list_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_catalog_list,
    },
    {
        .name = "catalog show",
        .args = "ID|CODE",
        .summary = "show one product with its pricing plans",
        .help = "Calls CatalogService/GetProduct by id (uuid) or code (NUP-…) and prints\n"
                "the product as `key: value` lines with its plans. Drafts are shown to\n"
                "their seller only. JSON: the object of `catalog list` with\n"
                "\"pricing_plans\":[{\"id\":..,\"name\":..,\"model\":..,\"hourly_price\":..,\n"
                "\"monthly_price\":..,\"commitment_months\":..,\"upfront\":..,\n"
                "\"vat_rate_bp\":..,\"active\":..}].\n",
        .options = no_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_catalog_show,
    },
    {
        .name = "catalog estimate",
        .args = "PRODUCT PLAN [--quantity N] [--hours H | --months M]",
        .summary = "estimate the price of a plan: lines, VAT, totals",
        .help =
            "Calls CatalogService/EstimatePrice for PRODUCT (id or NUP- code) and\n"
            "PLAN (id) and prints a table: one line per charge with quantity, unit\n"
            "price, amount excluding VAT, VAT rate, VAT (per line, half-up to the\n"
            "cent) and amount including VAT, then the totals (the sums of the\n"
            "lines). Hourly plans need --hours; subscriptions take --months.\n"
            "Works without signing in for published products.\n"
            "JSON: {\"lines\":[{\"description\":..,\"quantity\":..,\"unit_price_cents\":..,\n"
            "\"amount_excl_vat_cents\":..,\"vat_rate_bp\":..,\"vat_cents\":..,\n"
            "\"amount_incl_vat_cents\":..}],\"total_excl_vat_cents\":..,\"total_vat_cents\":..,\n"
            "\"total_incl_vat_cents\":..,\"currency\":\"EUR\"}.\n",
        .options = estimate_options,
        .min_args = 2,
        .max_args = 2,
        .handler = nu_ctl_cmd_catalog_estimate,
    },
    {
        .name = "order preview",
        .args = "--product ID --plan ID [--quantity N] [--months M] [--hours H] [--region R] ...",
        .summary = "price an order before placing it: lines, VAT table, totals",
        .help =
            "Calls OrderService/PreviewOrder with the items given: each --product\n"
            "starts an item and the --plan, --quantity, --months, --hours and --region\n"
            "that follow it apply to it. Prints the seller, the lines, the VAT table\n"
            "and the totals; nothing is placed. Needs manager on the catalogue.\n"
            "JSON: {\"seller_id\":..,\"seller_name\":..,\"lines\":[..],\"vat_table\":\n"
            "[{\"rate_bp\":..,\"amount_excl_vat\":{\"amount_cents\":..,\"currency\":..},\n"
            "\"vat\":{..}}],\"total_excl_vat\":{..},\"total_vat\":{..},\"total_incl_vat\":{..}}.\n",
        .options = order_item_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_order_preview,
    },
    {
        .name = "order create",
        .args = "ITEMS --contact-name NAME [--contact-email E] [--contact-phone P] [--po-ref REF] "
                "[--service-code CODE]",
        .summary = "place an order (items as in `order preview`)",
        .help = "Calls OrderService/CreateOrder. The request id is the global\n"
                "--request-id; without it one is generated and printed on stderr first:\n"
                "retrying with --request-id ID returns the same order instead of placing\n"
                "a second one. Prints the order as `order show` does, with request_id.\n",
        .options = order_create_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_order_create,
    },
    {
        .name = "order list",
        .args = "[--query TEXT] [--status S] [--from TIME] [--to TIME] [--sort S] [--limit N]",
        .summary = "list your organisation's orders",
        .help = "Calls OrderService/ListOrders, page after page, and prints a table:\n"
                "number, creation time, status, seller, total excluding VAT, id; then\n"
                "the count. JSON: one order per line, as `order show` prints it.\n",
        .options = order_list_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_order_list,
    },
    {
        .name = "order show",
        .args = "ID|NUMBER",
        .summary = "show an order by id or number (CC…): lines, VAT, totals, documents",
        .help = "Calls OrderService/GetOrder and prints the order: number, status,\n"
                "parties, references, contact, lines (with their provisioning), VAT\n"
                "table, totals, documents and admissions. Access details are never\n"
                "shown: a line says has_access_details.\n"
                "JSON: {\"id\":..,\"number\":..,\"status\":..,..,\"lines\":[{\"id\":..,\n"
                "\"product_code\":..,\"quantity\":..,\"unit_price\":{\"amount_cents\":..,\n"
                "\"currency\":..},..}],\"vat_table\":[..],\"total_excl_vat\":{..},\n"
                "\"total_vat\":{..},\"total_incl_vat\":{..},\"documents\":[{\"id\":..,\n"
                "\"number\":..,\"kind\":..,\"create_time\":..}],..}.\n",
        .options = no_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_order_show,
    },
    {
        .name = "document get",
        .args = "ID [-o FILE]",
        .summary = "download a document (a delivery note…) and check its SHA-256",
        .help = "Streams DocumentService/GetDocument into FILE (written as FILE.part,\n"
                "renamed once its size and SHA-256 match what the server announced;\n"
                "removed otherwise, exit 3). Prints id, number, kind, content_type,\n"
                "size, sha256, order_id, create_time and file.\n",
        .options = document_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_document_get,
        .short_option = 'o',
        .short_option_of = "output",
    },
    {
        .name = "provider watch",
        .args = "[--cursor N]",
        .summary = "follow the seller's order feed (provider backends, access key)",
        .help = "Calls ProvisioningService/WatchOrderEvents with an access key of the\n"
                "seller (--token or NUAGE_TOKEN: \"<id>:<secret>\") and prints one line per\n"
                "event: cursor, time, kind, order number, status, buyer, line. When the\n"
                "stream drops it reconnects from the last cursor printed, after a pause\n"
                "growing from 0.5 s to 30 s; it stops at Ctrl-C or --timeout (for the\n"
                "whole watch) and then prints `cursor: N` on stderr, to resume with\n"
                "--cursor N. The feed is at-least-once: compare cursors.\n"
                "JSON: {\"cursor\":..,\"kind\":..,\"event_time\":..,\"line_id\":..,\n"
                "\"order\":{..}} per line.\n",
        .options = provider_watch_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_provider_watch,
    },
    {
        .name = "provider events",
        .args = "[--cursor N] [--limit N]",
        .summary = "list the seller's order events after a cursor (access key)",
        .help = "Calls ProvisioningService/ListOrderEvents, page after page, prints the\n"
                "events as `provider watch` does, then next_cursor: the cursor to ask\n"
                "from next time.\n",
        .options = provider_events_options,
        .min_args = 0,
        .max_args = 0,
        .handler = nu_ctl_cmd_provider_events,
    },
    {
        .name = "provider report",
        .args = "FILE [--batch N]",
        .summary = "send provisioning reports from a JSON-lines FILE (access key)",
        .help = "FILE (- for stdin) holds one report per line: {\"event_id\":..,\n"
                "\"event_time\":\"2026-11-21T13:51:00Z\",\"line_id\":..,\"state\":\n"
                "\"in_progress\"|\"delivered\"|\"failed\",\"quantity_delivered\":N,\n"
                "\"access_details\":..,\"failure_reason\":..,\"expected_delivery_time\":..}.\n"
                "They go to ProvisioningService/ReportProvisioning in batches of --batch\n"
                "(default 1000), with a progress bar on stderr (progress lines when it\n"
                "is not a terminal). Prints one result per line (applied, duplicate,\n"
                "stale or rejected with code, reason and message; a malformed line is\n"
                "rejected without being sent), then the counts. Access details are\n"
                "never printed. Exits 1 when any report was rejected.\n"
                "JSON: {\"line\":..,\"event_id\":..,\"outcome\":..,\"error\":{\"code\":..,\n"
                "\"reason\":..,\"message\":..,\"field\":..}|null} per report, then\n"
                "{\"applied\":..,\"duplicate\":..,\"stale\":..,\"rejected\":..}.\n",
        .options = provider_report_options,
        .min_args = 1,
        .max_args = 1,
        .handler = nu_ctl_cmd_provider_report,
    },
    {
        .name = "help",
        .args = "[COMMAND]",
        .summary = "show this help, or the help of COMMAND (two words for catalog, order…)",
        .help = NULL,
        .options = no_options,
        .min_args = 0,
        .max_args = 2,
        .handler = nu_ctl_cmd_help,
    },
    {.name = NULL},
};

const nu_ctl_command *nu_ctl_find_command(const char *name) {
  for (const nu_ctl_command *cmd = nu_ctl_commands; cmd->name != NULL; cmd++)
    if (strcmp(cmd->name, name) == 0) return cmd;
  return NULL;
}

const char *nu_ctl_option_value(const nu_ctl *ctx, const char *name) {
  for (int i = 0; ctx->command->options[i].name != NULL; i++)
    if (strcmp(ctx->command->options[i].name, name) == 0) return ctx->option_values[i];
  return NULL;
}
