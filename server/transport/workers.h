/*
 * workers.h — a fixed pool of threads running queued jobs in FIFO order.
 */
#ifndef NU_TRANSPORT_WORKERS_H
#define NU_TRANSPORT_WORKERS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_workers nu_workers;

/* Starts n ≥ 1 threads; NULL when n < 1 or a thread cannot be started. */
nu_workers *nu_workers_new(int n);

/* Queues fn(arg). Returns 0, or -1 once the pool is stopping. */
int nu_workers_submit(nu_workers *w, void (*fn)(void *), void *arg);

/* Runs every queued job, then joins the threads and frees the pool. */
void nu_workers_free(nu_workers *w);

#ifdef __cplusplus
}
#endif

#endif
