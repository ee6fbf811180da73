// signup_test.cc — self-service sign-up: pending user, organisation and
// membership, confirmation link, terms, no account enumeration; the
// signed-in user's profile; the operator's user administration.
#include <set>

#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class SignUpTest : public AccountTest {};

TEST_F(SignUpTest, SignUpConfirmAcceptMakesAnActiveUserWithItsOrganization) {
  std::string login = UniqueLogin("camille.");
  std::string email = login + "@Mairie-Exemple.FR";
  ASSERT_TRUE(SignUp(login, email).ok());

  // Pending, domain lower-cased, organisation buyer/discovery, referent
  // with manager everywhere.
  auto rows = PgQuery(conninfo(),
                      "SELECT u.status, u.email, o.is_buyer, o.is_seller, o.account_level, o.status,"
                      " m.levels::text, u.password_hash LIKE '$argon2id$%'"
                      " FROM users u JOIN organizations o ON o.referent_user_id = u.id"
                      " JOIN memberships m ON m.organization_id = o.id AND m.user_id = u.id"
                      " WHERE u.login = '" + login + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "pending");
  EXPECT_EQ(rows[0][1], login + "@mairie-exemple.fr");
  EXPECT_EQ(rows[0][2], "t");
  EXPECT_EQ(rows[0][3], "f");
  EXPECT_EQ(rows[0][4], "discovery");
  EXPECT_EQ(rows[0][5], "pending_validation");
  EXPECT_EQ(rows[0][6], "{2,2,2,2,2,2,2,2,2}");
  EXPECT_EQ(rows[0][7], "t");

  // Terms before the e-mail is confirmed: refused.
  grpc::Status st = AcceptTerms(login, kAccountPassword);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(ReasonOf(st), "EMAIL_NOT_CONFIRMED");

  std::string token = ConfirmToken(login + "@mairie-exemple.fr");
  ASSERT_EQ(token.rfind("nul_", 0), 0u);
  nuage::v1::ConfirmEmailResponse confirmed;
  st = Confirm(token, &confirmed);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(confirmed.email(), login + "@mairie-exemple.fr");

  // The link is single-use.
  st = Confirm(token);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(ReasonOf(st), "INVALID_LINK");

  // A wrong password is the sign-in refusal.
  st = AcceptTerms(login, "Wrong-Horse-42!!");
  EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED) << Describe(st);

  nuage::v1::User user;
  st = AcceptTerms(login, kAccountPassword, &user);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(user.status(), nuage::v1::USER_STATUS_ACTIVE);
  EXPECT_TRUE(user.has_email_confirm_time());
  EXPECT_TRUE(user.has_terms_accept_time());
  EXPECT_EQ(user.account_type(), nuage::v1::ACCOUNT_TYPE_COMPANY);

  st = AcceptTerms(login, kAccountPassword);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);

  auto audit = PgQuery(conninfo(), "SELECT action FROM audit_log WHERE target_id = '" + user.id() +
                                       "' ORDER BY id");
  ASSERT_GE(audit.size(), 3u);
  EXPECT_EQ(audit[0][0], "user.sign_up");
  EXPECT_EQ(audit[1][0], "user.confirm_email");
}

