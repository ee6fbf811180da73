// totp_test.cc — TOTP codes, window, replay refusal, malformed input, the
// otpauth:// URI and base32, through the public API of totp.h.
//
// Codes are checked against RFC 6238 Appendix B, an independent source, so a
// wrong step or HMAC choice fails here rather than on a user's phone. Time
// comes from nu_fake_clock only.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "server/common/clock.h"
#include "server/domain/totp/totp.h"

namespace {

const char kSha1Key[] = "12345678901234567890";
const char kSha256Key[] = "12345678901234567890123456789012";
const char kSha512Key[] = "1234567890123456789012345678901234567890123456789012345678901234";

const uint8_t *Bytes(const char *s) { return reinterpret_cast<const uint8_t *>(s); }

std::string Code(const uint8_t *secret, size_t len, int64_t t, unsigned digits = 6,
                 nu_totp_algo algo = NU_TOTP_SHA1) {
  char out[16];
  int rc = nu_totp_code(secret, len, t, digits, algo, out, sizeof out);
  EXPECT_EQ(rc, NU_TOTP_OK) << "at " << t;
  return rc == NU_TOTP_OK ? std::string(out) : std::string();
}

struct Vector {
  int64_t t;
  const char *sha1, *sha256, *sha512;
};

// RFC 6238, Appendix B.
const Vector kRfc6238[] = {
    {59, "94287082", "46119246", "90693936"},
    {1111111109, "07081804", "68084774", "25091201"},
    {1111111111, "14050471", "67062674", "99943326"},
    {1234567890, "89005924", "91819424", "93441116"},
    {2000000000, "69279037", "90698825", "38618901"},
    {INT64_C(20000000000), "65353130", "77737706", "47863826"},
};

TEST(TotpCode, Rfc6238AppendixB) {
  for (const Vector &v : kRfc6238) {
    SCOPED_TRACE(v.t);
    EXPECT_EQ(Code(Bytes(kSha1Key), 20, v.t, 8, NU_TOTP_SHA1), v.sha1);
    EXPECT_EQ(Code(Bytes(kSha256Key), 32, v.t, 8, NU_TOTP_SHA256), v.sha256);
    EXPECT_EQ(Code(Bytes(kSha512Key), 64, v.t, 8, NU_TOTP_SHA512), v.sha512);
  }
}

TEST(TotpCode, SixDigitsAreTheLastSixOfEight) {
  // Dynamic truncation mod 10^6 vs 10^8: the low six digits agree.
  for (const Vector &v : kRfc6238) {
    EXPECT_EQ(Code(Bytes(kSha1Key), 20, v.t, 6), std::string(v.sha1).substr(2));
  }
}

TEST(TotpCode, RefusesBadArguments) {
  char out[16];
  EXPECT_EQ(nu_totp_code(Bytes(kSha1Key), 20, 59, 5, NU_TOTP_SHA1, out, sizeof out),
            NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_code(Bytes(kSha1Key), 20, 59, 9, NU_TOTP_SHA1, out, sizeof out),
            NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_code(Bytes(kSha1Key), 20, 59, 6, NU_TOTP_SHA1, out, 6), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_code(Bytes(kSha1Key), 20, -1, 6, NU_TOTP_SHA1, out, sizeof out),
            NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_code(nullptr, 20, 59, 6, NU_TOTP_SHA1, out, sizeof out),
            NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_code(Bytes(kSha1Key), 0, 59, 6, NU_TOTP_SHA1, out, sizeof out),
            NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_code(Bytes(kSha1Key), 20, 59, 6, static_cast<nu_totp_algo>(7), out,
                         sizeof out),
            NU_TOTP_ERR_ARGUMENT);
}

TEST(TotpClock, NowAndStepComeFromTheInjectedClock) {
  nu_fake_clock fc;
  nu_fake_clock_init(&fc, INT64_C(1111111111) * NU_NS_PER_S + 999999999);
  EXPECT_EQ(nu_totp_now_s(&fc.clock), 1111111111);
  EXPECT_EQ(nu_totp_step(nu_totp_now_s(&fc.clock)), 1111111111 / 30);
  fc.now_ns = -1;  // before 1970: floored, and no step
  EXPECT_EQ(nu_totp_now_s(&fc.clock), -1);
  EXPECT_EQ(nu_totp_step(-1), -1);
  EXPECT_EQ(nu_totp_step(29), 0);
  EXPECT_EQ(nu_totp_step(30), 1);
}

class TotpVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    nu_fake_clock_init(&clock_, INT64_C(1111111111) * NU_NS_PER_S);
    now_ = nu_totp_now_s(&clock_.clock);
    step_ = nu_totp_step(now_);
  }
  std::string CodeAtStep(int64_t step) { return Code(Bytes(kSha1Key), 20, step * 30); }
  int Verify(const std::string &code, int64_t last, int64_t *matched) {
    return nu_totp_verify(Bytes(kSha1Key), 20, code.c_str(), nu_totp_now_s(&clock_.clock), last,
                          matched);
  }
  nu_fake_clock clock_;
  int64_t now_ = 0, step_ = 0;
};

