/*
 * reflection_index.h — the answers of gRPC server reflection, without gRPC.
 *
 * Server reflection (grpc.reflection.v1alpha and v1 ServerReflectionInfo)
 * lets tools such as grpcurl discover the served services and download
 * their .proto descriptors. This module owns the logic: it indexes the
 * FileDescriptorSet embedded in the binary (protoc --include_imports
 * --descriptor_set_out) once at start, then answers one request at a time.
 * The transport owns the bidi stream and the (de)coding.
 *
 * Both protocol versions use the v1alpha types: grpc.reflection.v1 and
 * v1alpha declare the same messages with the same field numbers and types,
 * so their encodings are identical and only the method path differs.
 *
 * Files are served as the exact bytes they have inside the set (the set is
 * split at the wire level, not re-encoded), so clients see what protoc wrote.
 */
#ifndef NU_RPC_REFLECTION_INDEX_H
#define NU_RPC_REFLECTION_INDEX_H

#include <stddef.h>

#include "grpc/reflection/v1alpha/reflection.pb-c.h"
#include "server/common/arena.h"
#include "server/common/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_reflection_index nu_reflection_index;

/*
 * Builds the index of a serialized google.protobuf.FileDescriptorSet.
 *
 * set/set_len: the set's bytes; copied, so the caller keeps ownership.
 * services/n_services: fully qualified names of the services the server
 * actually serves, listed in this order by list_services; copied. Each must
 * be a service declared in the set.
 *
 * Fails with INVALID_ARGUMENT (message is a literal naming what is wrong)
 * when the set is malformed or truncated, a file is unnamed or present
 * twice, a dependency or a served service is missing from the set, or a
 * symbol is declared twice; RESOURCE_EXHAUSTED when out of memory. On
 * success *out is the index, which the caller frees with
 * nu_reflection_index_free; on failure *out is NULL.
 *
 * The index is immutable once built: any number of threads may answer from
 * it at the same time.
 */
nu_status nu_reflection_index_new(const unsigned char *set, size_t set_len,
                                  const char *const *services, size_t n_services,
                                  nu_reflection_index **out);

/* NULL is ignored. */
void nu_reflection_index_free(nu_reflection_index *ix);

/* Number of files in the set (for tests and start-up logs). */
size_t nu_reflection_index_file_count(const nu_reflection_index *ix);

/*
 * Answers one ServerReflectionRequest.
 *
 * Fills *resp_out (initialised here): valid_host is a copy of req->host,
 * original_request borrows req (which must outlive *resp_out), and exactly
 * one of:
 *   list_services_response    the served services;
 *   file_descriptor_response  for file_by_filename, file_containing_symbol
 *                             and file_containing_extension: the file's
 *                             serialized FileDescriptorProto followed by
 *                             those of all its transitive dependencies, each
 *                             once;
 *   all_extension_numbers_response  the extension numbers declared for a
 *                             known message type (possibly none);
 *   error_response            NOT_FOUND (5) for an unknown file, symbol,
 *                             type or extension, INVALID_ARGUMENT (3) for a
 *                             request that asks nothing.
 * Such errors are answers, not failures: the return value is OK. Everything
 * allocated (strings, arrays, file bytes) belongs to the arena a.
 *
 * Returns RESOURCE_EXHAUSTED when the arena runs out of memory; *resp_out is
 * then incomplete and must not be sent.
 */
nu_status nu_reflection_answer(const nu_reflection_index *ix,
                               const Grpc__Reflection__V1alpha__ServerReflectionRequest *req,
                               nu_arena *a,
                               Grpc__Reflection__V1alpha__ServerReflectionResponse *resp_out);

#ifdef __cplusplus
}
#endif

#endif