TEST_F(SignUpTest, AnExistingEmailGetsTheSameAnswerAndAReminder) {
  std::string login = UniqueLogin("first.");
  std::string email = login + "@example.org";
  std::string id = ActiveSignedUpUser(login, email);
  ASSERT_FALSE(id.empty());

  grpc::Status st = SignUp(UniqueLogin("second."), email);
  EXPECT_TRUE(st.ok()) << Describe(st);
  // Nothing created; the owner of the address is told instead.
  auto users = PgQuery(conninfo(), "SELECT count(*) FROM users WHERE lower(email) = lower('" +
                                       email + "')");
  EXPECT_EQ(users[0][0], "1");
  std::string reminder = LatestOutbox(conninfo(), email, "account_exists");
  ASSERT_FALSE(reminder.empty());
  EXPECT_EQ(JsonField(reminder, "login"), login);

  // Resend answers the same for known and unknown addresses.
  for (const std::string& e : {email, std::string("nobody-") + login + "@example.org"}) {
    grpc::ClientContext ctx;
    nuage::v1::ResendConfirmationEmailRequest req;
    req.set_email(e);
    nuage::v1::ResendConfirmationEmailResponse resp;
    st = users_->ResendConfirmationEmail(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
  }
}

TEST_F(SignUpTest, ALoginTakenIsRefusedOnTheLoginField) {
  std::string login = UniqueLogin("taken.");
  ASSERT_TRUE(SignUp(login, login + "@a.example.org").ok());
  grpc::Status st = SignUp(login, login + "@b.example.org");
  EXPECT_EQ(st.error_code(), StatusCode::ALREADY_EXISTS) << Describe(st);
  EXPECT_EQ(ReasonOf(st), "LOGIN_TAKEN");
}

TEST_F(SignUpTest, BadInputGetsOneViolationPerProblem) {
  grpc::ClientContext ctx;
  nuage::v1::SignUpRequest req;
  req.set_login("short");
  req.set_email("not-an-email");
  req.set_password("weak");
  nuage::v1::SignUpResponse resp;
  grpc::Status st = users_->SignUp(&ctx, req, &resp);
  ASSERT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details);
  auto bad = FindBadRequest(*details);
  ASSERT_TRUE(bad);
  std::set<std::string> fields;
  for (const auto& v : bad->field_violations()) fields.insert(v.field());
  for (const char* f : {"login", "email", "password", "first_name", "last_name", "account_type"}) {
    EXPECT_TRUE(fields.count(f)) << f;
  }
  // The password never appears in the answer.
  EXPECT_EQ(st.error_message().find("weak"), std::string::npos);
}

TEST_F(SignUpTest, ConfirmationLinksExpireAfter24Hours) {
  std::string login = UniqueLogin("late.");
  std::string email = login + "@example.org";
  ASSERT_TRUE(SignUp(login, email).ok());
  std::string token = ConfirmToken(email);
  // The link lives 24 hours; aged past that, it is refused. (The server's
  // clock is not moved: it is shared with the other tests of this binary.)
  std::string where = " FROM user_links l JOIN users u ON u.id = l.user_id"
                      " WHERE l.purpose = 'confirm_email' AND u.login = '" + login + "'";
  auto ttl = PgQuery(conninfo(), "SELECT extract(epoch FROM l.expires_at - l.created_at)::int" + where);
  ASSERT_EQ(ttl.size(), 1u);
  EXPECT_EQ(ttl[0][0], "86400");
  PgQuery(conninfo(), "UPDATE user_links SET created_at = created_at - interval '24 hours 1 minute',"
                      " expires_at = expires_at - interval '24 hours 1 minute' WHERE id IN"
                      " (SELECT l.id" + where + ")");
  grpc::Status st = Confirm(token);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(ReasonOf(st), "INVALID_LINK");
}

// The confirmation takes the phones: without any it is refused on
// phone_mobile and the link still works; given, they are stored E.164 and
// audited with the account's organisation.
TEST_F(SignUpTest, ConfirmingTheEmailNeedsAPhone) {
  std::string login = UniqueLogin("phone.");
  std::string email = login + "@example.org";
  ASSERT_TRUE(SignUp(login, email).ok());
  std::string token = ConfirmToken(email);
  grpc::Status st = Confirm(token, nullptr, "");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details);
  auto br = FindBadRequest(*details);
  ASSERT_TRUE(br);
  ASSERT_EQ(br->field_violations_size(), 1);
  EXPECT_EQ(br->field_violations(0).field(), "phone_mobile");
  st = Confirm(token, nullptr, "0012");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(PgQuery(conninfo(), "SELECT email_confirmed_at IS NULL FROM users WHERE login = '" +
                                    login + "'")[0][0],
            "t");

  ASSERT_TRUE(Confirm(token, nullptr, "06-11-22-33-44").ok());
  auto rows = PgQuery(conninfo(), "SELECT u.phone_mobile, u.phone_landline, a.organization_id::text,"
                                  " a.changes->'phone_mobile'->>'after', o.id::text"
                                  " FROM users u JOIN audit_log a ON a.target_id = u.id::text"
                                  " AND a.action = 'user.confirm_email'"
                                  " JOIN organizations o ON o.referent_user_id = u.id"
                                  " WHERE u.login = '" + login + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "+33611223344");
  EXPECT_EQ(rows[0][1], "");
  EXPECT_EQ(rows[0][2], rows[0][4]);
  EXPECT_EQ(rows[0][3], "+33611223344");
}

