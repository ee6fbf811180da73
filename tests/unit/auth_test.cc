// auth_test.cc — `authorization` metadata → principal, and the per-row
// permission check.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "server/auth/auth.h"
#include "server/common/arena.h"
#include "server/common/status.h"
#include "server/dispatch/method.h"

namespace {

// A fake authenticator: records what it was given; knows one token.
struct Hook {
  int calls = 0;
  std::string token;
  const char *token_ptr = nullptr;
};

nu_status Authenticate(void *ctx, const char *token, size_t token_len, int64_t deadline_ns, nu_arena *a,
                       nu_principal *out) {
  auto *h = static_cast<Hook *>(ctx);
  (void)deadline_ns;
  h->calls++;
  h->token.assign(token, token_len);
  h->token_ptr = token;
  if (h->token != "good-token") {
    return nu_error(a, NU_UNAUTHENTICATED, "INVALID_CREDENTIALS", "invalid or expired credentials");
  }
  out->kind = NU_PRINCIPAL_USER;
  out->id = nu_arena_strdup(a, "user-1");
  out->levels[NU_SECTION_ORDERS] = NU_LEVEL_MANAGER;
  return nu_ok();
}

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a_ = nu_arena_new();
    ASSERT_NE(a_, nullptr);
    auth_.authenticate = Authenticate;
    auth_.ctx = &hook_;
  }
  void TearDown() override { nu_arena_free(a_); }

  // Authenticates value (its exact bytes, no NUL needed) with the hook.
  nu_status Run(const std::string &value, nu_principal *p, const nu_auth *auth = nullptr) {
    // A heap copy without a terminating NUL and with trailing garbage, so a
    // reader past value_len is caught.
    buf_.assign(value.begin(), value.end());
    buf_.insert(buf_.end(), {'G', 'A', 'R', 'B'});
    return nu_auth_authenticate(auth != nullptr ? auth : &auth_, buf_.data(), value.size(), INT64_MAX, a_, p);
  }

  // A principal full of rights, to see that failures reset it.
  static nu_principal Dirty() {
    nu_principal p;
    memset(&p, 0x5a, sizeof(p));
    p.kind = NU_PRINCIPAL_USER;
    p.platform_operator = true;
    p.id = "stale";
    return p;
  }

  static void ExpectAnonymous(const nu_principal &p) {
    EXPECT_EQ(p.kind, NU_PRINCIPAL_ANONYMOUS);
    EXPECT_EQ(p.id, nullptr);
    EXPECT_FALSE(p.platform_operator);
    for (int s = 0; s <= NU_SECTION_STOREFRONT; s++) EXPECT_EQ(p.levels[s], NU_LEVEL_NONE) << s;
  }

  nu_arena *a_ = nullptr;
  Hook hook_;
  nu_auth auth_{};
  std::vector<char> buf_;
};

TEST_F(AuthTest, NoHeaderIsAnonymous) {
  nu_principal p = Dirty();
  nu_status st = nu_auth_authenticate(&auth_, nullptr, 0, INT64_MAX, a_, &p);
  EXPECT_TRUE(nu_status_is_ok(&st));
  ExpectAnonymous(p);
  EXPECT_EQ(hook_.calls, 0);
}

TEST_F(AuthTest, NoHeaderIsAnonymousEvenWithoutAnAuthenticator) {
  nu_principal p = Dirty();
  nu_status st = nu_auth_authenticate(nullptr, nullptr, 0, INT64_MAX, a_, &p);
  EXPECT_TRUE(nu_status_is_ok(&st));
  ExpectAnonymous(p);
}

TEST_F(AuthTest, BearerWithoutAuthenticatorIsUnauthenticated) {
  nu_auth none = {nullptr, nullptr};
  for (const nu_auth *auth : {static_cast<const nu_auth *>(nullptr),
                              static_cast<const nu_auth *>(&none)}) {
    nu_principal p = Dirty();
    std::string v = "Bearer x";
    nu_status st = nu_auth_authenticate(auth, v.data(), v.size(), INT64_MAX, a_, &p);
    EXPECT_EQ(st.code, NU_UNAUTHENTICATED);
    ASSERT_NE(st.reason, nullptr);
    EXPECT_NE(st.message, nullptr);
    ExpectAnonymous(p);
  }
}

