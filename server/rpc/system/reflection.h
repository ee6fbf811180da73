/*
 * reflection.h — grpc.reflection.v1alpha and v1 ServerReflectionInfo.
 */
#ifndef NU_RPC_REFLECTION_H
#define NU_RPC_REFLECTION_H

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_reflection_methods[];
extern const size_t nu_reflection_methods_count;

#ifdef __cplusplus
}
#endif

#endif