// commercial_consent: optional at sign-up, stored, audited, returned, and
// changed by the user.
TEST_F(SignUpTest, CommercialConsentIsStoredAuditedAndChangeable) {
  std::string login = UniqueLogin("consent.");
  std::string email = login + "@example.org";
  {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    nuage::v1::SignUpRequest req;
    req.set_login(login);
    req.set_email(email);
    req.set_first_name("Alex");
    req.set_last_name("Moreau");
    req.set_account_type(nuage::v1::ACCOUNT_TYPE_PERSONAL);
    req.set_password(kAccountPassword);
    req.set_commercial_consent(true);
    nuage::v1::SignUpResponse resp;
    grpc::Status st = users_->SignUp(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  auto rows = PgQuery(conninfo(), "SELECT u.commercial_consent, a.changes->'commercial_consent'->>'after'"
                                  " FROM users u JOIN audit_log a ON a.target_id = u.id::text"
                                  " AND a.action = 'user.sign_up' WHERE u.login = '" + login + "'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "t");
  EXPECT_EQ(rows[0][1], "true");
  ASSERT_TRUE(Confirm(ConfirmToken(email)).ok());
  nuage::v1::User me;
  ASSERT_TRUE(AcceptTerms(login, kAccountPassword, &me).ok());
  EXPECT_TRUE(me.commercial_consent());

  std::string token = SeedSession(conninfo(), me.id(), "");
  nuage::v1::UpdateCurrentUserRequest req;
  *req.mutable_user() = me;
  req.mutable_user()->set_commercial_consent(false);
  nuage::v1::User updated;
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    grpc::Status st = users_->UpdateCurrentUser(&ctx, req, &updated);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  EXPECT_FALSE(updated.commercial_consent());
  auto audit = PgQuery(conninfo(), "SELECT changes->'commercial_consent'->>'before',"
                                   " changes->'commercial_consent'->>'after' FROM audit_log"
                                   " WHERE action = 'user.update' AND target_id = '" + me.id() + "'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], "true");
  EXPECT_EQ(audit[0][1], "false");
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::User got;
    ASSERT_TRUE(users_->GetCurrentUser(&ctx, nuage::v1::GetCurrentUserRequest(), &got).ok());
    EXPECT_FALSE(got.commercial_consent());
  }
  // Without it, a sign-up consents to nothing.
  std::string other = UniqueLogin("noconsent.");
  ASSERT_TRUE(SignUp(other, other + "@example.org").ok());
  EXPECT_EQ(PgQuery(conninfo(), "SELECT commercial_consent FROM users WHERE login = '" + other + "'")[0][0],
            "f");
}

TEST_F(SignUpTest, ProfileUpdatesNormalisePhonesAndCheckTheEtag) {
  std::string login = UniqueLogin("profile.");
  std::string id = ActiveSignedUpUser(login, login + "@example.org");
  std::string token = SeedSession(conninfo(), id, "");

  nuage::v1::User me;
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    grpc::Status st = users_->GetCurrentUser(&ctx, nuage::v1::GetCurrentUserRequest(), &me);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(me.login(), login);
  }
  nuage::v1::UpdateCurrentUserRequest req;
  *req.mutable_user() = me;
  req.mutable_user()->set_civility(nuage::v1::CIVILITY_MS);
  req.mutable_user()->set_phone_mobile("06 12 34 56 78");
  req.mutable_user()->set_language("en");
  req.mutable_user()->set_etag(me.etag());
  nuage::v1::User updated;
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    grpc::Status st = users_->UpdateCurrentUser(&ctx, req, &updated);
    ASSERT_TRUE(st.ok()) << Describe(st);
  }
  EXPECT_EQ(updated.phone_mobile(), "+33612345678");
  EXPECT_EQ(updated.language(), "en");
  EXPECT_EQ(updated.civility(), nuage::v1::CIVILITY_MS);
  EXPECT_NE(updated.etag(), me.etag());

  // The old etag is stale now.
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::User out;
    grpc::Status st = users_->UpdateCurrentUser(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
    EXPECT_EQ(ReasonOf(st), "ETAG_MISMATCH");
  }
  // No phone at all: refused.
  req.mutable_user()->set_phone_mobile("");
  req.mutable_user()->set_phone_landline("");
  req.mutable_user()->set_etag(updated.etag());
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::User out;
    grpc::Status st = users_->UpdateCurrentUser(&ctx, req, &out);
    EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  }
  auto audit = PgQuery(conninfo(), "SELECT changes->'phone_mobile'->>'after' FROM audit_log"
                                   " WHERE action = 'user.update' AND target_id = '" + id + "'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], "+33612345678");
}

TEST_F(SignUpTest, OperatorListsAndLocksUsers) {
  std::string login = UniqueLogin("lockme.");
  std::string id = ActiveSignedUpUser(login, login + "@example.org");
  std::string user_token = SeedSession(conninfo(), id, "");
  std::string op = OperatorToken();

  // Not for ordinary users.
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, user_token);
    nuage::v1::ListUsersResponse resp;
    grpc::Status st = users_->ListUsers(&ctx, nuage::v1::ListUsersRequest(), &resp);
    EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);
  }
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, op);
    nuage::v1::ListUsersRequest req;
    req.set_query(login);
    nuage::v1::ListUsersResponse resp;
    grpc::Status st = users_->ListUsers(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    ASSERT_EQ(resp.users_size(), 1);
    EXPECT_EQ(resp.users(0).id(), id);
  }
  {
    grpc::ClientContext ctx;
    WithBearer(&ctx, op);
    nuage::v1::SetUserStatusRequest req;
    req.set_user_id(id);
    req.set_status(nuage::v1::USER_STATUS_LOCKED);
    req.set_reason("test");
    nuage::v1::User out;
    grpc::Status st = users_->SetUserStatus(&ctx, req, &out);
    ASSERT_TRUE(st.ok()) << Describe(st);
    EXPECT_EQ(out.status(), nuage::v1::USER_STATUS_LOCKED);
  }
  // The locked user's session is refused on the next call.
  grpc::ClientContext ctx;
  WithBearer(&ctx, user_token);
  nuage::v1::User me;
  grpc::Status st = users_->GetCurrentUser(&ctx, nuage::v1::GetCurrentUserRequest(), &me);
  EXPECT_EQ(st.error_code(), StatusCode::UNAUTHENTICATED) << Describe(st);
}

TEST_F(SignUpTest, PaginatesUsers) {
  std::string op = OperatorToken();
  std::string prefix = UniqueLogin("page.") + ".";
  for (int i = 0; i < 5; i++) {
    SeedUser(conninfo(), prefix + std::to_string(i), prefix + std::to_string(i) + "@example.org",
             kAccountPassword);
  }
  std::vector<std::string> seen;
  std::string page_token;
  do {
    grpc::ClientContext ctx;
    WithBearer(&ctx, op);
    nuage::v1::ListUsersRequest req;
    req.set_query(prefix);
    req.set_page_size(2);
    req.set_page_token(page_token);
    nuage::v1::ListUsersResponse resp;
    grpc::Status st = users_->ListUsers(&ctx, req, &resp);
    ASSERT_TRUE(st.ok()) << Describe(st);
    for (const auto& u : resp.users()) seen.push_back(u.login());
    page_token = resp.next_page_token();
  } while (!page_token.empty());
  ASSERT_EQ(seen.size(), 5u);
  for (int i = 0; i < 5; i++) EXPECT_EQ(seen[i], prefix + std::to_string(i));
}

}  // namespace
}  // namespace nuage::testing
