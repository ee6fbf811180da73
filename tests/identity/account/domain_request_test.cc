// domain_request_test.cc — eligible-domain requests end to end: anyone asks
// (public, normalised, validated, answered once per pending request), the
// operator lists, accepts (the domain joins the list and stays through
// imports; an account confirmed earlier under that domain receives its
// credit, once) or refuses with a reason; the requester is told by e-mail.
#include <set>

#include "tests/identity/account/account_testing.h"

namespace nuage::testing {
namespace {

using grpc::StatusCode;
using nuage::v1::EligibleDomainRequest;

class DomainRequestTest : public AccountTest {
 protected:
  void SetUp() override {
    AccountTest::SetUp();
    static bool imported = false;
    if (!imported) {
      nuage::v1::EligibleDomainImport summary;
      grpc::Status st = ImportText(OperatorToken(), "gouv.fr\n", &summary);
      ASSERT_TRUE(st.ok()) << Describe(st);
      imported = true;
    }
  }

  grpc::Status Ask(const std::string& domain, const std::string& email, const std::string& note,
                   nuage::v1::RequestEligibleDomainResponse* out) {
    grpc::ClientContext ctx;
    nuage::v1::RequestEligibleDomainRequest req;
    req.set_domain(domain);
    req.set_email(email);
    req.set_note(note);
    return eligibility_->RequestEligibleDomain(&ctx, req, out);
  }

  std::vector<EligibleDomainRequest> List(const std::string& token,
                                          nuage::v1::EligibleDomainRequestState state) {
    std::vector<EligibleDomainRequest> all;
    std::string page;
    do {
      grpc::ClientContext ctx;
      WithBearer(&ctx, token);
      nuage::v1::ListEligibleDomainRequestsRequest req;
      req.set_state(state);
      req.set_page_size(2);
      req.set_page_token(page);
      nuage::v1::ListEligibleDomainRequestsResponse resp;
      grpc::Status st = eligibility_->ListEligibleDomainRequests(&ctx, req, &resp);
      EXPECT_TRUE(st.ok()) << Describe(st);
      if (!st.ok()) break;
      for (const auto& r : resp.eligible_domain_requests()) all.push_back(r);
      page = resp.next_page_token();
    } while (!page.empty());
    return all;
  }

  // The pending request of domain, as the operator lists it.
  EligibleDomainRequest Pending(const std::string& token, const std::string& domain) {
    for (const auto& r : List(token, nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_PENDING)) {
      if (r.domain() == domain) return r;
    }
    ADD_FAILURE() << "no pending request for " << domain;
    return EligibleDomainRequest();
  }

  grpc::Status Accept(const std::string& token, const std::string& id, EligibleDomainRequest* out) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::AcceptEligibleDomainRequestRequest req;
    req.set_eligible_domain_request_id(id);
    return eligibility_->AcceptEligibleDomainRequest(&ctx, req, out);
  }

  grpc::Status Refuse(const std::string& token, const std::string& id, const std::string& reason,
                      EligibleDomainRequest* out) {
    grpc::ClientContext ctx;
    WithBearer(&ctx, token);
    nuage::v1::RefuseEligibleDomainRequestRequest req;
    req.set_eligible_domain_request_id(id);
    req.set_reason(reason);
    return eligibility_->RefuseEligibleDomainRequest(&ctx, req, out);
  }

  bool Eligible(const std::string& email) {
    grpc::ClientContext ctx;
    nuage::v1::CheckEligibilityRequest req;
    req.set_email(email);
    nuage::v1::CheckEligibilityResponse resp;
    grpc::Status st = eligibility_->CheckEligibility(&ctx, req, &resp);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return resp.eligible();
  }

  std::string Credits(const std::string& email) {
    return PgQuery(conninfo(), "SELECT count(*) FROM credits WHERE lower(email) = lower('" +
                                   email + "')")[0][0];
  }