TEST_F(AuthTest, GoodBearerTokenResolvesThroughTheHook) {
  nu_principal p = Dirty();
  nu_status st = Run("Bearer good-token", &p);
  ASSERT_TRUE(nu_status_is_ok(&st)) << st.message;
  EXPECT_EQ(hook_.calls, 1);
  EXPECT_EQ(hook_.token, "good-token");
  EXPECT_EQ(p.kind, NU_PRINCIPAL_USER);
  EXPECT_STREQ(p.id, "user-1");
  EXPECT_FALSE(p.platform_operator) << "the principal starts clean before the hook fills it";
  EXPECT_EQ(p.levels[NU_SECTION_ORDERS], NU_LEVEL_MANAGER);
  EXPECT_EQ(p.levels[NU_SECTION_USERS], NU_LEVEL_NONE);
}

TEST_F(AuthTest, SchemeIsCaseInsensitive) {
  for (const char *v : {"bearer good-token", "BEARER good-token", "BeArEr good-token"}) {
    nu_principal p;
    nu_status st = Run(v, &p);
    EXPECT_TRUE(nu_status_is_ok(&st)) << v;
    EXPECT_EQ(hook_.token, "good-token") << v;
  }
  EXPECT_EQ(hook_.calls, 3);
}

TEST_F(AuthTest, HookReceivesExactlyTheTokenBytes) {
  nu_principal p;
  nu_status st = Run("Bearer abc.DEF-123_~+/=", &p);
  EXPECT_EQ(st.code, NU_UNAUTHENTICATED);  // unknown to the hook
  EXPECT_EQ(hook_.calls, 1);
  EXPECT_EQ(hook_.token, "abc.DEF-123_~+/=");
  EXPECT_EQ(hook_.token_ptr, buf_.data() + 7) << "the token is passed in place, not copied";
}

TEST_F(AuthTest, HookErrorIsReturnedAsIs) {
  nu_principal p;
  nu_status st = Run("Bearer revoked", &p);
  EXPECT_EQ(st.code, NU_UNAUTHENTICATED);
  EXPECT_STREQ(st.reason, "INVALID_CREDENTIALS");
  EXPECT_EQ(hook_.calls, 1);
}

TEST_F(AuthTest, MalformedCredentialsNeverReachTheHook) {
  const std::string cases[] = {
      "",
      "Basic dXNlcjpwYXNz",
      "Bearer",
      "Bearer ",
      "Bearertoken",
      "Bearer\ttoken",
      "Bearer  token",          // token starting with a space
      "Bearer tok en",
      "Bearer token ",
      "Bearer tok\x01" "en",
      "Bearer tok\x7f" "en",
      "Bearer tok\xc3\xa9n",
      "Bearer tok\nen",
      std::string("Bearer tok\0en", 13),
      "Token good-token",
      " Bearer good-token",
      "Bear good-token",
  };
  for (const auto &v : cases) {
    nu_principal p = Dirty();
    nu_status st = Run(v, &p);
    SCOPED_TRACE(testing::PrintToString(v));
    EXPECT_EQ(st.code, NU_UNAUTHENTICATED);
    EXPECT_NE(st.reason, nullptr);
    ExpectAnonymous(p);
  }
  EXPECT_EQ(hook_.calls, 0);
}

// Errors go to clients and logs: the token must never appear in them.
TEST_F(AuthTest, ErrorsNeverContainTheToken) {
  const std::string secret = "s3cr3tT0k3n";
  const std::string cases[] = {
      "Bearer " + secret + " trailing",
      "Bearer " + secret + "\x01",
      "Basic " + secret,
      "Bearer" + secret,
      "Bearer " + secret,  // unknown to the hook, and with no hook
  };
  nu_auth none = {nullptr, nullptr};
  for (const nu_auth *auth : {&auth_, &none}) {
    for (const auto &v : cases) {
      nu_principal p;
      nu_status st = Run(v, &p, auth);
      ASSERT_EQ(st.code, NU_UNAUTHENTICATED) << v;
      ASSERT_NE(st.message, nullptr);
      EXPECT_EQ(std::string(st.message).find(secret), std::string::npos) << st.message;
      EXPECT_EQ(std::string(st.message).find("s3cr3t"), std::string::npos) << st.message;
      if (st.reason != nullptr) {
        EXPECT_EQ(std::string(st.reason).find("s3cr3t"), std::string::npos);
      }
    }
  }
}

