// identity_core_store_test.cc — the shared identity stores against a real
// PostgreSQL: single-use links, credentials (sessions and access keys),
// idempotency records, the audit log and the outbox.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

extern "C" {
#include "server/domain/identity/token.h"
#include "server/store/core/audit_store.h"
#include "server/store/identity/credential_store.h"
#include "server/store/core/db.h"
#include "server/store/core/idempotency_store.h"
#include "server/store/identity/link_store.h"
#include "server/store/core/migrate.h"
#include "server/store/core/outbox_store.h"
}
#include "tests/store/store_testing.h"

namespace nuage::testing {
namespace {

constexpr int64_t kT0 = INT64_C(1795000000) * 1000000000;  // 2026-11-18, an arbitrary "now"
constexpr int64_t kMinute = INT64_C(60) * 1000000000;

class IdentityCoreStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = FreshDatabase();
    nu_migrate_result r = {};
    nu_status st = nu_migrate(db_.c_str(), nu_migrations, nu_migrations_count, a_, &r);
    ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
    pool_ = std::make_unique<Pool>(db_, 1);
    st = nu_pool_acquire(*pool_, DeadlineInMs(5000), a_, &c_);
    ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
    user_ = QueryValue(db_, "INSERT INTO users (login, email, status, created_at, updated_at)"
                            " VALUES ('alice.martin', 'alice@example.org', 'active', now(), now()) RETURNING id");
    org_ = QueryValue(db_, "INSERT INTO organizations (name, is_buyer, is_seller, referent_user_id, created_at,"
                           " updated_at) VALUES ('Org', true, false, '" + user_ + "', now(), now()) RETURNING id");
    QueryValue(db_, "INSERT INTO memberships VALUES ('" + org_ + "', '" + user_ +
                        "', '{0,1,2,0,1,2,0,2,1}', 1, now(), now())");
  }
  void TearDown() override {
    if (c_ != nullptr) nu_pool_release(*pool_, c_);
  }

  // A session row for token, last used at last_used_ns.
  void InsertSession(const std::string& token, int64_t last_used_ns, const std::string& org) {
    uint8_t d[NU_TOKEN_HASH_BYTES];
    nu_token_hash(token.data(), token.size(), d);
    std::string hex = std::string(nu_db_bytea(a_, d, sizeof(d))).substr(2);
    QueryValue(db_, "INSERT INTO sessions (token_hash, user_id, organization_id, created_at, last_used_at)"
                    " VALUES (decode('" + hex + "', 'hex'), '" + user_ + "', " +
                        (org.empty() ? "NULL" : "'" + org + "'") + ", nu_ts(" + std::to_string(last_used_ns / 1000) +
                        "), nu_ts(" + std::to_string(last_used_ns / 1000) + "))");
  }

  nu_status Session(const std::string& token, int64_t now, nu_principal* p) {
    uint8_t d[NU_TOKEN_HASH_BYTES];
    nu_token_hash(token.data(), token.size(), d);
    return nu_credential_session(c_, a_, d, now, p);
  }

  std::string db_, user_, org_;
  Arena a_;
  std::unique_ptr<Pool> pool_;
  nu_conn* c_ = nullptr;
};

TEST_F(IdentityCoreStoreTest, LinkWorksOnceAndOnlyForItsPurposeAndLifetime) {
  char token[NU_TOKEN_SIZE];
  nu_link_new l = {user_.c_str(), "reset_password", nullptr, kT0, 5 * kMinute};
  nu_status st = nu_link_create(c_, a_, &l, true, token);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  ASSERT_EQ(std::strncmp(token, "nul_", 4), 0);
  EXPECT_EQ(QueryValue(db_, "SELECT count(*) FROM user_links WHERE position(convert_to('" + std::string(token) +
                                "', 'UTF8') in token_hash) > 0"),
            "0");

  nu_link_use use = {};
  st = nu_link_consume(c_, a_, token, std::strlen(token), "set_password", kT0 + kMinute, &use);
  EXPECT_EQ(st.code, NU_FAILED_PRECONDITION) << "wrong purpose";
  st = nu_link_consume(c_, a_, token, std::strlen(token), "reset_password", kT0 + 5 * kMinute, &use);
  EXPECT_EQ(st.code, NU_FAILED_PRECONDITION) << "expired at exactly its lifetime";
  st = nu_link_consume(c_, a_, token, std::strlen(token), "reset_password", kT0 + 4 * kMinute, &use);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(std::string(use.user_id), user_);
  nu_status again = nu_link_consume(c_, a_, token, std::strlen(token), "reset_password", kT0 + 4 * kMinute, &use);
  EXPECT_EQ(again.code, NU_FAILED_PRECONDITION) << "single use";
  EXPECT_STREQ(again.message, "this link is invalid, expired or already used");
}

