// health_state_test.cc — the table of serving statuses behind grpc.health.v1.
#include <gtest/gtest.h>

#include <string>

#include "server/domain/health_state.h"

namespace {

class HealthStateTest : public ::testing::Test {
 protected:
  void SetUp() override { nu_health_state_init(&s_); }
  nu_health_state s_;
};

TEST_F(HealthStateTest, UnknownUntilSet) {
  EXPECT_EQ(nu_health_state_get(&s_, ""), NU_HEALTH_SERVICE_UNKNOWN);
  EXPECT_EQ(nu_health_state_get(&s_, "nuage.v1.SystemService"), NU_HEALTH_SERVICE_UNKNOWN);
}

TEST_F(HealthStateTest, SetGetAndChanges) {
  EXPECT_EQ(nu_health_state_set(&s_, "", NU_HEALTH_SERVING), 1) << "new service";
  EXPECT_EQ(nu_health_state_get(&s_, ""), NU_HEALTH_SERVING);
  EXPECT_EQ(nu_health_state_set(&s_, "", NU_HEALTH_SERVING), 0) << "no change";
  EXPECT_EQ(nu_health_state_set(&s_, "", NU_HEALTH_NOT_SERVING), 1);
  EXPECT_EQ(nu_health_state_get(&s_, ""), NU_HEALTH_NOT_SERVING);
  EXPECT_EQ(nu_health_state_set(&s_, "", NU_HEALTH_SERVING), 1);
  EXPECT_EQ(nu_health_state_get(&s_, ""), NU_HEALTH_SERVING);
}

TEST_F(HealthStateTest, ServicesAreIndependent) {
  EXPECT_EQ(nu_health_state_set(&s_, "a.S", NU_HEALTH_SERVING), 1);
  EXPECT_EQ(nu_health_state_set(&s_, "b.S", NU_HEALTH_NOT_SERVING), 1);
  EXPECT_EQ(nu_health_state_set(&s_, "a.S", NU_HEALTH_NOT_SERVING), 1);
  EXPECT_EQ(nu_health_state_get(&s_, "a.S"), NU_HEALTH_NOT_SERVING);
  EXPECT_EQ(nu_health_state_get(&s_, "b.S"), NU_HEALTH_NOT_SERVING);
  EXPECT_EQ(nu_health_state_get(&s_, ""), NU_HEALTH_SERVICE_UNKNOWN);
  EXPECT_EQ(nu_health_state_get(&s_, "a.s"), NU_HEALTH_SERVICE_UNKNOWN) << "names are exact";
  EXPECT_EQ(nu_health_state_get(&s_, "a.S "), NU_HEALTH_SERVICE_UNKNOWN);
}

TEST_F(HealthStateTest, NewServiceSetToUnknownIsAChange) {
  EXPECT_EQ(nu_health_state_set(&s_, "x", NU_HEALTH_UNKNOWN), 1);
  EXPECT_EQ(nu_health_state_get(&s_, "x"), NU_HEALTH_UNKNOWN)
      << "UNKNOWN (set) differs from SERVICE_UNKNOWN (never set)";
}

TEST_F(HealthStateTest, NameLength) {
  std::string longest(NU_HEALTH_MAX_NAME - 1, 'n');
  std::string too_long(NU_HEALTH_MAX_NAME, 'n');
  EXPECT_EQ(nu_health_state_set(&s_, longest.c_str(), NU_HEALTH_SERVING), 1);
  EXPECT_EQ(nu_health_state_get(&s_, longest.c_str()), NU_HEALTH_SERVING);
  EXPECT_EQ(nu_health_state_set(&s_, too_long.c_str(), NU_HEALTH_SERVING), -1);
  EXPECT_EQ(nu_health_state_get(&s_, too_long.c_str()), NU_HEALTH_SERVICE_UNKNOWN);
  EXPECT_EQ(s_.count, 1u);
}

TEST_F(HealthStateTest, TableFull) {
  for (int i = 0; i < NU_HEALTH_MAX_SERVICES; i++) {
    ASSERT_EQ(nu_health_state_set(&s_, ("svc" + std::to_string(i)).c_str(), NU_HEALTH_SERVING), 1)
        << i;
  }
  EXPECT_EQ(nu_health_state_set(&s_, "one.too.many", NU_HEALTH_SERVING), -1);
  EXPECT_EQ(nu_health_state_get(&s_, "one.too.many"), NU_HEALTH_SERVICE_UNKNOWN);
  // Known services still update.
  EXPECT_EQ(nu_health_state_set(&s_, "svc63", NU_HEALTH_NOT_SERVING), 1);
  EXPECT_EQ(nu_health_state_get(&s_, "svc63"), NU_HEALTH_NOT_SERVING);
  EXPECT_EQ(nu_health_state_get(&s_, "svc0"), NU_HEALTH_SERVING);
}

TEST_F(HealthStateTest, ShutdownFreezesEverythingNotServing) {
  nu_health_state_set(&s_, "", NU_HEALTH_SERVING);
  nu_health_state_set(&s_, "a.S", NU_HEALTH_SERVING);
  nu_health_state_set(&s_, "b.S", NU_HEALTH_UNKNOWN);
  nu_health_state_shutdown(&s_);
  for (const char *n : {"", "a.S", "b.S"}) {
    EXPECT_EQ(nu_health_state_get(&s_, n), NU_HEALTH_NOT_SERVING) << n;
  }
  EXPECT_EQ(nu_health_state_set(&s_, "", NU_HEALTH_SERVING), 0);
  EXPECT_EQ(nu_health_state_get(&s_, ""), NU_HEALTH_NOT_SERVING);
  EXPECT_EQ(nu_health_state_set(&s_, "a.S", NU_HEALTH_UNKNOWN), 0);
  EXPECT_EQ(nu_health_state_get(&s_, "a.S"), NU_HEALTH_NOT_SERVING);
  EXPECT_EQ(nu_health_state_set(&s_, "a.S", NU_HEALTH_NOT_SERVING), 0) << "already so";
  // A service first named after shutdown cannot come up either.
  EXPECT_EQ(nu_health_state_set(&s_, "late.S", NU_HEALTH_SERVING), 0);
  EXPECT_EQ(nu_health_state_get(&s_, "late.S"), NU_HEALTH_SERVICE_UNKNOWN);
  // Shutting down twice changes nothing.
  nu_health_state_shutdown(&s_);
  EXPECT_EQ(nu_health_state_get(&s_, "a.S"), NU_HEALTH_NOT_SERVING);
}

TEST_F(HealthStateTest, ShutdownOfAnEmptyTable) {
  nu_health_state_shutdown(&s_);
  EXPECT_EQ(nu_health_state_get(&s_, ""), NU_HEALTH_SERVICE_UNKNOWN);
  EXPECT_EQ(nu_health_state_set(&s_, "", NU_HEALTH_SERVING), 0);
}

TEST(HealthStatus, NamesAndWireValues) {
  EXPECT_STREQ(nu_health_status_name(NU_HEALTH_UNKNOWN), "UNKNOWN");
  EXPECT_STREQ(nu_health_status_name(NU_HEALTH_SERVING), "SERVING");
  EXPECT_STREQ(nu_health_status_name(NU_HEALTH_NOT_SERVING), "NOT_SERVING");
  EXPECT_STREQ(nu_health_status_name(NU_HEALTH_SERVICE_UNKNOWN), "SERVICE_UNKNOWN");
  EXPECT_STREQ(nu_health_status_name(static_cast<nu_health_status>(9)), "UNKNOWN");
  // grpc.health.v1.HealthCheckResponse.ServingStatus
  EXPECT_EQ(NU_HEALTH_SERVING, 1);
  EXPECT_EQ(NU_HEALTH_NOT_SERVING, 2);
  EXPECT_EQ(NU_HEALTH_SERVICE_UNKNOWN, 3);
}

}  // namespace
