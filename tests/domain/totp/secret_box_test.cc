// secret_box_test.cc — TOTP secrets at rest: key parsing from configuration,
// seal/open round trip, wrong keys and tampering refused, no plaintext in a
// box.
#include <gtest/gtest.h>
#include <sodium.h>

#include <cctype>
#include <cstring>
#include <string>
#include <vector>

#include "server/domain/totp/secret_box.h"

namespace {

// Key bytes 0x00..0x1f.
const char kHex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const char kB64[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

class SecretBoxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    for (int i = 0; i < NU_SECRET_BOX_KEY_BYTES; i++) expected_[i] = static_cast<uint8_t>(i);
    for (int i = 0; i < 20; i++) plain_[i] = static_cast<uint8_t>('A' + i);
  }
  int Parse(const char *text, const char **why = nullptr) {
    memset(key_, 0xAA, sizeof key_);
    return nu_secret_box_key_parse(text, key_, why);
  }
  bool KeyIsExpected() { return memcmp(key_, expected_, sizeof key_) == 0; }
  std::vector<uint8_t> Seal(const uint8_t *key) {
    std::vector<uint8_t> box(sizeof plain_ + NU_SECRET_BOX_OVERHEAD);
    size_t n = 0;
    EXPECT_EQ(nu_secret_box_seal(key, plain_, sizeof plain_, box.data(), box.size(), &n),
              NU_SECRET_BOX_OK);
    EXPECT_EQ(n, box.size());
    return box;
  }
  uint8_t key_[NU_SECRET_BOX_KEY_BYTES];
  uint8_t expected_[NU_SECRET_BOX_KEY_BYTES];
  uint8_t plain_[20];
};

TEST_F(SecretBoxTest, ParsesHexAndBase64Keys) {
  const std::string url_no_pad = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
  std::string upper(kHex);
  for (char &c : upper) c = static_cast<char>(toupper(c));
  const std::string forms[] = {
      kHex, upper, std::string("hex:") + kHex, kB64, url_no_pad, std::string("base64:") + kB64,
      std::string("  ") + kHex + "\n", std::string("\t") + kB64 + "\r\n",
  };
  for (const std::string &f : forms) {
    SCOPED_TRACE(f);
    const char *why = "unset";
    EXPECT_EQ(Parse(f.c_str(), &why), NU_SECRET_BOX_OK);
    EXPECT_EQ(why, nullptr);
    EXPECT_TRUE(KeyIsExpected());
  }
  // URL-safe alphabet: bytes 0xfb 0xff … give '-' and '_'.
  uint8_t raw[32];
  memset(raw, 0xfb, sizeof raw);
  char b64[64];
  sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE);
  ASSERT_NE(strpbrk(b64, "-_"), nullptr);
  EXPECT_EQ(Parse(b64), NU_SECRET_BOX_OK);
  EXPECT_EQ(memcmp(key_, raw, sizeof raw), 0);
}

TEST_F(SecretBoxTest, RefusesBadKeysWithClearReasons) {
  struct Case {
    std::string text;
    const char *why;
  } cases[] = {
      {"", "key is empty"},
      {" \n", "key is empty"},
      {std::string(kHex).substr(0, 62), "key is neither 64 hex digits nor base64 of 32 bytes"},
      {std::string("hex:") + std::string(kHex).substr(0, 62),
       "hex key must be exactly 64 hex digits (32 bytes)"},
      {std::string("hex:") + std::string(kHex).substr(0, 63) + "g",
       "hex key must be exactly 64 hex digits (32 bytes)"},
      {"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd", "base64 key must decode to exactly 32 bytes"},
      {"base64:not base64!", "key is neither 64 hex digits nor base64 of 32 bytes"},
      {std::string(64, '0'), "key is all zeros"},
      {std::string(200, 'A'), "key text is too long"},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.text);
    const char *why = nullptr;
    EXPECT_EQ(Parse(c.text.c_str(), &why), NU_SECRET_BOX_ERR_ARGUMENT);
    ASSERT_NE(why, nullptr);
    EXPECT_STREQ(why, c.why);
    // The reason never quotes the configured text.
    if (c.text.size() > 4) {
      EXPECT_EQ(std::string(why).find(c.text), std::string::npos);
    }
    // A refused key leaves the output untouched.
    for (uint8_t b : key_) ASSERT_EQ(b, 0xAA);
  }
  EXPECT_EQ(Parse(nullptr), NU_SECRET_BOX_ERR_ARGUMENT);  // why may be NULL
}

