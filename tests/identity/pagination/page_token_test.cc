// page_token_test.cc — page tokens are opaque, authenticated and bound to
// their listing, in every list RPC.
//
// The test walks the server's own method table (nu_methods_build): every
// method whose request has a `page_token` field must have a fixture below
// (data for at least two pages, a caller, a caller of another organisation,
// and a changed filter), so a list added later fails here until it gets
// one. For each list it asks for page_size 1 to get a real next_page_token,
// then checks that
//   - the genuine token gives OK and the next page (also with another
//     page_size: the size is not part of the binding);
//   - a token with one byte changed,
//   - a token of another list method,
//   - the token replayed by a caller of another organisation,
//   - the token sent with a changed filter or sort,
//   - the token after the server's clock moved past its lifetime
// are all refused the same way: INVALID_ARGUMENT, reason
// INVALID_PAGE_TOKEN, one violation on `page_token`, the same message.
// The same walk checks the page sizes of the one list path
// (server/rpc/core/list.h): a negative page_size is refused, the last page
// has no next_page_token (also when it is exactly full), a page_size above
// the most is served; 501 audit events show the default (50) and the cap
// (500).
// Operator-only lists have no caller of another organisation: anybody else
// is refused by authorisation first (PERMISSION_DENIED).
//
// Requests are built with protobuf reflection from the row's descriptors,
// so the walk needs no per-method code beyond the fixture.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>
#include <sodium.h>

#include <fstream>
#include <map>
#include <regex>
#include <memory>
#include <set>
#include <string>
#include <sys/stat.h>

#include "nuage/v1/audit.pb.h"
#include "nuage/v1/auth.pb.h"
#include "nuage/v1/catalog.pb.h"
#include "nuage/v1/eligibility.pb.h"
#include "nuage/v1/organization.pb.h"
#include "nuage/v1/user.pb.h"
#include "server/dispatch/methods.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

namespace pb = google::protobuf;

const char* kMessage =
    "invalid page_token: is not a page token of this listing (same method, organization, filters and "
    "sort, not expired)";

// One list RPC's data and callers.
struct ListFixture {
  std::string caller;        // bearer token ("" for anonymous) that sees at least two rows
  std::string other_caller;  // the same rights in another organisation
  std::string base;          // text-format filters of the request (may be empty)
  std::string changed;       // text-format filters that differ from base ("" when none exist)
};

std::unique_ptr<pb::Message> NewMessage(const char* full_name) {
  const pb::Descriptor* d = pb::DescriptorPool::generated_pool()->FindMessageTypeByName(full_name);
  if (d == nullptr) {
    ADD_FAILURE() << "no C++ descriptor for " << full_name;
    return nullptr;
  }
  return std::unique_ptr<pb::Message>(pb::MessageFactory::generated_factory()->GetPrototype(d)->New());
}

class PageTokenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    nu_methods_options opts = {.diagnostics = true};
    {
    const char *bad_path = NULL;
    const char *why = nu_methods_build(&opts, &table_, &bad_path);
    if (why != NULL) ADD_FAILURE() << why << " " << (bad_path ? bad_path : "");
  }
    secret_path_ = std::string(getenv("TEST_TMPDIR")) + "/page_token_secret.key";
    {
      std::ofstream f(secret_path_);
      f << "8f3a6c1d2e4b5a6978808a9b0c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f\n";
    }
    chmod(secret_path_.c_str(), 0600);
    server_ = ServerProcess::Start(Db(), {"--enable-diagnostics", "--secret-key-file", secret_path_}).release();
    SeedFixtures();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_NE(server_, nullptr);
    channel_ = Connect(server_->address());
  }

  static const std::string& Db() { return SharedCluster().conninfo(); }

  // Two organisations A and B with a signed-in referent each (manager on
  // every section), A's referent also in a third organisation, an
  // operator, and at least two rows of everything A's referent lists.
  static void SeedFixtures() {
    const std::string& db = Db();
    std::string ra = SeedUser(db, "referent.a.pgtok", "referent.a@pgtok.example", "Correct-Horse-42!");
    std::string rb = SeedUser(db, "referent.b.pgtok", "referent.b@pgtok.example", "Correct-Horse-42!");
    std::string op = SeedUser(db, "operator.pgtok", "operator@pgtok.example", "Correct-Horse-42!", true);
    std::string org_a = SeedOrganization(db, "Pgtok A", ra, true, true);
    std::string org_b = SeedOrganization(db, "Pgtok B", rb, true, true);
    SeedOrganization(db, "Pgtok C", ra, true, false);
    SeedOrganization(db, "Pgtok D", rb, true, false);
    std::string ta = SeedSession(db, ra, org_a);
    std::string tb = SeedSession(db, rb, org_b);
    SeedSession(db, ra, org_a);  // two sessions each: ListSessions
    SeedSession(db, rb, org_b);
    std::string top = SeedSession(db, op, "");
    SeedMember(db, org_a, op, AllLevels(2));
    std::string top2 = SeedSession(db, op, org_a);
    for (const auto& [org, user] : {std::pair{org_a, ra}, std::pair{org_b, rb}}) {
      std::string member = SeedUser(db, "member." + org.substr(0, 8) + ".pgtok", "m" + org.substr(0, 8) + "@pgtok.example",
                                    "Correct-Horse-42!");
      SeedMember(db, org, member, AllLevels(1));
      PgQuery(db, "INSERT INTO audit_log (at, actor_kind, organization_id, action, target_type, target_id)"
                  " SELECT now(), 'system', '" + org + "', 'test.event', 'thing', i::text"
                  " FROM generate_series(1, 3) i");
      PgQuery(db, "INSERT INTO access_keys (id, secret_hash, user_id, organization_id, created_at)"
                  " SELECT 'AKPGTOK' || substr(md5(random()::text), 1, 12), sha256(i::text::bytea), '" + user +
                  "', '" + org + "', now() - i * interval '1 second' FROM generate_series(1, 3) i");
      PgQuery(db, "INSERT INTO credits (organization_id, nature, email, amount_cents, remaining_cents,"
                  " activation_date, created_at) SELECT '" + org + "', 'eligibility_voucher', 'c' || i || '." +
                  org.substr(0, 8) + "@pgtok.example', 100, 100, current_date - i, now()"
                  " FROM generate_series(1, 3) i");
      PgQuery(db, "WITH u AS (INSERT INTO users (login, email, status, created_at, updated_at)"
                  " SELECT 'invitee' || i || '." + org.substr(0, 8) + "', 'inv' || i || '." + org.substr(0, 8) +
                  "@pgtok.example', 'invited', now(), now() FROM generate_series(1, 3) i RETURNING id, email)"
                  " INSERT INTO invitations (organization_id, user_id, email, levels, invited_by, created_at,"
                  " expires_at) SELECT '" + org + "', u.id, u.email, '{1,1,1,1,1,1,1,1,1}', '" + user +
                  "', now() - row_number() OVER () * interval '1 second', now() + interval '7 days' FROM u");
      PgQuery(db, "INSERT INTO products (code, seller_id, kind, name, status, published_at, created_at, updated_at)"
                  " SELECT 'NUP-' || nextval('product_code_seq'), '" + org + "', 'managed_service',"
                  " 'Pgtok ' || i, 'published', now() - i * interval '1 minute', now(), now()"
                  " FROM generate_series(1, 3) i");
    }
    // Two published products of A with three plans and three versions each:
    // ListPricingPlans and ListProductVersions.
    std::string listed[2];
    for (int k = 0; k < 2; k++) {
      listed[k] = PgQuery(db, "INSERT INTO products (code, seller_id, kind, name, status, published_at,"
                              " created_at, updated_at) VALUES ('NUP-' || nextval('product_code_seq'), '" +
                                  org_a + "', 'managed_service', 'Pgtok listed " + std::to_string(k) +
                                  "', 'published', now(), now(), now()) RETURNING id")[0][0];
      PgQuery(db, "INSERT INTO pricing_plans (product_id, name, model, created_at, updated_at)"
                  " SELECT '" + listed[k] + "', 'Pgtok plan ' || i, 'free', now() - i * interval '1 second', now()"
                  " FROM generate_series(1, 3) i");
      PgQuery(db, "INSERT INTO product_versions (product_id, label, status, published_at, created_at, updated_at)"
                  " SELECT '" + listed[k] + "', i || '.0.0', 'published', now(), now() - i * interval '1 second',"
                  " now() FROM generate_series(1, 3) i");
    }
    PgQuery(db, "INSERT INTO eligible_domain_requests (domain, email, created_at)"
                " SELECT 'd' || i || '.pgtok.example', 'r@pgtok.example', now() - i * interval '1 second'"
                " FROM generate_series(1, 3) i");
    // Three orders placed by A's referent with B as the seller: ListOrders
    // and ListMyOrders.
    PgQuery(db, "INSERT INTO orders (number, organization_id, seller_id, contact_name, contact_email,"
                " placed_by, total_excl_vat_cents, total_vat_cents, total_incl_vat_cents, created_at,"
                " updated_at) SELECT 'CC' || lpad(nextval('order_number_seq')::text, 6, '0'), '" + org_a +
                "', '" + org_b + "', 'Pgtok', 'pgtok@pgtok.example', '" + ra +
                "', 100 * i, 20 * i, 120 * i, now() - i * interval '1 second', now()"
                " FROM generate_series(1, 3) i");
    // Three subscriptions of A to one of its listed products:
    // ListSubscriptions and ListMySubscriptions (A's referent is referent).
    PgQuery(db, "INSERT INTO subscriptions (organization_id, product_id, name, type, starts_at,"
                " created_at, updated_at) SELECT '" + org_a + "', '" + listed[0] +
                "', 'Pgtok sub ' || i, 'free', now(), now() - i * interval '1 second', now()"
                " FROM generate_series(1, 3) i");
    std::string plans_of = "product_id: \"" + listed[0] + "\"";
    std::string plans_of_other = "product_id: \"" + listed[1] + "\"";
    fixtures_ = {
        {"/nuage.v1.CatalogService/ListPricingPlans", {ta, tb, plans_of, plans_of_other}},
        {"/nuage.v1.CatalogService/ListProductVersions", {ta, tb, plans_of, plans_of_other}},
        {"/nuage.v1.AuditService/ListAuditEvents", {ta, tb, "", "action: \"test.event\""}},
        {"/nuage.v1.AuthService/ListSessions", {ta, tb, "", ""}},
        {"/nuage.v1.AuthService/ListAccessKeys", {ta, tb, "", ""}},
        {"/nuage.v1.CatalogService/ListProducts",
         {"", tb, "seller_id: \"" + org_a + "\"", "seller_id: \"" + org_a + "\" sort: PRODUCT_SORT_NEWEST"}},
        {"/nuage.v1.EligibilityService/ListCredits", {ta, tb, "", "organization_id: \"" + org_a + "\""}},
        {"/nuage.v1.OrganizationService/ListOrganizations", {ta, tb, "", "kind: ORGANIZATION_KIND_BUYER"}},
        {"/nuage.v1.OrganizationService/ListMembers", {ta, tb, "", "query: \"e\""}},
        {"/nuage.v1.OrganizationService/ListInvitations", {ta, tb, "", "state: STATE_PENDING"}},
        {"/nuage.v1.UserService/ListUsers", {top, tb, "", "query: \"pgtok\""}},
        {"/nuage.v1.OrderService/ListOrders", {ta, tb, "", "status: ORDER_STATUS_TO_DELIVER"}},
        {"/nuage.v1.OrderService/ListMyOrders", {ta, tb, "", "status: ORDER_STATUS_TO_DELIVER"}},
        {"/nuage.v1.SubscriptionService/ListSubscriptions",
         {ta, tb, "", "status: SUBSCRIPTION_STATUS_ACTIVE"}},
        {"/nuage.v1.SubscriptionService/ListMySubscriptions",
         {ta, tb, "", "status: SUBSCRIPTION_STATUS_ACTIVE"}},
        {"/nuage.v1.EligibilityService/ListEligibleDomainRequests",
         {top, tb, "", "state: ELIGIBLE_DOMAIN_REQUEST_STATE_PENDING"}},
    };
    operator_in_org_ = top2;
    operator_ = top;
  }

  static bool Paged(const nu_method& m) {
    return protobuf_c_message_descriptor_get_field_by_name(m.request, "page_token") != nullptr;
  }

  // The request of m with fixture filters text and page fields.
  std::unique_ptr<pb::Message> Request(const nu_method& m, const std::string& text, int32_t size,
                                       const std::string& token) {
    auto req = NewMessage(m.request->name);
    if (req == nullptr) return nullptr;
    EXPECT_TRUE(pb::TextFormat::ParseFromString(text, req.get())) << m.path << ": " << text;
    const pb::Reflection* r = req->GetReflection();
    const pb::Descriptor* d = req->GetDescriptor();
    r->SetString(req.get(), d->FindFieldByName("page_token"), token);
    if (const pb::FieldDescriptor* f = d->FindFieldByName("page_size")) r->SetInt32(req.get(), f, size);
    return req;
  }

  struct Page {
    grpc::Status status;
    std::string next;   // next_page_token
    std::string first;  // the first item, serialized
    int items = 0;
  };

  Page List(const nu_method& m, const std::string& caller, const std::string& text, int32_t size,
            const std::string& token) {
    Page p;
    auto req = Request(m, text, size, token);
    if (req == nullptr) return p;
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(10000));
    if (!caller.empty()) WithBearer(&ctx, caller);
    std::string bytes;
    p.status = RawUnary(channel_, m.path, req->SerializeAsString(), &ctx, &bytes);
    if (!p.status.ok()) return p;
    auto resp = NewMessage(m.response->name);
    if (resp == nullptr || !resp->ParseFromString(bytes)) {
      ADD_FAILURE() << m.path << ": reply does not parse";
      return p;
    }
    const pb::Reflection* r = resp->GetReflection();
    const pb::Descriptor* d = resp->GetDescriptor();
    p.next = r->GetString(*resp, d->FindFieldByName("next_page_token"));
    for (int i = 0; i < d->field_count(); i++) {
      const pb::FieldDescriptor* f = d->field(i);
      if (!f->is_repeated() || f->type() != pb::FieldDescriptor::TYPE_MESSAGE) continue;
      p.items = r->FieldSize(*resp, f);
      if (p.items > 0) p.first = r->GetRepeatedMessage(*resp, f, 0).SerializeAsString();
      break;
    }
    return p;
  }

  static void ExpectInvalidToken(const grpc::Status& st, const std::string& what) {
    SCOPED_TRACE(what);
    ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(st);
    EXPECT_EQ(st.error_message(), kMessage);
    auto d = StatusDetails(st);
    ASSERT_TRUE(d.has_value());
    auto info = FindErrorInfo(*d);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->reason(), "INVALID_PAGE_TOKEN");
    auto bad = FindBadRequest(*d);
    ASSERT_TRUE(bad.has_value());
    ASSERT_EQ(bad->field_violations_size(), 1);
    EXPECT_EQ(bad->field_violations(0).field(), "page_token");
  }

  // page_size 1 on m: the first page and its token.
  Page FirstPage(const nu_method& m, const ListFixture& f) {
    Page p = List(m, f.caller, f.base, 1, "");
    EXPECT_TRUE(p.status.ok()) << m.path << ": " << Describe(p.status);
    EXPECT_EQ(p.items, 1) << m.path;
    EXPECT_FALSE(p.next.empty()) << m.path << ": the fixture must make at least two pages";
    return p;
  }

  static nu_method_table table_;
  static ServerProcess* server_;
  static std::string secret_path_;
  static std::map<std::string, ListFixture> fixtures_;
  static std::string operator_in_org_;
  static std::string operator_;
  std::shared_ptr<grpc::Channel> channel_;
};

