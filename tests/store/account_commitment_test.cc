// account_commitment_test.cc — nu_account_commitment_check against a real
// PostgreSQL: the facts read from the organisation's row, the domain's
// decision as a status (issue 10, point 9). Orders do not exist yet: this
// is how later order code will be refused, tested before it exists.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "server/domain/identity/policy.h"
#include "server/rpc/core/account_commitment.h"
#include "server/store/core/migrate.h"
}
#include "tests/store/store_testing.h"

namespace nuage::testing {
namespace {

constexpr int64_t kT0 = INT64_C(1795000000) * 1000000000;  // an arbitrary "now"
constexpr int64_t kCap = NU_TEST_LEVEL_MONTHLY_CENTS_DEFAULT;

class AccountCommitmentTest : public ::testing::Test {
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
                            " VALUES ('alice.martin', 'alice@example.org', 'active', now(), now())"
                            " RETURNING id");
  }
  void TearDown() override {
    if (c_ != nullptr) nu_pool_release(*pool_, c_);
  }

  // An organisation at level with complete billing details or none,
  // verified or not, and a provisional build ending at until_ns (0: none).
  std::string Org(const std::string& level, bool billing, bool verified, int64_t until_ns = 0,
                  const std::string& status = "validated") {
    std::string b = billing ? "'Ville', '1 rue', '75001', 'Paris', 'FR', 'f@ville.fr'"
                            : "'', '', '', '', '', ''";
    return QueryValue(
        db_, "INSERT INTO organizations (name, is_buyer, is_seller, referent_user_id, status,"
             " account_level, billing_name, billing_address, billing_postal_code, billing_city,"
             " billing_country, billing_email, identity_verified_at, provisional_build_until,"
             " created_at, updated_at) VALUES ('Org', true, false, '" + user_ + "', '" + status +
                 "', '" + level + "', " + b + ", " + (verified ? "now()" : "NULL") + ", " +
                 (until_ns != 0 ? "nu_ts(" + std::to_string(until_ns / 1000) + ")" : "NULL") +
                 ", now(), now()) RETURNING id");
  }

  nu_status Check(const std::string& org, int64_t amount, int64_t now = kT0,
                  nu_account_decision* d = nullptr) {
    return nu_account_commitment_check(c_, a_, org.c_str(), amount, kCap, now, d);
  }

  static std::string Reason(const nu_status& st) { return st.reason != nullptr ? st.reason : ""; }

  std::string db_, user_;
  Arena a_;
  std::unique_ptr<Pool> pool_;
  nu_conn* c_ = nullptr;
};

TEST_F(AccountCommitmentTest, DiscoveryIsRefused) {
  std::string org = Org("discovery", true, true);
  nu_account_decision d{};
  nu_status st = Check(org, 1, kT0, &d);
  EXPECT_EQ(st.code, NU_FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "ACCOUNT_LEVEL_DISCOVERY");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.level, NU_ACCOUNT_LEVEL_DISCOVERY);
}

TEST_F(AccountCommitmentTest, TestIsCappedAtTheMonthlyAmount) {
  std::string org = Org("test", true, false);
  nu_account_decision d{};
  nu_status st = Check(org, 50000, kT0, &d);
  EXPECT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.remaining_cents, 50000);
  st = Check(org, 50001, kT0, &d);
  EXPECT_EQ(st.code, NU_FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(Reason(st), "TEST_LEVEL_CAP_EXCEEDED");
  EXPECT_NE(std::string(st.message).find("50000 cents excl. VAT remain this month"),
            std::string::npos)
      << st.message;
  EXPECT_EQ(d.remaining_cents, 50000);
}

TEST_F(AccountCommitmentTest, BuildIsUnlimited) {
  std::string org = Org("build", true, true);
  nu_account_decision d{};
  nu_status st = Check(org, INT64_C(1000000000000), kT0, &d);
  EXPECT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  EXPECT_EQ(d.remaining_cents, -1);
}

TEST_F(AccountCommitmentTest, AProvisionalBuildCommitsUntilItEnds) {
  int64_t until = kT0 + NU_PROVISIONAL_BUILD_NS;
  std::string org = Org("build", false, true, until);
  nu_status st = Check(org, 1000000, until - 1000);  // a microsecond before
  EXPECT_TRUE(nu_status_is_ok(&st)) << Describe(st);
  st = Check(org, 1000000, until);
  EXPECT_EQ(Reason(st), "ACCOUNT_LEVEL_DISCOVERY") << Describe(st);
}

TEST_F(AccountCommitmentTest, SuspendedAbsentAndNegative) {
  std::string org = Org("build", true, true, 0, "suspended");
  nu_status st = Check(org, 1);
  EXPECT_EQ(Reason(st), "ORGANIZATION_SUSPENDED") << Describe(st);
  st = Check("00000000-0000-4000-8000-000000000000", 1);
  EXPECT_EQ(st.code, NU_NOT_FOUND) << Describe(st);
  st = Check(Org("build", true, true), -1);
  EXPECT_EQ(Reason(st), "COMMITMENT_AMOUNT_INVALID") << Describe(st);
}

}  // namespace
}  // namespace nuage::testing
