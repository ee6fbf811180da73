// invitation_test.cc — invitations over gRPC: a new address gets an
// invited account and a set-password link (24 h, single use); an address
// that has a login keeps it; resend kills the old link; revoked, expired
// and reused links get one answer; e-mail and audit row are written with
// the change.
#include "tests/identity/org/org_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;
using nuage::v1::Invitation;

constexpr char kPassword[] = "Nouveau&Passe2026";

class InvitationTest : public OrgTest {
 protected:
  grpc::Status Invite(const Team& t, const std::string& email, Invitation* out,
                      const std::string& login = "", const std::string& request_id = "",
                      const std::string& x_request_id = "") {
    nuage::v1::CreateInvitationRequest req;
    req.set_email(email);
    req.set_login(login);
    req.set_request_id(request_id);
    auto* r = req.add_roles();
    r->set_section(nuage::v1::SECTION_CATALOGUE);
    r->set_level(nuage::v1::LEVEL_MANAGER);
    r = req.add_roles();
    r->set_section(nuage::v1::SECTION_ORDERS);
    r->set_level(nuage::v1::LEVEL_VISITOR);
    return stub_->CreateInvitation(Ctx(t.token, x_request_id).get(), req, out);
  }

  // A new account needs a phone: by default a mobile number is given.
  grpc::Status Accept(const std::string& token, const std::string& password,
                      nuage::v1::AcceptInvitationResponse* out = nullptr,
                      const std::string& mobile = "06 12 34 56 78", const std::string& landline = "") {
    nuage::v1::AcceptInvitationRequest req;
    req.set_token(token);
    req.set_password(password);
    req.set_phone_mobile(mobile);
    req.set_phone_landline(landline);
    nuage::v1::AcceptInvitationResponse resp;
    return stub_->AcceptInvitation(Ctx("").get(), req, out != nullptr ? out : &resp);
  }

  // The token of the newest e-mail of template to address.
  std::string MailedToken(const std::string& email, const std::string& tmpl) {
    std::string payload = LatestOutbox(Db(), email, tmpl);
    EXPECT_FALSE(payload.empty()) << "no " << tmpl << " e-mail to " << email;
    std::string token = JsonField(payload, "token");
    EXPECT_EQ(TokenFromLink(JsonField(payload, "link")), token);
    return token;
  }

  static void ExpectInvalidLink(const grpc::Status& st) {
    EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
    EXPECT_EQ(st.error_message(), "this link is invalid, expired or already used");
    EXPECT_EQ(Reason(st), "INVALID_LINK");
  }
};

TEST_F(InvitationTest, NewAddressGetsAnAccountAndAOneTimeLink) {
  Team t = NewTeam();
  std::string email = Unique("camille.petit") + "@ville-test.fr";
  std::string rid = Unique("x-");
  Invitation inv;
  grpc::Status st = Invite(t, email, &inv, "", "", rid);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(inv.state(), Invitation::STATE_PENDING);
  EXPECT_FALSE(inv.existing_account());
  EXPECT_EQ(inv.login(), email.substr(0, email.find('@')));  // derived from the address
  EXPECT_EQ(inv.sent_count(), 1);
  EXPECT_EQ(inv.expire_time().seconds() - inv.create_time().seconds(), 24 * 3600);
  EXPECT_EQ(inv.roles(nuage::v1::SECTION_CATALOGUE - 1).level(), nuage::v1::LEVEL_MANAGER);
  EXPECT_EQ(inv.roles(nuage::v1::SECTION_USERS - 1).level(), nuage::v1::LEVEL_NONE);
  EXPECT_EQ(PgQuery(Db(), "SELECT status, password_hash IS NULL FROM users WHERE id = '" +
                              inv.user_id() + "'")[0],
            (std::vector<std::string>{"invited", "t"}));
  // The e-mail and the audit row came with the change, in its transaction
  // (same request id; nothing of one without the other).
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE template = 'invitation' AND recipient = '" +
                  email + "' AND request_id = '" + rid + "'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'invitation.create' AND"
                  " target_id = '" + inv.id() + "' AND request_id = '" + rid + "'"),
            1);
  std::string token = MailedToken(email, "invitation");
  ASSERT_EQ(token.rfind("nul_", 0), 0u);

  // A weak password is refused and the link still works afterwards.
  st = Accept(token, "short");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "password"));

  nuage::v1::AcceptInvitationResponse acc;
  st = Accept(token, kPassword, &acc);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(acc.organization_id(), t.org);
  EXPECT_EQ(acc.user_id(), inv.user_id());
  EXPECT_EQ(acc.login(), inv.login());
  EXPECT_EQ(PgQuery(Db(), "SELECT status, password_hash LIKE '$argon2id$%' FROM users WHERE id = '" +
                              inv.user_id() + "'")[0],
            (std::vector<std::string>{"active", "t"}));
  EXPECT_EQ(PgQuery(Db(), "SELECT levels::text FROM memberships WHERE user_id = '" +
                              inv.user_id() + "' AND organization_id = '" + t.org + "'")[0][0],
            "{1,1,2,1,0,0,0,0,0}");  // unmentioned: visitor on contract and dashboard

  // Single use.
  ExpectInvalidLink(Accept(token, kPassword));
  // The invitation reads as accepted.
  nuage::v1::GetInvitationRequest get;
  get.set_invitation_id(inv.id());
  ASSERT_TRUE(stub_->GetInvitation(Ctx(t.token).get(), get, &inv).ok());
  EXPECT_EQ(inv.state(), Invitation::STATE_ACCEPTED);
  EXPECT_TRUE(inv.has_accept_time());
  // Inviting a member again is refused.
  st = Invite(t, email, &inv);
  EXPECT_EQ(st.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Reason(st), "ALREADY_MEMBER");
}

