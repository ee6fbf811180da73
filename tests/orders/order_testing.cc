// order_testing.cc — see order_testing.h.
#include "tests/orders/order_testing.h"

#include <atomic>

#include "tests/e2e/e2e_testing.h"
#include "tests/identity/identity_testing.h"

namespace nuage::testing {

CatalogTest::Team* OrderTest::seller_ = nullptr;

void OrderTest::SetUpTestSuite() {
  server_ = ServerProcess::Start(SharedCluster().conninfo(), {"--enable-diagnostics"}).release();
  seller_ = new Team(Seller());
}

void OrderTest::SetUp() {
  CatalogTest::SetUp();
  orders_ = nuage::v1::OrderService::NewStub(channel_);
  provisioning_ = nuage::v1::ProvisioningService::NewStub(channel_);
}

std::string OrderTest::AccessKey(const Team& team) {
  static std::atomic<int> n{0};
  // "NUAK" + 20 characters of the key alphabet, unique in this binary.
  std::string id = "NUAKTESTKEY";
  int k = n++;
  for (int i = 0; i < 13; i++, k /= 26) id += static_cast<char>('A' + k % 26);
  std::string secret = "nusk_" + Unique("provider-secret-");
  PgQuery(Db(), "INSERT INTO access_keys (id, secret_hash, user_id, organization_id, description,"
                " created_at) VALUES ('" + id + "', sha256(convert_to('" + secret + "', 'UTF8')), '" +
                    team.referent + "', '" + team.org + "', 'backend', now())");
  return id + ":" + secret;
}

nuage::v1::ProvisioningReport OrderTest::Report(const std::string& event_id, int64_t unix_seconds,
                                                const std::string& line_id,
                                                nuage::v1::LineProvisioning state,
                                                int64_t quantity) {
  nuage::v1::ProvisioningReport r;
  r.set_event_id(event_id);
  r.mutable_event_time()->set_seconds(unix_seconds);
  r.set_line_id(line_id);
  r.set_state(state);
  r.set_quantity_delivered(quantity);
  return r;
}

std::string OrderTest::DraftProduct(const Team& seller, const std::string& name) {
  nuage::v1::CreateProductRequest req;
  auto* p = req.mutable_product();
  p->set_kind(nuage::v1::PRODUCT_KIND_MACHINE_IMAGE);
  p->set_name(name.empty() ? Unique("Serveur souverain ") : name);
  p->add_regions("cloudgouv-eu-west-1");
  p->add_regions("cloudgouv-eu-south-1");
  nuage::v1::Product out;
  grpc::Status st = stub_->CreateProduct(Ctx(seller.token).get(), req, &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
  return out.id();
}

void OrderTest::Publish(const Team& seller, const std::string& product) {
  nuage::v1::PublishProductRequest pub;
  pub.set_product_id(product);
  nuage::v1::Product published;
  grpc::Status st = stub_->PublishProduct(Ctx(seller.token).get(), pub, &published);
  EXPECT_TRUE(st.ok()) << Describe(st);
}

static std::string MakePlan(nuage::v1::CatalogService::Stub* stub, const std::string& token,
                            const nuage::v1::PricingPlan& plan) {
  nuage::v1::CreatePricingPlanRequest req;
  *req.mutable_plan() = plan;
  nuage::v1::PricingPlan out;
  grpc::ClientContext ctx;
  SetDeadline(&ctx, milliseconds(10000));
  WithBearer(&ctx, token);
  grpc::Status st = stub->CreatePricingPlan(&ctx, req, &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
  return out.id();
}

std::string OrderTest::SubscriptionPlan(const Team& seller, const std::string& product,
                                        int64_t monthly, int32_t commitment, int64_t upfront,
                                        int32_t vat_bp) {
  nuage::v1::PricingPlan p;
  p.set_product_id(product);
  p.set_name(std::to_string(commitment) + " mois");
  p.set_model(nuage::v1::PRICING_MODEL_SUBSCRIPTION);
  *p.mutable_monthly_price() = Eur(monthly);
  p.set_commitment_months(commitment);
  if (upfront != 0) *p.mutable_upfront() = Eur(upfront);
  p.set_vat_rate_bp(vat_bp);
  return MakePlan(stub_.get(), seller.token, p);
}

std::string OrderTest::HourlyPlan(const Team& seller, const std::string& product, int64_t hourly) {
  nuage::v1::PricingPlan p;
  p.set_product_id(product);
  p.set_name("À l'heure");
  p.set_model(nuage::v1::PRICING_MODEL_HOURLY);
  *p.mutable_hourly_price() = Eur(hourly);
  p.set_vat_rate_bp(2000);
  return MakePlan(stub_.get(), seller.token, p);
}

std::string OrderTest::QuotationPlan(const Team& seller, const std::string& product) {
  nuage::v1::PricingPlan p;
  p.set_product_id(product);
  p.set_name("Sur devis");
  p.set_model(nuage::v1::PRICING_MODEL_QUOTATION);
  return MakePlan(stub_.get(), seller.token, p);
}

void OrderTest::SetLevel(const std::string& org, const std::string& level) {
  PgQuery(Db(),
          "UPDATE organizations SET account_level = '" + level +
              "', billing_name = 'Direction des achats', billing_address = '1 rue de Rivoli',"
              " billing_postal_code = '75001', billing_city = 'Paris', billing_country = 'FR',"
              " billing_email = 'factures@ministere-test.gouv.fr',"
              " identity_verified_at = CASE WHEN '" +
              level + "' = 'build' THEN now() END WHERE id = '" + org + "'");
}

CatalogTest::Team OrderTest::BuildBuyer() {
  Team t = Buyer();
  SetLevel(t.org, "build");
  return t;
}

nuage::v1::OrderItem OrderTest::Item(const std::string& product, const std::string& plan,
                                     int64_t quantity, int32_t months, int64_t hours) {
  nuage::v1::OrderItem it;
  it.set_product_id(product);
  it.set_plan_id(plan);
  it.set_region("cloudgouv-eu-west-1");
  it.set_quantity(quantity);
  it.set_duration_months(months);
  it.set_hours(hours);
  return it;
}

nuage::v1::CreateOrderRequest OrderTest::Request(const std::vector<nuage::v1::OrderItem>& items,
                                                 const std::string& request_id) {
  nuage::v1::CreateOrderRequest req;
  for (const auto& it : items) *req.add_items() = it;
  req.set_purchase_order_reference("EJ-2026-0042");
  req.set_service_code("SERV-DSI");
  req.mutable_contact()->set_name("Camille Durand");
  req.mutable_contact()->set_email("camille.durand@ministere-test.gouv.fr");
  req.mutable_contact()->set_phone("01 42 75 80 00");
  req.set_request_id(request_id.empty() ? Unique("order-request-") : request_id);
  return req;
}

nuage::v1::Order OrderTest::MustOrder(const Team& buyer, int64_t quantity, int64_t monthly) {
  std::string product = DraftProduct(*seller_);
  std::string plan = SubscriptionPlan(*seller_, product, monthly, 12);
  Publish(*seller_, product);
  nuage::v1::Order out;
  grpc::Status st = Create(buyer.token, Request({Item(product, plan, quantity)}), &out);
  EXPECT_TRUE(st.ok()) << Describe(st);
  return out;
}

}  // namespace nuage::testing
