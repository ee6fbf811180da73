// password_hash_test.cc — Argon2id round trips, salts, rehash on changed
// parameters, refused weak parameters, and the bound on concurrent hashes
// (with its deadline). Each hash takes ~50–100 ms: the tests use few.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "server/common/clock.h"
#include "server/domain/identity/password_hash.h"

namespace {

const int64_t kNoDeadline = INT64_MAX;

int64_t MonoNow() { return nu_clock_mono_ns(nu_clock_system()); }

nu_password_hasher *MakeHasher(unsigned long long opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               unsigned max_concurrent = 0) {
  nu_password_hash_params p;
  nu_password_hash_params_default(&p);
  p.opslimit = opslimit;
  p.max_concurrent = max_concurrent;
  nu_password_hasher *h = nullptr;
  EXPECT_EQ(nu_password_hasher_create(&p, &h), NU_PASSWORD_HASH_OK);
  return h;
}

std::string Hash(nu_password_hasher *h, const std::string &pw) {
  char out[crypto_pwhash_STRBYTES];
  EXPECT_EQ(nu_password_hash(pw.data(), pw.size(), h, kNoDeadline, out), NU_PASSWORD_HASH_OK);
  return out;
}

int Verify(nu_password_hasher *h, const std::string &stored, const std::string &pw,
           bool *needs_rehash) {
  return nu_password_verify(stored.c_str(), pw.data(), pw.size(), h, kNoDeadline, needs_rehash);
}

TEST(PasswordHash, RoundTripAndWrongPassword) {
  nu_password_hasher *h = MakeHasher();
  std::string stored = Hash(h, "Correct-Horse9");
  EXPECT_EQ(stored.rfind("$argon2id$", 0), 0u) << stored;
  bool rehash = true;
  EXPECT_EQ(Verify(h, stored, "Correct-Horse9", &rehash), NU_PASSWORD_HASH_OK);
  EXPECT_FALSE(rehash);
  rehash = true;
  EXPECT_EQ(Verify(h, stored, "Correct-Horse8", &rehash), NU_PASSWORD_HASH_MISMATCH);
  EXPECT_FALSE(rehash);
  nu_password_hasher_free(h);
}

TEST(PasswordHash, NonAsciiLongAndEmbeddedNulPasswords) {
  nu_password_hasher *h = MakeHasher();
  bool rehash;
  const std::string accented = "Mot-de-passe été 2024 ✓ 日本";
  std::string stored = Hash(h, accented);
  EXPECT_EQ(Verify(h, stored, accented, &rehash), NU_PASSWORD_HASH_OK);

  std::string long_pw(1000, 'x');
  long_pw[999] = 'y';
  stored = Hash(h, long_pw);
  EXPECT_EQ(Verify(h, stored, long_pw, &rehash), NU_PASSWORD_HASH_OK);
  std::string truncated = long_pw.substr(0, 999);
  EXPECT_EQ(Verify(h, stored, truncated, &rehash), NU_PASSWORD_HASH_MISMATCH);

  // Bytes after a NUL count: the length is passed, not found by strlen.
  const std::string with_nul("abc\0def", 7);
  stored = Hash(h, with_nul);
  EXPECT_EQ(Verify(h, stored, with_nul, &rehash), NU_PASSWORD_HASH_OK);
  EXPECT_EQ(Verify(h, stored, "abc", &rehash), NU_PASSWORD_HASH_MISMATCH);
  nu_password_hasher_free(h);
}

TEST(PasswordHash, TooLongRefusedWithoutWork) {
  nu_password_hasher *h = MakeHasher();
  std::string too_long(NU_PASSWORD_HASH_MAX_BYTES + 1, 'a');
  char out[crypto_pwhash_STRBYTES];
  EXPECT_EQ(nu_password_hash(too_long.data(), too_long.size(), h, kNoDeadline, out),
            NU_PASSWORD_HASH_ERR_ARGUMENT);
  bool rehash = true;
  EXPECT_EQ(Verify(h, "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA", too_long, &rehash),
            NU_PASSWORD_HASH_MISMATCH);
  EXPECT_FALSE(rehash);
  EXPECT_EQ(nu_password_hasher_peak_concurrency(h), 0u) << "no Argon2 ran";
  nu_password_hasher_free(h);
}

TEST(PasswordHash, MalformedStoredStringIsAMismatch) {
  nu_password_hasher *h = MakeHasher();
  bool rehash = true;
  EXPECT_EQ(Verify(h, "", "Correct-Horse9", &rehash), NU_PASSWORD_HASH_MISMATCH);
  EXPECT_EQ(Verify(h, "plain text", "plain text", &rehash), NU_PASSWORD_HASH_MISMATCH);
  std::string unterminated(crypto_pwhash_STRBYTES + 10, '$');
  EXPECT_EQ(Verify(h, unterminated, "x", &rehash), NU_PASSWORD_HASH_MISMATCH);
  EXPECT_FALSE(rehash);
  nu_password_hasher_free(h);
}

TEST(PasswordHash, SamePasswordTwiceGivesDifferentStrings) {
  nu_password_hasher *h = MakeHasher();
  std::string a = Hash(h, "Correct-Horse9"), b = Hash(h, "Correct-Horse9");
  EXPECT_NE(a, b) << "fresh salt each time";
  nu_password_hasher_free(h);
}

TEST(PasswordHash, RaisedOpslimitAsksForRehash) {
  nu_password_hasher *old_h = MakeHasher();
  nu_password_hasher *new_h = MakeHasher(crypto_pwhash_OPSLIMIT_INTERACTIVE + 1);
  std::string stored = Hash(old_h, "Correct-Horse9");
  bool rehash = false;
  EXPECT_EQ(Verify(new_h, stored, "Correct-Horse9", &rehash), NU_PASSWORD_HASH_OK)
      << "old strings keep verifying";
  EXPECT_TRUE(rehash);
  std::string fresh = Hash(new_h, "Correct-Horse9");
  EXPECT_EQ(Verify(new_h, fresh, "Correct-Horse9", &rehash), NU_PASSWORD_HASH_OK);
  EXPECT_FALSE(rehash);
  nu_password_hasher_free(old_h);
  nu_password_hasher_free(new_h);
}

TEST(PasswordHash, ParametersBelowInteractiveRefused) {
  nu_password_hash_params p;
  nu_password_hash_params_default(&p);
  nu_password_hasher *h = reinterpret_cast<nu_password_hasher *>(0x1);
  p.opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE - 1;
  EXPECT_EQ(nu_password_hasher_create(&p, &h), NU_PASSWORD_HASH_ERR_ARGUMENT);
  EXPECT_EQ(h, nullptr);
  nu_password_hash_params_default(&p);
  p.memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE - 1;
  EXPECT_EQ(nu_password_hasher_create(&p, &h), NU_PASSWORD_HASH_ERR_ARGUMENT);
  nu_password_hash_params_default(&p);
  p.opslimit = crypto_pwhash_OPSLIMIT_MAX + 1ULL;
  EXPECT_EQ(nu_password_hasher_create(&p, &h), NU_PASSWORD_HASH_ERR_ARGUMENT);
  EXPECT_EQ(nu_password_hasher_create(nullptr, &h), NU_PASSWORD_HASH_ERR_ARGUMENT);
}

TEST(PasswordHash, AtMostMaxConcurrentComputations) {
  nu_password_hasher *h = MakeHasher(crypto_pwhash_OPSLIMIT_INTERACTIVE, 1);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; i++) {
    threads.emplace_back([h, &ok, i] {
      std::string pw = "Correct-Horse" + std::to_string(i);
      char out[crypto_pwhash_STRBYTES];
      if (nu_password_hash(pw.data(), pw.size(), h, kNoDeadline, out) == NU_PASSWORD_HASH_OK)
        ok++;
    });
  }
  for (auto &t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
  EXPECT_EQ(nu_password_hasher_peak_concurrency(h), 1u);
  nu_password_hasher_free(h);
}

TEST(PasswordHash, TwoSlotsAllowTwoAtOnce) {
  // The counter does see overlap when the bound allows it (2 cores here).
  nu_password_hasher *h = MakeHasher(crypto_pwhash_OPSLIMIT_INTERACTIVE * 4, 2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; i++) threads.emplace_back([h] { Hash(h, "Correct-Horse9"); });
  for (auto &t : threads) t.join();
  EXPECT_EQ(nu_password_hasher_peak_concurrency(h), 2u);
  nu_password_hasher_free(h);
}

TEST(PasswordHash, WaiterWhoseDeadlinePassesIsBusy) {
  // A slower hash (4 × interactive passes) holds the only slot long enough.
  nu_password_hasher *h = MakeHasher(crypto_pwhash_OPSLIMIT_INTERACTIVE * 4, 1);
  std::thread holder([h] { Hash(h, "Correct-Horse9"); });
  while (nu_password_hasher_peak_concurrency(h) == 0) std::this_thread::yield();

  char out[crypto_pwhash_STRBYTES];
  int64_t start = MonoNow();
  EXPECT_EQ(nu_password_hash("x", 1, h, start + 20 * NU_NS_PER_MS, out),
            NU_PASSWORD_HASH_ERR_BUSY);
  EXPECT_GE(MonoNow() - start, 20 * NU_NS_PER_MS) << "waited until the deadline";
  bool rehash = true;
  EXPECT_EQ(nu_password_verify("$argon2id$", "x", 1, h, start - NU_NS_PER_S, &rehash),
            NU_PASSWORD_HASH_ERR_BUSY)
      << "a deadline already passed does not wait";
  EXPECT_FALSE(rehash);
  holder.join();

  // The slot is free again: a passed deadline does not matter then.
  EXPECT_EQ(nu_password_hash("x", 1, h, MonoNow() - NU_NS_PER_S, out), NU_PASSWORD_HASH_OK);
  EXPECT_EQ(nu_password_hasher_peak_concurrency(h), 1u);
  nu_password_hasher_free(h);
}

}  // namespace
