/*
 * server.h — the gRPC server: listening, completion queues, shutdown.
 *
 * Built on the gRPC C core. Each row of the method table is registered;
 * a catch-all answers any other path with UNIMPLEMENTED at once. Completion
 * queues each have one thread that runs the transport and inline handlers;
 * handlers that may block run on a worker pool.
 */
#ifndef NU_TRANSPORT_SERVER_H
#define NU_TRANSPORT_SERVER_H

#include <stdint.h>

#include "server/auth/auth.h"
#include "server/common/arena.h"
#include "server/common/net_address.h"
#include "server/common/status.h"
#include "server/dispatch/method.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_server nu_server;

/* Counts one call of m (a row with a rate_limit class) from client, the
 * limit key of the effective client address (nu_ip_limit_key; "" when the
 * peer is no IP address), before deadline_ns; RESOURCE_EXHAUSTED with a
 * retry delay when over the limit. */
typedef nu_status (*nu_rate_limit_fn)(void *ctx, const nu_method *m, const char *client,
                                      int64_t deadline_ns, nu_arena *a);

typedef struct nu_rate_limiter {
  nu_rate_limit_fn check;
  void *ctx;
} nu_rate_limiter;

typedef struct nu_server_options {
  const char *listen;             /* "host:port", validated by nu_listen_address_check */
  int cq_threads;                 /* ≥ 1 */
  int workers;                    /* ≥ 1 */
  int slots_per_method;           /* pending requests per method and queue; 0: 32 */
  int64_t default_deadline_ns;    /* for unary calls without a client deadline */
  int max_message_bytes;          /* larger requests get RESOURCE_EXHAUSTED */
  const nu_method_table *table;   /* borrowed; must outlive the server */
  const nu_auth *auth;            /* borrowed */
  const nu_rate_limiter *limiter; /* borrowed; NULL: no per-address limits */
  /* Peers whose x-forwarded-for names the client (borrowed; NULL: none). */
  const nu_cidr_list *trusted_proxies;
  void *app; /* handed to handlers via nu_call_app */
  /* Called once if the shutdown grace period runs out, before the calls
   * left are cancelled: stops work gRPC cannot cancel (running SQL). */
  void (*on_grace_over)(void *ctx);
  void *grace_ctx;
} nu_server_options;

/* Checks "host:port": host an IPv4 address, a bracketed IPv6 address or a
 * name; port 0..65535 in decimal (0: any free port). On error returns -1
 * and a static explanation in *why. */
int nu_listen_address_check(const char *listen, const char **why);

/* Creates, binds and starts the server. *port is the bound port. Caller
 * frees with nu_server_free after nu_server_shutdown. */
nu_status nu_server_start(const nu_server_options *opts, nu_arena *a, nu_server **out, int *port);

/* Stops accepting calls, lets the calls in flight finish for up to grace_ns,
 * then runs on_grace_over and cancels what is left, and stops the threads. */
void nu_server_shutdown(nu_server *s, int64_t grace_ns);

void nu_server_free(nu_server *s);

#ifdef __cplusplus
}
#endif

#endif
