/*
 * status_details.c — an error status as a serialized google.rpc.Status.
 *
 * Sent by the transport in the `grpc-status-details-bin` trailer, where
 * every gRPC client library can decode it.
 */
#include "google/protobuf/any.pb-c.h"
#include "google/protobuf/duration.pb-c.h"
#include "google/rpc/error_details.pb-c.h"
#include "google/rpc/status.pb-c.h"
#include "server/codec/codec.h"

#define NU_TYPE_URL_PREFIX "type.googleapis.com/"

static nu_status pack_any(nu_arena *a, const ProtobufCMessage *msg, Google__Protobuf__Any **out) {
  Google__Protobuf__Any *any = nu_arena_alloc(a, sizeof(*any));
  if (any == NULL) return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
  google__protobuf__any__init(any);
  any->type_url = nu_arena_sprintf(a, NU_TYPE_URL_PREFIX "%s", msg->descriptor->name);
  nu_status st = nu_codec_encode(a, msg, &any->value.data, &any->value.len);
  if (!nu_status_is_ok(&st)) return st;
  *out = any;
  return nu_ok();
}

nu_status nu_codec_status_details(nu_arena *a, const nu_status *st, uint8_t **out, size_t *len) {
  Google__Rpc__Status status;
  google__rpc__status__init(&status);
  status.code = (int32_t)st->code;
  status.message = (char *)(st->message != NULL ? st->message : "");

  Google__Protobuf__Any *details[3];
  status.details = details;

  Google__Rpc__ErrorInfo info;
  if (st->reason != NULL) {
    google__rpc__error_info__init(&info);
    info.reason = (char *)st->reason;
    info.domain = NU_ERROR_DOMAIN;
    nu_status r = pack_any(a, &info.base, &details[status.n_details]);
    if (!nu_status_is_ok(&r)) return r;
    status.n_details++;
  }

  size_t n = nu_status_violation_count(st);
  if (n > 0) {
    Google__Rpc__BadRequest bad;
    google__rpc__bad_request__init(&bad);
    Google__Rpc__BadRequest__FieldViolation **vs = nu_arena_calloc(a, n, sizeof(*vs));
    Google__Rpc__BadRequest__FieldViolation *items = nu_arena_calloc(a, n, sizeof(*items));
    if (vs == NULL || items == NULL) {
      return nu_error(a, NU_RESOURCE_EXHAUSTED, "OUT_OF_MEMORY", "out of memory");
    }
    size_t i = 0;
    for (const nu_violation *v = st->violations; v != NULL; v = v->next, i++) {
      google__rpc__bad_request__field_violation__init(&items[i]);
      items[i].field = (char *)v->field;
      items[i].description = (char *)v->description;
      vs[i] = &items[i];
    }
    bad.field_violations = vs;
    bad.n_field_violations = n;
    nu_status r = pack_any(a, &bad.base, &details[status.n_details]);
    if (!nu_status_is_ok(&r)) return r;
    status.n_details++;
  }
  if (st->retry_delay_ns > 0) {
    Google__Protobuf__Duration delay;
    google__protobuf__duration__init(&delay);
    /* Rounded up: retrying at the delay given must not be refused again. */
    delay.seconds = (st->retry_delay_ns + 999999999) / 1000000000;
    Google__Rpc__RetryInfo retry;
    google__rpc__retry_info__init(&retry);
    retry.retry_delay = &delay;
    nu_status r = pack_any(a, &retry.base, &details[status.n_details]);
    if (!nu_status_is_ok(&r)) return r;
    status.n_details++;
  }
  return nu_codec_encode(a, &status.base, out, len);
}
