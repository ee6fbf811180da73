/*
 * internal.h — what server.c and call.c share; nothing outside transport/
 * includes this (it is the only place besides them with <grpc/grpc.h>).
 */
#ifndef NU_TRANSPORT_INTERNAL_H
#define NU_TRANSPORT_INTERNAL_H

#include <grpc/grpc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "server/transport/call.h"
#include "server/transport/server.h"
#include "server/transport/workers.h"

/* Every completion-queue tag points at one of these; fn runs on the queue's
 * thread with the event's success flag. */
typedef struct nu_tag {
  void (*fn)(struct nu_tag *tag, bool ok);
} nu_tag;

/* A pending request for a call: to one method, or the catch-all. */
typedef struct nu_slot {
  nu_tag tag;
  nu_server *srv;
  grpc_completion_queue *cq;
  const nu_method *method; /* NULL: catch-all */
  void *registered;        /* gRPC's handle of the method */
  grpc_call *call;
  gpr_timespec deadline;
  grpc_metadata_array md;
  grpc_byte_buffer *payload;
  grpc_call_details details;
} nu_slot;

struct nu_server {
  grpc_server *server;
  grpc_completion_queue **cqs;
  int ncq;
  pthread_t *threads;
  int nthreads;
  grpc_completion_queue *shutdown_cq;
  nu_workers *workers;
  nu_server_options opts;
  nu_slot *slots;
  size_t nslots;
  atomic_bool shutting_down;
};

struct nu_call {
  nu_server *srv;
  grpc_call *call;
  grpc_completion_queue *cq;
  const nu_method *method; /* NULL for an unknown path */
  nu_arena *arena;
  grpc_metadata_array md;
  grpc_byte_buffer *payload;
  const char *path;
  const char *peer;       /* the effective client (see nu_call_peer) */
  const char *client_key; /* its rate-limit key (nu_ip_limit_key), "" if none */
  const char *request_id;
  nu_principal principal;
  int64_t start_ns;
  int64_t deadline_ns;

  pthread_mutex_t mu;
  int refs; /* 1 until the final batch completes, + each batch */
  bool initial_md_sent;
  bool finished; /* nu_call_finish called */
  bool closed;   /* RECV_CLOSE_ON_SERVER completed */
  int cancelled; /* set by RECV_CLOSE_ON_SERVER */

  grpc_metadata initial_md[1];
  grpc_metadata trailing_md[1];
  grpc_slice status_message;
  grpc_slice status_details;
  nu_status final_status;

  nu_tag finish_tag;
  nu_tag close_tag;
  nu_tag send_tag;
  nu_tag recv_tag;
  grpc_byte_buffer *send_buf;
  grpc_byte_buffer *recv_buf;
  nu_call_sent_fn on_sent;
  void *sent_arg;
  nu_call_recv_fn on_recv;
  void *recv_arg;
  nu_call_closed_fn on_closed;
  void *closed_arg;
  bool send_pending;
  bool recv_pending;
};

/* Takes over a matched slot's call and serves it. Runs on the slot's
 * queue thread. */
void nu_call_begin(nu_server *srv, nu_slot *slot);

#endif
