// secret_fields_test.cc — the one list of secret fields
// (server/codec/secret_fields.h) is complete and clearing works.
//
// The guard walks every request and reply message of the server's method
// table, nested messages included: a field whose name looks like it holds
// a secret must be on the list, or whitelisted here with the reason it is
// not secret. So an RPC added later cannot forget to declare its secrets.
#include "server/codec/secret_fields.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "nuage/v1/auth.pb-c.h"
#include "server/codec/codec.h"
#include "server/common/arena.h"
#include "server/dispatch/methods.h"

namespace {

// Names that look secret but are not, each with its reason.
const std::set<std::string> kNotSecret = {
    // Opaque page positions: signed by the server, nothing behind them.
    "*.page_token",
    "*.next_page_token",
    // Public identifiers and codes.
    "nuage.v1.Product.code",              // "NUP-1000", printed in the catalogue
    "nuage.v1.GetProductRequest.code",    // the same, to look a product up
    "nuage.v1.Organization.code",                   // "ORG-123456", shown in lists and on documents
    "nuage.v1.GetOrganizationRequest.organization_code",  // the same, to look one up
    "nuage.v1.UserMembership.organization_code",    // the same, in GetCurrentUser
    "nuage.v1.BillingDetails.postal_code",       // an address
    "grpc.reflection.v1alpha.ErrorResponse.error_code",  // a status code
    "*.product_code",                            // a product's public code ("NUP-1000")
    "*.service_code",                            // the buyer's Chorus Pro service code
    "nuage.v1.ReportError.code",                 // a gRPC status code
    // Flags about a secret, not the secret.
    "nuage.v1.User.totp_enabled",
};

bool Whitelisted(const std::string& message, const std::string& field) {
  return kNotSecret.count(message + "." + field) == 1 || kNotSecret.count("*." + field) == 1;
}

void Walk(const ProtobufCMessageDescriptor* d, std::set<std::string>* seen,
          std::set<std::string>* suspicious) {
  if (!seen->insert(d->name).second) return;
  static const std::regex looks_secret("password|passphrase|secret|token|code|recovery|otp|credential|pin");
  for (unsigned i = 0; i < d->n_fields; i++) {
    const ProtobufCFieldDescriptor* f = &d->fields[i];
    if (std::regex_search(f->name, looks_secret) && !nu_secret_field_is(d, f->name) &&
        !Whitelisted(d->name, f->name)) {
      suspicious->insert(std::string(d->name) + "." + f->name);
    }
    if (f->type == PROTOBUF_C_TYPE_MESSAGE) {
      Walk(static_cast<const ProtobufCMessageDescriptor*>(f->descriptor), seen, suspicious);
    }
  }
}

TEST(SecretFields, EverySecretLookingFieldIsListedOrWhitelisted) {
  nu_methods_options opts = {.diagnostics = true};
  nu_method_table t;
  {
    const char *bad_path = NULL;
    const char *why = nu_methods_build(&opts, &t, &bad_path);
    if (why != NULL) ADD_FAILURE() << why << " " << (bad_path ? bad_path : "");
  }
  std::set<std::string> seen, suspicious;
  for (size_t i = 0; i < t.count; i++) {
    Walk(t.rows[i].request, &seen, &suspicious);
    Walk(t.rows[i].response, &seen, &suspicious);
  }
  EXPECT_GT(seen.size(), 50u);
  for (const auto& s : suspicious) {
    ADD_FAILURE() << s << " looks secret: add it to server/codec/secret_fields.c, or whitelist it here";
  }
}

TEST(SecretFields, EveryListedFieldExists) {
  nu_methods_options opts = {.diagnostics = true};
  nu_method_table t;
  {
    const char *bad_path = NULL;
    const char *why = nu_methods_build(&opts, &t, &bad_path);
    if (why != NULL) ADD_FAILURE() << why << " " << (bad_path ? bad_path : "");
  }
  std::set<std::string> seen, ignored;
  std::set<std::string> fields;
  for (size_t i = 0; i < t.count; i++) {
    for (const ProtobufCMessageDescriptor* d : {t.rows[i].request, t.rows[i].response}) {
      for (unsigned j = 0; j < d->n_fields; j++) fields.insert(std::string(d->name) + "." + d->fields[j].name);
    }
  }
  for (size_t i = 0; i < nu_secret_fields_count; i++) {
    std::string f = std::string(nu_secret_fields[i].message) + "." + nu_secret_fields[i].field;
    EXPECT_EQ(fields.count(f), 1u) << f << " is listed but no request or reply has it";
  }
}

TEST(SecretFields, EncodeClearedDropsTheSecretsOnlyAndLeavesTheMessage) {
  nu_arena* a = nu_arena_new();
  ASSERT_NE(a, nullptr);
  Nuage__V1__CreateAccessKeyRequest req;
  nuage__v1__create_access_key_request__init(&req);
  req.request_id = const_cast<char*>("rid-1");
  req.description = const_cast<char*>("backend");
  req.password = const_cast<char*>("Correct-Horse-42!");
  req.code = const_cast<char*>("123456");
  uint8_t* bytes = nullptr;
  size_t len = 0;
  nu_status st = nu_secret_fields_encode_cleared(a, &req.base, &bytes, &len);
  ASSERT_TRUE(nu_status_is_ok(&st));
  std::string wire(reinterpret_cast<char*>(bytes), len);
  EXPECT_EQ(wire.find("Correct-Horse"), std::string::npos);
  EXPECT_EQ(wire.find("123456"), std::string::npos);
  ProtobufCMessage* back = nullptr;
  st = nu_codec_decode(a, &nuage__v1__create_access_key_request__descriptor, bytes, len, &back);
  ASSERT_TRUE(nu_status_is_ok(&st));
  auto* r = reinterpret_cast<Nuage__V1__CreateAccessKeyRequest*>(back);
  EXPECT_STREQ(r->request_id, "rid-1");
  EXPECT_STREQ(r->description, "backend");
  EXPECT_STREQ(r->password, "");
  EXPECT_STREQ(r->code, "");
  EXPECT_STREQ(req.password, "Correct-Horse-42!");  // the original is untouched

  // Repeated secrets (recovery codes) are emptied too.
  Nuage__V1__ConfirmTotpResponse resp;
  nuage__v1__confirm_totp_response__init(&resp);
  char* codes[] = {const_cast<char*>("aaaa-bbbb-cccc"), const_cast<char*>("dddd-eeee-ffff")};
  resp.recovery_codes = codes;
  resp.n_recovery_codes = 2;
  st = nu_secret_fields_encode_cleared(a, &resp.base, &bytes, &len);
  ASSERT_TRUE(nu_status_is_ok(&st));
  EXPECT_EQ(len, 0u);
  nu_arena_free(a);
}

}  // namespace
