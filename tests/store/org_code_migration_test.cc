// org_code_migration_test.cc — migration 0017 on a database that already
// holds organisations: each existing row gets a distinct ORG- code (in
// creation order), later inserts get new ones, and no write changes a code.
#include <gtest/gtest.h>
#include <postgresql/libpq-fe.h>

#include <string>
#include <vector>

#include "server/store/core/migrate.h"
#include "tests/store/store_testing.h"

namespace nuage::testing {
namespace {

constexpr int kCodeMigration = 17;

void Migrate(const std::string& db, size_t n) {
  Arena a;
  nu_migrate_result r = {};
  nu_status st = nu_migrate(db.c_str(), nu_migrations, n, a, &r);
  ASSERT_EQ(st.code, NU_OK) << Describe(st);
}

// The SQLSTATE of sql's failure ("" when it succeeds).
std::string FailureOf(const std::string& db, const std::string& sql) {
  PGconn* c = PQconnectdb(db.c_str());
  PGresult* r = PQexec(c, sql.c_str());
  std::string state;
  if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    state = s != nullptr ? s : "?";
  }
  PQclear(r);
  PQfinish(c);
  return state;
}

TEST(OrgCodeMigrationTest, BackfillsExistingRowsThenGivesNewCodes) {
  size_t before = 0;
  while (before < nu_migrations_count && nu_migrations[before].version < kCodeMigration) before++;
  ASSERT_LT(before, nu_migrations_count) << "migration 0017 is missing";
  ASSERT_EQ(nu_migrations[before].version, kCodeMigration);

  std::string db = FreshDatabase();
  Migrate(db, before);
  std::string user = QueryValue(
      db,
      "INSERT INTO users (login, email, status, created_at, updated_at)"
      " VALUES ('referent1', 'referent1@mairie-test.fr', 'active', now(), now()) RETURNING id");
  for (int i = 0; i < 5; i++) {
    QueryValue(db, "INSERT INTO organizations (name, is_buyer, is_seller, referent_user_id,"
                   " created_at, updated_at) VALUES ('Avant " + std::to_string(i) + "', true,"
                   " false, '" + user + "', now() - interval '" + std::to_string(10 - i) +
                   " days', now())");
  }

  Migrate(db, nu_migrations_count);
  EXPECT_EQ(QueryValue(db, "SELECT count(*) FROM organizations WHERE code ~ '^ORG-[0-9]{6}$'"),
            "5");
  EXPECT_EQ(QueryValue(db, "SELECT count(DISTINCT code) FROM organizations"), "5");
  // The first created got the first number.
  EXPECT_EQ(QueryValue(db, "SELECT code FROM organizations WHERE name = 'Avant 0'"),
            QueryValue(db, "SELECT nu_org_code_of(0)"));

  // New rows follow on, never repeating one.
  QueryValue(db, "INSERT INTO organizations (name, is_buyer, is_seller, referent_user_id,"
                 " created_at, updated_at) SELECT 'Après ' || g, true, false, '" +
                     user + "', now(), now() FROM generate_series(1, 50) g");
  EXPECT_EQ(QueryValue(db, "SELECT count(DISTINCT code) FROM organizations"), "55");
  EXPECT_EQ(QueryValue(db, "SELECT count(*) FROM organizations WHERE code IS NULL"), "0");

  // A code never changes, even written directly; other columns still can.
  std::string code = QueryValue(db, "SELECT code FROM organizations WHERE name = 'Avant 3'");
  EXPECT_EQ(FailureOf(db, "UPDATE organizations SET code = 'ORG-000042' WHERE name = 'Avant 3'"),
            "23514");
  EXPECT_EQ(FailureOf(db, "UPDATE organizations SET name = 'Avant 3 bis' WHERE name = 'Avant 3'"),
            "");
  EXPECT_EQ(QueryValue(db, "SELECT code FROM organizations WHERE name = 'Avant 3 bis'"), code);
  // New columns have their defaults on old rows.
  EXPECT_EQ(QueryValue(db, "SELECT count(*) FROM organizations WHERE invoice_reference_1 = ''"
                           " AND invoice_recipient_email = ''"),
            "55");
}

}  // namespace
}  // namespace nuage::testing