TEST_F(TotpVerify, AcceptsTheCurrentStepAndOneEitherSide) {
  for (int64_t d = -1; d <= 1; d++) {
    SCOPED_TRACE(d);
    int64_t matched = -42;
    EXPECT_EQ(Verify(CodeAtStep(step_ + d), -1, &matched), NU_TOTP_OK);
    EXPECT_EQ(matched, step_ + d);
  }
}

TEST_F(TotpVerify, RefusesTwoStepsAway) {
  for (int64_t d : {-3, -2, 2, 3}) {
    SCOPED_TRACE(d);
    int64_t matched = -42;
    EXPECT_EQ(Verify(CodeAtStep(step_ + d), -1, &matched), NU_TOTP_REFUSED_MISMATCH);
    EXPECT_EQ(matched, -42) << "matched_step written on refusal";
  }
}

TEST_F(TotpVerify, WindowFollowsTheClock) {
  const std::string code = CodeAtStep(step_);
  int64_t matched;
  // The last second of step+1 still accepts step's code; the first of step+2
  // does not.
  clock_.now_ns = ((step_ + 2) * 30 - 1) * NU_NS_PER_S;
  EXPECT_EQ(Verify(code, -1, &matched), NU_TOTP_OK);
  clock_.now_ns = ((step_ + 2) * 30) * NU_NS_PER_S;
  EXPECT_EQ(Verify(code, -1, &matched), NU_TOTP_REFUSED_MISMATCH);
  // Symmetrically before.
  clock_.now_ns = ((step_ - 1) * 30) * NU_NS_PER_S;
  EXPECT_EQ(Verify(code, -1, &matched), NU_TOTP_OK);
  clock_.now_ns = ((step_ - 1) * 30 - 1) * NU_NS_PER_S;
  EXPECT_EQ(Verify(code, -1, &matched), NU_TOTP_REFUSED_MISMATCH);
}

TEST_F(TotpVerify, RefusesAReplayOfTheSameStep) {
  const std::string code = CodeAtStep(step_);
  int64_t matched = -1;
  ASSERT_EQ(Verify(code, -1, &matched), NU_TOTP_OK);
  ASSERT_EQ(matched, step_);
  int64_t last = matched;  // what the store keeps
  int64_t again = -42;
  EXPECT_EQ(Verify(code, last, &again), NU_TOTP_REFUSED_REPLAY);
  EXPECT_EQ(again, -42);
  // Still refused ten seconds later, inside the window.
  clock_.now_ns += 10 * NU_NS_PER_S;
  EXPECT_EQ(Verify(code, last, &again), NU_TOTP_REFUSED_REPLAY);
}

TEST_F(TotpVerify, AcceptsALaterStepAfterOneWasUsed) {
  int64_t matched = -1;
  ASSERT_EQ(Verify(CodeAtStep(step_), -1, &matched), NU_TOTP_OK);
  int64_t last = matched;
  clock_.now_ns += 30 * NU_NS_PER_S;
  EXPECT_EQ(Verify(CodeAtStep(step_ + 1), last, &matched), NU_TOTP_OK);
  EXPECT_EQ(matched, step_ + 1);
}

