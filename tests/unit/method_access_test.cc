// method_access_test.cc — the method table's access rules come from the
// (nuage.v1.access) option in the descriptor set, and a table that cannot
// get one for every row is refused (the server then refuses to start).
//
// The loader (nu_method_access_load) is fed synthetic descriptor sets built
// here with C++ libprotobuf, the option set through the generated C++
// extension nuage::v1::access; the real table is then compared, row by row,
// with the option as C++ libprotobuf reads it from the embedded set.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nuage/v1/access.pb.h"
#include "nuage/v1/diagnostics.pb-c.h"
#include "server/dispatch/access.h"
#include "server/dispatch/methods.h"

extern "C" {
extern const unsigned char nu_descriptor_set[];
extern const size_t nu_descriptor_set_len;
}

namespace {

using google::protobuf::FileDescriptorProto;
using google::protobuf::FileDescriptorSet;
using google::protobuf::MethodDescriptorProto;

nu_status Unary(nu_call *, const ProtobufCMessage *, ProtobufCMessage **) { return nu_ok(); }

// A row as the service modules write it: no access, section or level.
nu_method Row(const char *path) {
  nu_method m{};
  m.path = path;
  m.request = &nuage__v1__sleep_request__descriptor;
  m.response = &nuage__v1__sleep_response__descriptor;
  m.kind = NU_UNARY;
  m.unary = Unary;
  return m;
}

nuage::v1::AccessRule Rule(nuage::v1::AccessKind kind,
                           nuage::v1::Section section = nuage::v1::SECTION_UNSPECIFIED,
                           nuage::v1::Level level = nuage::v1::LEVEL_UNSPECIFIED) {
  nuage::v1::AccessRule r;
  r.set_kind(kind);
  r.set_section(section);
  r.set_level(level);
  return r;
}

// One file of package pkg with one service holding the methods given; a
// method with a rule gets the option.
struct Method {
  std::string name;
  bool has_rule;
  nuage::v1::AccessRule rule;
};

FileDescriptorProto File(const std::string &pkg, const std::string &service,
                         const std::vector<Method> &methods) {
  FileDescriptorProto f;
  f.set_name(pkg + "/" + service + ".proto");
  f.set_package(pkg);
  f.set_syntax("proto3");
  auto *s = f.add_service();
  s->set_name(service);
  for (const auto &m : methods) {
    MethodDescriptorProto *md = s->add_method();
    md->set_name(m.name);
    md->set_input_type(".nuage.v1.SleepRequest");
    md->set_output_type(".nuage.v1.SleepResponse");
    if (m.has_rule) *md->mutable_options()->MutableExtension(nuage::v1::access) = m.rule;
  }
  return f;
}

std::string Set(const std::vector<FileDescriptorProto> &files) {
  FileDescriptorSet set;
  for (const auto &f : files) *set.add_file() = f;
  return set.SerializeAsString();
}

const char *Load(const std::string &set, std::vector<nu_method> *rows, size_t *bad) {
  return nu_method_access_load(reinterpret_cast<const uint8_t *>(set.data()), set.size(),
                               rows->data(), rows->size(), bad);
}

TEST(MethodAccess, OptionNumberMatchesTheProto) {
  EXPECT_EQ(NU_ACCESS_OPTION_NUMBER, nuage::v1::kAccessFieldNumber);
}

TEST(MethodAccess, FillsEveryKindFromTheOption) {
  std::string set = Set({File(
      "nuage.v1", "S",
      {{"Pub", true, Rule(nuage::v1::ACCESS_KIND_PUBLIC)},
       {"Auth", true, Rule(nuage::v1::ACCESS_KIND_AUTHENTICATED)},
       {"Op", true, Rule(nuage::v1::ACCESS_KIND_OPERATOR)},
       {"Sec", true,
        Rule(nuage::v1::ACCESS_KIND_SECTION, nuage::v1::SECTION_ORDERS, nuage::v1::LEVEL_MANAGER)},
       {"Read", true,
        Rule(nuage::v1::ACCESS_KIND_SECTION, nuage::v1::SECTION_STOREFRONT,
             nuage::v1::LEVEL_VISITOR)}})});
  std::vector<nu_method> rows = {Row("/nuage.v1.S/Pub"), Row("/nuage.v1.S/Auth"),
                                 Row("/nuage.v1.S/Op"), Row("/nuage.v1.S/Sec"),
                                 Row("/nuage.v1.S/Read")};
  size_t bad = 99;
  ASSERT_EQ(Load(set, &rows, &bad), nullptr);
  EXPECT_EQ(bad, rows.size());
  EXPECT_EQ(rows[0].access, NU_ACCESS_PUBLIC);
  EXPECT_EQ(rows[1].access, NU_ACCESS_AUTHENTICATED);
  EXPECT_EQ(rows[2].access, NU_ACCESS_OPERATOR);
  EXPECT_EQ(rows[3].access, NU_ACCESS_SECTION);
  EXPECT_EQ(rows[3].section, NU_SECTION_ORDERS);
  EXPECT_EQ(rows[3].level, NU_LEVEL_MANAGER);
  EXPECT_EQ(rows[4].section, NU_SECTION_STOREFRONT);
  EXPECT_EQ(rows[4].level, NU_LEVEL_VISITOR);
  for (size_t i = 0; i < 3; i++) {
    EXPECT_EQ(rows[i].section, NU_SECTION_NONE);
    EXPECT_EQ(rows[i].level, NU_LEVEL_NONE);
  }
}

// The regression this option exists for: a method nobody declared access
// for must stop the start, naming the method, not become public.
TEST(MethodAccess, RefusesAMethodWithoutTheOption) {
  std::string set = Set({File("nuage.v1", "S",
                              {{"Fine", true, Rule(nuage::v1::ACCESS_KIND_PUBLIC)},
                               {"Forgotten", false, {}}})});
  std::vector<nu_method> rows = {Row("/nuage.v1.S/Fine"), Row("/nuage.v1.S/Forgotten")};
  size_t bad = 99;
  const char *why = Load(set, &rows, &bad);
  ASSERT_NE(why, nullptr);
  EXPECT_STREQ(why, "no (nuage.v1.access) option on the method");
  EXPECT_EQ(bad, 1u);
  EXPECT_EQ(rows[1].access, NU_ACCESS_UNSPECIFIED);
}

TEST(MethodAccess, RefusesARowWithoutAProtoMethod) {
  std::string set = Set({File("nuage.v1", "S", {{"A", true, Rule(nuage::v1::ACCESS_KIND_PUBLIC)}})});
  for (const char *path : {"/nuage.v1.S/B", "/nuage.v1.T/A", "/other.S/A"}) {
    std::vector<nu_method> rows = {Row("/nuage.v1.S/A"), Row(path)};
    size_t bad = 99;
    EXPECT_STREQ(Load(set, &rows, &bad), "no method of that path in the descriptor set") << path;
    EXPECT_EQ(bad, 1u);
  }
}

TEST(MethodAccess, RefusesIncompleteOrContradictorySectionRules) {
  const nuage::v1::AccessRule rules[] = {
      Rule(nuage::v1::ACCESS_KIND_SECTION),
      Rule(nuage::v1::ACCESS_KIND_SECTION, nuage::v1::SECTION_ORDERS),
      Rule(nuage::v1::ACCESS_KIND_SECTION, nuage::v1::SECTION_UNSPECIFIED,
           nuage::v1::LEVEL_MANAGER),
      Rule(nuage::v1::ACCESS_KIND_SECTION, nuage::v1::SECTION_ORDERS, nuage::v1::LEVEL_NONE),
      Rule(nuage::v1::ACCESS_KIND_SECTION, static_cast<nuage::v1::Section>(42),
           nuage::v1::LEVEL_MANAGER),
      Rule(nuage::v1::ACCESS_KIND_PUBLIC, nuage::v1::SECTION_ORDERS),
      Rule(nuage::v1::ACCESS_KIND_OPERATOR, nuage::v1::SECTION_UNSPECIFIED,
           nuage::v1::LEVEL_MANAGER),
      Rule(nuage::v1::ACCESS_KIND_UNSPECIFIED),
      Rule(static_cast<nuage::v1::AccessKind>(9)),
  };
  for (const auto &r : rules) {
    SCOPED_TRACE(r.ShortDebugString());
    std::string set = Set({File("nuage.v1", "S", {{"M", true, r}})});
    std::vector<nu_method> rows = {Row("/nuage.v1.S/M")};
    size_t bad = 99;
    EXPECT_NE(Load(set, &rows, &bad), nullptr);
    EXPECT_EQ(bad, 0u);
  }
}

// The access lives in one place: a row that sets it itself is refused even
// when it agrees with the option.
TEST(MethodAccess, RefusesARowThatSetsItsOwnAccess) {
  std::string set = Set({File("nuage.v1", "S", {{"M", true, Rule(nuage::v1::ACCESS_KIND_PUBLIC)}})});
  std::vector<nu_method> rows = {Row("/nuage.v1.S/M")};
  rows[0].access = NU_ACCESS_PUBLIC;
  size_t bad = 99;
  EXPECT_NE(Load(set, &rows, &bad), nullptr);
  EXPECT_EQ(bad, 0u);
}

// Health and reflection are public by the loader's explicit list; any other
// service outside nuage.v1 needs the option like ours.
TEST(MethodAccess, ForeignServicesArePublicOnlyWhenListed) {
  std::string set = Set({File("grpc.health.v1", "Health", {{"Check", false, {}}}),
                         File("grpc.reflection.v1", "ServerReflection",
                              {{"ServerReflectionInfo", false, {}}}),
                         File("grpc.reflection.v1alpha", "ServerReflection",
                              {{"ServerReflectionInfo", false, {}}}),
                         File("other.v1", "Thing", {{"Do", false, {}}})});
  std::vector<nu_method> rows = {
      Row("/grpc.health.v1.Health/Check"),
      Row("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"),
      Row("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")};
  size_t bad = 99;
  ASSERT_EQ(Load(set, &rows, &bad), nullptr);
  for (const auto &r : rows) EXPECT_EQ(r.access, NU_ACCESS_PUBLIC) << r.path;

  std::vector<nu_method> other = {Row("/other.v1.Thing/Do")};
  EXPECT_STREQ(Load(set, &other, &bad), "no (nuage.v1.access) option on the method");
}

TEST(MethodAccess, RefusesAnUnparsableSet) {
  std::vector<nu_method> rows = {Row("/nuage.v1.S/M")};
  size_t bad = 0;
  EXPECT_NE(Load(std::string("\xff\xff\xff", 3), &rows, &bad), nullptr);
  EXPECT_EQ(bad, rows.size());
}

// ---- the real table --------------------------------------------------------

// Every row of the table the server serves has exactly the access its
// .proto declares, as C++ libprotobuf reads the option from the embedded
// set (independently of the C loader).
TEST(RealTable, EveryRowHasTheAccessItsProtoDeclares) {
  FileDescriptorSet set;
  ASSERT_TRUE(set.ParseFromArray(nu_descriptor_set, static_cast<int>(nu_descriptor_set_len)));
  google::protobuf::DescriptorPool pool;
  for (const auto &f : set.file()) ASSERT_NE(pool.BuildFile(f), nullptr) << f.name();

  nu_methods_options opts = {};
  opts.diagnostics = true;
  nu_method_table t = {nullptr, 0};
  const char *bad_path = nullptr;
  const char *why = nu_methods_build(&opts, &t, &bad_path);
  ASSERT_EQ(why, nullptr) << why << " at " << (bad_path ? bad_path : "?");
  ASSERT_GT(t.count, 60u);
  for (size_t i = 0; i < t.count; i++) {
    const nu_method &m = t.rows[i];
    SCOPED_TRACE(m.path);
    std::string full = m.path + 1;
    full[full.find('/')] = '.';
    const google::protobuf::MethodDescriptor *md = pool.FindMethodByName(full);
    ASSERT_NE(md, nullptr);
    if (full.rfind("nuage.v1.", 0) != 0) {
      EXPECT_EQ(m.access, NU_ACCESS_PUBLIC) << "health and reflection are public";
      continue;
    }
    // The pool was built from bytes: the option is read back through a
    // MethodOptions of the generated pool, which knows the extension.
    google::protobuf::MethodOptions opt;
    ASSERT_TRUE(opt.ParseFromString(md->options().SerializeAsString()));
    ASSERT_TRUE(opt.HasExtension(nuage::v1::access)) << "no (nuage.v1.access)";
    const nuage::v1::AccessRule &r = opt.GetExtension(nuage::v1::access);
    switch (r.kind()) {
      case nuage::v1::ACCESS_KIND_PUBLIC: EXPECT_EQ(m.access, NU_ACCESS_PUBLIC); break;
      case nuage::v1::ACCESS_KIND_AUTHENTICATED: EXPECT_EQ(m.access, NU_ACCESS_AUTHENTICATED); break;
      case nuage::v1::ACCESS_KIND_OPERATOR: EXPECT_EQ(m.access, NU_ACCESS_OPERATOR); break;
      case nuage::v1::ACCESS_KIND_SECTION:
        EXPECT_EQ(m.access, NU_ACCESS_SECTION);
        // The API's Section numbers its values as nu_section does; its
        // Level is one ahead (LEVEL_NONE = 1).
        EXPECT_EQ(static_cast<int>(m.section), static_cast<int>(r.section()));
        EXPECT_EQ(static_cast<int>(m.level) + 1, static_cast<int>(r.level()));
        break;
      default: ADD_FAILURE() << "kind " << r.kind();
    }
  }
}

// Every RPC of nuage.v1 carries the option, served or not (a new RPC
// without one fails here before anyone serves it).
TEST(RealTable, EveryNuageRpcDeclaresItsAccess) {
  FileDescriptorSet set;
  ASSERT_TRUE(set.ParseFromArray(nu_descriptor_set, static_cast<int>(nu_descriptor_set_len)));
  size_t rpcs = 0;
  for (const auto &f : set.file()) {
    if (f.package() != "nuage.v1") continue;
    for (const auto &s : f.service()) {
      for (const auto &m : s.method()) {
        google::protobuf::MethodOptions opt;
        ASSERT_TRUE(opt.ParseFromString(m.options().SerializeAsString()));
        EXPECT_TRUE(opt.HasExtension(nuage::v1::access)) << s.name() << "." << m.name();
        rpcs++;
      }
    }
  }
  EXPECT_GT(rpcs, 60u);
}

}  // namespace