TEST_F(IdentityCoreStoreTest, ANewLinkRevokesTheOlderOnes) {
  char first[NU_TOKEN_SIZE], second[NU_TOKEN_SIZE];
  nu_link_new l = {user_.c_str(), "set_password", nullptr, kT0, 24 * 60 * kMinute};
  ASSERT_EQ(nu_link_create(c_, a_, &l, true, first).code, NU_OK);
  ASSERT_EQ(nu_link_create(c_, a_, &l, true, second).code, NU_OK);
  nu_link_use use = {};
  EXPECT_EQ(nu_link_consume(c_, a_, first, std::strlen(first), "set_password", kT0, &use).code,
            NU_FAILED_PRECONDITION);
  EXPECT_EQ(nu_link_consume(c_, a_, second, std::strlen(second), "set_password", kT0, &use).code, NU_OK);
}

TEST_F(IdentityCoreStoreTest, SessionGivesThePrincipalWithItsLevels) {
  InsertSession("nus_alpha", kT0, org_);
  nu_principal p;
  nu_status st = Session("nus_alpha", kT0 + kMinute, &p);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(p.kind, NU_PRINCIPAL_USER);
  EXPECT_EQ(std::string(p.id), user_);
  EXPECT_EQ(std::string(p.organization_id), org_);
  EXPECT_FALSE(p.platform_operator);
  int want[] = {0, 1, 2, 0, 1, 2, 0, 2, 1};
  for (int s = NU_SECTION_CONTRACT; s <= NU_SECTION_STOREFRONT; s++) EXPECT_EQ(p.levels[s], want[s - 1]) << s;
}

TEST_F(IdentityCoreStoreTest, SessionExpiresAfter24HoursIdleAndActivityExtendsIt) {
  InsertSession("nus_beta", kT0, org_);
  nu_principal p;
  const int64_t day = 24 * 60 * kMinute;
  // Used 23 h later: still valid, and that use restarts the 24 h.
  ASSERT_EQ(Session("nus_beta", kT0 + day - 60 * kMinute, &p).code, NU_OK);
  ASSERT_EQ(Session("nus_beta", kT0 + 2 * day - 120 * kMinute, &p).code, NU_OK);
  // Then idle for 24 h.
  nu_status st = Session("nus_beta", kT0 + 3 * day, &p);
  EXPECT_EQ(st.code, NU_UNAUTHENTICATED);
  EXPECT_STREQ(st.reason, "INVALID_CREDENTIALS");
}

TEST_F(IdentityCoreStoreTest, SessionOfAnInactiveUserOrRevokedIsRefused) {
  InsertSession("nus_gamma", kT0, org_);
  nu_principal p;
  QueryValue(db_, "UPDATE users SET status = 'disabled'");
  EXPECT_EQ(Session("nus_gamma", kT0, &p).code, NU_UNAUTHENTICATED);
  QueryValue(db_, "UPDATE users SET status = 'active'");
  EXPECT_EQ(Session("nus_gamma", kT0, &p).code, NU_OK);
  QueryValue(db_, "UPDATE sessions SET revoked_at = now()");
  EXPECT_EQ(Session("nus_gamma", kT0, &p).code, NU_UNAUTHENTICATED);
}

TEST_F(IdentityCoreStoreTest, SessionWithoutMembershipActsForNoOrganization) {
  InsertSession("nus_delta", kT0, org_);
  QueryValue(db_, "DELETE FROM memberships");
  nu_principal p;
  ASSERT_EQ(Session("nus_delta", kT0, &p).code, NU_OK);
  EXPECT_EQ(p.organization_id, nullptr);
  for (int s = NU_SECTION_CONTRACT; s <= NU_SECTION_STOREFRONT; s++) EXPECT_EQ(p.levels[s], NU_LEVEL_NONE);
}