// A new account is active only with a phone: without one the acceptance is
// refused on phone_mobile and the link still works; the phones are stored
// E.164 and audited, and the first password is confirmed by e-mail.
TEST_F(InvitationTest, ANewAccountNeedsAPhoneAndIsToldItsPasswordIsSet) {
  Team t = NewTeam();
  std::string email = Unique("dominique.roux") + "@ville-test.fr";
  Invitation inv;
  ASSERT_TRUE(Invite(t, email, &inv).ok());
  std::string token = MailedToken(email, "invitation");

  grpc::Status st = Accept(token, kPassword, nullptr, "", "");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "phone_mobile")) << Describe(st);
  st = Accept(token, kPassword, nullptr, "12", "abc");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "phone_mobile"));
  EXPECT_TRUE(HasViolation(st, "phone_landline"));
  EXPECT_EQ(PgQuery(Db(), "SELECT status FROM users WHERE id = '" + inv.user_id() + "'")[0][0],
            "invited");
  EXPECT_EQ(LatestOutbox(Db(), email, "password_set"), "");

  // A landline alone is enough.
  st = Accept(token, kPassword, nullptr, "", "01.23.45.67.89");
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(PgQuery(Db(), "SELECT status, phone_landline, phone_mobile FROM users WHERE id = '" +
                              inv.user_id() + "'")[0],
            (std::vector<std::string>{"active", "+33123456789", ""}));
  std::string told = LatestOutbox(Db(), email, "password_set");
  ASSERT_FALSE(told.empty());
  EXPECT_EQ(JsonField(told, "login"), inv.login());
  auto audit = PgQuery(Db(), "SELECT organization_id, changes->'phone_landline'->>'after'"
                             " FROM audit_log WHERE action = 'invitation.accept' AND target_id = '" +
                                 inv.id() + "'");
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0][0], t.org);
  EXPECT_EQ(audit[0][1], "+33123456789");
}

// Least privilege: an invitation naming no section gives visitor on
// contract and dashboard and none elsewhere, and shows it.
TEST_F(InvitationTest, WithoutRolesTheInviteeGetsVisitorOnContractAndDashboardOnly) {
  Team t = NewTeam();
  std::string email = Unique("sans.roles") + "@ville-test.fr";
  nuage::v1::CreateInvitationRequest req;
  req.set_email(email);
  Invitation inv;
  grpc::Status st = stub_->CreateInvitation(Ctx(t.token).get(), req, &inv);
  ASSERT_TRUE(st.ok()) << Describe(st);
  ASSERT_EQ(inv.roles_size(), 9);
  for (const auto& r : inv.roles()) {
    bool visitor = r.section() == nuage::v1::SECTION_CONTRACT || r.section() == nuage::v1::SECTION_DASHBOARD;
    EXPECT_EQ(r.level(), visitor ? nuage::v1::LEVEL_VISITOR : nuage::v1::LEVEL_NONE)
        << nuage::v1::Section_Name(r.section());
  }
  // An explicit none on contract is kept.
  nuage::v1::CreateInvitationRequest none;
  none.set_email(Unique("aucun") + "@ville-test.fr");
  auto* r = none.add_roles();
  r->set_section(nuage::v1::SECTION_CONTRACT);
  r->set_level(nuage::v1::LEVEL_NONE);
  st = stub_->CreateInvitation(Ctx(t.token).get(), none, &inv);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(inv.roles(nuage::v1::SECTION_CONTRACT - 1).level(), nuage::v1::LEVEL_NONE);
  EXPECT_EQ(inv.roles(nuage::v1::SECTION_DASHBOARD - 1).level(), nuage::v1::LEVEL_VISITOR);
  EXPECT_EQ(inv.roles(nuage::v1::SECTION_USERS - 1).level(), nuage::v1::LEVEL_NONE);
}

