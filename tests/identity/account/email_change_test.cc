// email_change_test.cc — RequestEmailChange and ConfirmEmailChange over
// gRPC: the link read from the outbox switches the e-mail (audited, the
// old address told), a taken address answers like a free one, a wrong
// password is the re-authentication refusal, links end after 24 h on the
// test clock and work once.
#include <set>

#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;

class EmailChangeTest : public AccountTest {
 protected:
  struct Account {
    std::string id, login, email, token;
  };
  // An active user with a session (acting for an organisation of theirs
  // when with_org).
  Account NewAccount(bool with_org = true) {
    Account acc;
    acc.login = UniqueLogin("mover");
    acc.email = acc.login + "@mairie-avant.fr";
    acc.id = SeedUser(conninfo(), acc.login, acc.email, kAccountPassword);
    std::string org;
    if (with_org) org = SeedOrganization(conninfo(), "Mairie " + acc.login, acc.id);
    acc.token = SeedSession(conninfo(), acc.id, org);
    return acc;
  }

  grpc::Status Request(const std::string& token, const std::string& new_email,
                       const std::string& password = kAccountPassword) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    if (!token.empty()) WithBearer(&ctx, token);
    nuage::v1::RequestEmailChangeRequest req;
    req.set_new_email(new_email);
    req.set_password(password);
    nuage::v1::RequestEmailChangeResponse resp;
    return users_->RequestEmailChange(&ctx, req, &resp);
  }

  grpc::Status ConfirmChange(const std::string& token, std::string* email = nullptr) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    nuage::v1::ConfirmEmailChangeRequest req;
    req.set_token(token);
    nuage::v1::ConfirmEmailChangeResponse resp;
    grpc::Status st = users_->ConfirmEmailChange(&ctx, req, &resp);
    if (email != nullptr) *email = resp.email();
    return st;
  }

  std::string LinkToken(const std::string& email) {
    std::string payload = LatestOutbox(conninfo(), email, "email_change_confirm");
    return payload.empty() ? "" : TokenFromLink(JsonField(payload, "link"));
  }

  int Count(const std::string& sql) {
    auto rows = PgQuery(conninfo(), sql);
    return rows.empty() ? -1 : std::stoi(rows[0][0]);
  }
};

TEST_F(EmailChangeTest, TheOutboxLinkSwitchesTheEmailAndTheOldAddressIsTold) {
  Account acc = NewAccount();
  std::string fresh = acc.login + "@Mairie-Apres.fr";
  std::string normalised = acc.login + "@mairie-apres.fr";
  grpc::Status st = Request(acc.token, fresh);
  ASSERT_TRUE(st.ok()) << Describe(st);
  // Nothing changes before the link is used.
  EXPECT_EQ(PgQuery(conninfo(), "SELECT email FROM users WHERE id = '" + acc.id + "'")[0][0],
            acc.email);
  std::string notice = LatestOutbox(conninfo(), acc.email, "email_change_requested");
  ASSERT_FALSE(notice.empty());
  EXPECT_EQ(JsonField(notice, "new_email"), normalised);
  EXPECT_EQ(JsonField(notice, "link"), "");  // the link goes to the new address only
  std::string token = LinkToken(normalised);
  ASSERT_FALSE(token.empty());

  std::string now_email;
  st = ConfirmChange(token, &now_email);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(now_email, normalised);
  EXPECT_EQ(PgQuery(conninfo(), "SELECT email FROM users WHERE id = '" + acc.id + "'")[0][0],
            normalised);
  EXPECT_FALSE(LatestOutbox(conninfo(), acc.email, "email_changed").empty());
  auto audit = PgQuery(conninfo(),
                       "SELECT a.organization_id::text, changes->'email'->>'before',"
                       " changes->'email'->>'after', m.organization_id::text"
                       " FROM audit_log a JOIN memberships m ON m.user_id = a.target_id::uuid"
                       " WHERE a.action = 'user.change_email' AND a.target_id = '" +
                           acc.id + "'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], audit[0][3]);  // with the user's organisation
  EXPECT_EQ(audit[0][1], acc.email);
  EXPECT_EQ(audit[0][2], normalised);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'user.email_change_request'"
                  " AND target_id = '" + acc.id + "'"),
            1);

  // Single use.
  st = ConfirmChange(token);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(st), "INVALID_LINK");

  // The session still works and shows the new address.
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  WithBearer(&ctx, acc.token);
  nuage::v1::User me;
  ASSERT_TRUE(users_->GetCurrentUser(&ctx, nuage::v1::GetCurrentUserRequest(), &me).ok());
  EXPECT_EQ(me.email(), normalised);
}