TEST_F(TotpVerify, RefusesAnEarlierStepOnceALaterOneWasUsed) {
  // The user's phone runs ahead: step+1 accepted, then step's code (still in
  // the window) must not open a second session.
  int64_t matched = -1;
  ASSERT_EQ(Verify(CodeAtStep(step_ + 1), -1, &matched), NU_TOTP_OK);
  EXPECT_EQ(Verify(CodeAtStep(step_), matched, &matched), NU_TOTP_REFUSED_REPLAY);
  EXPECT_EQ(Verify(CodeAtStep(step_ - 1), matched, &matched), NU_TOTP_REFUSED_REPLAY);
}

TEST_F(TotpVerify, LastStepBelowTheWindowRefusesNothing) {
  int64_t matched;
  EXPECT_EQ(Verify(CodeAtStep(step_ - 1), step_ - 2, &matched), NU_TOTP_OK);
  EXPECT_EQ(matched, step_ - 1);
}

TEST_F(TotpVerify, RefusesMalformedCodes) {
  const char *bad[] = {
      "",         "12345",     "1234567",  "12345a",   "a12345",   " 123456", "123456 ",
      "123 456",  "+12345",    "-12345",   "12345\n",  "0x1234",   "１２３４５６",  // full width
      "١٢٣٤٥٦",  // Arabic-Indic digits
      "12345678",
  };
  for (const char *code : bad) {
    SCOPED_TRACE(code);
    int64_t matched = -42;
    EXPECT_EQ(Verify(code, -1, &matched), NU_TOTP_REFUSED_MALFORMED);
    EXPECT_EQ(matched, -42);
  }
  int64_t matched;
  EXPECT_EQ(nu_totp_verify(Bytes(kSha1Key), 20, nullptr, now_, -1, &matched),
            NU_TOTP_REFUSED_MALFORMED);
  // The real code with a NUL inside is just its first three digits.
  std::string real = CodeAtStep(step_);
  std::string cut = real.substr(0, 3) + std::string(1, '\0') + real.substr(3);
  EXPECT_EQ(nu_totp_verify(Bytes(kSha1Key), 20, cut.c_str(), now_, -1, &matched),
            NU_TOTP_REFUSED_MALFORMED);
}

TEST_F(TotpVerify, FormatIsCheckedBeforeTheSecret) {
  // With no secret at all, a malformed code is still "malformed" — the
  // format check runs first, liboath is never reached — while a well-formed
  // one is an argument error.
  int64_t matched;
  EXPECT_EQ(nu_totp_verify(nullptr, 0, "12a456", now_, -1, &matched), NU_TOTP_REFUSED_MALFORMED);
  EXPECT_EQ(nu_totp_verify(nullptr, 0, "123456", now_, -1, &matched), NU_TOTP_ERR_ARGUMENT);
}

TEST_F(TotpVerify, RefusesBadArguments) {
  int64_t matched;
  const std::string code = CodeAtStep(step_);
  EXPECT_EQ(nu_totp_verify(Bytes(kSha1Key), 20, code.c_str(), now_, -1, nullptr),
            NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_verify(Bytes(kSha1Key), 20, code.c_str(), -5, -1, &matched),
            NU_TOTP_ERR_ARGUMENT);
}

TEST_F(TotpVerify, NearTheEpochTheWindowDoesNotGoNegative) {
  int64_t matched;
  EXPECT_EQ(nu_totp_verify(Bytes(kSha1Key), 20, Code(Bytes(kSha1Key), 20, 0).c_str(), 10, -1,
                           &matched),
            NU_TOTP_OK);
  EXPECT_EQ(matched, 0);
}

TEST(TotpSecret, IsTwentyRandomBytes) {
  uint8_t a[NU_TOTP_SECRET_BYTES], b[NU_TOTP_SECRET_BYTES];
  ASSERT_EQ(nu_totp_secret_generate(a), NU_TOTP_OK);
  ASSERT_EQ(nu_totp_secret_generate(b), NU_TOTP_OK);
  EXPECT_NE(memcmp(a, b, sizeof a), 0);
  uint8_t zero[NU_TOTP_SECRET_BYTES] = {0};
  EXPECT_NE(memcmp(a, zero, sizeof a), 0);
  EXPECT_EQ(nu_totp_secret_generate(nullptr), NU_TOTP_ERR_ARGUMENT);
}