nu_method_table PageTokenTest::table_;
ServerProcess* PageTokenTest::server_ = nullptr;
std::string PageTokenTest::secret_path_;
std::map<std::string, ListFixture> PageTokenTest::fixtures_;
std::string PageTokenTest::operator_in_org_;
std::string PageTokenTest::operator_;

TEST_F(PageTokenTest, EveryListedMethodHasAFixture) {
  std::set<std::string> paged;
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    if (!Paged(m)) continue;
    paged.insert(m.path);
    EXPECT_EQ(fixtures_.count(m.path), 1u) << m.path << " takes a page_token but has no fixture in this test";
  }
  for (const auto& [path, f] : fixtures_) EXPECT_EQ(paged.count(path), 1u) << path << " has a fixture but no page_token";
  EXPECT_GE(paged.size(), 9u);
}

TEST_F(PageTokenTest, GenuineTokensGiveTheNextPage) {
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    if (!Paged(m) || fixtures_.count(m.path) == 0) continue;
    SCOPED_TRACE(m.path);
    const ListFixture& f = fixtures_.at(m.path);
    Page first = FirstPage(m, f);
    Page second = List(m, f.caller, f.base, 1, first.next);
    ASSERT_TRUE(second.status.ok()) << Describe(second.status);
    EXPECT_EQ(second.items, 1);
    EXPECT_NE(second.first, first.first) << "the second page repeats the first";
    // The page size is not part of the binding.
    Page wider = List(m, f.caller, f.base, 2, first.next);
    ASSERT_TRUE(wider.status.ok()) << Describe(wider.status);
    EXPECT_EQ(wider.first, second.first);
    // Opaque: the token does not show the keyset in clear.
    std::string raw(first.next.size(), '\0');
    size_t raw_len = 0;
    ASSERT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(raw.data()), raw.size(), first.next.data(),
                                first.next.size(), nullptr, &raw_len, nullptr,
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING),
              0);
    raw.resize(raw_len);
    for (const char* clear : {"Pgtok", "pgtok", "referent"}) {
      EXPECT_EQ(raw.find(clear), std::string::npos) << clear << " in " << first.next;
    }
    EXPECT_FALSE(std::regex_search(raw, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-"))) << "an id in clear";
  }
}