// A taken address and a free one get the same answer and the same notice
// to the old address; the taken one receives no link but a notice.
TEST_F(EmailChangeTest, ATakenAddressAnswersLikeAFreeOne) {
  Account acc = NewAccount();
  Account owner = NewAccount(false);
  std::string free_address = acc.login + "@libre-test.fr";
  grpc::Status taken = Request(acc.token, owner.email);
  grpc::Status free = Request(acc.token, free_address);
  ASSERT_TRUE(taken.ok()) << Describe(taken);
  ASSERT_TRUE(free.ok()) << Describe(free);
  EXPECT_EQ(taken.error_message(), free.error_message());
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE recipient = '" + acc.email +
                  "' AND template = 'email_change_requested'"),
            2);
  EXPECT_EQ(LinkToken(owner.email), "");
  std::string in_use = LatestOutbox(conninfo(), owner.email, "email_change_in_use");
  EXPECT_FALSE(in_use.empty());
  EXPECT_EQ(in_use.find(acc.login), std::string::npos) << "the owner is not told who asked";
  EXPECT_NE(LinkToken(free_address), "");
  EXPECT_EQ(PgQuery(conninfo(), "SELECT email FROM users WHERE id = '" + owner.id + "'")[0][0],
            owner.email);
}

// Taken between the request and the link: the confirmation fails cleanly
// and the e-mail stays.
TEST_F(EmailChangeTest, AnAddressTakenSinceTheRequestFailsTheConfirmation) {
  Account acc = NewAccount();
  std::string wanted = acc.login + "@course-test.fr";
  ASSERT_TRUE(Request(acc.token, wanted).ok());
  std::string token = LinkToken(wanted);
  ASSERT_FALSE(token.empty());
  SeedUser(conninfo(), UniqueLogin("quicker"), wanted, kAccountPassword);
  grpc::Status st = ConfirmChange(token);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(ReasonOf(st), "EMAIL_TAKEN");
  EXPECT_EQ(PgQuery(conninfo(), "SELECT email FROM users WHERE id = '" + acc.id + "'")[0][0],
            acc.email);
}

TEST_F(EmailChangeTest, AWrongPasswordIsTheReauthenticationRefusal) {
  Account acc = NewAccount();
  std::string wanted = acc.login + "@jamais-test.fr";
  grpc::Status st = Request(acc.token, wanted, "Not-The-Password-1!");
  EXPECT_EQ(st.error_code(), StatusCode::PERMISSION_DENIED) << Describe(st);
  EXPECT_EQ(ReasonOf(st), "REAUTHENTICATION_FAILED");
  EXPECT_EQ(LinkToken(wanted), "");
  EXPECT_EQ(LatestOutbox(conninfo(), acc.email, "email_change_requested"), "");
  EXPECT_EQ(Count("SELECT failed_attempts FROM users WHERE id = '" + acc.id + "'"), 1);

  // Bad input on its fields; no session at all.
  st = Request(acc.token, "not-an-address", "");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  auto details = StatusDetails(st);
  ASSERT_TRUE(details);
  auto br = FindBadRequest(*details);
  ASSERT_TRUE(br);
  std::set<std::string> fields;
  for (const auto& v : br->field_violations()) fields.insert(v.field());
  EXPECT_EQ(fields, (std::set<std::string>{"new_email", "password"}));
  EXPECT_EQ(Request("", wanted).error_code(), StatusCode::UNAUTHENTICATED);
  // The current address is no change.
  st = Request(acc.token, acc.email);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
}

// 24 h on the server's clock; a newer request kills the older link.
TEST_F(EmailChangeTest, LinksEndAfter24HoursAndWithANewerRequest) {
  Account acc = NewAccount();
  std::string first = acc.login + "@premier-test.fr";
  std::string second = acc.login + "@second-test.fr";
  ASSERT_TRUE(Request(acc.token, first).ok());
  std::string old_token = LinkToken(first);
  ASSERT_TRUE(Request(acc.token, second).ok());
  std::string token = LinkToken(second);
  ASSERT_FALSE(old_token.empty());
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(ReasonOf(ConfirmChange(old_token)), "INVALID_LINK");

  AdvanceClock(channel_, 24 * 3600 + 60);
  grpc::Status st = ConfirmChange(token);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ReasonOf(st), "INVALID_LINK");
  EXPECT_EQ(PgQuery(conninfo(), "SELECT email FROM users WHERE id = '" + acc.id + "'")[0][0],
            acc.email);
}

}  // namespace
}  // namespace nuage::testing
