// api_convention_test.cc — the API's naming and etag conventions hold for
// every method of the server's table (issue 9, point 5), so a method added
// later cannot drift:
//   - a request names a resource by `<resource>_id`, never a bare `id`
//     (a resource message's own `id` is not a request field);
//   - a paginated List (AIP-158) answers with one repeated field named
//     after the resource in the plural (AIP-132), e.g. pricing_plans, its
//     only repeated message field (the list path fills it generically);
//     "ListMy…" lists the caller's own across organisations and names its
//     items after the resource (ListMyOrders → orders);
//   - a feed (a request `cursor`, a response `next_cursor`: the provider
//     feed, resumable and at-least-once) pages by its cursor, not by page
//     tokens, and is left out of the AIP-158 rule.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "server/dispatch/methods.h"

namespace {

class ApiConvention : public ::testing::Test {
 protected:
  void SetUp() override {
    nu_methods_options opts = {.diagnostics = true};
    const char* bad_path = NULL;
    const char* why = nu_methods_build(&opts, &table_, &bad_path);
    ASSERT_EQ(why, nullptr) << why << " " << (bad_path ? bad_path : "");
  }
  static std::string Rpc(const nu_method& m) {
    const char* slash = strrchr(m.path, '/');
    return slash != nullptr ? slash + 1 : m.path;
  }
  nu_method_table table_;
};

TEST_F(ApiConvention, RequestsNameResourcesByResourceId) {
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    EXPECT_EQ(protobuf_c_message_descriptor_get_field_by_name(m.request, "id"), nullptr)
        << m.path << ": a bare `id` request field; name it <resource>_id";
  }
}

TEST_F(ApiConvention, PagedListsNameTheirItemsAfterTheResource) {
  for (size_t i = 0; i < table_.count; i++) {
    const nu_method& m = table_.rows[i];
    std::string rpc = Rpc(m);
    if (rpc.rfind("List", 0) != 0) continue;
    if (protobuf_c_message_descriptor_get_field_by_name(m.request, "cursor") != nullptr &&
        protobuf_c_message_descriptor_get_field_by_name(m.response, "next_cursor") != nullptr) {
      continue;  // a feed
    }
    EXPECT_NE(protobuf_c_message_descriptor_get_field_by_name(m.request, "page_token"), nullptr)
        << m.path << ": a list without page_token (AIP-158)";
    EXPECT_NE(protobuf_c_message_descriptor_get_field_by_name(m.response, "next_page_token"), nullptr)
        << m.path << ": a list without next_page_token (AIP-158)";
    // ListPricingPlans → pricing_plans: snake_case of what follows "List".
    std::string plural;
    std::string resource = rpc.substr(4);
    if (resource.rfind("My", 0) == 0 && resource.size() > 2 && resource[2] >= 'A' && resource[2] <= 'Z') {
      resource = resource.substr(2);
    }
    for (char c : resource) {
      if (c >= 'A' && c <= 'Z') {
        if (!plural.empty()) plural += '_';
        plural += static_cast<char>(c - 'A' + 'a');
      } else {
        plural += c;
      }
    }
    const ProtobufCFieldDescriptor* f = protobuf_c_message_descriptor_get_field_by_name(m.response, plural.c_str());
    EXPECT_TRUE(f != nullptr && f->label == PROTOBUF_C_LABEL_REPEATED)
        << m.path << ": the items are not in a repeated `" << plural << "` (AIP-132)";
    // The one list path (server/rpc/core/list.c) fills the reply through
    // its descriptor: the items are its only repeated message field.
    int repeated_messages = 0;
    for (unsigned j = 0; j < m.response->n_fields; j++) {
      const ProtobufCFieldDescriptor* g = &m.response->fields[j];
      if (g->label == PROTOBUF_C_LABEL_REPEATED && g->type == PROTOBUF_C_TYPE_MESSAGE) repeated_messages++;
    }
    EXPECT_EQ(repeated_messages, 1) << m.path << ": a list reply with other repeated messages than its items";
  }
}

}  // namespace
