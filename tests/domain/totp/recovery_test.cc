// recovery_test.cc — recovery codes: format and entropy, normalisation of
// what users type, keyed hashing and verification against stored hashes.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cctype>
#include <cstring>
#include <set>
#include <string>

#include "server/domain/totp/recovery.h"

namespace {

const char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

static_assert(NU_RECOVERY_CODE_CHARS * 5 >= 60, "at least 60 bits per code");

class RecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    for (int i = 0; i < NU_RECOVERY_KEY_BYTES; i++) key_[i] = static_cast<uint8_t>(i + 1);
    ASSERT_EQ(nu_recovery_generate(codes_), NU_RECOVERY_OK);
    for (int i = 0; i < NU_RECOVERY_COUNT; i++)
      ASSERT_EQ(nu_recovery_hash(key_, codes_[i], hashes_[i]), NU_RECOVERY_OK);
  }
  uint8_t key_[NU_RECOVERY_KEY_BYTES];
  char codes_[NU_RECOVERY_COUNT][NU_RECOVERY_CODE_SIZE];
  uint8_t hashes_[NU_RECOVERY_COUNT][NU_RECOVERY_HASH_BYTES];
};

bool WellFormed(const char *c) {
  if (strlen(c) != 14) return false;
  for (int i = 0; i < 14; i++) {
    if (i == 4 || i == 9) {
      if (c[i] != '-') return false;
    } else if (strchr(kAlphabet, c[i]) == nullptr || c[i] == '\0') {
      return false;
    }
  }
  return true;
}

TEST_F(RecoveryTest, TenDistinctWellFormedCodes) {
  std::set<std::string> seen;
  for (int i = 0; i < NU_RECOVERY_COUNT; i++) {
    EXPECT_TRUE(WellFormed(codes_[i])) << codes_[i];
    seen.insert(codes_[i]);
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(NU_RECOVERY_COUNT));
}

TEST_F(RecoveryTest, EverySymbolOfTheAlphabetIsUsed) {
  // 200 batches = 24000 symbols, 750 expected per symbol: a generator stuck
  // on part of the alphabet (fewer bits than claimed) shows up here.
  int count[256] = {0};
  for (int b = 0; b < 200; b++) {
    char batch[NU_RECOVERY_COUNT][NU_RECOVERY_CODE_SIZE];
    ASSERT_EQ(nu_recovery_generate(batch), NU_RECOVERY_OK);
    for (auto &c : batch)
      for (const char *p = c; *p; p++) count[static_cast<unsigned char>(*p)]++;
  }
  for (const char *a = kAlphabet; *a; a++) {
    EXPECT_GT(count[static_cast<unsigned char>(*a)], 500) << *a;
    EXPECT_LT(count[static_cast<unsigned char>(*a)], 1000) << *a;
  }
  for (char c : {'i', 'l', 'o', 'u'}) EXPECT_EQ(count[static_cast<unsigned char>(c)], 0) << c;
}

std::string Norm(const char *in) {
  char out[NU_RECOVERY_NORMALISED_SIZE];
  int rc = nu_recovery_normalise(in, out);
  return rc == NU_RECOVERY_OK ? std::string(out) : "<" + std::to_string(rc) + ">";
}

TEST(RecoveryNormalise, CaseDashesSpacesAndLookAlikes) {
  EXPECT_EQ(Norm("abcd-efgh-jkmn"), "abcdefghjkmn");
  EXPECT_EQ(Norm("ABCD-EFGH-JKMN"), "abcdefghjkmn");
  EXPECT_EQ(Norm("abcdefghjkmn"), "abcdefghjkmn");
  EXPECT_EQ(Norm(" abcd efgh jkmn "), "abcdefghjkmn");
  EXPECT_EQ(Norm("ab-cd--ef gh-jk mn"), "abcdefghjkmn");
  EXPECT_EQ(Norm("IiLl-Oo01-2345"), "111100012345");
}

