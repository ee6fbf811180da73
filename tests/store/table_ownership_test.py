#!/usr/bin/env python3
"""table_ownership_test — every table is written by one store file, its owner.

The arguments are the sources of server/store (//server/store:sources). In the
string literals of each file (comments removed), every INSERT INTO t,
UPDATE t, DELETE FROM t, MERGE INTO t and TRUNCATE t must name a table of
OWNERS below and sit in that table's owner; the owner's first comment says
"Owns table t" (or "Owns tables …, t"). Another file that needs to write t
calls the owner's functions on the same connection, in the same transaction.

A new table gets a row here when its owning file is written. SQL keywords are
in capitals in this code base, which is what lets an English comment or
message ("update the user") never look like a statement.
"""
import re
import sys

# table -> the file (under server/store/) that owns every write of it
OWNERS = {
    "access_key_codes": "identity/access_key_code_store.c",
    "access_keys": "identity/access_key_store.c",
    "admission_lines": "orders/admission_store.c",
    "admissions": "orders/admission_store.c",
    "audit_log": "core/audit_store.c",
    "credits": "eligibility/credit_store.c",
    "documents": "orders/document_store.c",
    "eligible_domain_imports": "eligibility/eligibility_store.c",
    "eligible_domain_requests": "eligibility/domain_request_store.c",
    "eligible_domains": "eligibility/eligibility_store.c",
    "idempotency_records": "core/idempotency_store.c",
    "incidents": "orders/admission_store.c",
    "invitations": "organization/invitation_store.c",
    "login_challenges": "identity/login_store.c",
    "memberships": "organization/membership_store.c",
    "order_events": "orders/order_event_store.c",
    "order_feeds": "orders/order_event_store.c",
    "order_lines": "orders/order_store.c",
    "order_links": "orders/order_store.c",
    "orders": "orders/order_store.c",
    "organizations": "organization/organization_store.c",
    "outbox": "core/outbox_store.c",
    "pricing_plans": "catalog/plan_store.c",
    "provisioning_reports": "orders/report_store.c",
    "product_versions": "catalog/version_store.c",
    "products": "catalog/product_store.c",
    "rate_limit_hits": "core/rate_limit_store.c",
    "recovery_codes": "identity/login_store.c",
    "schema_migrations": "core/migrate.c",
    "sessions": "identity/session_store.c",
    "storefronts": "catalog/storefront_store.c",
    "subscriptions": "orders/subscription_store.c",
    "user_links": "identity/link_store.c",
    "users": "identity/user_store.c",
}

PREFIX = "server/store/"
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
# "FOR UPDATE", "FOR NO KEY UPDATE" and "DO UPDATE SET" lock or resolve a
# conflict: they name no table of their own.
WRITE = re.compile(
    r"(?:\bINSERT\s+INTO|\bDELETE\s+FROM|\bMERGE\s+INTO|\bTRUNCATE(?:\s+TABLE)?"
    r"|(?<!FOR )(?<!KEY )(?<!DO )\bUPDATE)"
    r"\s+(?:ONLY\s+)?([A-Za-z_][A-Za-z0-9_.]*)"
)


def first_comment(text):
    m = re.search(r"/\*(.*?)\*/", text, re.S)
    if m is None:
        return ""
    lines = [re.sub(r"^\s*\*?\s?", "", l) for l in m.group(1).splitlines()]
    return " ".join(lines)


def writes(text):
    """The tables written by the string literals of a C source."""
    code = COMMENT.sub(" ", text)
    sql = re.sub(r"\s+", " ", " ".join(m.group(1) for m in LITERAL.finditer(code)))
    return [m.group(1) for m in WRITE.finditer(sql)]


def main(paths):
    sources = {}
    for p in paths:
        if not (p.endswith(".c") or p.endswith(".h")):
            continue
        rel = p[p.index(PREFIX) + len(PREFIX):] if PREFIX in p else p
        with open(p, encoding="utf-8") as f:
            sources[rel] = f.read()
    problems = []
    if len(sources) < 20:
        problems.append("only %d store sources given: is //server/store:sources complete?"
                        % len(sources))
    for rel, text in sorted(sources.items()):
        for table in writes(text):
            owner = OWNERS.get(table)
            if owner is None:
                problems.append("%s writes %s, a table without an owner in OWNERS" % (rel, table))
            elif owner != rel:
                problems.append("%s writes %s, which only %s may write (call its functions)"
                                % (rel, table, owner))
    for table, owner in sorted(OWNERS.items()):
        text = sources.get(owner)
        if text is None:
            problems.append("%s, the owner of %s, is not among the store sources" % (owner, table))
            continue
        comment = first_comment(text)
        if not re.search(r"Owns tables?\b[^.]*\b%s\b" % re.escape(table), comment):
            problems.append("%s does not say \"Owns table %s\" in its first comment"
                            % (owner, table))
        if table not in writes(text):
            problems.append("%s owns %s but writes it nowhere: drop the row or the table"
                            % (owner, table))
    for p in problems:
        print("table_ownership_test: " + p, file=sys.stderr)
    if not problems:
        print("table_ownership_test: %d tables, each written by its owner only (%d files)"
              % (len(OWNERS), len(sources)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
