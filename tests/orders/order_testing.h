// order_testing.h — the fixture of the orders end-to-end tests: one server
// (diagnostics on, for the test clock) per test suite against the binary's
// PostgreSQL cluster; a seller whose storefront manager is signed in and
// publishes products and plans through CatalogService; buyers whose
// referent is signed in; OrderService and ProvisioningService stubs.
#ifndef NUAGE_TESTS_ORDERS_ORDER_TESTING_H
#define NUAGE_TESTS_ORDERS_ORDER_TESTING_H

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "nuage/v1/catalog.grpc.pb.h"
#include "nuage/v1/order.grpc.pb.h"
#include "nuage/v1/provisioning.grpc.pb.h"
#include "tests/catalog/catalog_testing.h"

namespace nuage::testing {

class OrderTest : public CatalogTest {
 protected:
  static void SetUpTestSuite();
  void SetUp() override;

  static nuage::v1::Money Eur(int64_t cents) {
    nuage::v1::Money m;
    m.set_amount_cents(cents);
    m.set_currency("EUR");
    return m;
  }

  // A draft product of seller delivered in "cloudgouv-eu-west-1" and
  // "cloudgouv-eu-south-1"; its id. Publish it once it has a plan.
  std::string DraftProduct(const Team& seller, const std::string& name = "");
  void Publish(const Team& seller, const std::string& product);
  // A plan of product: monthly subscription (commitment months, upfront per
  // unit) or hourly; its id.
  std::string SubscriptionPlan(const Team& seller, const std::string& product, int64_t monthly,
                               int32_t commitment, int64_t upfront = 0, int32_t vat_bp = 2000);
  std::string HourlyPlan(const Team& seller, const std::string& product, int64_t hourly);
  std::string QuotationPlan(const Team& seller, const std::string& product);

  // A buyer that may order without limit: validated, billing details,
  // identity verified, account level build.
  static Team BuildBuyer();
  // Sets the organisation's account level (and the facts it needs).
  static void SetLevel(const std::string& org, const std::string& level);

  static nuage::v1::OrderItem Item(const std::string& product, const std::string& plan,
                                   int64_t quantity, int32_t months = 0, int64_t hours = 0);
  static nuage::v1::CreateOrderRequest Request(const std::vector<nuage::v1::OrderItem>& items,
                                               const std::string& request_id = "");

  grpc::Status Create(const std::string& token, const nuage::v1::CreateOrderRequest& req,
                      nuage::v1::Order* out) {
    return orders_->CreateOrder(Ctx(token).get(), req, out);
  }
  // Places an order of quantity units of a fresh 12-month plan at monthly
  // cents for buyer; the order.
  nuage::v1::Order MustOrder(const Team& buyer, int64_t quantity = 1, int64_t monthly = 10000);

  // An access key of the team's referent acting for its organisation, as
  // a provider backend holds it: the bearer "<id>:<secret>".
  static std::string AccessKey(const Team& team);

  // Reports on one line.
  static nuage::v1::ProvisioningReport Report(const std::string& event_id, int64_t unix_seconds,
                                              const std::string& line_id,
                                              nuage::v1::LineProvisioning state,
                                              int64_t quantity = 0);
  grpc::Status SendReports(const std::string& bearer,
                           const std::vector<nuage::v1::ProvisioningReport>& reports,
                           nuage::v1::ReportProvisioningResponse* out) {
    nuage::v1::ReportProvisioningRequest req;
    for (const auto& r : reports) *req.add_reports() = r;
    return provisioning_->ReportProvisioning(Ctx(bearer).get(), req, out);
  }

  static Team* seller_;
  std::unique_ptr<nuage::v1::ProvisioningService::Stub> provisioning_;
  std::unique_ptr<nuage::v1::OrderService::Stub> orders_;
};

}  // namespace nuage::testing

#endif  // NUAGE_TESTS_ORDERS_ORDER_TESTING_H
