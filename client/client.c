/*
 * client.c — the client's transport: channel, unary calls, server-streaming
 * reads and bidirectional streams over gRPC's C core.
 *
 * The only file of the client that includes <grpc/grpc.h>. Each API call
 * starts gRPC batches on the client's pluck completion queue and plucks
 * every tag it started before it returns or, for streams, before the stream
 * is closed: gRPC writes into the metadata arrays, byte buffers and slices
 * of a batch until its tag is plucked, so they live in the call's frame or
 * in the stream, never shorter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/slice.h>
#include <grpc/support/time.h>

#include "client/internal.h"

struct nu_client {
  grpc_channel *channel;
  grpc_completion_queue *cq;
};

/* What one call sends: request metadata and the serialized request. */
typedef struct outgoing {
  grpc_metadata *metadata;
  size_t metadata_count;
  grpc_byte_buffer *message;
} outgoing;

/* What one call receives; gRPC fills it while the batches run. */
typedef struct incoming {
  grpc_metadata_array initial_metadata;
  grpc_metadata_array trailing_metadata;
  grpc_byte_buffer *message;
  grpc_status_code code;
  grpc_slice details;
} incoming;

struct nu_client_stream {
  nu_client *client;
  grpc_call *call;
  outgoing out;
  incoming in;
  /* The addresses of these tell the batches apart on the queue. */
  char send_tag, read_tag, status_tag;
  int send_pending, read_pending, status_pending;
  int initial_metadata_asked; /* the first read also asks for headers */
  int ended;
  nu_client_status final_status; /* kept to answer reads after the end */
};

static gpr_timespec deadline_after(int64_t timeout_ms) {
  if (timeout_ms <= 0) return gpr_inf_future(GPR_CLOCK_MONOTONIC);
  return gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(timeout_ms, GPR_TIMESPAN));
}

/* Blocks until tag completes. Every started batch completes: with the
 * call's deadline or a cancel at the latest. */
