/*
 * access.c — filling the method table's access rules from the (nuage.v1.access)
 * option of each method in the embedded descriptor set.
 *
 * The set is unpacked once with protobuf-c (a few hundred kilobytes, once
 * at start); each row is then looked up by service and method name. The
 * option is an extension, which protoc-c does not generate: it is found
 * among the unknown fields of the method's MethodOptions and unpacked as a
 * nuage.v1.AccessRule.
 */
#include "server/dispatch/access.h"

#include <stdbool.h>
#include <string.h>

#include "google/protobuf/descriptor.pb-c.h"
#include "nuage/v1/access.pb-c.h"

/* Served by the server, declared in .proto files that are not ours (so they
 * cannot carry the option): anyone may call them. Health checks come from
 * load balancers, reflection from tools such as grpcurl; neither reveals
 * anything the .proto files do not. Adding a service here makes it public. */
static const char *const nu_public_foreign_services[] = {
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
};

static bool is_public_foreign(const char *service) {
  size_t n = sizeof(nu_public_foreign_services) / sizeof(nu_public_foreign_services[0]);
  for (size_t i = 0; i < n; i++) {
    if (strcmp(nu_public_foreign_services[i], service) == 0) return true;
  }
  return false;
}

/* Whether package "." name (or name alone, for no package) is full. */
static bool full_name_is(const char *package, const char *name, const char *full) {
  if (package != NULL && package[0] != '\0') {
    size_t p = strlen(package);
    if (strncmp(full, package, p) != 0 || full[p] != '.') return false;
    full += p + 1;
  }
  return strcmp(full, name) == 0;
}

static const Google__Protobuf__MethodDescriptorProto *find_method(
    const Google__Protobuf__FileDescriptorSet *set, const char *service, const char *method) {
  for (size_t f = 0; f < set->n_file; f++) {
    const Google__Protobuf__FileDescriptorProto *file = set->file[f];
    for (size_t s = 0; s < file->n_service; s++) {
      const Google__Protobuf__ServiceDescriptorProto *svc = file->service[s];
      if (svc->name == NULL || !full_name_is(file->package, svc->name, service)) continue;
      for (size_t m = 0; m < svc->n_method; m++) {
        if (svc->method[m]->name != NULL && strcmp(svc->method[m]->name, method) == 0) {
          return svc->method[m];
        }
      }
    }
  }
  return NULL;
}

static int section_from_api(Nuage__V1__Section s, nu_section *out) {
  switch (s) {
    case NUAGE__V1__SECTION__SECTION_CONTRACT: *out = NU_SECTION_CONTRACT; return 0;
    case NUAGE__V1__SECTION__SECTION_DASHBOARD: *out = NU_SECTION_DASHBOARD; return 0;
    case NUAGE__V1__SECTION__SECTION_CATALOGUE: *out = NU_SECTION_CATALOGUE; return 0;
    case NUAGE__V1__SECTION__SECTION_ORDERS: *out = NU_SECTION_ORDERS; return 0;
    case NUAGE__V1__SECTION__SECTION_SUBSCRIPTIONS: *out = NU_SECTION_SUBSCRIPTIONS; return 0;
    case NUAGE__V1__SECTION__SECTION_INVOICES: *out = NU_SECTION_INVOICES; return 0;
    case NUAGE__V1__SECTION__SECTION_SUPPORT: *out = NU_SECTION_SUPPORT; return 0;
    case NUAGE__V1__SECTION__SECTION_USERS: *out = NU_SECTION_USERS; return 0;
    case NUAGE__V1__SECTION__SECTION_STOREFRONT: *out = NU_SECTION_STOREFRONT; return 0;
    default: return -1;
  }
}

/* Only the levels that open something: a SECTION rule at LEVEL_NONE would
 * let every member in, which is AUTHENTICATED spelled misleadingly. */
static int level_from_api(Nuage__V1__Level l, nu_level *out) {
  switch (l) {
    case NUAGE__V1__LEVEL__LEVEL_VISITOR: *out = NU_LEVEL_VISITOR; return 0;
    case NUAGE__V1__LEVEL__LEVEL_MANAGER: *out = NU_LEVEL_MANAGER; return 0;
    default: return -1;
  }
}

/* protobuf-c keeps a length-delimited unknown field with its length prefix
 * (a varint): *skip is the prefix's size, and the prefix must announce
 * exactly the bytes that follow. Returns 0, or -1 when it does not. */
