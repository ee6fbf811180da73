/*
 * status.c — the client-side view of a call's outcome.
 *
 * Turns what a server sends in `grpc-status-details-bin` (a serialized
 * google.rpc.Status whose details are google.protobuf.Any) into plain C
 * strings the caller can print without knowing protobuf-c. Kept apart from
 * the transport so it can be tested with bytes alone.
 */
#include <stdlib.h>
#include <string.h>

#include "client/internal.h"
#include "google/protobuf/any.pb-c.h"
#include "google/rpc/error_details.pb-c.h"
#include "google/rpc/status.pb-c.h"

static const char *const code_names[] = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
};

const char *nu_client_code_name(int code) {
  if (code < 0 || (size_t)code >= sizeof code_names / sizeof code_names[0]) return "UNKNOWN_CODE";
  return code_names[code];
}

char *nu_client_strndup(const char *s, size_t len) {
  char *copy = malloc(len + 1);
  if (copy == NULL) return NULL;
  if (len > 0) memcpy(copy, s, len);
  copy[len] = '\0';
  return copy;
}

static char *dup_str(const char *s) { return s == NULL ? NULL : nu_client_strndup(s, strlen(s)); }

/* The decoded details only; code, message and request id stay. */
static void clear_details(nu_client_status *status) {
  free(status->reason);
  free(status->domain);
  for (size_t i = 0; i < status->metadata_count; i++) {
    free((char *)status->metadata[i].key);
    free((char *)status->metadata[i].value);
  }
  free(status->metadata);
  for (size_t i = 0; i < status->violation_count; i++) {
    free(status->violations[i].field);
    free(status->violations[i].description);
  }
  free(status->violations);
  status->reason = NULL;
  status->domain = NULL;
  status->metadata = NULL;
  status->metadata_count = 0;
  status->violations = NULL;
  status->violation_count = 0;
}

void nu_client_status_clear(nu_client_status *status) {
  if (status == NULL) return;
  clear_details(status);
  free(status->message);
  free(status->request_id);
  memset(status, 0, sizeof *status);
}

int nu_client_status_set(nu_client_status *status, int code, const char *message, size_t len) {
  nu_client_status_clear(status);
  status->code = code;
  if (message == NULL) return 0;
  status->message = nu_client_strndup(message, len);
  return status->message == NULL ? -1 : 0;
}

int nu_client_status_copy(const nu_client_status *src, nu_client_status *dst) {
  nu_client_status_clear(dst);
  dst->code = src->code;
  if ((src->message != NULL && (dst->message = dup_str(src->message)) == NULL) ||
      (src->reason != NULL && (dst->reason = dup_str(src->reason)) == NULL) ||
      (src->domain != NULL && (dst->domain = dup_str(src->domain)) == NULL) ||
      (src->request_id != NULL && (dst->request_id = dup_str(src->request_id)) == NULL))
    goto oom;
  if (src->metadata_count > 0 &&
      (dst->metadata = calloc(src->metadata_count, sizeof *dst->metadata)) == NULL)
    goto oom;
  for (size_t i = 0; i < src->metadata_count; i++) {
    nu_client_pair *pair = &dst->metadata[dst->metadata_count++];
    pair->key = dup_str(src->metadata[i].key);
    pair->value = dup_str(src->metadata[i].value);
    if (pair->key == NULL || pair->value == NULL) goto oom;
  }
  if (src->violation_count > 0 &&
      (dst->violations = calloc(src->violation_count, sizeof *dst->violations)) == NULL)
    goto oom;
  for (size_t i = 0; i < src->violation_count; i++) {
    nu_client_field_violation *v = &dst->violations[dst->violation_count++];
    v->field = dup_str(src->violations[i].field);
    v->description = dup_str(src->violations[i].description);
    if (v->field == NULL || v->description == NULL) goto oom;
  }
  return 0;
oom:
  nu_client_status_clear(dst);
  return -1;
}