TEST_F(PageTokenTest, TamperedForeignAndReplayedTokensAreRefused) {
  std::vector<std::pair<const nu_method*, std::string>> tokens;
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    if (!Paged(m) || fixtures_.count(m.path) == 0) continue;
    Page first = FirstPage(m, fixtures_.at(m.path));
    tokens.emplace_back(&m, first.next);
  }
  ASSERT_GE(tokens.size(), 2u);
  for (size_t t = 0; t < tokens.size(); t++) {
    const nu_method& m = *tokens[t].first;
    const std::string& token = tokens[t].second;
    const ListFixture& f = fixtures_.at(m.path);
    SCOPED_TRACE(m.path);
    // One byte changed, at the start (version), in the tag, in the body and
    // at the end; the replacement stays in the base64url alphabet.
    for (size_t at : {size_t{0}, size_t{5}, token.size() / 2, token.size() - 1}) {
      std::string bad = token;
      bad[at] = bad[at] == 'A' ? 'B' : 'A';
      ExpectInvalidToken(List(m, f.caller, f.base, 1, bad).status, "byte " + std::to_string(at) + " changed");
    }
    ExpectInvalidToken(List(m, f.caller, f.base, 1, token + "A").status, "a byte added");
    ExpectInvalidToken(List(m, f.caller, f.base, 1, token.substr(0, token.size() - 2)).status, "bytes cut");
    ExpectInvalidToken(List(m, f.caller, f.base, 1, "not a token!").status, "garbage");
    // The token of another list method.
    const std::string& foreign = tokens[(t + 1) % tokens.size()].second;
    ExpectInvalidToken(List(m, f.caller, f.base, 1, foreign).status,
                       std::string("token of ") + tokens[(t + 1) % tokens.size()].first->path);
    // Replayed by a caller of another organisation.
    grpc::Status other = List(m, f.other_caller, f.base, 1, token).status;
    if (m.access == NU_ACCESS_OPERATOR) {
      EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(other);
      // The operator acting for an organisation is still the operator's scope.
      Page same = List(m, operator_in_org_, f.base, 1, token);
      EXPECT_TRUE(same.status.ok()) << Describe(same.status);
    } else {
      ExpectInvalidToken(other, "caller of another organization");
    }
    // Another filter or sort.
    if (!f.changed.empty()) {
      ExpectInvalidToken(List(m, f.caller, f.changed, 1, token).status, "filters changed: " + f.changed);
    }
  }
}