  static bool HasViolation(const grpc::Status& st, const std::string& field) {
    auto d = StatusDetails(st);
    if (!d.has_value()) return false;
    auto bad = FindBadRequest(*d);
    if (!bad.has_value()) return false;
    for (const auto& v : bad->field_violations()) {
      if (v.field() == field) return true;
    }
    return false;
  }
};

TEST_F(DomainRequestTest, AskingIsPublicNormalisedAndAnsweredOncePerPendingRequest) {
  nuage::v1::RequestEligibleDomainResponse resp;
  grpc::Status st = Ask("  Mairie-Ask.FR. ", "Secretariat@Mairie-Ask.fr", "Commune de 800 habitants",
                        &resp);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(resp.domain(), "mairie-ask.fr");
  EXPECT_FALSE(resp.already_eligible());
  EXPECT_EQ(resp.state(), nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_PENDING);
  // The same ask again (other case): still one pending request.
  ASSERT_TRUE(Ask("mairie-ask.fr", "secretariat@mairie-ask.fr", "", &resp).ok());
  EXPECT_EQ(PgQuery(conninfo(), "SELECT count(*) FROM eligible_domain_requests"
                                " WHERE domain = 'mairie-ask.fr'")[0][0],
            "1");
  EligibleDomainRequest r = Pending(OperatorToken(), "mairie-ask.fr");
  EXPECT_EQ(r.email(), "Secretariat@mairie-ask.fr");  // the local part keeps its case
  EXPECT_EQ(r.note(), "Commune de 800 habitants");
  EXPECT_TRUE(r.has_create_time());
  EXPECT_FALSE(r.has_decide_time());

  // Already eligible (a parent is listed): nothing recorded.
  ASSERT_TRUE(Ask("dgfip.finances.gouv.fr", "agent@dgfip.finances.gouv.fr", "", &resp).ok());
  EXPECT_TRUE(resp.already_eligible());
  EXPECT_EQ(resp.state(), nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_UNSPECIFIED);
  EXPECT_EQ(PgQuery(conninfo(), "SELECT count(*) FROM eligible_domain_requests"
                                " WHERE domain LIKE '%gouv.fr'")[0][0],
            "0");
}

TEST_F(DomainRequestTest, BadInputIsRefusedFieldByField) {
  nuage::v1::RequestEligibleDomainResponse resp;
  grpc::Status st = Ask("pas un domaine", "pas-une-adresse", std::string(1001, 'x'), &resp);
  EXPECT_EQ(st.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "domain")) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "email")) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "note")) << Describe(st);
  for (const char* bad : {"", "fr", "-x.fr", "a..b.fr"}) {
    st = Ask(bad, "a@b.fr", "", &resp);
    EXPECT_TRUE(HasViolation(st, "domain")) << bad << ": " << Describe(st);
  }
  EligibleDomainRequest out;
  st = Refuse(OperatorToken(), "", "", &out);
  EXPECT_TRUE(HasViolation(st, "eligible_domain_request_id")) << Describe(st);
  EXPECT_TRUE(HasViolation(st, "reason")) << Describe(st);
  // Absent and malformed ids answer alike.
  st = Accept(OperatorToken(), "00000000-0000-4000-8000-000000000000", &out);
  EXPECT_EQ(st.error_code(), StatusCode::NOT_FOUND) << Describe(st);
  grpc::Status malformed = Accept(OperatorToken(), "pas-un-uuid", &out);
  EXPECT_EQ(malformed.error_code(), StatusCode::NOT_FOUND) << Describe(malformed);
  EXPECT_EQ(malformed.error_message(), st.error_message());
}