TEST(RecoveryNormalise, RefusesWhatIsNotACode) {
  const char *bad[] = {"",
                       "abcd-efgh-jkm",     // 11
                       "abcd-efgh-jkmnp",   // 13
                       "abcd-efgh-jkmu",    // u is not in the alphabet
                       "abcd-efgh-jkm!",
                       "abcd_efgh_jkmn",
                       "abcd\tefgh\tjkmn",
                       "abcd-efgh-jkmé",
                       "------------------------------------------------------------"
                       "--------abcdefghjkmn"};  // over 64 bytes
  for (const char *in : bad) {
    SCOPED_TRACE(in);
    EXPECT_EQ(Norm(in), "<" + std::to_string(NU_RECOVERY_REFUSED_MALFORMED) + ">");
  }
  char out[NU_RECOVERY_NORMALISED_SIZE];
  EXPECT_EQ(nu_recovery_normalise(nullptr, out), NU_RECOVERY_ERR_ARGUMENT);
}

TEST_F(RecoveryTest, HashIgnoresHowTheCodeWasTyped) {
  std::string typed;
  for (const char *p = codes_[3]; *p; p++)
    if (*p != '-') typed += static_cast<char>(toupper(*p));
  typed.insert(6, " ");
  uint8_t h[NU_RECOVERY_HASH_BYTES];
  ASSERT_EQ(nu_recovery_hash(key_, typed.c_str(), h), NU_RECOVERY_OK);
  EXPECT_EQ(memcmp(h, hashes_[3], sizeof h), 0);
}

TEST_F(RecoveryTest, HashDependsOnTheKeyAndIsNotTheCode) {
  uint8_t other_key[NU_RECOVERY_KEY_BYTES];
  memcpy(other_key, key_, sizeof key_);
  other_key[0] ^= 1;
  uint8_t h[NU_RECOVERY_HASH_BYTES];
  ASSERT_EQ(nu_recovery_hash(other_key, codes_[0], h), NU_RECOVERY_OK);
  EXPECT_NE(memcmp(h, hashes_[0], sizeof h), 0);
  EXPECT_NE(memcmp(hashes_[0], hashes_[1], sizeof h), 0);
  // Unkeyed BLAKE2b of the code is not what is stored.
  char norm[NU_RECOVERY_NORMALISED_SIZE];
  ASSERT_EQ(nu_recovery_normalise(codes_[0], norm), NU_RECOVERY_OK);
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char *>(norm), 12, nullptr, 0);
  EXPECT_NE(memcmp(h, hashes_[0], sizeof h), 0);
}

TEST_F(RecoveryTest, VerifyFindsEachCodeAmongTheStoredHashes) {
  for (size_t i = 0; i < NU_RECOVERY_COUNT; i++) {
    size_t index = 99;
    EXPECT_EQ(nu_recovery_verify(key_, codes_[i], hashes_, NU_RECOVERY_COUNT, &index),
              NU_RECOVERY_OK);
    EXPECT_EQ(index, i);
  }
}

TEST_F(RecoveryTest, VerifyRefusesUnknownMalformedAndUsedCodes) {
  size_t index = 99;
  char other[NU_RECOVERY_COUNT][NU_RECOVERY_CODE_SIZE];
  ASSERT_EQ(nu_recovery_generate(other), NU_RECOVERY_OK);
  EXPECT_EQ(nu_recovery_verify(key_, other[0], hashes_, NU_RECOVERY_COUNT, &index),
            NU_RECOVERY_REFUSED_MISMATCH);
  EXPECT_EQ(nu_recovery_verify(key_, "not a code", hashes_, NU_RECOVERY_COUNT, &index),
            NU_RECOVERY_REFUSED_MALFORMED);
  EXPECT_EQ(index, 99u);
  // Once the store drops (or marks) the used hash, the code no longer matches.
  EXPECT_EQ(nu_recovery_verify(key_, codes_[0], hashes_ + 1, NU_RECOVERY_COUNT - 1, &index),
            NU_RECOVERY_REFUSED_MISMATCH);
  EXPECT_EQ(nu_recovery_verify(key_, codes_[0], nullptr, 0, &index),
            NU_RECOVERY_REFUSED_MISMATCH);
  uint8_t other_key[NU_RECOVERY_KEY_BYTES] = {9};
  EXPECT_EQ(nu_recovery_verify(other_key, codes_[0], hashes_, NU_RECOVERY_COUNT, &index),
            NU_RECOVERY_REFUSED_MISMATCH);
  EXPECT_EQ(nu_recovery_verify(key_, codes_[0], hashes_, NU_RECOVERY_COUNT, nullptr),
            NU_RECOVERY_ERR_ARGUMENT);
}

}  // namespace