TEST_F(InvitationTest, AnAddressWithALoginKeepsIt) {
  Team t = NewTeam();
  std::string login = Unique("existing.user");
  std::string email = login + "@univ-test.fr";
  std::string uid = SeedUser(Db(), login, email, "Str0ng&Password!");
  Invitation inv;
  // Another login in the request does not matter: the account has one.
  grpc::Status st = Invite(t, email, &inv, "another.login");
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(inv.user_id(), uid);
  EXPECT_EQ(inv.login(), login);
  EXPECT_TRUE(inv.existing_account());
  EXPECT_EQ(Count("SELECT count(*) FROM users WHERE lower(email) = lower('" + email + "')"), 1);
  std::string token = MailedToken(email, "invitation_existing");
  // Accepting needs no password and keeps the old one.
  std::string hash = PgQuery(Db(), "SELECT password_hash FROM users WHERE id = '" + uid + "'")[0][0];
  nuage::v1::AcceptInvitationResponse acc;
  st = Accept(token, "", &acc);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(acc.login(), login);
  EXPECT_EQ(PgQuery(Db(), "SELECT password_hash FROM users WHERE id = '" + uid + "'")[0][0], hash);
  EXPECT_EQ(Count("SELECT count(*) FROM memberships WHERE user_id = '" + uid +
                  "' AND organization_id = '" + t.org + "'"),
            1);
}

TEST_F(InvitationTest, RequestedLoginIsCheckedAndMustBeFree) {
  Team t = NewTeam();
  Invitation inv;
  grpc::Status st = Invite(t, Unique("a") + "@ville-test.fr", &inv, "bad login!");
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(HasViolation(st, "login"));
  std::string taken = Unique("taken.login");
  SeedUser(Db(), taken, taken + "@ville-test.fr", "Str0ng&Password!");
  st = Invite(t, Unique("b") + "@ville-test.fr", &inv, taken);
  EXPECT_EQ(st.error_code(), StatusCode::ALREADY_EXISTS) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "login"));
  st = Invite(t, "not-an-email", &inv);
  EXPECT_TRUE(HasViolation(st, "email"));
}

TEST_F(InvitationTest, IdempotentCreate) {
  Team t = NewTeam();
  std::string email = Unique("idem") + "@ville-test.fr";
  std::string rid = Unique("inv-");
  Invitation a, b;
  ASSERT_TRUE(Invite(t, email, &a, "", rid).ok());
  grpc::Status st = Invite(t, email, &b, "", rid);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(a.id(), b.id());
  EXPECT_EQ(Count("SELECT count(*) FROM invitations WHERE email = '" + email + "'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE recipient = '" + email + "'"), 1);
  // Without the request id, a second invitation of a pending address is refused.
  st = Invite(t, email, &b);
  EXPECT_EQ(st.error_code(), StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Reason(st), "INVITATION_PENDING");
}

TEST_F(InvitationTest, ResendKillsTheOldLink) {
  Team t = NewTeam();
  std::string email = Unique("resend") + "@ville-test.fr";
  Invitation inv;
  ASSERT_TRUE(Invite(t, email, &inv).ok());
  std::string old_token = MailedToken(email, "invitation");
  nuage::v1::ResendInvitationRequest req;
  req.set_invitation_id(inv.id());
  Invitation again;
  grpc::Status st = stub_->ResendInvitation(Ctx(t.token).get(), req, &again);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(again.sent_count(), 2);
  std::string new_token = MailedToken(email, "invitation_resent");
  EXPECT_NE(new_token, old_token);
  ExpectInvalidLink(Accept(old_token, kPassword));
  EXPECT_TRUE(Accept(new_token, kPassword).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM audit_log WHERE action = 'invitation.resend' AND"
                  " target_id = '" + inv.id() + "'"),
            1);
  // An accepted invitation cannot be resent.
  st = stub_->ResendInvitation(Ctx(t.token).get(), req, &again);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION);
}