// Servers that share --secret-key-file accept each other's tokens; a server
// with another secret refuses them.
TEST_F(PageTokenTest, ServersSharingASecretAcceptEachOthersTokens) {
  const nu_method* m = nu_method_find(&table_, "/nuage.v1.OrganizationService/ListMembers");
  ASSERT_NE(m, nullptr);
  const ListFixture& f = fixtures_.at(m->path);
  Page first = FirstPage(*m, f);
  Page second = List(*m, f.caller, f.base, 1, first.next);
  ASSERT_TRUE(second.status.ok());
  auto twin = ServerProcess::Start(Db(), {"--secret-key-file", secret_path_});
  ASSERT_NE(twin, nullptr);
  auto stranger = ServerProcess::Start(Db());
  ASSERT_NE(stranger, nullptr);
  auto keep = channel_;
  channel_ = Connect(twin->address());
  Page on_twin = List(*m, f.caller, f.base, 1, first.next);
  ASSERT_TRUE(on_twin.status.ok()) << Describe(on_twin.status);
  EXPECT_EQ(on_twin.first, second.first);
  channel_ = Connect(stranger->address());
  ExpectInvalidToken(List(*m, f.caller, f.base, 1, first.next).status, "server with another secret");
  channel_ = keep;
}

// Every list: page_size -1 is refused on `page_size`; walking one row a
// page ends with a page without next_page_token; a page exactly as large
// as what is left has no token, one row smaller has one, and a page_size
// above the most serves everything.
TEST_F(PageTokenTest, PageSizesAndTheLastPage) {
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    if (!Paged(m) || fixtures_.count(m.path) == 0) continue;
    SCOPED_TRACE(m.path);
    const ListFixture& f = fixtures_.at(m.path);
    grpc::Status negative = List(m, f.caller, f.base, -1, "").status;
    ASSERT_EQ(negative.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(negative);
    auto d = StatusDetails(negative);
    ASSERT_TRUE(d.has_value());
    auto bad = FindBadRequest(*d);
    ASSERT_TRUE(bad.has_value());
    ASSERT_EQ(bad->field_violations_size(), 1);
    EXPECT_EQ(bad->field_violations(0).field(), "page_size");

    int total = 0;
    std::string token;
    bool ended = false;
    for (int pages = 0; pages < 200 && !ended; pages++) {
      Page p = List(m, f.caller, f.base, 1, token);
      ASSERT_TRUE(p.status.ok()) << Describe(p.status);
      total += p.items;
      ended = p.next.empty();
      if (!ended) EXPECT_EQ(p.items, 1);
      token = p.next;
    }
    ASSERT_TRUE(ended) << "no last page after 200 pages";
    ASSERT_GE(total, 2);
    Page full = List(m, f.caller, f.base, total, "");
    ASSERT_TRUE(full.status.ok()) << Describe(full.status);
    EXPECT_EQ(full.items, total);
    EXPECT_EQ(full.next, "") << "a page exactly as large as the rest is the last";
    Page short_of_one = List(m, f.caller, f.base, total - 1, "");
    ASSERT_TRUE(short_of_one.status.ok()) << Describe(short_of_one.status);
    EXPECT_EQ(short_of_one.items, total - 1);
    ASSERT_NE(short_of_one.next, "");
    Page rest = List(m, f.caller, f.base, total, short_of_one.next);
    ASSERT_TRUE(rest.status.ok()) << Describe(rest.status);
    EXPECT_EQ(rest.items, 1);
    EXPECT_EQ(rest.next, "");
    Page huge = List(m, f.caller, f.base, 100000, "");
    ASSERT_TRUE(huge.status.ok()) << Describe(huge.status);
    EXPECT_EQ(huge.items, total);
    EXPECT_EQ(huge.next, "");
  }
}