// ---- nu_auth_authorize -----------------------------------------------------

nu_method RowWith(nu_access access, nu_section s = NU_SECTION_NONE, nu_level l = NU_LEVEL_NONE) {
  nu_method m{};
  m.path = "/nuage.v1.OrderService/ListOrders";
  m.access = access;
  m.section = s;
  m.level = l;
  return m;
}

nu_principal Anonymous() {
  nu_principal p{};
  p.kind = NU_PRINCIPAL_ANONYMOUS;
  return p;
}

nu_principal User(nu_section s = NU_SECTION_NONE, nu_level l = NU_LEVEL_NONE) {
  nu_principal p{};
  p.kind = NU_PRINCIPAL_USER;
  p.id = "u";
  if (s != NU_SECTION_NONE) p.levels[s] = l;
  return p;
}

class AuthorizeTest : public ::testing::Test {
 protected:
  void SetUp() override { a_ = nu_arena_new(); }
  void TearDown() override { nu_arena_free(a_); }
  nu_code Code(const nu_method &m, const nu_principal &p) {
    last_ = nu_auth_authorize(&m, &p, a_);
    return last_.code;
  }
  nu_arena *a_ = nullptr;
  nu_status last_{};
};

TEST_F(AuthorizeTest, PublicRowsAreOpenToEveryone) {
  nu_method m = RowWith(NU_ACCESS_PUBLIC);
  EXPECT_EQ(Code(m, Anonymous()), NU_OK);
  EXPECT_EQ(Code(m, User()), NU_OK);
  nu_principal op = User();
  op.platform_operator = true;
  EXPECT_EQ(Code(m, op), NU_OK);
}

TEST_F(AuthorizeTest, SectionRowNeedsCredentials) {
  nu_method m = RowWith(NU_ACCESS_SECTION, NU_SECTION_ORDERS, NU_LEVEL_VISITOR);
  EXPECT_EQ(Code(m, Anonymous()), NU_UNAUTHENTICATED);
  EXPECT_STREQ(last_.reason, "CREDENTIALS_REQUIRED");
  // Anonymous stays anonymous whatever else the struct says.
  nu_principal odd = Anonymous();
  odd.platform_operator = true;
  odd.levels[NU_SECTION_ORDERS] = NU_LEVEL_MANAGER;
  EXPECT_EQ(Code(m, odd), NU_UNAUTHENTICATED);
}

TEST_F(AuthorizeTest, SectionRowChecksTheLevelOnThatSection) {
  nu_method visitor_row = RowWith(NU_ACCESS_SECTION, NU_SECTION_ORDERS, NU_LEVEL_VISITOR);
  nu_method manager_row = RowWith(NU_ACCESS_SECTION, NU_SECTION_ORDERS, NU_LEVEL_MANAGER);

  EXPECT_EQ(Code(visitor_row, User()), NU_PERMISSION_DENIED);
  EXPECT_STREQ(last_.reason, "INSUFFICIENT_ROLE");
  EXPECT_NE(std::string(last_.message).find("orders"), std::string::npos) << last_.message;
  EXPECT_NE(std::string(last_.message).find("visitor"), std::string::npos) << last_.message;

  EXPECT_EQ(Code(visitor_row, User(NU_SECTION_ORDERS, NU_LEVEL_VISITOR)), NU_OK);
  EXPECT_EQ(Code(visitor_row, User(NU_SECTION_ORDERS, NU_LEVEL_MANAGER)), NU_OK);
  EXPECT_EQ(Code(manager_row, User(NU_SECTION_ORDERS, NU_LEVEL_MANAGER)), NU_OK);
  EXPECT_EQ(Code(manager_row, User(NU_SECTION_ORDERS, NU_LEVEL_VISITOR)), NU_PERMISSION_DENIED);
  EXPECT_NE(std::string(last_.message).find("manager"), std::string::npos) << last_.message;
  // Rights on another section do not count.
  EXPECT_EQ(Code(visitor_row, User(NU_SECTION_INVOICES, NU_LEVEL_MANAGER)), NU_PERMISSION_DENIED);
}

