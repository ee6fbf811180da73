// db_test.cc — statements and the statuses of real PostgreSQL failures.
#include "server/store/core/db.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/store/store_testing.h"
#include "tests/support/pg_cluster.h"

namespace nuage::testing {
namespace {

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = FreshDatabase();
    QueryValue(db_,
               "CREATE TABLE parent (id integer PRIMARY KEY);"
               "CREATE TABLE child (id integer PRIMARY KEY, parent integer REFERENCES parent,"
               " email text UNIQUE, n integer CHECK (n >= 0), label text NOT NULL DEFAULT 'x');"
               "INSERT INTO parent VALUES (1);"
               "INSERT INTO child (id, parent, email, n) VALUES (1, 1, 'taken@example.com', 0)");
    pool_ = std::make_unique<Pool>(db_, 1);
    nu_status st = nu_pool_acquire(*pool_, DeadlineInMs(5000), a_, &c_);
    ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  }
  void TearDown() override {
    if (c_ != nullptr) nu_pool_release(*pool_, c_);
  }
  nu_status Insert(const char* id, const char* parent, const char* email, const char* n) {
    const char* params[] = {id, parent, email, n};
    return nu_db_exec(c_, a_, "INSERT INTO child (id, parent, email, n) VALUES ($1, $2, $3, $4)",
                      4, params, nullptr);
  }

  std::string db_;
  std::unique_ptr<Pool> pool_;
  Arena a_;
  nu_conn* c_ = nullptr;
};

TEST_F(DbTest, ParametersAndResults) {
  const char* params[] = {"it's; DROP TABLE child", nullptr};
  PGresult* res = nullptr;
  nu_status st = nu_db_exec(c_, a_, "SELECT $1::text, $2::text IS NULL", 2, params, &res);
  ASSERT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_STREQ(PQgetvalue(res, 0, 0), "it's; DROP TABLE child");
  EXPECT_STREQ(PQgetvalue(res, 0, 1), "t");
  // The result stays valid until the arena goes.
  EXPECT_EQ(PQntuples(res), 1);
}

// nu_db_array quotes what an array literal would misread; unnest gives
// every item back as it was, NULL as NULL, in order.
TEST_F(DbTest, ArrayLiteralsCarryAnyTextAndNulls) {
  const char* items[] = {"plain", "", "NULL", "q\"uote", "back\\slash", "{br,ace}", " lead",
                         nullptr, "é \t\n", "a\\\"b"};
  size_t n = sizeof(items) / sizeof(items[0]);
  const char* params[] = {nu_db_array(a_, items, n)};
  ASSERT_NE(params[0], nullptr);
  PGresult* res = nullptr;
  nu_status st = nu_db_exec(c_, a_,
                            "SELECT v, v IS NULL FROM unnest($1::text[]) WITH ORDINALITY AS t(v, k)"
                            " ORDER BY k",
                            1, params, &res);
  ASSERT_TRUE(nu_status_is_ok(&st)) << st.message;
  ASSERT_EQ(PQntuples(res), static_cast<int>(n));
  for (size_t i = 0; i < n; i++) {
    if (items[i] == nullptr) {
      EXPECT_TRUE(nu_db_get_bool(res, static_cast<int>(i), 1)) << i;
    } else {
      EXPECT_STREQ(nu_db_text(res, static_cast<int>(i), 0), items[i]) << i;
    }
  }
  const char* empty[] = {nu_db_array(a_, nullptr, 0)};
  st = nu_db_exec(c_, a_, "SELECT cardinality($1::text[])", 1, empty, &res);
  ASSERT_TRUE(nu_status_is_ok(&st)) << st.message;
  EXPECT_EQ(nu_db_get_i64(res, 0, 0), 0);
}

TEST_F(DbTest, UniqueViolationIsAlreadyExistsWithoutTheValue) {
  nu_status st = Insert("2", "1", "taken@example.com", "0");
  EXPECT_EQ(st.code, NU_ALREADY_EXISTS);
  EXPECT_STREQ(st.reason, "ALREADY_EXISTS");
  EXPECT_STREQ(st.message,
               "database error: duplicate key value violates unique constraint "
               "\"child_email_key\"");
}

TEST_F(DbTest, ForeignKeyViolationIsFailedPrecondition) {
  nu_status st = Insert("2", "42", "new@example.com", "0");
  EXPECT_EQ(st.code, NU_FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(std::string(st.message).find("42"), std::string::npos) << st.message;
}

TEST_F(DbTest, CheckNotNullAndBadDataAreInvalidArgument) {
  EXPECT_EQ(Insert("2", "1", "a@example.com", "-1").code, NU_INVALID_ARGUMENT);
  EXPECT_EQ(Insert(nullptr, "1", "b@example.com", "0").code, NU_INVALID_ARGUMENT);
  nu_status st = Insert("2", "1", "c@example.com", "not a number");
  EXPECT_EQ(st.code, NU_INVALID_ARGUMENT);
  EXPECT_STREQ(st.reason, "INVALID_DATA");
}

TEST_F(DbTest, SqlErrorIsInternalAndKeepsItsSqlstate) {
  nu_status st = nu_db_exec(c_, a_, "SELECT * FROM no_such_table", 0, nullptr, nullptr);
  EXPECT_EQ(st.code, NU_INTERNAL);
  EXPECT_STREQ(st.reason, "DATABASE_ERROR");
  EXPECT_STREQ(st.message, "database error: relation \"no_such_table\" does not exist");
}

TEST_F(DbTest, LostConnectionIsUnavailable) {
  QueryValue(db_, "SELECT pg_terminate_backend(" +
                      std::to_string(PQbackendPID(nu_conn_pg(c_))) + ")");
  nu_status st = nu_db_exec(c_, a_, "SELECT 1", 0, nullptr, nullptr);
  EXPECT_EQ(st.code, NU_UNAVAILABLE) << Describe(st);
  EXPECT_STREQ(st.reason, "DATABASE_UNAVAILABLE");
}

}  // namespace
}  // namespace nuage::testing