TEST_F(DomainRequestTest, AcceptingListsTheDomainTellsTheRequesterAndCreditsEarlierAccountsOnce) {
  // An account confirmed while its domain was not eligible: no credit yet.
  std::string login = UniqueLogin("secretaire.");
  std::string email = login + "@mairie-accept.fr";
  ActiveSignedUpUser(login, email);
  EXPECT_EQ(Credits(email), "0");
  // One under a subdomain too, and one under another domain.
  std::string sub_login = UniqueLogin("ecole.");
  std::string sub_email = sub_login + "@ecole.mairie-accept.fr";
  ActiveSignedUpUser(sub_login, sub_email);
  std::string other_login = UniqueLogin("autre.");
  std::string other_email = other_login + "@pas-mairie-accept.fr";
  ActiveSignedUpUser(other_login, other_email);
  EXPECT_FALSE(Eligible(email));

  nuage::v1::RequestEligibleDomainResponse asked;
  ASSERT_TRUE(Ask("mairie-accept.fr", "dgs@mairie-accept.fr", "mairie", &asked).ok());
  std::string op = OperatorToken();
  EligibleDomainRequest r = Pending(op, "mairie-accept.fr");
  EligibleDomainRequest decided;
  grpc::Status st = Accept(op, r.id(), &decided);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(decided.state(), nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_ACCEPTED);
  EXPECT_EQ(decided.credits_granted(), 2);
  EXPECT_TRUE(decided.has_decide_time());
  EXPECT_FALSE(decided.decided_by_user_id().empty());

  EXPECT_TRUE(Eligible(email));
  EXPECT_TRUE(Eligible(sub_email));
  EXPECT_FALSE(Eligible(other_email));
  EXPECT_EQ(Credits(email), "1");
  EXPECT_EQ(Credits(sub_email), "1");
  EXPECT_EQ(Credits(other_email), "0");
  std::string told = LatestOutbox(conninfo(), "dgs@mairie-accept.fr", "eligible_domain_accepted");
  EXPECT_EQ(JsonField(told, "domain"), "mairie-accept.fr") << told;

  // Deciding again is refused and grants nothing more.
  st = Accept(op, r.id(), &decided);
  EXPECT_EQ(st.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(st);
  EXPECT_EQ(ReasonOf(st), "REQUEST_ALREADY_DECIDED");
  st = Refuse(op, r.id(), "non", &decided);
  EXPECT_EQ(ReasonOf(st), "REQUEST_ALREADY_DECIDED");
  // A second request for the listed domain, accepted: still one credit each.
  ASSERT_TRUE(Ask("ecole.mairie-accept.fr", "x@ailleurs.fr", "", &asked).ok());
  EXPECT_TRUE(asked.already_eligible());
  EXPECT_EQ(Credits(email), "1");

  // The accepted domain stays through a later import of the list.
  nuage::v1::EligibleDomainImport summary;
  ASSERT_TRUE(ImportText(op, "gouv.fr\n", &summary).ok());
  EXPECT_TRUE(Eligible(email));
  // The audit log has the decision and the grants.
  EXPECT_EQ(PgQuery(conninfo(), "SELECT count(*) FROM audit_log WHERE action ="
                                " 'eligible_domain_request.accept' AND target_id = '" +
                                    r.id() + "'")[0][0],
            "1");
}

TEST_F(DomainRequestTest, RefusingTellsTheRequesterWhy) {
  nuage::v1::RequestEligibleDomainResponse asked;
  ASSERT_TRUE(Ask("societe-privee.fr", "contact@societe-privee.fr", "", &asked).ok());
  std::string op = OperatorToken();
  EligibleDomainRequest r = Pending(op, "societe-privee.fr");
  EligibleDomainRequest decided;
  grpc::Status st = Refuse(op, r.id(), "Ce n'est pas un organisme public.", &decided);
  ASSERT_TRUE(st.ok()) << Describe(st);
  EXPECT_EQ(decided.state(), nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_REFUSED);
  EXPECT_EQ(decided.refusal_reason(), "Ce n'est pas un organisme public.");
  EXPECT_FALSE(Eligible("contact@societe-privee.fr"));
  std::string told = LatestOutbox(conninfo(), "contact@societe-privee.fr", "eligible_domain_refused");
  EXPECT_EQ(JsonField(told, "reason"), "Ce n'est pas un organisme public.") << told;
  // Listed under its state, not under pending.
  std::set<std::string> refused, pending;
  for (const auto& x : List(op, nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_REFUSED)) refused.insert(x.id());
  for (const auto& x : List(op, nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_PENDING)) pending.insert(x.id());
  EXPECT_EQ(refused.count(r.id()), 1u);
  EXPECT_EQ(pending.count(r.id()), 0u);
  // Asking again after a refusal records a new request.
  ASSERT_TRUE(Ask("societe-privee.fr", "contact@societe-privee.fr", "vraiment", &asked).ok());
  EXPECT_EQ(asked.state(), nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_PENDING);
}

// The list pages newest first and never repeats or skips a request.
TEST_F(DomainRequestTest, TheOperatorsListPagesNewestFirst) {
  nuage::v1::RequestEligibleDomainResponse asked;
  for (int i = 0; i < 5; i++) {
    ASSERT_TRUE(Ask("page" + std::to_string(i) + ".exemple-liste.fr", "a@b.fr", "", &asked).ok());
  }
  auto all = List(OperatorToken(), nuage::v1::ELIGIBLE_DOMAIN_REQUEST_STATE_UNSPECIFIED);
  std::set<std::string> ids;
  std::vector<std::string> ours;
  for (const auto& r : all) {
    EXPECT_TRUE(ids.insert(r.id()).second) << "repeated " << r.id();
    if (r.domain().find(".exemple-liste.fr") != std::string::npos) ours.push_back(r.domain());
  }
  ASSERT_EQ(ours.size(), 5u);
  for (int i = 0; i < 5; i++) EXPECT_EQ(ours[i], "page" + std::to_string(4 - i) + ".exemple-liste.fr");
}

}  // namespace
}  // namespace nuage::testing