TEST_F(AuthorizeTest, AccessKeysAreCheckedLikeUsers) {
  nu_method m = RowWith(NU_ACCESS_SECTION, NU_SECTION_CATALOGUE, NU_LEVEL_MANAGER);
  nu_principal key = User(NU_SECTION_CATALOGUE, NU_LEVEL_VISITOR);
  key.kind = NU_PRINCIPAL_ACCESS_KEY;
  EXPECT_EQ(Code(m, key), NU_PERMISSION_DENIED);
  key.levels[NU_SECTION_CATALOGUE] = NU_LEVEL_MANAGER;
  EXPECT_EQ(Code(m, key), NU_OK);
}

TEST_F(AuthorizeTest, EverySectionIsItsOwn) {
  for (int s = NU_SECTION_CONTRACT; s <= NU_SECTION_STOREFRONT; s++) {
    nu_method m = RowWith(NU_ACCESS_SECTION, static_cast<nu_section>(s), NU_LEVEL_VISITOR);
    EXPECT_EQ(Code(m, User(static_cast<nu_section>(s), NU_LEVEL_VISITOR)), NU_OK) << s;
    int other = s == NU_SECTION_STOREFRONT ? NU_SECTION_CONTRACT : s + 1;
    EXPECT_EQ(Code(m, User(static_cast<nu_section>(other), NU_LEVEL_MANAGER)),
              NU_PERMISSION_DENIED)
        << s;
  }
}

TEST_F(AuthorizeTest, OperatorPassesEverything) {
  nu_principal op = User();
  op.platform_operator = true;
  EXPECT_EQ(Code(RowWith(NU_ACCESS_SECTION, NU_SECTION_USERS, NU_LEVEL_MANAGER), op), NU_OK);
  EXPECT_EQ(Code(RowWith(NU_ACCESS_OPERATOR), op), NU_OK);
  EXPECT_EQ(Code(RowWith(NU_ACCESS_PUBLIC), op), NU_OK);
}

TEST_F(AuthorizeTest, AuthenticatedRowsNeedACallerButNoRights) {
  nu_method m = RowWith(NU_ACCESS_AUTHENTICATED);
  EXPECT_EQ(Code(m, Anonymous()), NU_UNAUTHENTICATED);
  EXPECT_STREQ(last_.reason, "CREDENTIALS_REQUIRED");
  EXPECT_EQ(Code(m, User()), NU_OK);  // no level anywhere
  nu_principal key = User();
  key.kind = NU_PRINCIPAL_ACCESS_KEY;
  EXPECT_EQ(Code(m, key), NU_OK);
}

TEST_F(AuthorizeTest, OperatorRowsAreForTheOperatorOnly) {
  nu_method m = RowWith(NU_ACCESS_OPERATOR);
  EXPECT_EQ(Code(m, Anonymous()), NU_UNAUTHENTICATED);
  nu_principal strong = User();
  for (int s = 0; s <= NU_SECTION_STOREFRONT; s++) strong.levels[s] = NU_LEVEL_MANAGER;
  EXPECT_EQ(Code(m, strong), NU_PERMISSION_DENIED);
  EXPECT_STREQ(last_.reason, "OPERATOR_ONLY");
}

// Fail closed: a row whose access was never declared opens nothing, even
// to the platform operator.
TEST_F(AuthorizeTest, UndeclaredAccessIsDenied) {
  nu_method m = RowWith(NU_ACCESS_UNSPECIFIED);
  nu_principal op = User();
  op.platform_operator = true;
  EXPECT_EQ(Code(m, Anonymous()), NU_PERMISSION_DENIED);
  EXPECT_EQ(Code(m, op), NU_PERMISSION_DENIED);
}

}  // namespace