TEST_F(IdentityCoreStoreTest, AccessKeyNeedsItsSecretAndRecordsItsUse) {
  const char* secret = "nusk_secret-part";
  uint8_t d[NU_TOKEN_HASH_BYTES];
  nu_token_hash(secret, std::strlen(secret), d);
  std::string hex = std::string(nu_db_bytea(a_, d, sizeof(d))).substr(2);
  QueryValue(db_, "INSERT INTO access_keys (id, secret_hash, user_id, organization_id, created_at) VALUES"
                  " ('NUAKAAAAAAAAAAAAAAAAAAAA', decode('" + hex + "', 'hex'), '" + user_ + "', '" + org_ +
                      "', now())");
  nu_principal p;
  nu_status st = nu_credential_access_key(c_, a_, "NUAKAAAAAAAAAAAAAAAAAAAA", d, kT0, &p);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(p.kind, NU_PRINCIPAL_ACCESS_KEY);
  EXPECT_STREQ(p.access_key_id, "NUAKAAAAAAAAAAAAAAAAAAAA");
  EXPECT_EQ(p.levels[NU_SECTION_USERS], NU_LEVEL_MANAGER);
  EXPECT_EQ(QueryValue(db_, "SELECT nu_us(last_used_at) FROM access_keys"), std::to_string(kT0 / 1000));

  uint8_t wrong[NU_TOKEN_HASH_BYTES];
  nu_token_hash("nusk_other", 10, wrong);
  EXPECT_EQ(nu_credential_access_key(c_, a_, "NUAKAAAAAAAAAAAAAAAAAAAA", wrong, kT0, &p).code, NU_UNAUTHENTICATED);
  QueryValue(db_, "UPDATE access_keys SET revoked_at = now()");
  EXPECT_EQ(nu_credential_access_key(c_, a_, "NUAKAAAAAAAAAAAAAAAAAAAA", d, kT0, &p).code, NU_UNAUTHENTICATED);
}

TEST_F(IdentityCoreStoreTest, IdempotencyClaimThenReplayThenMismatch) {
  nu_idem_key k = {"user:u1", "/nuage.v1.X/Create", "req-1"};
  uint8_t h1[NU_IDEM_HASH_BYTES] = {1}, h2[NU_IDEM_HASH_BYTES] = {2};
  nu_idem_claim_result r = {};
  ASSERT_EQ(nu_idem_claim(c_, a_, &k, h1, kT0, &r).code, NU_OK);
  EXPECT_TRUE(r.claimed);
  const uint8_t reply[] = {0x0a, 0x02, 'o', 'k'};
  ASSERT_EQ(nu_idem_complete(c_, a_, &k, reply, sizeof(reply)).code, NU_OK);
  ASSERT_EQ(nu_idem_claim(c_, a_, &k, h1, kT0, &r).code, NU_OK);
  EXPECT_FALSE(r.claimed);
  EXPECT_TRUE(r.same_request);
  ASSERT_EQ(r.response_len, sizeof(reply));
  EXPECT_EQ(std::memcmp(r.response, reply, sizeof(reply)), 0);
  ASSERT_EQ(nu_idem_claim(c_, a_, &k, h2, kT0, &r).code, NU_OK);
  EXPECT_FALSE(r.claimed);
  EXPECT_FALSE(r.same_request);
}

TEST_F(IdentityCoreStoreTest, AuditRowCarriesActorChangesAndRequestId) {
  nu_principal p = {};
  p.kind = NU_PRINCIPAL_USER;
  p.id = user_.c_str();
  nu_audit_change ch[] = {{"name", "Old \"name\"", "New"}, {"password", nullptr, nullptr}};
  nu_audit_event e = {kT0, &p, org_.c_str(), "organization.update", "organization", org_.c_str(), ch, 2, "rid-7"};
  ASSERT_EQ(nu_audit_append(c_, a_, &e).code, NU_OK);
  EXPECT_EQ(QueryValue(db_, "SELECT actor_kind || ' ' || actor_user_id || ' ' || action || ' ' || request_id"
                            " || ' ' || nu_us(at) FROM audit_log"),
            "user " + user_ + " organization.update rid-7 " + std::to_string(kT0 / 1000));
  EXPECT_EQ(QueryValue(db_, "SELECT changes->'name'->>'before' FROM audit_log"), "Old \"name\"");
  EXPECT_EQ(QueryValue(db_, "SELECT jsonb_typeof(changes->'password'->'after') FROM audit_log"), "null");
}

TEST_F(IdentityCoreStoreTest, OutboxRowIsDueAtOnce) {
  nu_outbox_message m = {"email", "alice@example.org", "invitation", "{\"link\":\"x\"}", org_.c_str(), "rid", kT0};
  int64_t id = 0;
  ASSERT_EQ(nu_outbox_enqueue(c_, a_, &m, &id).code, NU_OK);
  EXPECT_GT(id, 0);
  EXPECT_EQ(QueryValue(db_, "SELECT payload->>'link' || ' ' || (next_attempt_at = created_at) FROM outbox"),
            "x true");
}

}  // namespace
}  // namespace nuage::testing