static grpc_event pluck(grpc_completion_queue *cq, void *tag) {
  return grpc_completion_queue_pluck(cq, tag, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
}

int nu_client_open(const char *target, nu_client **out) {
  int rc = -1;
  nu_client *client = NULL;
  grpc_channel_credentials *creds = NULL;

  if (out == NULL) return -1;
  *out = NULL;
  if (target == NULL || target[0] == '\0') return -1;
  client = calloc(1, sizeof *client);
  if (client == NULL) return -1;
  grpc_init();
  creds = grpc_insecure_credentials_create();
  if (creds == NULL) goto done;
  client->channel = grpc_channel_create(target, creds, NULL);
  client->cq = grpc_completion_queue_create_for_pluck(NULL);
  if (client->channel == NULL || client->cq == NULL) goto done;
  *out = client;
  client = NULL;
  rc = 0;
done:
  if (creds != NULL) grpc_channel_credentials_release(creds);
  nu_client_close(client);
  return rc;
}

void nu_client_close(nu_client *client) {
  if (client == NULL) return;
  if (client->channel != NULL) grpc_channel_destroy(client->channel);
  if (client->cq != NULL) {
    grpc_completion_queue_shutdown(client->cq);
    /* Every tag was plucked already; this only waits for the shutdown. */
    while (grpc_completion_queue_pluck(client->cq, NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL)
               .type != GRPC_QUEUE_SHUTDOWN) {
    }
    grpc_completion_queue_destroy(client->cq);
  }
  free(client);
  grpc_shutdown();
}

static void outgoing_free(outgoing *out) {
  for (size_t i = 0; i < out->metadata_count; i++) {
    grpc_slice_unref(out->metadata[i].key);
    grpc_slice_unref(out->metadata[i].value);
  }
  free(out->metadata);
  if (out->message != NULL) grpc_byte_buffer_destroy(out->message);
  memset(out, 0, sizeof *out);
}

/*
 * Copies the request metadata into slices and serializes the request.
 * Returns 0, or a gRPC code with status set. Values are checked here, not
 * only by gRPC, so a refused value is reported without quoting it: it may
 * be a bearer token.
 */
static int outgoing_build(const ProtobufCMessage *request, const nu_client_options *options,
                          outgoing *out, nu_client_status *status) {
  size_t count = options != NULL ? options->metadata_count : 0;
  grpc_slice body;

  memset(out, 0, sizeof *out);
  if (count > 0) {
    out->metadata = calloc(count, sizeof *out->metadata);
    if (out->metadata == NULL) goto oom;
  }
  for (size_t i = 0; i < count; i++) {
    const nu_client_pair *pair = &options->metadata[i];
    grpc_metadata *md = &out->metadata[i];
    if (pair->key == NULL || pair->value == NULL) {
      nu_client_status_set(status, GRPC_STATUS_INVALID_ARGUMENT, "metadata without a value",
                           strlen("metadata without a value"));
      return GRPC_STATUS_INVALID_ARGUMENT;
    }
    md->key = grpc_slice_from_copied_string(pair->key);
    md->value = grpc_slice_from_copied_string(pair->value);
    out->metadata_count++;
    if (!grpc_header_key_is_legal(md->key) ||
        (!grpc_is_binary_header(md->key) && !grpc_header_nonbin_value_is_legal(md->value))) {
      char *msg = NULL;
      if (asprintf(&msg, "invalid request metadata %s: illegal characters", pair->key) < 0)
        goto oom;
      nu_client_status_set(status, GRPC_STATUS_INVALID_ARGUMENT, msg, strlen(msg));
      free(msg);
      return GRPC_STATUS_INVALID_ARGUMENT;
    }
  }

  body = grpc_slice_malloc(protobuf_c_message_get_packed_size(request));
  protobuf_c_message_pack(request, GRPC_SLICE_START_PTR(body));
  out->message = grpc_raw_byte_buffer_create(&body, 1);
  grpc_slice_unref(body);
  if (out->message == NULL) goto oom;
  return 0;
oom:
  nu_client_status_set(status, GRPC_STATUS_INTERNAL, "out of memory", strlen("out of memory"));
  return GRPC_STATUS_INTERNAL;
}

static void incoming_init(incoming *in) {
  memset(in, 0, sizeof *in);
  grpc_metadata_array_init(&in->initial_metadata);
  grpc_metadata_array_init(&in->trailing_metadata);
  in->code = GRPC_STATUS_UNKNOWN;
  in->details = grpc_empty_slice();
}

static void incoming_free(incoming *in) {
  grpc_metadata_array_destroy(&in->initial_metadata);
  grpc_metadata_array_destroy(&in->trailing_metadata);
  if (in->message != NULL) grpc_byte_buffer_destroy(in->message);
  grpc_slice_unref(in->details);
  memset(in, 0, sizeof *in);
}

static const grpc_metadata *find_metadata(const grpc_metadata_array *array, const char *key) {
  for (size_t i = 0; i < array->count; i++)
    if (grpc_slice_str_cmp(array->metadata[i].key, key) == 0) return &array->metadata[i];
  return NULL;
}

/*
 * Fills status from a finished call: code, grpc-message, the decoded
 * grpc-status-details-bin and x-request-id. A server that fails before
 * sending headers answers "trailers only", so the request id is looked for
 * in the trailers too. gRPC has already base64-decoded the -bin value.
 */
static int status_from_incoming(const incoming *in, nu_client_status *status) {
  const grpc_metadata *md;

  if (nu_client_status_set(status, (int)in->code, (const char *)GRPC_SLICE_START_PTR(in->details),
                           GRPC_SLICE_LENGTH(in->details)) != 0)
    goto oom;
  if (status->message != NULL && status->message[0] == '\0') {
    free(status->message);
    status->message = NULL;
  }
  md = find_metadata(&in->initial_metadata, "x-request-id");
  if (md == NULL) md = find_metadata(&in->trailing_metadata, "x-request-id");
  if (md != NULL) {
    status->request_id = nu_client_strndup((const char *)GRPC_SLICE_START_PTR(md->value),
                                           GRPC_SLICE_LENGTH(md->value));
    if (status->request_id == NULL) goto oom;
  }
  md = find_metadata(&in->trailing_metadata, "grpc-status-details-bin");
  if (md != NULL && in->code != GRPC_STATUS_OK) {
    /* Undecodable details leave a status without details: the code and
     * message still say what happened. */
    (void)nu_client_decode_status_details(GRPC_SLICE_START_PTR(md->value),
                                          GRPC_SLICE_LENGTH(md->value), status);
  }
  return (int)in->code;
oom:
  nu_client_status_set(status, GRPC_STATUS_INTERNAL, "out of memory", strlen("out of memory"));
  return GRPC_STATUS_INTERNAL;
}

/* Decodes a received message (NULL when none came). */
static ProtobufCMessage *decode_message(grpc_byte_buffer *buffer,
                                        const ProtobufCMessageDescriptor *desc) {
  grpc_byte_buffer_reader reader;
  grpc_slice all;
  ProtobufCMessage *message;

  if (buffer == NULL || !grpc_byte_buffer_reader_init(&reader, buffer)) return NULL;
  all = grpc_byte_buffer_reader_readall(&reader);
  message =
      protobuf_c_message_unpack(desc, NULL, GRPC_SLICE_LENGTH(all), GRPC_SLICE_START_PTR(all));
  grpc_slice_unref(all);
  grpc_byte_buffer_reader_destroy(&reader);
  return message;
}

static int local_error(nu_client_status *status, int code, const char *message) {
  nu_client_status_set(status, code, message, strlen(message));
  return code;
}

static grpc_call *create_call(nu_client *client, const char *method, int64_t timeout_ms) {
  grpc_slice path = grpc_slice_from_copied_string(method);
  grpc_call *call =
      grpc_channel_create_call(client->channel, NULL, GRPC_PROPAGATE_DEFAULTS, client->cq, path,
                               NULL, deadline_after(timeout_ms), NULL);
  grpc_slice_unref(path);
  return call;
}

/* The ops that send the request and half-close: a server-streaming or
 * unary call sends exactly one message. Returns the number of ops. */
static size_t send_ops(outgoing *out, grpc_op *ops) {
  memset(ops, 0, 3 * sizeof *ops);
  ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
  ops[0].data.send_initial_metadata.count = out->metadata_count;
  ops[0].data.send_initial_metadata.metadata = out->metadata;
  ops[1].op = GRPC_OP_SEND_MESSAGE;
  ops[1].data.send_message.send_message = out->message;
  ops[2].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
  return 3;
}

static void recv_status_op(incoming *in, grpc_op *op) {
  memset(op, 0, sizeof *op);
  op->op = GRPC_OP_RECV_STATUS_ON_CLIENT;
  op->data.recv_status_on_client.trailing_metadata = &in->trailing_metadata;
  op->data.recv_status_on_client.status = &in->code;
  op->data.recv_status_on_client.status_details = &in->details;
}

int nu_client_call(nu_client *client, const char *method, const ProtobufCMessage *request,
                   const ProtobufCMessageDescriptor *response_desc,
                   const nu_client_options *options, ProtobufCMessage **response,
                   nu_client_status *status) {
  int rc;
  grpc_call *call = NULL;
  outgoing out;
  incoming in;
  grpc_op ops[6];
  size_t n;
  grpc_call_error err;
  char tag;

  if (client == NULL || method == NULL || request == NULL || response_desc == NULL ||
      response == NULL || status == NULL)
    return -1;
  *response = NULL;
  nu_client_status_clear(status);
  incoming_init(&in);
  rc = outgoing_build(request, options, &out, status);
  if (rc != 0) goto done;
  call = create_call(client, method, options != NULL ? options->timeout_ms : 0);
  if (call == NULL) {
    rc = local_error(status, GRPC_STATUS_INTERNAL, "cannot create the call");
    goto done;
  }

  n = send_ops(&out, ops);
  memset(&ops[n], 0, 3 * sizeof ops[0]);
  ops[n].op = GRPC_OP_RECV_INITIAL_METADATA;
  ops[n++].data.recv_initial_metadata.recv_initial_metadata = &in.initial_metadata;
  ops[n].op = GRPC_OP_RECV_MESSAGE;
  ops[n++].data.recv_message.recv_message = &in.message;
  recv_status_op(&in, &ops[n++]);
  err = grpc_call_start_batch(call, ops, n, &tag, NULL);
  if (err != GRPC_CALL_OK) {
    rc = local_error(status,
                     err == GRPC_CALL_ERROR_INVALID_METADATA ? GRPC_STATUS_INVALID_ARGUMENT
                                                             : GRPC_STATUS_INTERNAL,
                     grpc_call_error_to_string(err));
    goto done;
  }
  /* With RECV_STATUS in the batch it reports success whatever the call's
   * fate: the outcome is in the status. */
  (void)pluck(client->cq, &tag);

  rc = status_from_incoming(&in, status);
  if (rc != GRPC_STATUS_OK) goto done;
  if (in.message == NULL) {
    rc = local_error(status, GRPC_STATUS_INTERNAL, "the server sent no response message");
    goto done;
  }
  *response = decode_message(in.message, response_desc);
  if (*response == NULL)
    rc = local_error(status, GRPC_STATUS_INTERNAL, "cannot decode the response message");
done:
  if (call != NULL) grpc_call_unref(call);
  outgoing_free(&out);
  incoming_free(&in);
  return rc;
}

/* Opens a stream and sends its first message; half_close ends the
 * client's side with it (server streaming) or leaves it open (bidi). */
static int stream_open(nu_client *client, const char *method, const ProtobufCMessage *request,
                       const nu_client_options *options, int half_close, nu_client_stream **out) {
  nu_client_stream *s;
  grpc_op ops[3];
  size_t n;
  grpc_call_error err;

  if (out == NULL) return -1;
  *out = NULL;
  if (client == NULL || method == NULL || request == NULL) return -1;
  s = calloc(1, sizeof *s);
  if (s == NULL) return -1;
  s->client = client;
  incoming_init(&s->in);
  *out = s;

  /* A local failure ends the stream at once; the first read reports it. */
  if (outgoing_build(request, options, &s->out, &s->final_status) != 0) {
    s->ended = 1;
    return 0;
  }
  s->call = create_call(client, method, options != NULL ? options->timeout_ms : 0);
  if (s->call == NULL) {
    local_error(&s->final_status, GRPC_STATUS_INTERNAL, "cannot create the call");
    s->ended = 1;
    return 0;
  }
  n = send_ops(&s->out, ops);
  if (!half_close) n--; /* drops SEND_CLOSE_FROM_CLIENT: more messages follow */
  err = grpc_call_start_batch(s->call, ops, n, &s->send_tag, NULL);
  if (err != GRPC_CALL_OK) {
    local_error(&s->final_status,
                err == GRPC_CALL_ERROR_INVALID_METADATA ? GRPC_STATUS_INVALID_ARGUMENT
                                                        : GRPC_STATUS_INTERNAL,
                grpc_call_error_to_string(err));
    s->ended = 1;
    return 0;
  }
  s->send_pending = 1;
  /* Asked for now, collected when reads see the end or at close. */
  recv_status_op(&s->in, &ops[0]);
  if (grpc_call_start_batch(s->call, ops, 1, &s->status_tag, NULL) == GRPC_CALL_OK)
    s->status_pending = 1;
  else
    grpc_call_cancel(s->call, NULL);
  return 0;
}

int nu_client_stream_open(nu_client *client, const char *method, const ProtobufCMessage *request,
                          const nu_client_options *options, nu_client_stream **out) {
  return stream_open(client, method, request, options, 1, out);
}

int nu_client_bidi_open(nu_client *client, const char *method, const ProtobufCMessage *first,
                        const nu_client_options *options, nu_client_stream **out) {
  return stream_open(client, method, first, options, 0, out);
}

int nu_client_stream_write(nu_client_stream *s, const ProtobufCMessage *message, int last) {
  grpc_op ops[2];
  grpc_slice body;

  if (s == NULL || message == NULL || s->ended || s->call == NULL) return -1;
  /* One send at a time: wait for the previous one, then drop its buffer. */
  if (s->send_pending) {
    grpc_event ev = pluck(s->client->cq, &s->send_tag);
    s->send_pending = 0;
    if (!ev.success) return -1;
  }
  if (s->out.message != NULL) {
    grpc_byte_buffer_destroy(s->out.message);
    s->out.message = NULL;
  }
  body = grpc_slice_malloc(protobuf_c_message_get_packed_size(message));
  protobuf_c_message_pack(message, GRPC_SLICE_START_PTR(body));
  s->out.message = grpc_raw_byte_buffer_create(&body, 1);
  grpc_slice_unref(body);
  if (s->out.message == NULL) return -1;
  memset(ops, 0, sizeof ops);
  ops[0].op = GRPC_OP_SEND_MESSAGE;
  ops[0].data.send_message.send_message = s->out.message;
  ops[1].op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
  if (grpc_call_start_batch(s->call, ops, last ? 2 : 1, &s->send_tag, NULL) != GRPC_CALL_OK)
    return -1;
  s->send_pending = 1;
  return 0;
}

/* Waits for every batch still running; the call must be over or cancelled. */
static void stream_drain(nu_client_stream *s) {
  if (s->read_pending) pluck(s->client->cq, &s->read_tag);
  if (s->send_pending) pluck(s->client->cq, &s->send_tag);
  if (s->status_pending) pluck(s->client->cq, &s->status_tag);
  s->read_pending = s->send_pending = s->status_pending = 0;
}

/* Ends the stream with the server's status, or with a local one when
 * local_code is not 0 (the call is cancelled first). */
static void stream_finish(nu_client_stream *s, int local_code, const char *local_message) {
  int had_status = s->status_pending;

  if (local_code != 0) grpc_call_cancel(s->call, NULL);
  stream_drain(s);
  if (local_code != 0)
    local_error(&s->final_status, local_code, local_message);
  else if (had_status)
    status_from_incoming(&s->in, &s->final_status);
  else
    local_error(&s->final_status, GRPC_STATUS_INTERNAL, "cannot receive the call's status");
  s->ended = 1;
}

/* The caller gets its own copy of the final status: reads after the end
 * answer the same. */
static int copy_final_status(const nu_client_stream *s, nu_client_status *status) {
  if (nu_client_status_copy(&s->final_status, status) != 0)
    local_error(status, GRPC_STATUS_INTERNAL, "out of memory");
  return NU_CLIENT_STREAM_END;
}

int nu_client_stream_read(nu_client_stream *s, int64_t timeout_ms,
                          const ProtobufCMessageDescriptor *message_desc,
                          ProtobufCMessage **message, nu_client_status *status) {
  grpc_op ops[2];
  size_t n = 0;
  grpc_event ev;
  gpr_timespec until;

  if (s == NULL || message_desc == NULL || message == NULL || status == NULL) return -1;
  *message = NULL;
  nu_client_status_clear(status);
  if (s->ended) return copy_final_status(s, status);

  if (!s->read_pending) {
    memset(ops, 0, sizeof ops);
    if (!s->initial_metadata_asked) {
      ops[n].op = GRPC_OP_RECV_INITIAL_METADATA;
      ops[n++].data.recv_initial_metadata.recv_initial_metadata = &s->in.initial_metadata;
    }
    ops[n].op = GRPC_OP_RECV_MESSAGE;
    ops[n++].data.recv_message.recv_message = &s->in.message;
    if (grpc_call_start_batch(s->call, ops, n, &s->read_tag, NULL) != GRPC_CALL_OK) {
      stream_finish(s, GRPC_STATUS_INTERNAL, "cannot start reading the stream");
      return copy_final_status(s, status);
    }
    s->initial_metadata_asked = 1;
    s->read_pending = 1;
  }

  if (timeout_ms < 0)
    until = gpr_inf_future(GPR_CLOCK_MONOTONIC);
  else
    until =
        gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC), gpr_time_from_millis(timeout_ms, GPR_TIMESPAN));
  ev = grpc_completion_queue_pluck(s->client->cq, &s->read_tag, until, NULL);
  if (ev.type == GRPC_QUEUE_TIMEOUT) return NU_CLIENT_STREAM_TIMEOUT;
  s->read_pending = 0;

  if (ev.success && s->in.message != NULL) {
    *message = decode_message(s->in.message, message_desc);
    grpc_byte_buffer_destroy(s->in.message);
    s->in.message = NULL;
    if (*message != NULL) return NU_CLIENT_STREAM_MESSAGE;
    stream_finish(s, GRPC_STATUS_INTERNAL, "cannot decode a stream message");
    return copy_final_status(s, status);
  }
  /* No message: the server ended the stream, or the call failed. */
  stream_finish(s, 0, NULL);
  return copy_final_status(s, status);
}

void nu_client_stream_close(nu_client_stream *s) {
  if (s == NULL) return;
  if (s->call != NULL) {
    if (!s->ended) grpc_call_cancel(s->call, NULL);
    stream_drain(s);
    grpc_call_unref(s->call);
  }
  outgoing_free(&s->out);
  incoming_free(&s->in);
  nu_client_status_clear(&s->final_status);
  free(s);
}