static int length_prefix(const uint8_t *data, size_t len, size_t *skip) {
  uint64_t n = 0;
  for (size_t i = 0; i < len && i < 10; i++) {
    n |= (uint64_t)(data[i] & 0x7f) << (7 * i);
    if ((data[i] & 0x80) == 0) {
      *skip = i + 1;
      return n == len - *skip ? 0 : -1;
    }
  }
  return -1;
}

/* The row's rule from the method's options; NULL on success. */
static const char *rule_of(const Google__Protobuf__MethodDescriptorProto *md, nu_method *row) {
  const ProtobufCMessageUnknownField *opt = NULL;
  if (md->options != NULL) {
    const ProtobufCMessage *base = &md->options->base;
    for (unsigned i = 0; i < base->n_unknown_fields; i++) {
      if (base->unknown_fields[i].tag != NU_ACCESS_OPTION_NUMBER) continue;
      if (opt != NULL) return "(nuage.v1.access) given twice";
      opt = &base->unknown_fields[i];
    }
  }
  if (opt == NULL) return "no (nuage.v1.access) option on the method";
  size_t skip = 0;
  if (opt->wire_type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED ||
      length_prefix(opt->data, opt->len, &skip) != 0) {
    return "(nuage.v1.access) is not an AccessRule";
  }
  Nuage__V1__AccessRule *rule =
      nuage__v1__access_rule__unpack(NULL, opt->len - skip, opt->data + skip);
  if (rule == NULL) return "(nuage.v1.access) is not an AccessRule";

  const char *problem = NULL;
  nu_section section = NU_SECTION_NONE;
  nu_level level = NU_LEVEL_NONE;
  nu_access access = NU_ACCESS_UNSPECIFIED;
  switch (rule->kind) {
    case NUAGE__V1__ACCESS_KIND__ACCESS_KIND_PUBLIC: access = NU_ACCESS_PUBLIC; break;
    case NUAGE__V1__ACCESS_KIND__ACCESS_KIND_AUTHENTICATED: access = NU_ACCESS_AUTHENTICATED; break;
    case NUAGE__V1__ACCESS_KIND__ACCESS_KIND_OPERATOR: access = NU_ACCESS_OPERATOR; break;
    case NUAGE__V1__ACCESS_KIND__ACCESS_KIND_SECTION: access = NU_ACCESS_SECTION; break;
    default: problem = "(nuage.v1.access) has no kind, or one this server does not know"; goto done;
  }
  if (access == NU_ACCESS_SECTION) {
    if (section_from_api(rule->section, &section) != 0 ||
        level_from_api(rule->level, &level) != 0) {
      problem = "a SECTION rule needs a section and a level of visitor or manager";
      goto done;
    }
  } else if (rule->section != NUAGE__V1__SECTION__SECTION_UNSPECIFIED ||
             rule->level != NUAGE__V1__LEVEL__LEVEL_UNSPECIFIED) {
    problem = "section or level given on a rule that is not SECTION";
    goto done;
  }
  row->access = access;
  row->section = section;
  row->level = level;

done:
  nuage__v1__access_rule__free_unpacked(rule, NULL);
  return problem;
}

const char *nu_method_access_load(const uint8_t *set_bytes, size_t set_len, nu_method *rows,
                                  size_t n, size_t *bad) {
  const char *problem = NULL;
  *bad = n;
  Google__Protobuf__FileDescriptorSet *set =
      google__protobuf__file_descriptor_set__unpack(NULL, set_len, set_bytes);
  if (set == NULL) {
    problem = "the descriptor set does not parse";
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    nu_method *row = &rows[i];
    char service[256];
    *bad = i;
    if (row->path == NULL || nu_method_service_name(row->path, service, sizeof(service)) != 0) {
      problem = "malformed method path";
      goto done;
    }
    if (row->access != NU_ACCESS_UNSPECIFIED || row->section != NU_SECTION_NONE ||
        row->level != NU_LEVEL_NONE) {
      problem = "the row sets its own access: declare it with (nuage.v1.access) in the .proto";
      goto done;
    }
    const char *method = strrchr(row->path, '/') + 1;
    const Google__Protobuf__MethodDescriptorProto *md = find_method(set, service, method);
    if (md == NULL) {
      problem = "no method of that path in the descriptor set";
      goto done;
    }
    if (is_public_foreign(service)) {
      row->access = NU_ACCESS_PUBLIC;
      continue;
    }
    problem = rule_of(md, row);
    if (problem != NULL) goto done;
  }
  *bad = n;

done:
  if (set != NULL) google__protobuf__file_descriptor_set__free_unpacked(set, NULL);
  return problem;
}
