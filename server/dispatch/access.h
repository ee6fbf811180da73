/*
 * access.h — each method's access rule, read from the descriptor set.
 *
 * Access is declared once, on the RPC in the .proto: the method option
 * (nuage.v1.access) of api/nuage/v1/access.proto. The rows of the method
 * table do not repeat it; at start the server reads every row's rule from
 * the FileDescriptorSet embedded in the binary (the one server reflection
 * serves) and fills the row's access, section and level. Any row it cannot
 * fill stops the server: a method with no rule is never silently public.
 *
 * The services the server provides without owning their .proto
 * (grpc.health.v1.Health, grpc.reflection v1 and v1alpha) cannot carry the
 * option; they are public by the explicit list in access.c.
 */
#ifndef NU_DISPATCH_ACCESS_H
#define NU_DISPATCH_ACCESS_H

#include <stddef.h>
#include <stdint.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The field number of (nuage.v1.access) on google.protobuf.MethodOptions
 * (api/nuage/v1/access.proto). protoc-c generates nothing for extensions:
 * the option arrives among MethodOptions' unknown fields. */
#define NU_ACCESS_OPTION_NUMBER 51000

/*
 * Fills the access, section and level of rows[0..n) from the serialized
 * google.protobuf.FileDescriptorSet set (set_len bytes; borrowed, only read
 * during the call). Each row's path "/pkg.Service/Method" must name a
 * method of the set; a nuage.v1 method (any method outside the explicit
 * public list) must carry (nuage.v1.access) with a kind, and a section
 * and a visitor or manager level exactly when the kind is SECTION. A row
 * must not set access, section or level itself: the .proto is the one
 * place they are declared.
 *
 * Returns NULL when every row was filled. Otherwise returns a static
 * description of the first problem (lower case, no period) and sets *bad
 * to the index of the row concerned, or to n when the set itself is
 * unusable; rows before *bad are filled, the others are left as they were.
 */
const char *nu_method_access_load(const uint8_t *set, size_t set_len, nu_method *rows, size_t n,
                                  size_t *bad);

#ifdef __cplusplus
}
#endif

#endif
