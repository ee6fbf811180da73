/*
 * workers.c — mutex + condition variable job queue.
 */
#include "server/transport/workers.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

typedef struct nu_job {
  struct nu_job *next;
  void (*fn)(void *);
  void *arg;
} nu_job;

struct nu_workers {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  nu_job *head, *tail;
  bool stopping;
  int n;
  pthread_t *threads;
};

static void *worker_main(void *p) {
  nu_workers *w = p;
  pthread_mutex_lock(&w->mu);
  for (;;) {
    while (w->head == NULL && !w->stopping) pthread_cond_wait(&w->cv, &w->mu);
    nu_job *j = w->head;
    if (j == NULL) break; /* stopping and drained */
    w->head = j->next;
    if (w->head == NULL) w->tail = NULL;
    pthread_mutex_unlock(&w->mu);
    j->fn(j->arg);
    free(j);
    pthread_mutex_lock(&w->mu);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

nu_workers *nu_workers_new(int n) {
  if (n < 1) return NULL; /* queued jobs would never run */
  nu_workers *w = calloc(1, sizeof(*w));
  if (w == NULL) return NULL;
  pthread_mutex_init(&w->mu, NULL);
  pthread_cond_init(&w->cv, NULL);
  w->threads = calloc((size_t)n, sizeof(pthread_t));
  if (w->threads == NULL) {
    free(w);
    return NULL;
  }
  for (int i = 0; i < n; i++) {
    if (pthread_create(&w->threads[i], NULL, worker_main, w) != 0) {
      nu_workers_free(w);
      return NULL;
    }
    w->n++;
  }
  return w;
}

int nu_workers_submit(nu_workers *w, void (*fn)(void *), void *arg) {
  nu_job *j = malloc(sizeof(*j));
  if (j == NULL) return -1;
  j->next = NULL;
  j->fn = fn;
  j->arg = arg;
  pthread_mutex_lock(&w->mu);
  if (w->stopping) {
    pthread_mutex_unlock(&w->mu);
    free(j);
    return -1;
  }
  if (w->tail != NULL) {
    w->tail->next = j;
  } else {
    w->head = j;
  }
  w->tail = j;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->mu);
  return 0;
}

void nu_workers_free(nu_workers *w) {
  if (w == NULL) return;
  pthread_mutex_lock(&w->mu);
  w->stopping = true;
  pthread_cond_broadcast(&w->cv);
  pthread_mutex_unlock(&w->mu);
  for (int i = 0; i < w->n; i++) pthread_join(w->threads[i], NULL);
  free(w->threads);
  pthread_cond_destroy(&w->cv);
  pthread_mutex_destroy(&w->mu);
  free(w);
}