/* The type name of an Any: what follows the last '/' of its URL, so
 * "type.googleapis.com/google.rpc.ErrorInfo" and any other host match. */
static const char *any_type_name(const Google__Protobuf__Any *any) {
  if (any->type_url == NULL) return "";
  const char *slash = strrchr(any->type_url, '/');
  return slash == NULL ? any->type_url : slash + 1;
}

/* Only the first ErrorInfo counts: a status has one reason. */
static int add_error_info(const Google__Protobuf__Any *any, nu_client_status *status) {
  int rc = 0;
  Google__Rpc__ErrorInfo *info;

  if (status->reason != NULL || status->domain != NULL) return 0;
  info = google__rpc__error_info__unpack(NULL, any->value.len, any->value.data);
  if (info == NULL) return 0; /* a malformed detail is ignored, like an unknown one */
  if (info->reason != NULL && info->reason[0] != '\0' &&
      (status->reason = dup_str(info->reason)) == NULL)
    goto oom;
  if (info->domain != NULL && info->domain[0] != '\0' &&
      (status->domain = dup_str(info->domain)) == NULL)
    goto oom;
  if (info->n_metadata > 0) {
    status->metadata = calloc(info->n_metadata, sizeof *status->metadata);
    if (status->metadata == NULL) goto oom;
    for (size_t i = 0; i < info->n_metadata; i++) {
      nu_client_pair *pair = &status->metadata[status->metadata_count];
      pair->key = dup_str(info->metadata[i]->key ? info->metadata[i]->key : "");
      pair->value = dup_str(info->metadata[i]->value ? info->metadata[i]->value : "");
      status->metadata_count++;
      if (pair->key == NULL || pair->value == NULL) goto oom;
    }
  }
  goto done;
oom:
  rc = -1;
done:
  google__rpc__error_info__free_unpacked(info, NULL);
  return rc;
}

static int add_bad_request(const Google__Protobuf__Any *any, nu_client_status *status) {
  int rc = 0;
  Google__Rpc__BadRequest *bad;
  nu_client_field_violation *grown;

  bad = google__rpc__bad_request__unpack(NULL, any->value.len, any->value.data);
  if (bad == NULL) return 0;
  if (bad->n_field_violations == 0) goto done;
  grown = realloc(status->violations,
                  (status->violation_count + bad->n_field_violations) * sizeof *grown);
  if (grown == NULL) goto oom;
  status->violations = grown;
  for (size_t i = 0; i < bad->n_field_violations; i++) {
    const Google__Rpc__BadRequest__FieldViolation *fv = bad->field_violations[i];
    nu_client_field_violation *v = &status->violations[status->violation_count];
    v->field = dup_str(fv->field ? fv->field : "");
    v->description = dup_str(fv->description ? fv->description : "");
    status->violation_count++;
    if (v->field == NULL || v->description == NULL) goto oom;
  }
  goto done;
oom:
  rc = -1;
done:
  google__rpc__bad_request__free_unpacked(bad, NULL);
  return rc;
}

int nu_client_decode_status_details(const uint8_t *data, size_t len, nu_client_status *status) {
  int rc = 0;
  Google__Rpc__Status *rpc_status = NULL;

  if (status == NULL) return -1;
  clear_details(status);
  if (data == NULL && len > 0) return -1;
  rpc_status = google__rpc__status__unpack(NULL, len, data);
  if (rpc_status == NULL) {
    rc = -1;
    goto done;
  }
  for (size_t i = 0; i < rpc_status->n_details; i++) {
    const Google__Protobuf__Any *any = rpc_status->details[i];
    const char *type = any_type_name(any);
    if (strcmp(type, "google.rpc.ErrorInfo") == 0)
      rc = add_error_info(any, status);
    else if (strcmp(type, "google.rpc.BadRequest") == 0)
      rc = add_bad_request(any, status);
    if (rc != 0) {
      clear_details(status);
      goto done;
    }
  }
done:
  if (rpc_status != NULL) google__rpc__status__free_unpacked(rpc_status, NULL);
  return rc;
}
