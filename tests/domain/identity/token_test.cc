// token_test.cc — bearer secrets: shape, randomness, digests, access keys.
#include "server/domain/identity/token.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cstring>
#include <set>
#include <string>

namespace {

TEST(Token, PrefixAnd256RandomBits) {
  ASSERT_GE(sodium_init(), 0);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; i++) {
    char t[NU_TOKEN_SIZE];
    ASSERT_EQ(nu_token_new(NU_TOKEN_SESSION, t), 0);
    std::string s(t);
    ASSERT_EQ(s.rfind("nus_", 0), 0u);
    ASSERT_EQ(s.size(), 4u + 43u);  // 32 bytes, unpadded base64url
    ASSERT_EQ(s.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 4),
              std::string::npos);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 1000u);
  char t[NU_TOKEN_SIZE];
  EXPECT_EQ(nu_token_new("toolong_", t), -1);
  EXPECT_EQ(nu_token_new(NU_TOKEN_KEY_SECRET, t), 0);
  EXPECT_EQ(std::strlen(t), 5u + 43u);
}

TEST(Token, HashIsSha256) {
  uint8_t d[NU_TOKEN_HASH_BYTES];
  nu_token_hash("abc", 3, d);
  char hex[2 * NU_TOKEN_HASH_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, d, sizeof d);
  EXPECT_STREQ(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AccessKey, IdShapeAndSplit) {
  ASSERT_GE(sodium_init(), 0);
  char id[NU_ACCESS_KEY_ID_SIZE];
  nu_access_key_id_new(id);
  std::string s(id);
  ASSERT_EQ(s.size(), 24u);
  EXPECT_EQ(s.rfind("NUAK", 0), 0u);
  EXPECT_EQ(s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);

  std::string cred = s + ":nusk_secret";
  size_t id_len = 0;
  ASSERT_EQ(nu_access_key_split(cred.data(), cred.size(), &id_len), 1);
  EXPECT_EQ(id_len, 24u);
  EXPECT_EQ(nu_access_key_split(s.data(), s.size(), &id_len), 0) << "no secret";
  std::string colon = s + ":";
  EXPECT_EQ(nu_access_key_split(colon.data(), colon.size(), &id_len), 0) << "empty secret";
  std::string session = "nus_abc:def";
  EXPECT_EQ(nu_access_key_split(session.data(), session.size(), &id_len), 0);
}

}  // namespace
