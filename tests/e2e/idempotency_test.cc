// idempotency_test.cc — one idempotency path for every create, and nothing
// stored that is derivable from a secret.
//
// The walk does not list the RPCs: it takes every unary method of the
// server's own method table whose request has a `request_id` field, and
// needs a builder of two valid requests for it below (a method without
// one fails the test: a new create must add its builder). For each: body A
// with request_id R answers OK, A again with R answers the same reply
// (secret fields aside: they are shown once), B with R is refused with
// INVALID_ARGUMENT, reason REQUEST_ID_REUSED, a violation on request_id.
//
// The dump test calls the RPCs that carry secrets with known ones, runs
// pg_dump on the whole database and looks for each secret, and for the
// unkeyed BLAKE2b-256 (what the idempotency records used to hold) and
// SHA-256 of each packed request, in hex as a bytea dump shows them.
#include <gtest/gtest.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <sodium.h>

#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "nuage/v1/auth.grpc.pb.h"
#include "nuage/v1/catalog.grpc.pb.h"
#include "nuage/v1/order.grpc.pb.h"
#include "nuage/v1/subscription.grpc.pb.h"
#include "nuage/v1/organization.grpc.pb.h"
#include "nuage/v1/user.grpc.pb.h"
#include "server/codec/secret_fields.h"
#include "server/dispatch/methods.h"
#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/server_process.h"

namespace nuage::testing {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

const char kPassword[] = "Correct-Horse-42!";

std::string Unique(const std::string& prefix) {
  static int n = 0;
  return prefix + std::to_string(100000 + n++);
}

std::string Hex(const unsigned char* p, size_t n) {
  std::string out(2 * n + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), p, n);
  out.pop_back();
  return out;
}

// Clears every field on the secret list (codec/secret_fields.h), at any
// depth, with C++ reflection.
void ClearSecrets(Message* m) {
  const Descriptor* d = m->GetDescriptor();
  const auto* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); i++) {
    const FieldDescriptor* f = d->field(i);
    bool secret = false;
    for (size_t j = 0; j < nu_secret_fields_count; j++) {
      if (d->full_name() == nu_secret_fields[j].message && f->name() == nu_secret_fields[j].field) secret = true;
    }
    if (secret) {
      r->ClearField(m, f);
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int k = 0; k < r->FieldSize(*m, f); k++) ClearSecrets(r->MutableRepeatedMessage(m, f, k));
      } else if (r->HasField(*m, f)) {
        ClearSecrets(r->MutableMessage(m, f));
      }
    }
  }
}

// The reply bytes of a method, secrets cleared, re-serialized.
std::string WithoutSecrets(const nu_method& m, const std::string& bytes) {
  const Descriptor* d =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(m.response->name);
  if (d == nullptr) {
    ADD_FAILURE() << "no C++ descriptor for " << m.response->name;
    return bytes;
  }
  std::unique_ptr<Message> msg(google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
  EXPECT_TRUE(msg->ParseFromString(bytes));
  ClearSecrets(msg.get());
  return msg->SerializeAsString();
}

std::string PgDumpBinary() {
  FILE* p = popen("pg_config --bindir 2>/dev/null", "r");
  std::string dir;
  if (p != nullptr) {
    char buf[512];
    if (fgets(buf, sizeof(buf), p) != nullptr) dir = buf;
    pclose(p);
  }
  while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) dir.pop_back();
  return dir.empty() ? "pg_dump" : dir + "/pg_dump";
}

// The whole database as pg_dump prints it (plain SQL, COPY blocks).
std::string PgDump(const std::string& conninfo) {
  std::string cmd = PgDumpBinary() + " --no-owner '--dbname=" + conninfo + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    ADD_FAILURE() << "cannot run " << cmd;
    return "";
  }
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << cmd;
  EXPECT_NE(out.find("COPY public.idempotency_records"), std::string::npos) << "not a dump";
  return out;
}

// The tables whose COPY data lines contain needle.
std::set<std::string> TablesHolding(const std::string& dump, const std::string& needle) {
  std::set<std::string> tables;
  std::istringstream in(dump);
  std::string line, table = "(schema)";
  while (std::getline(in, line)) {
    if (line.rfind("COPY ", 0) == 0) {
      table = line.substr(5, line.find(' ', 5) - 5);
      continue;
    }
    if (line == "\\.") {
      table = "(schema)";
      continue;
    }
    if (line.find(needle) != std::string::npos) tables.insert(table);
  }
  return tables;
}

class IdempotencyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(sodium_init() >= 0, true);
    nu_methods_options opts = {.diagnostics = true};
    {
    const char *bad_path = NULL;
    const char *why = nu_methods_build(&opts, &table_, &bad_path);
    if (why != NULL) ADD_FAILURE() << why << " " << (bad_path ? bad_path : "");
  }
    server_ = ServerProcess::Start(Db(), {"--enable-diagnostics"}).release();
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

  // A validated buyer and seller organisation whose referent (manager
  // everywhere, password kPassword) is signed in to it.
  struct Team {
    std::string org, user, login, email, token;
  };
  Team NewTeam() {
    Team t;
    t.login = Unique("idem.referent");
    t.email = t.login + "@ville-test.fr";
    t.user = SeedUser(Db(), t.login, t.email, kPassword);
    t.org = SeedOrganization(Db(), Unique("Commune "), t.user, true, true);
    t.token = SeedSession(Db(), t.user, t.org);
    return t;
  }

  grpc::Status Raw(const std::string& path, const std::string& token, const std::string& body,
                   std::string* reply = nullptr) {
    grpc::ClientContext ctx;
    SetDeadline(&ctx, milliseconds(20000));
    if (!token.empty()) WithBearer(&ctx, token);
    return RawUnary(channel_, path, body, &ctx, reply);
  }

  // A code e-mailed by RequestAccessKeyCode to t.
  std::string AccessKeyCode(const Team& t) {
    std::string reply;
    grpc::Status st = Raw("/nuage.v1.AuthService/RequestAccessKeyCode", t.token, "", &reply);
    EXPECT_TRUE(st.ok()) << Describe(st);
    return JsonField(LatestOutbox(Db(), t.email, "access_key_code"), "code");
  }

  // A draft product of t's organisation; its id.
  std::string NewProduct(const Team& t) {
    nuage::v1::CreateProductRequest req;
    auto* p = req.mutable_product();
    p->set_kind(nuage::v1::PRODUCT_KIND_MACHINE_IMAGE);
    p->set_name(Unique("Image durcie "));
    p->set_description("Une image de machine virtuelle");
    p->add_regions("cloudgouv-eu-west-1");
    std::string reply;
    grpc::Status st = Raw("/nuage.v1.CatalogService/CreateProduct", t.token, req.SerializeAsString(), &reply);
    EXPECT_TRUE(st.ok()) << Describe(st);
    nuage::v1::Product out;
    out.ParseFromString(reply);
    return out.id();
  }

  // An order of t's organisation from another seller, its one line of 2
  // units delivered in full (seeded in SQL); the order's id and the line's.
  std::pair<std::string, std::string> DeliveredOrder(const Team& t) {
    Team seller = NewTeam();
    std::string product = NewProduct(seller);
    std::string plan = PgQuery(Db(), "INSERT INTO pricing_plans (product_id, name, model, created_at,"
                                     " updated_at) VALUES ('" + product +
                                         "', 'Libre', 'free', now(), now()) RETURNING id")[0][0];
    std::string order = PgQuery(
        Db(), "INSERT INTO orders (number, organization_id, seller_id, contact_name, contact_email,"
              " placed_by, status, total_excl_vat_cents, total_vat_cents, total_incl_vat_cents,"
              " created_at, updated_at) VALUES ('CC' || lpad(nextval('order_number_seq')::text, 6,"
              " '0'), '" + t.org + "', '" + seller.org + "', 'Idem', 'idem@ville-test.fr', '" +
                  t.user + "', 'delivered', 0, 0, 0, now(), now()) RETURNING id")[0][0];
    std::string line = PgQuery(
        Db(), "INSERT INTO order_lines (order_id, position, product_id, plan_id, product_code,"
              " product_name, designation, plan_model, quantity, quantity_delivered,"
              " provisioning, unit_price_cents, amount_excl_vat_cents, vat_rate_bp, vat_cents,"
              " amount_incl_vat_cents, updated_at) SELECT '" + order + "', 1, p.id, '" + plan +
                  "', p.code, p.name, p.name, 'free', 2, 2, 'delivered', 0, 0, 2000, 0, 0, now()"
                  " FROM products p WHERE p.id = '" + product + "' RETURNING id")[0][0];
    return {order, line};
  }

  // Two different valid requests carrying request_id, and the caller.
  struct Bodies {
    std::string token;
    std::string a, b;
  };
  using Builder = std::function<Bodies(IdempotencyTest*, const std::string& request_id)>;

  // One builder per method with a request_id. A new create or
  // money-moving RPC adds its own here (the walk fails without it).
  static const std::map<std::string, Builder>& Builders() {
    static const std::map<std::string, Builder> b = {
        {"/nuage.v1.AuthService/CreateAccessKey",
         [](IdempotencyTest* f, const std::string& rid) {
           Team t = f->NewTeam();
           nuage::v1::CreateAccessKeyRequest a;
           a.set_request_id(rid);
           a.set_description("backend A");
           a.set_password(kPassword);
           a.set_code(f->AccessKeyCode(t));
           nuage::v1::CreateAccessKeyRequest b = a;
           b.set_description("backend B");
           return Bodies{t.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.UserService/SignUp",
         [](IdempotencyTest*, const std::string& rid) {
           nuage::v1::SignUpRequest a;
           a.set_request_id(rid);
           a.set_login(Unique("idem.signup"));
           a.set_email(a.login() + "@ville-test.fr");
           a.set_first_name("Camille");
           a.set_last_name("Martin");
           a.set_account_type(nuage::v1::ACCOUNT_TYPE_PERSONAL);
           a.set_password(kPassword);
           nuage::v1::SignUpRequest b = a;
           b.set_login(Unique("idem.signup"));
           b.set_email(b.login() + "@ville-test.fr");
           return Bodies{"", a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.OrganizationService/CreateOrganization",
         [](IdempotencyTest* f, const std::string& rid) {
           Team t = f->NewTeam();
           nuage::v1::CreateOrganizationRequest a;
           a.set_request_id(rid);
           a.mutable_organization()->set_name(Unique("Université "));
           a.mutable_organization()->set_buyer(true);
           a.mutable_organization()->set_region("cloudgouv-eu-west-1");
           nuage::v1::CreateOrganizationRequest b = a;
           b.mutable_organization()->set_name(Unique("Université "));
           return Bodies{t.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.OrganizationService/CreateInvitation",
         [](IdempotencyTest* f, const std::string& rid) {
           Team t = f->NewTeam();
           nuage::v1::CreateInvitationRequest a;
           a.set_request_id(rid);
           a.set_email(Unique("invite") + "@ville-test.fr");
           a.set_first_name("Alex");
           a.set_last_name("Durand");
           auto* r = a.add_roles();
           r->set_section(nuage::v1::SECTION_ORDERS);
           r->set_level(nuage::v1::LEVEL_VISITOR);
           nuage::v1::CreateInvitationRequest b = a;
           b.set_email(Unique("invite") + "@ville-test.fr");
           return Bodies{t.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.CatalogService/CreateProduct",
         [](IdempotencyTest* f, const std::string& rid) {
           Team t = f->NewTeam();
           nuage::v1::CreateProductRequest a;
           a.set_request_id(rid);
           auto* p = a.mutable_product();
           p->set_kind(nuage::v1::PRODUCT_KIND_MACHINE_IMAGE);
           p->set_name(Unique("Image "));
           p->set_description("Une image");
           p->add_regions("cloudgouv-eu-west-1");
           nuage::v1::CreateProductRequest b = a;
           b.mutable_product()->set_name(Unique("Image "));
           return Bodies{t.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.CatalogService/CreatePricingPlan",
         [](IdempotencyTest* f, const std::string& rid) {
           Team t = f->NewTeam();
           nuage::v1::CreatePricingPlanRequest a;
           a.set_request_id(rid);
           auto* p = a.mutable_plan();
           p->set_product_id(f->NewProduct(t));
           p->set_name("À l'heure");
           p->set_model(nuage::v1::PRICING_MODEL_HOURLY);
           p->mutable_hourly_price()->set_amount_cents(12);
           p->mutable_hourly_price()->set_currency("EUR");
           nuage::v1::CreatePricingPlanRequest b = a;
           b.mutable_plan()->mutable_hourly_price()->set_amount_cents(13);
           return Bodies{t.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.OrderService/CreateOrder",
         [](IdempotencyTest* f, const std::string& rid) {
           // A published product of one team with a plan; another team,
           // allowed to order (level build), orders it.
           Team seller = f->NewTeam();
           std::string product = f->NewProduct(seller);
           nuage::v1::CreatePricingPlanRequest plan;
           plan.mutable_plan()->set_product_id(product);
           plan.mutable_plan()->set_name("À l'heure");
           plan.mutable_plan()->set_model(nuage::v1::PRICING_MODEL_HOURLY);
           plan.mutable_plan()->mutable_hourly_price()->set_amount_cents(12);
           plan.mutable_plan()->mutable_hourly_price()->set_currency("EUR");
           std::string reply;
           EXPECT_TRUE(f->Raw("/nuage.v1.CatalogService/CreatePricingPlan", seller.token,
                              plan.SerializeAsString(), &reply).ok());
           nuage::v1::PricingPlan created;
           created.ParseFromString(reply);
           nuage::v1::PublishProductRequest pub;
           pub.set_product_id(product);
           EXPECT_TRUE(f->Raw("/nuage.v1.CatalogService/PublishProduct", seller.token,
                              pub.SerializeAsString()).ok());
           Team buyer = f->NewTeam();
           PgQuery(Db(), "UPDATE organizations SET account_level = 'build', billing_name = 'Mairie',"
                         " billing_address = '1 place de la Mairie', billing_postal_code = '69001',"
                         " billing_city = 'Lyon', billing_country = 'FR',"
                         " billing_email = 'factures@ville-test.fr', identity_verified_at = now()"
                         " WHERE id = '" + buyer.org + "'");
           nuage::v1::CreateOrderRequest a;
           a.set_request_id(rid);
           auto* item = a.add_items();
           item->set_product_id(product);
           item->set_plan_id(created.id());
           item->set_region("cloudgouv-eu-west-1");
           item->set_quantity(2);
           item->set_hours(100);
           a.mutable_contact()->set_name("Camille Durand");
           a.mutable_contact()->set_email("camille@ville-test.fr");
           nuage::v1::CreateOrderRequest b = a;
           b.mutable_items(0)->set_quantity(3);
           return Bodies{buyer.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.OrderService/AdmitDelivery",
         [](IdempotencyTest* f, const std::string& rid) {
           Team t = f->NewTeam();
           auto [order, line] = f->DeliveredOrder(t);
           nuage::v1::AdmitDeliveryRequest a;
           a.set_order_id(order);
           a.set_request_id(rid);
           nuage::v1::AdmitDeliveryRequest b = a;
           auto* l = b.add_lines();
           l->set_line_id(line);
           l->set_quantity(1);
           return Bodies{t.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.OrderService/ContestDelivery",
         [](IdempotencyTest* f, const std::string& rid) {
           Team t = f->NewTeam();
           auto [order, line] = f->DeliveredOrder(t);
           nuage::v1::ContestDeliveryRequest a;
           a.set_order_id(order);
           a.set_reason("Rien ne fonctionne.");
           a.set_request_id(rid);
           nuage::v1::ContestDeliveryRequest b = a;
           b.set_reason("Une instance manque.");
           return Bodies{t.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.SubscriptionService/TerminateSubscription",
         [](IdempotencyTest* f, const std::string& rid) {
           Team t = f->NewTeam();
           Team seller = f->NewTeam();
           std::string product = f->NewProduct(seller);
           std::string sub = PgQuery(Db(), "INSERT INTO subscriptions (organization_id, product_id,"
                                           " name, type, quantity, starts_at, created_at,"
                                           " updated_at) VALUES ('" + t.org + "', '" + product +
                                               "', 'Libre', 'free', 3, now() - interval '1 day',"
                                               " now(), now()) RETURNING id")[0][0];
           nuage::v1::TerminateSubscriptionRequest a;
           a.set_subscription_id(sub);
           a.set_etag("\"1\"");
           a.set_request_id(rid);
           nuage::v1::TerminateSubscriptionRequest b = a;
           b.set_quantity(1);
           return Bodies{t.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
        {"/nuage.v1.CatalogService/CreateProductVersion",
         [](IdempotencyTest* f, const std::string& rid) {
           Team t = f->NewTeam();
           nuage::v1::CreateProductVersionRequest a;
           a.set_request_id(rid);
           a.mutable_version()->set_product_id(f->NewProduct(t));
           a.mutable_version()->set_label("1.0.0");
           a.mutable_version()->set_release_notes("Première version");
           nuage::v1::CreateProductVersionRequest b = a;
           b.mutable_version()->set_label("1.1.0");
           return Bodies{t.token, a.SerializeAsString(), b.SerializeAsString()};
         }},
    };
    return b;
  }

  static bool HasRequestId(const nu_method& m) {
    return m.kind == NU_UNARY &&
           protobuf_c_message_descriptor_get_field_by_name(m.request, "request_id") != nullptr;
  }

  static nu_method_table table_;
  static ServerProcess* server_;
  std::shared_ptr<grpc::Channel> channel_;
};

nu_method_table IdempotencyTest::table_;
ServerProcess* IdempotencyTest::server_ = nullptr;

TEST_F(IdempotencyTest, EveryMethodWithARequestIdRefusesItsReuseForAnotherRequest) {
  size_t checked = 0;
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    if (!HasRequestId(m)) continue;
    SCOPED_TRACE(m.path);
    auto it = Builders().find(m.path);
    if (it == Builders().end()) {
      ADD_FAILURE() << m.path << " has a request_id but no builder in idempotency_test.cc";
      continue;
    }
    std::string rid = Unique("rid-");
    Bodies b = it->second(this, rid);
    std::string first, again, other;
    grpc::Status st = Raw(m.path, b.token, b.a, &first);
    ASSERT_TRUE(st.ok()) << Describe(st);
    st = Raw(m.path, b.token, b.a, &again);
    ASSERT_TRUE(st.ok()) << "the same request again: " << Describe(st);
    EXPECT_EQ(WithoutSecrets(m, again), WithoutSecrets(m, first)) << "a retry gets the first reply";
    st = Raw(m.path, b.token, b.b, &other);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << "another request: " << Describe(st);
    if (auto d = StatusDetails(st)) {
      auto info = FindErrorInfo(*d);
      ASSERT_TRUE(info.has_value());
      EXPECT_EQ(info->reason(), "REQUEST_ID_REUSED");
      auto bad = FindBadRequest(*d);
      ASSERT_TRUE(bad.has_value());
      ASSERT_EQ(bad->field_violations_size(), 1);
      EXPECT_EQ(bad->field_violations(0).field(), "request_id");
    }
    checked++;
  }
  EXPECT_GE(checked, 7u);
}

TEST_F(IdempotencyTest, BuildersHaveNoStaleEntries) {
  std::set<std::string> served;
  for (size_t i = 0; i < table_.count; i++) {
    if (HasRequestId(table_.rows[i])) served.insert(table_.rows[i].path);
  }
  for (const auto& [path, builder] : Builders()) {
    EXPECT_EQ(served.count(path), 1u) << path << " has a builder but no request_id method";
  }
}

// Whether the request of m has a field on the secret list.
bool CarriesSecret(const nu_method& m) {
  for (unsigned i = 0; i < m.request->n_fields; i++) {
    if (nu_secret_field_is(m.request, m.request->fields[i].name)) return true;
  }
  return false;
}

// What the database must not hold after some calls: each secret sent or
// received (an e-mailed one only in its own e-mail, the outbox), and the
// fast digests of each packed request that carried one.
struct Exposure {
  std::map<std::string, std::string> secrets;  // value → what it is
  std::set<std::string> emailed;
  std::vector<std::string> packed;
};

void ExpectDumpClean(const std::string& dump, const Exposure& e) {
  ASSERT_FALSE(dump.empty());
  for (const auto& [value, what] : e.secrets) {
    std::set<std::string> where = TablesHolding(dump, value);
    if (e.emailed.count(value)) where.erase("public.outbox");
    EXPECT_TRUE(where.empty()) << "the " << what << " is in " << *where.begin();
    std::string hex = Hex(reinterpret_cast<const unsigned char*>(value.data()), value.size());
    EXPECT_EQ(dump.find(hex), std::string::npos) << "the " << what << " is in the dump as hex";
  }
  for (const std::string& p : e.packed) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(p.data());
    unsigned char b2[32], sha[crypto_hash_sha256_BYTES];
    crypto_generichash(b2, sizeof(b2), bytes, p.size(), nullptr, 0);
    crypto_hash_sha256(sha, bytes, p.size());
    EXPECT_EQ(dump.find(Hex(b2, sizeof(b2))), std::string::npos) << "unkeyed BLAKE2b of a request";
    EXPECT_EQ(dump.find(Hex(sha, sizeof(sha))), std::string::npos) << "SHA-256 of a request";
  }
}

// The RPCs the dump tests below exercise with known secrets.
const std::set<std::string> kDumpCovered = {
    "/nuage.v1.UserService/SignUp",
    "/nuage.v1.AuthService/CreateAccessKey",
};

TEST_F(IdempotencyTest, EveryRecordedMethodWithASecretIsCoveredByADumpTest) {
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    if (HasRequestId(m) && CarriesSecret(m)) {
      EXPECT_EQ(kDumpCovered.count(m.path), 1u) << m.path << " records requests with secrets: add a dump test";
    }
  }
}

TEST_F(IdempotencyTest, AfterSignUpAndLoginTheDumpHoldsNoPasswordNorFastDigest) {
  Exposure e;
  nuage::v1::SignUpRequest req;
  std::string pw = "Sign-Up-Secret-" + std::to_string(randombytes_uniform(1000000)) + "a!";
  req.set_request_id(Unique("rid-"));
  req.set_login(Unique("dump.signup"));
  req.set_email(req.login() + "@ville-test.fr");
  req.set_first_name("Camille");
  req.set_last_name("Martin");
  req.set_account_type(nuage::v1::ACCOUNT_TYPE_PERSONAL);
  req.set_password(pw);
  grpc::Status st = Raw("/nuage.v1.UserService/SignUp", "", req.SerializeAsString());
  ASSERT_TRUE(st.ok()) << Describe(st);
  e.secrets[pw] = "sign-up password";
  e.packed.push_back(req.SerializeAsString());

  Team t = NewTeam();
  nuage::v1::LoginRequest login;
  login.set_login(t.login);
  login.set_password(kPassword);
  std::string reply;
  st = Raw("/nuage.v1.AuthService/Login", "", login.SerializeAsString(), &reply);
  ASSERT_TRUE(st.ok()) << Describe(st);
  nuage::v1::LoginResponse session;
  ASSERT_TRUE(session.ParseFromString(reply));
  e.secrets[kPassword] = "password";
  e.secrets[session.session_token()] = "session token";
  e.packed.push_back(login.SerializeAsString());

  ExpectDumpClean(PgDump(Db()), e);
  // The comparison is not vacuous: the sign-up was recorded.
  EXPECT_GE(std::stoi(PgQuery(Db(), "SELECT count(*) FROM idempotency_records"
                                    " WHERE method = '/nuage.v1.UserService/SignUp'")[0][0]),
            1);
}

TEST_F(IdempotencyTest, AfterCreateAccessKeyTheDumpHoldsNoSecretNorFastDigest) {
  Exposure e;
  Team t = NewTeam();
  std::string code = AccessKeyCode(t);
  ASSERT_EQ(code.size(), 6u);
  nuage::v1::CreateAccessKeyRequest req;
  req.set_request_id(Unique("rid-"));
  req.set_description("dump");
  req.set_password(kPassword);
  req.set_code(code);
  std::string reply;
  grpc::Status st = Raw("/nuage.v1.AuthService/CreateAccessKey", t.token, req.SerializeAsString(), &reply);
  ASSERT_TRUE(st.ok()) << Describe(st);
  nuage::v1::CreateAccessKeyResponse created;
  ASSERT_TRUE(created.ParseFromString(reply));
  ASSERT_FALSE(created.secret().empty());
  e.secrets[kPassword] = "password";
  e.secrets[code] = "e-mailed access-key code";
  e.emailed.insert(code);
  e.secrets[created.secret()] = "access key secret";
  e.packed.push_back(req.SerializeAsString());

  ExpectDumpClean(PgDump(Db()), e);
  EXPECT_EQ(PgQuery(Db(), "SELECT count(*) FROM idempotency_records WHERE request_id = '" +
                              req.request_id() + "'")[0][0],
            "1");
}

}  // namespace
}  // namespace nuage::testing
