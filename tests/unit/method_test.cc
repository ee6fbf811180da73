// method_test.cc — the method table: lookups, service names, the soundness
// check, and the real table the server registers.
//
// The real table is also compared with the descriptor set the server embeds
// (what the .proto files declare), read with C++ libprotobuf: a row whose
// request type or streaming kind disagrees with its .proto fails here.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "nuage/v1/diagnostics.pb-c.h"
#include "server/dispatch/method.h"
#include "server/dispatch/methods.h"

extern "C" {
extern const unsigned char nu_descriptor_set[];
extern const size_t nu_descriptor_set_len;
}

namespace {

nu_status Unary(nu_call *, const ProtobufCMessage *, ProtobufCMessage **) { return nu_ok(); }
void Stream(nu_call *, const ProtobufCMessage *) {}

nu_method Row(const char *path, nu_method_kind kind = NU_UNARY) {
  nu_method m{};
  m.path = path;
  m.request = &nuage__v1__sleep_request__descriptor;
  m.response = &nuage__v1__sleep_response__descriptor;
  m.kind = kind;
  m.access = NU_ACCESS_PUBLIC;
  if (kind == NU_UNARY) {
    m.unary = Unary;
  } else {
    m.stream = Stream;
  }
  return m;
}

nu_method SectionRow(const char *path, nu_section s, nu_level l) {
  nu_method m = Row(path);
  m.access = NU_ACCESS_SECTION;
  m.section = s;
  m.level = l;
  return m;
}

// ---- nu_method_find ------------------------------------------------------

TEST(MethodFind, FindsExactPathsOnly) {
  std::vector<nu_method> rows = {Row("/a.S/M"), Row("/a.S/N"), Row("/b.T/M")};
  nu_method_table t = {rows.data(), rows.size()};
  EXPECT_EQ(nu_method_find(&t, "/a.S/M"), &rows[0]);
  EXPECT_EQ(nu_method_find(&t, "/a.S/N"), &rows[1]);
  EXPECT_EQ(nu_method_find(&t, "/b.T/M"), &rows[2]);
  EXPECT_EQ(nu_method_find(&t, "/a.S/Mx"), nullptr);
  EXPECT_EQ(nu_method_find(&t, "/a.S/"), nullptr);
  EXPECT_EQ(nu_method_find(&t, "/a.s/m"), nullptr) << "paths are case-sensitive";
  EXPECT_EQ(nu_method_find(&t, ""), nullptr);
}

TEST(MethodFind, EmptyTable) {
  nu_method_table t = {nullptr, 0};
  EXPECT_EQ(nu_method_find(&t, "/a.S/M"), nullptr);
}

// ---- nu_method_service_name ----------------------------------------------

TEST(ServiceName, Valid) {
  char buf[128];
  ASSERT_EQ(nu_method_service_name("/grpc.health.v1.Health/Check", buf, sizeof(buf)), 0);
  EXPECT_STREQ(buf, "grpc.health.v1.Health");
  ASSERT_EQ(nu_method_service_name("/S/M", buf, sizeof(buf)), 0);
  EXPECT_STREQ(buf, "S");
}

TEST(ServiceName, BufferExactlyLargeEnough) {
  char buf[2] = {'#', '#'};
  ASSERT_EQ(nu_method_service_name("/S/M", buf, 2), 0);
  EXPECT_STREQ(buf, "S");
  char small[8];
  memset(small, '#', sizeof(small));
  EXPECT_EQ(nu_method_service_name("/abcdefgh/M", small, 8), -1) << "8 chars need 9 bytes";
  for (char c : small) EXPECT_EQ(c, '#') << "nothing written on failure";
  EXPECT_EQ(nu_method_service_name("/S/M", buf, 1), -1);
  EXPECT_EQ(nu_method_service_name("/S/M", buf, 0), -1);
}

TEST(ServiceName, Malformed) {
  char buf[64];
  const char *bad[] = {"",       "/",       "//",     "//M",      "/S",     "/S/",
                       "S/M",    "/S/M/",   "/S/M/X", "grpc.health.v1.Health/Check",
                       "/S//M"};
  for (const char *p : bad) EXPECT_EQ(nu_method_service_name(p, buf, sizeof(buf)), -1) << p;
  EXPECT_EQ(nu_method_service_name(nullptr, buf, sizeof(buf)), -1);
}

// ---- nu_method_table_check -----------------------------------------------

const char *Check(std::vector<nu_method> &rows, const nu_method **bad) {
  nu_method_table t = {rows.data(), rows.size()};
  *bad = reinterpret_cast<const nu_method *>(0x1);
  return nu_method_table_check(&t, bad);
}

TEST(TableCheck, SoundTable) {
  std::vector<nu_method> rows = {
      Row("/a.S/M"),
      Row("/a.S/Stream", NU_SERVER_STREAMING),
      Row("/a.S/Bidi", NU_BIDI_STREAMING),
      SectionRow("/a.S/Orders", NU_SECTION_ORDERS, NU_LEVEL_VISITOR),
      SectionRow("/a.S/Users", NU_SECTION_USERS, NU_LEVEL_MANAGER),
  };
  nu_method op = Row("/a.S/Op");
  op.access = NU_ACCESS_OPERATOR;
  rows.push_back(op);
  const nu_method *bad;
  EXPECT_EQ(Check(rows, &bad), nullptr);
  EXPECT_EQ(bad, nullptr);
}

TEST(TableCheck, EmptyTableIsSound) {
  std::vector<nu_method> rows;
  const nu_method *bad;
  EXPECT_EQ(Check(rows, &bad), nullptr);
  EXPECT_EQ(bad, nullptr);
}

// Each failure the check detects, placed after a good row so that *bad must
// name the right one.
struct Broken {
  const char *what;
  nu_method row;
};

std::vector<Broken> BrokenRows() {
  std::vector<Broken> v;
  for (const char *p : {"", "noslash", "/S", "/S/", "//M", "/S/M/X"}) {
    v.push_back({"malformed path", Row(p)});
  }
  nu_method m = Row("/x.S/M");
  m.path = nullptr;
  v.push_back({"null path", m});
  m = Row("/x.S/M");
  m.request = nullptr;
  v.push_back({"no request descriptor", m});
  m = Row("/x.S/M");
  m.response = nullptr;
  v.push_back({"no response descriptor", m});
  m = Row("/x.S/M");
  m.unary = nullptr;
  m.stream = Stream;
  v.push_back({"unary row with only a stream handler", m});
  m = Row("/x.S/M", NU_SERVER_STREAMING);
  m.stream = nullptr;
  m.unary = Unary;
  v.push_back({"server streaming row without a stream handler", m});
  m = Row("/x.S/M", NU_BIDI_STREAMING);
  m.stream = nullptr;
  v.push_back({"bidi row without a stream handler", m});
  v.push_back({"section row without a section", SectionRow("/x.S/M", NU_SECTION_NONE, NU_LEVEL_VISITOR)});
  v.push_back({"section row without a level", SectionRow("/x.S/M", NU_SECTION_ORDERS, NU_LEVEL_NONE)});
  m = Row("/x.S/M");
  m.section = NU_SECTION_INVOICES;
  v.push_back({"public row naming a section", m});
  m.access = NU_ACCESS_OPERATOR;
  v.push_back({"operator row naming a section", m});
  return v;
}

TEST(TableCheck, DetectsEachProblemAndNamesTheRow) {
  for (auto &b : BrokenRows()) {
    std::vector<nu_method> rows = {Row("/ok.S/First"), b.row, Row("/ok.S/Last")};
    const nu_method *bad;
    const char *why = Check(rows, &bad);
    EXPECT_NE(why, nullptr) << b.what;
    EXPECT_EQ(bad, &rows[1]) << b.what << ": " << (why ? why : "(accepted)");
  }
}

TEST(TableCheck, DuplicatePathNamesTheSecondRow) {
  std::vector<nu_method> rows = {Row("/a.S/M"), Row("/a.S/N"), Row("/a.S/M")};
  const nu_method *bad;
  const char *why = Check(rows, &bad);
  ASSERT_NE(why, nullptr);
  EXPECT_NE(std::string(why).find("duplicate"), std::string::npos) << why;
  EXPECT_EQ(bad, &rows[2]);
}

TEST(TableCheck, ReportsTheFirstProblem) {
  nu_method nohandler = Row("/a.S/M");
  nohandler.unary = nullptr;
  std::vector<nu_method> rows = {Row("/a.S/A"), nohandler, Row("bad")};
  const nu_method *bad;
  ASSERT_NE(Check(rows, &bad), nullptr);
  EXPECT_EQ(bad, &rows[1]);
}

TEST(Names, SectionsAndLevels) {
  const char *const sections[] = {"none",   "contract",      "dashboard", "catalogue",
                                  "orders", "subscriptions", "invoices",  "support",
                                  "users",  "storefront"};
  for (int s = 0; s <= NU_SECTION_STOREFRONT; s++) {
    EXPECT_STREQ(nu_section_name(static_cast<nu_section>(s)), sections[s]);
  }
  EXPECT_STREQ(nu_section_name(static_cast<nu_section>(NU_SECTION_STOREFRONT + 1)), "unknown");
  EXPECT_STREQ(nu_section_name(static_cast<nu_section>(-1)), "unknown");
  EXPECT_STREQ(nu_level_name(NU_LEVEL_NONE), "none");
  EXPECT_STREQ(nu_level_name(NU_LEVEL_VISITOR), "visitor");
  EXPECT_STREQ(nu_level_name(NU_LEVEL_MANAGER), "manager");
  EXPECT_STREQ(nu_level_name(static_cast<nu_level>(7)), "unknown");
}

// ---- the real table --------------------------------------------------------

nu_method_table Build(bool diagnostics) {
  nu_methods_options opts = {};
  opts.diagnostics = diagnostics;
  nu_method_table t = {nullptr, 0};
  const char *bad_path = nullptr;
  const char *problem = nu_methods_build(&opts, &t, &bad_path);
  EXPECT_EQ(problem, nullptr) << problem << " at " << (bad_path ? bad_path : "?");
  return t;
}

std::set<std::string> Services(const nu_method_table &t) {
  char names[16][128];
  size_t n = nu_methods_services(&t, names, 16);
  std::set<std::string> out;
  for (size_t i = 0; i < n; i++) out.insert(names[i]);
  EXPECT_EQ(out.size(), n) << "nu_methods_services listed a service twice";
  return out;
}

const std::set<std::string> kBaseServices = {
    "grpc.health.v1.Health",
    "grpc.reflection.v1alpha.ServerReflection",
    "grpc.reflection.v1.ServerReflection",
    "nuage.v1.SystemService",
};

TEST(RealTable, PassesTheCheckWithAndWithoutDiagnostics) {
  for (bool diag : {false, true}) {
    nu_method_table t = Build(diag);
    ASSERT_GT(t.count, 0u);
    const nu_method *bad = nullptr;
    const char *why = nu_method_table_check(&t, &bad);
    EXPECT_EQ(why, nullptr) << "diagnostics " << diag << ": " << why << " at "
                            << (bad && bad->path ? bad->path : "?");
  }
}

TEST(RealTable, EveryRowDeclaresItsAccess) {
  nu_method_table t = Build(true);
  for (size_t i = 0; i < t.count; i++) {
    const nu_method &m = t.rows[i];
    SCOPED_TRACE(m.path);
    EXPECT_TRUE(m.access == NU_ACCESS_PUBLIC || m.access == NU_ACCESS_SECTION ||
                m.access == NU_ACCESS_OPERATOR || m.access == NU_ACCESS_AUTHENTICATED);
    if (m.access == NU_ACCESS_SECTION) {
      EXPECT_NE(m.section, NU_SECTION_NONE);
      EXPECT_LE(m.section, NU_SECTION_STOREFRONT);
      EXPECT_NE(m.level, NU_LEVEL_NONE);
    } else {
      EXPECT_EQ(m.section, NU_SECTION_NONE);
    }
    EXPECT_TRUE(m.run_on == NU_RUN_WORKER || m.run_on == NU_RUN_INLINE);
  }
}

TEST(RealTable, ListsTheExpectedServices) {
  std::set<std::string> served = Services(Build(false));
  for (const auto &s : kBaseServices) EXPECT_EQ(served.count(s), 1u) << s;
  EXPECT_EQ(served.count("nuage.v1.DiagnosticsService"), 0u);
  std::set<std::string> with = served;
  with.insert("nuage.v1.DiagnosticsService");
  EXPECT_EQ(Services(Build(true)), with);
}

TEST(RealTable, DiagnosticsOnlyWhenEnabled) {
  const char *sleep = "/nuage.v1.DiagnosticsService/Sleep";
  nu_method_table off = Build(false);
  size_t off_count = off.count;
  EXPECT_EQ(nu_method_find(&off, sleep), nullptr);
  nu_method_table on = Build(true);
  EXPECT_EQ(on.count, off_count + 3) << "Sleep, AdvanceClock and SetClock";
  EXPECT_EQ(nu_method_find(&off, "/nuage.v1.DiagnosticsService/SetClock"), nullptr);
  const nu_method *m = nu_method_find(&on, sleep);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->run_on, NU_RUN_WORKER) << "Sleep touches the database";
  EXPECT_NE(m->validate, nullptr) << "Sleep bounds duration_ms";
}