TEST(TotpBase32, KnownValuesWithoutPadding) {
  char out[128];
  ASSERT_EQ(nu_totp_base32_encode(Bytes(kSha1Key), 20, out, sizeof out), NU_TOTP_OK);
  EXPECT_STREQ(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  // RFC 4648 §10 "foo" is "MZXW6===": padding dropped.
  ASSERT_EQ(nu_totp_base32_encode(Bytes("foo"), 3, out, sizeof out), NU_TOTP_OK);
  EXPECT_STREQ(out, "MZXW6");
  ASSERT_EQ(nu_totp_base32_encode(Bytes("f"), 1, out, sizeof out), NU_TOTP_OK);
  EXPECT_STREQ(out, "MY");
}

TEST(TotpBase32, RoundTripOfEveryLength) {
  for (size_t len = 1; len <= 64; len++) {
    SCOPED_TRACE(len);
    std::vector<uint8_t> in(len);
    for (size_t i = 0; i < len; i++) in[i] = static_cast<uint8_t>(i * 151 + len * 7);
    char b32[128];
    ASSERT_EQ(nu_totp_base32_encode(in.data(), len, b32, sizeof b32), NU_TOTP_OK);
    EXPECT_EQ(strlen(b32), (len * 8 + 4) / 5);
    EXPECT_EQ(strchr(b32, '='), nullptr);
    uint8_t back[64];
    size_t back_len = 0;
    ASSERT_EQ(nu_totp_base32_decode(b32, back, sizeof back, &back_len), NU_TOTP_OK);
    ASSERT_EQ(back_len, len);
    EXPECT_EQ(memcmp(back, in.data(), len), 0);
  }
}

TEST(TotpBase32, GeneratedSecretIsThirtyTwoCharacters) {
  uint8_t s[NU_TOTP_SECRET_BYTES];
  ASSERT_EQ(nu_totp_secret_generate(s), NU_TOTP_OK);
  char b32[NU_TOTP_SECRET_B32_SIZE];
  ASSERT_EQ(nu_totp_base32_encode(s, sizeof s, b32, sizeof b32), NU_TOTP_OK);
  EXPECT_EQ(strlen(b32), 32u);
  // One byte short does not fit.
  EXPECT_EQ(nu_totp_base32_encode(s, sizeof s, b32, 32), NU_TOTP_ERR_SPACE);
}

TEST(TotpBase32, DecodeAcceptsLowerCaseAndPadding) {
  uint8_t out[16];
  size_t n = 0;
  ASSERT_EQ(nu_totp_base32_decode("mzxw6", out, sizeof out, &n), NU_TOTP_OK);
  EXPECT_EQ(std::string(reinterpret_cast<char *>(out), n), "foo");
  ASSERT_EQ(nu_totp_base32_decode("MZXW6===", out, sizeof out, &n), NU_TOTP_OK);
  EXPECT_EQ(std::string(reinterpret_cast<char *>(out), n), "foo");
}

TEST(TotpBase32, DecodeRefusesGarbageAndSmallBuffers) {
  uint8_t out[4];
  size_t n = 0;
  EXPECT_EQ(nu_totp_base32_decode("MZ!W6", out, sizeof out, &n), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_base32_decode("01890189", out, sizeof out, &n), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_base32_decode("", out, sizeof out, &n), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_base32_decode("GEZDGNBVGY3TQOJQ", out, sizeof out, &n), NU_TOTP_ERR_SPACE);
}

std::string Uri(const char *issuer, const char *account, const char *secret = "JBSWY3DPEHPK3PXP") {
  char out[512];
  int rc = nu_totp_uri(issuer, account, secret, out, sizeof out);
  EXPECT_EQ(rc, NU_TOTP_OK);
  return rc == NU_TOTP_OK ? std::string(out) : std::string();
}

TEST(TotpUri, HasTheKeyUriFormat) {
  EXPECT_EQ(Uri("Nuage", "alice"),
            "otpauth://totp/Nuage:alice?secret=JBSWY3DPEHPK3PXP&issuer=Nuage"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(TotpUri, PercentEncodesIssuerAndAccount) {
  EXPECT_EQ(Uri("Portail Nuage & Cie", "alice.martin@sante.gouv.fr"),
            "otpauth://totp/Portail%20Nuage%20%26%20Cie:alice.martin%40sante.gouv.fr"
            "?secret=JBSWY3DPEHPK3PXP&issuer=Portail%20Nuage%20%26%20Cie"
            "&algorithm=SHA1&digits=6&period=30");
  // UTF-8 byte by byte, upper-case hex; unreserved characters pass.
  EXPECT_EQ(Uri("Évry", "a-b.c_d~e"),
            "otpauth://totp/%C3%89vry:a-b.c_d~e?secret=JBSWY3DPEHPK3PXP&issuer=%C3%89vry"
            "&algorithm=SHA1&digits=6&period=30");
  // Characters that would break the URI's structure.
  EXPECT_EQ(Uri("a/b?c#d", "x=y+z%&w"),
            "otpauth://totp/a%2Fb%3Fc%23d:x%3Dy%2Bz%25%26w?secret=JBSWY3DPEHPK3PXP"
            "&issuer=a%2Fb%3Fc%23d&algorithm=SHA1&digits=6&period=30");
}

TEST(TotpUri, RefusesColonsEmptyLabelsAndBadSecrets) {
  char out[512];
  EXPECT_EQ(nu_totp_uri("Nu:age", "alice", "JBSWY3DP", out, sizeof out), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_uri("Nuage", "ali:ce", "JBSWY3DP", out, sizeof out), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_uri("", "alice", "JBSWY3DP", out, sizeof out), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_uri("Nuage", "", "JBSWY3DP", out, sizeof out), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_uri(nullptr, "alice", "JBSWY3DP", out, sizeof out), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_uri("Nuage", "alice", "JBSWY3DP====", out, sizeof out),
            NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_uri("Nuage", "alice", "jbswy3dp", out, sizeof out), NU_TOTP_ERR_ARGUMENT);
  EXPECT_EQ(nu_totp_uri("Nuage", "alice", "", out, sizeof out), NU_TOTP_ERR_ARGUMENT);
}

TEST(TotpUri, ExactBufferFitsOneLessDoesNot) {
  const std::string want = Uri("Nuage", "bob@x.fr");
  std::vector<char> buf(want.size() + 1);
  ASSERT_EQ(nu_totp_uri("Nuage", "bob@x.fr", "JBSWY3DPEHPK3PXP", buf.data(), buf.size()),
            NU_TOTP_OK);
  EXPECT_EQ(std::string(buf.data()), want);
  std::vector<char> small(want.size(), 'x');
  EXPECT_EQ(nu_totp_uri("Nuage", "bob@x.fr", "JBSWY3DPEHPK3PXP", small.data(), small.size()),
            NU_TOTP_ERR_SPACE);
  // Nothing of the secret is left in a buffer that was too small.
  EXPECT_EQ(std::string(small.data(), small.size()).find("JBSWY"), std::string::npos);
}

TEST(TotpEnrolment, GeneratedSecretRoundTripsThroughTheUriAndVerifies) {
  nu_fake_clock fc;
  nu_fake_clock_init(&fc, INT64_C(1800000000) * NU_NS_PER_S);
  uint8_t secret[NU_TOTP_SECRET_BYTES];
  ASSERT_EQ(nu_totp_secret_generate(secret), NU_TOTP_OK);
  char b32[NU_TOTP_SECRET_B32_SIZE];
  ASSERT_EQ(nu_totp_base32_encode(secret, sizeof secret, b32, sizeof b32), NU_TOTP_OK);
  char uri[512];
  ASSERT_EQ(nu_totp_uri("Nuage", "carol@interieur.gouv.fr", b32, uri, sizeof uri), NU_TOTP_OK);

  // What an authenticator app does: take secret= from the URI, decode it.
  std::string u(uri);
  size_t at = u.find("secret=") + 7;
  std::string from_uri = u.substr(at, u.find('&', at) - at);
  EXPECT_EQ(from_uri, b32);
  uint8_t decoded[64];
  size_t n = 0;
  ASSERT_EQ(nu_totp_base32_decode(from_uri.c_str(), decoded, sizeof decoded, &n), NU_TOTP_OK);
  ASSERT_EQ(n, sizeof secret);

  const int64_t now = nu_totp_now_s(&fc.clock);
  std::string code = Code(decoded, n, now);
  int64_t matched;
  EXPECT_EQ(nu_totp_verify(secret, sizeof secret, code.c_str(), now, -1, &matched), NU_TOTP_OK);
  EXPECT_EQ(matched, nu_totp_step(now));
}

}  // namespace