// No page_size gives 50 rows, a page_size above 500 gives 500.
TEST_F(PageTokenTest, PageSizeDefaultsTo50AndIsCappedAt500) {
  PgQuery(Db(), "INSERT INTO audit_log (at, actor_kind, action, target_type, target_id)"
                " SELECT now(), 'system', 'test.many', 'thing', i::text FROM generate_series(1, 501) i");
  const nu_method* m = nu_method_find(&table_, "/nuage.v1.AuditService/ListAuditEvents");
  ASSERT_NE(m, nullptr);
  const std::string many = "action: \"test.many\"";
  Page unsized = List(*m, operator_, many, 0, "");
  ASSERT_TRUE(unsized.status.ok()) << Describe(unsized.status);
  EXPECT_EQ(unsized.items, 50);
  EXPECT_NE(unsized.next, "");
  Page huge = List(*m, operator_, many, 100000, "");
  ASSERT_TRUE(huge.status.ok()) << Describe(huge.status);
  EXPECT_EQ(huge.items, 500);
  ASSERT_NE(huge.next, "");
  Page rest = List(*m, operator_, many, 100000, huge.next);
  ASSERT_TRUE(rest.status.ok()) << Describe(rest.status);
  EXPECT_EQ(rest.items, 1);
  EXPECT_EQ(rest.next, "");
}