TEST(RealTable, ServicesRespectsCap) {
  nu_method_table t = Build(true);
  char names[2][128];
  EXPECT_EQ(nu_methods_services(&t, names, 2), 2u);
  EXPECT_EQ(nu_methods_services(&t, names, 0), 0u);
}

TEST(RealTable, KnownPathsResolve) {
  nu_method_table t = Build(false);
  for (const char *p : {"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
                        "/nuage.v1.SystemService/GetServerInfo",
                        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"}) {
    EXPECT_NE(nu_method_find(&t, p), nullptr) << p;
  }
  EXPECT_EQ(nu_method_find(&t, "/grpc.health.v1.Health/List"), nullptr);
}

// Same field numbers with the same types, recursively. Rows may decode with
// a twin message of another package (the v1 reflection service reuses the
// v1alpha messages, which are identical on the wire); anything else must be
// the declared type itself.
bool WireCompatible(const google::protobuf::Descriptor *a, const google::protobuf::Descriptor *b,
                    std::set<std::pair<const void *, const void *>> *seen) {
  if (a == b) return true;
  if (a->name() != b->name()) return false;
  if (!seen->insert({a, b}).second) return true;
  if (a->field_count() != b->field_count()) return false;
  for (int i = 0; i < a->field_count(); i++) {
    const google::protobuf::FieldDescriptor *fa = a->field(i);
    const google::protobuf::FieldDescriptor *fb = b->FindFieldByNumber(fa->number());
    if (fb == nullptr || fa->type() != fb->type() || fa->is_repeated() != fb->is_repeated()) {
      return false;
    }
    if (fa->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE &&
        !WireCompatible(fa->message_type(), fb->message_type(), seen)) {
      return false;
    }
    if (fa->type() == google::protobuf::FieldDescriptor::TYPE_ENUM &&
        fa->enum_type()->value_count() != fb->enum_type()->value_count()) {
      return false;
    }
  }
  return true;
}

// Every row agrees with its .proto: the method exists, takes and returns the
// row's messages (or wire-identical twins), and streams as the row says.
TEST(RealTable, RowsMatchTheProtoDeclarations) {
  google::protobuf::FileDescriptorSet set;
  ASSERT_TRUE(set.ParseFromArray(nu_descriptor_set, static_cast<int>(nu_descriptor_set_len)));
  google::protobuf::DescriptorPool pool;
  for (const auto &f : set.file()) ASSERT_NE(pool.BuildFile(f), nullptr) << f.name();

  nu_method_table t = Build(true);
  for (size_t i = 0; i < t.count; i++) {
    const nu_method &m = t.rows[i];
    SCOPED_TRACE(m.path);
    std::string full = std::string(m.path + 1);
    std::replace(full.begin(), full.end(), '/', '.');
    const google::protobuf::MethodDescriptor *md = pool.FindMethodByName(full);
    ASSERT_NE(md, nullptr) << "no such method in the .proto files";
    const google::protobuf::Descriptor *req = pool.FindMessageTypeByName(m.request->name);
    const google::protobuf::Descriptor *resp = pool.FindMessageTypeByName(m.response->name);
    ASSERT_NE(req, nullptr) << m.request->name;
    ASSERT_NE(resp, nullptr) << m.response->name;
    std::set<std::pair<const void *, const void *>> seen;
    EXPECT_TRUE(WireCompatible(md->input_type(), req, &seen))
        << md->input_type()->full_name() << " vs " << m.request->name;
    EXPECT_TRUE(WireCompatible(md->output_type(), resp, &seen))
        << md->output_type()->full_name() << " vs " << m.response->name;
    switch (m.kind) {
      case NU_UNARY:
        EXPECT_FALSE(md->client_streaming());
        EXPECT_FALSE(md->server_streaming());
        break;
      case NU_SERVER_STREAMING:
        EXPECT_FALSE(md->client_streaming());
        EXPECT_TRUE(md->server_streaming());
        break;
      case NU_BIDI_STREAMING:
        EXPECT_TRUE(md->client_streaming());
        EXPECT_TRUE(md->server_streaming());
        break;
    }
  }
}

// Regression: values outside the enums passed the check, and an unknown
// access value was then treated by auth like a section row on section 0
// (open to any authenticated caller); a section beyond the enum indexes
// past nu_principal.levels.
TEST(TableCheck, RejectsValuesOutsideTheEnums) {
  nu_method unknown_access = Row("/a.S/M");
  unknown_access.access = static_cast<nu_access>(NU_ACCESS_AUTHENTICATED + 1);
  nu_method unknown_section =
      SectionRow("/a.S/M", static_cast<nu_section>(NU_SECTION_STOREFRONT + 1), NU_LEVEL_VISITOR);
  nu_method unknown_level = SectionRow("/a.S/M", NU_SECTION_ORDERS, static_cast<nu_level>(3));
  nu_method unknown_kind = Row("/a.S/M", static_cast<nu_method_kind>(3));
  nu_method unknown_run_on = Row("/a.S/M");
  unknown_run_on.run_on = static_cast<nu_run_on>(2);
  for (const nu_method &m :
       {unknown_access, unknown_section, unknown_level, unknown_kind, unknown_run_on}) {
    std::vector<nu_method> rows = {Row("/ok.S/First"), m};
    const nu_method *bad;
    const char *why = Check(rows, &bad);
    EXPECT_NE(why, nullptr) << "access " << m.access << " section " << m.section << " level "
                            << m.level << " kind " << m.kind << " run_on " << m.run_on;
    EXPECT_EQ(bad, &rows[1]);
  }
}

// A row that forgets `.access` must not be silently public.
TEST(TableCheck, RejectsUndeclaredAccess) {
  nu_method forgot = Row("/a.S/M");
  forgot.access = NU_ACCESS_UNSPECIFIED;
  std::vector<nu_method> rows = {Row("/ok.S/First"), forgot};
  const nu_method *bad;
  EXPECT_NE(Check(rows, &bad), nullptr);
  EXPECT_EQ(bad, &rows[1]);
}

}  // namespace