TEST_F(SecretBoxTest, RoundTrip) {
  std::vector<uint8_t> box = Seal(expected_);
  uint8_t out[64];
  size_t n = 0;
  ASSERT_EQ(nu_secret_box_open(expected_, box.data(), box.size(), out, sizeof out, &n),
            NU_SECRET_BOX_OK);
  ASSERT_EQ(n, sizeof plain_);
  EXPECT_EQ(memcmp(out, plain_, n), 0);
}

TEST_F(SecretBoxTest, EachSealUsesAFreshNonce) {
  std::vector<uint8_t> a = Seal(expected_), b = Seal(expected_);
  EXPECT_NE(memcmp(a.data(), b.data(), NU_SECRET_BOX_NONCE_BYTES), 0);
  EXPECT_NE(a, b);
}

TEST_F(SecretBoxTest, WrongKeyFails) {
  std::vector<uint8_t> box = Seal(expected_);
  uint8_t other[NU_SECRET_BOX_KEY_BYTES];
  memcpy(other, expected_, sizeof other);
  other[31] ^= 0x80;
  uint8_t out[64];
  memset(out, 0x55, sizeof out);
  size_t n = 0;
  EXPECT_EQ(nu_secret_box_open(other, box.data(), box.size(), out, sizeof out, &n),
            NU_SECRET_BOX_ERR_FORGED);
  EXPECT_EQ(n, 0u);
  for (size_t i = 0; i < sizeof plain_; i++) EXPECT_EQ(out[i], 0) << i;
}

TEST_F(SecretBoxTest, TamperingWithAnyByteFails) {
  std::vector<uint8_t> box = Seal(expected_);
  for (size_t i = 0; i < box.size(); i++) {
    SCOPED_TRACE(i);
    std::vector<uint8_t> bad = box;
    bad[i] ^= 0x01;
    uint8_t out[64];
    size_t n = 0;
    EXPECT_EQ(nu_secret_box_open(expected_, bad.data(), bad.size(), out, sizeof out, &n),
              NU_SECRET_BOX_ERR_FORGED);
  }
  uint8_t out[64];
  size_t n = 0;
  // Truncated by one byte: forged; down to the bare overhead: not a box.
  EXPECT_EQ(nu_secret_box_open(expected_, box.data(), box.size() - 1, out, sizeof out, &n),
            NU_SECRET_BOX_ERR_FORGED);
  EXPECT_EQ(nu_secret_box_open(expected_, box.data(), NU_SECRET_BOX_OVERHEAD, out, sizeof out,
                               &n),
            NU_SECRET_BOX_ERR_ARGUMENT);
}

TEST_F(SecretBoxTest, CiphertextNeverContainsThePlaintext) {
  // A low-entropy plaintext, sealed many times: no copy of it, nor of any
  // 8-byte window of it, appears in a box.
  uint8_t plain[64];
  memset(plain, 'A', sizeof plain);
  for (int round = 0; round < 100; round++) {
    uint8_t box[sizeof plain + NU_SECRET_BOX_OVERHEAD];
    size_t n = 0;
    ASSERT_EQ(nu_secret_box_seal(expected_, plain, sizeof plain, box, sizeof box, &n),
              NU_SECRET_BOX_OK);
    EXPECT_EQ(memmem(box, n, plain, 8), nullptr);
  }
  std::vector<uint8_t> box = Seal(expected_);
  for (size_t w = 0; w + 8 <= sizeof plain_; w++)
    EXPECT_EQ(memmem(box.data(), box.size(), plain_ + w, 8), nullptr) << w;
}

TEST_F(SecretBoxTest, BuffersAndArguments) {
  uint8_t box[sizeof plain_ + NU_SECRET_BOX_OVERHEAD];
  size_t n = 0;
  EXPECT_EQ(nu_secret_box_seal(expected_, plain_, sizeof plain_, box, sizeof box - 1, &n),
            NU_SECRET_BOX_ERR_SPACE);
  EXPECT_EQ(nu_secret_box_seal(expected_, plain_, 0, box, sizeof box, &n),
            NU_SECRET_BOX_ERR_ARGUMENT);
  EXPECT_EQ(nu_secret_box_seal(nullptr, plain_, sizeof plain_, box, sizeof box, &n),
            NU_SECRET_BOX_ERR_ARGUMENT);
  ASSERT_EQ(nu_secret_box_seal(expected_, plain_, sizeof plain_, box, sizeof box, &n),
            NU_SECRET_BOX_OK);
  uint8_t out[sizeof plain_];
  EXPECT_EQ(nu_secret_box_open(expected_, box, n, out, sizeof out - 1, &n),
            NU_SECRET_BOX_ERR_SPACE);
}

}  // namespace