// Last: moves the server's clock past the tokens' lifetime.
TEST_F(PageTokenTest, ZzTokensExpire) {
  std::vector<std::pair<const nu_method*, std::string>> tokens;
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    if (!Paged(m) || fixtures_.count(m.path) == 0) continue;
    tokens.emplace_back(&m, FirstPage(m, fixtures_.at(m.path)).next);
  }
  // Just within the lifetime (24 h): still good.
  AdvanceClock(channel_, 23 * 3600);
  // Sessions idle for more than 24 h of the server's clock end: keep the
  // callers signed in.
  PgQuery(Db(), "UPDATE sessions SET last_used_at = last_used_at + interval '3 days'");
  for (const auto& [m, token] : tokens) {
    SCOPED_TRACE(m->path);
    Page p = List(*m, fixtures_.at(m->path).caller, fixtures_.at(m->path).base, 1, token);
    EXPECT_TRUE(p.status.ok()) << Describe(p.status);
  }
  AdvanceClock(channel_, 3600 + 60);
  for (const auto& [m, token] : tokens) {
    SCOPED_TRACE(m->path);
    ExpectInvalidToken(List(*m, fixtures_.at(m->path).caller, fixtures_.at(m->path).base, 1, token).status,
                       "expired");
  }
}

}  // namespace
}  // namespace nuage::testing
