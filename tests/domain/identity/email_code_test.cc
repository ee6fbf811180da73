// email_code_test.cc — the e-mailed access-key code: 10 minutes, single
// use, five wrong codes kill it, codes are six digits, hashes are keyed and
// bound to their user.
#include "server/domain/identity/email_code.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <set>
#include <string>

namespace {

constexpr int64_t kMin = INT64_C(60) * 1000000000;
constexpr int64_t kT0 = INT64_C(1800000000) * 1000000000;

nu_email_code_state Live(int attempts = 0) {
  return nu_email_code_state{true, nu_email_code_expiry(kT0), attempts};
}

TEST(EmailCode, LivesTenMinutes) {
  nu_email_code_state s = Live();
  EXPECT_EQ(s.expires_ns, kT0 + 10 * kMin);
  EXPECT_EQ(nu_email_code_decide(&s, true, kT0 + 10 * kMin - 1).outcome, NU_EMAIL_CODE_ACCEPT);
  EXPECT_EQ(nu_email_code_decide(&s, true, kT0 + 10 * kMin).outcome, NU_EMAIL_CODE_KILL);
  EXPECT_EQ(nu_email_code_decide(&s, false, kT0 + 11 * kMin).outcome, NU_EMAIL_CODE_KILL);
}

TEST(EmailCode, NoCodeIsRefusedWithNothingToStore) {
  nu_email_code_state none{false, 0, 0};
  EXPECT_EQ(nu_email_code_decide(&none, true, kT0).outcome, NU_EMAIL_CODE_REJECT);
}

TEST(EmailCode, FifthWrongCodeKillsIt) {
  for (int before = 0; before < NU_EMAIL_CODE_MAX_ATTEMPTS - 1; before++) {
    nu_email_code_state s = Live(before);
    nu_email_code_decision d = nu_email_code_decide(&s, false, kT0 + kMin);
    if (before + 1 < NU_EMAIL_CODE_MAX_ATTEMPTS) {
      EXPECT_EQ(d.outcome, NU_EMAIL_CODE_REJECT) << before;
      EXPECT_EQ(d.attempts, before + 1);
    }
    // Until killed, the right code still works.
    EXPECT_EQ(nu_email_code_decide(&s, true, kT0 + kMin).outcome, NU_EMAIL_CODE_ACCEPT);
  }
  nu_email_code_state s = Live(NU_EMAIL_CODE_MAX_ATTEMPTS - 1);
  EXPECT_EQ(nu_email_code_decide(&s, false, kT0 + kMin).outcome, NU_EMAIL_CODE_KILL);
  EXPECT_EQ(NU_EMAIL_CODE_MAX_ATTEMPTS, 5);
}

TEST(EmailCode, CodesAreSixDigits) {
  ASSERT_EQ(sodium_init() >= 0, true);
  std::set<std::string> seen;
  for (int i = 0; i < 200; i++) {
    char c[NU_EMAIL_CODE_SIZE];
    nu_email_code_new(c);
    ASSERT_EQ(std::strlen(c), 6u);
    for (int j = 0; j < 6; j++) ASSERT_TRUE(c[j] >= '0' && c[j] <= '9') << c;
    seen.insert(c);
  }
  EXPECT_GT(seen.size(), 190u);
}

TEST(EmailCode, HashIsKeyedAndBoundToItsUser) {
  ASSERT_EQ(sodium_init() >= 0, true);
  uint8_t k1[NU_EMAIL_CODE_KEY_BYTES] = {1}, k2[NU_EMAIL_CODE_KEY_BYTES] = {2};
  uint8_t a[NU_EMAIL_CODE_HASH_BYTES], b[NU_EMAIL_CODE_HASH_BYTES];
  nu_email_code_hash(k1, "u1", "123456", a);
  nu_email_code_hash(k1, "u1", "123456", b);
  EXPECT_EQ(std::memcmp(a, b, sizeof(a)), 0);
  nu_email_code_hash(k2, "u1", "123456", b);
  EXPECT_NE(std::memcmp(a, b, sizeof(a)), 0);
  nu_email_code_hash(k1, "u2", "123456", b);
  EXPECT_NE(std::memcmp(a, b, sizeof(a)), 0);
  // Not the unkeyed digest of the code.
  crypto_generichash(b, sizeof(b), reinterpret_cast<const unsigned char*>("123456"), 6, nullptr, 0);
  EXPECT_NE(std::memcmp(a, b, sizeof(a)), 0);
}

}  // namespace