TEST_F(InvitationTest, RevokedAndExpiredLinksGetTheSameAnswer) {
  Team t = NewTeam();
  std::string revoked_email = Unique("revoked") + "@ville-test.fr";
  std::string expired_email = Unique("expired") + "@ville-test.fr";
  Invitation revoked, expired;
  ASSERT_TRUE(Invite(t, revoked_email, &revoked).ok());
  ASSERT_TRUE(Invite(t, expired_email, &expired).ok());
  std::string revoked_token = MailedToken(revoked_email, "invitation");
  std::string expired_token = MailedToken(expired_email, "invitation");

  nuage::v1::RevokeInvitationRequest rv;
  rv.set_invitation_id(revoked.id());
  Invitation out;
  ASSERT_TRUE(stub_->RevokeInvitation(Ctx(t.token).get(), rv, &out).ok());
  EXPECT_EQ(out.state(), Invitation::STATE_REVOKED);

  // 24 hours and a second later (the rows aged as the clock would).
  PgQuery(Db(), "UPDATE invitations SET created_at = created_at - interval '24 hours 1 second',"
                " expires_at = expires_at - interval '24 hours 1 second' WHERE id = '" +
                    expired.id() + "'");
  PgQuery(Db(), "UPDATE user_links SET expires_at = expires_at - interval '24 hours 1 second'"
                " WHERE invitation_id = '" + expired.id() + "'");

  grpc::Status a = Accept(revoked_token, kPassword);
  grpc::Status b = Accept(expired_token, kPassword);
  grpc::Status c = Accept("nul_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", kPassword);
  ExpectInvalidLink(a);
  ExpectInvalidLink(b);
  ExpectInvalidLink(c);
  EXPECT_EQ(a.error_details(), b.error_details());
  EXPECT_EQ(b.error_details(), c.error_details());

  // States, filtered.
  nuage::v1::ListInvitationsRequest list;
  nuage::v1::ListInvitationsResponse resp;
  list.set_state(Invitation::STATE_EXPIRED);
  ASSERT_TRUE(stub_->ListInvitations(Ctx(t.token).get(), list, &resp).ok());
  ASSERT_EQ(resp.invitations_size(), 1);
  EXPECT_EQ(resp.invitations(0).id(), expired.id());
  list.set_state(Invitation::STATE_REVOKED);
  ASSERT_TRUE(stub_->ListInvitations(Ctx(t.token).get(), list, &resp).ok());
  ASSERT_EQ(resp.invitations_size(), 1);
  EXPECT_EQ(resp.invitations(0).id(), revoked.id());
  list.set_state(Invitation::STATE_PENDING);
  ASSERT_TRUE(stub_->ListInvitations(Ctx(t.token).get(), list, &resp).ok());
  EXPECT_EQ(resp.invitations_size(), 0);

  // An expired invitation can be sent again, with a new 24 h link.
  nuage::v1::ResendInvitationRequest rs;
  rs.set_invitation_id(expired.id());
  ASSERT_TRUE(stub_->ResendInvitation(Ctx(t.token).get(), rs, &out).ok());
  EXPECT_EQ(out.state(), Invitation::STATE_PENDING);
  EXPECT_TRUE(Accept(MailedToken(expired_email, "invitation_resent"), kPassword).ok());
}

TEST_F(InvitationTest, ListPagesNewestFirst) {
  Team t = NewTeam();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; i++) {
    Invitation inv;
    ASSERT_TRUE(Invite(t, Unique("page") + "@ville-test.fr", &inv).ok());
    ids.push_back(inv.id());
  }
  nuage::v1::ListInvitationsRequest req;
  req.set_page_size(2);
  std::vector<std::string> seen;
  std::string page;
  do {
    nuage::v1::ListInvitationsResponse resp;
    req.set_page_token(page);
    ASSERT_TRUE(stub_->ListInvitations(Ctx(t.token).get(), req, &resp).ok());
    for (const auto& inv : resp.invitations()) seen.push_back(inv.id());
    page = resp.next_page_token();
  } while (!page.empty());
  std::vector<std::string> expected(ids.rbegin(), ids.rend());
  EXPECT_EQ(seen, expected);
}

TEST_F(InvitationTest, UsersVisitorCannotInvite) {
  Team t = NewTeam();
  std::string visitor = SeedCaller(Db(), t.org, Unique("visitor"), AllLevels(1));
  nuage::v1::CreateInvitationRequest req;
  req.set_email("someone@ville-test.fr");
  Invitation inv;
  EXPECT_EQ(stub_->CreateInvitation(Ctx(visitor).get(), req, &inv).error_code(),
            StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace nuage::testing
