/*
 * document_service.h — DocumentService.GetDocument: a document's metadata,
 * then its bytes in chunks (document.proto).
 */
#ifndef NU_RPC_ORDERS_DOCUMENT_SERVICE_H
#define NU_RPC_ORDERS_DOCUMENT_SERVICE_H

#include <stddef.h>

#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const nu_method nu_document_methods[];
extern const size_t nu_document_methods_count;

#ifdef __cplusplus
}
#endif

#endif
