/*
 * arena.c — bump allocator over a list of blocks, with cleanups.
 *
 * Blocks grow geometrically up to a cap; a request larger than half a block
 * gets a block of its own, so a 4 MiB payload does not waste the next one.
 */
#include "server/common/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NU_ARENA_FIRST_BLOCK 4096
#define NU_ARENA_MAX_BLOCK (256 * 1024)
#define NU_ARENA_ALIGN 16

typedef struct nu_block {
  struct nu_block *next;
  size_t size; /* usable bytes after the header */
  size_t used;
  /* data follows, aligned */
} nu_block;

typedef struct nu_cleanup {
  struct nu_cleanup *next;
  void (*fn)(void *);
  void *arg;
} nu_cleanup;

struct nu_arena {
  nu_block *head;
  nu_cleanup *cleanups;
  size_t next_block;
  size_t total;
};

#define NU_BLOCK_HDR ((sizeof(nu_block) + NU_ARENA_ALIGN - 1) & ~(size_t)(NU_ARENA_ALIGN - 1))

static unsigned char *block_data(nu_block *b) { return (unsigned char *)b + NU_BLOCK_HDR; }

static nu_block *block_new(size_t size) {
  nu_block *b = malloc(NU_BLOCK_HDR + size);
  if (b == NULL) return NULL;
  b->next = NULL;
  b->size = size;
  b->used = 0;
  return b;
}

nu_arena *nu_arena_new(void) {
  nu_arena *a = calloc(1, sizeof(*a));
  if (a == NULL) return NULL;
  a->next_block = NU_ARENA_FIRST_BLOCK;
  return a;
}

void nu_arena_free(nu_arena *a) {
  if (a == NULL) return;
  nu_cleanup *c = a->cleanups;
  while (c != NULL) {
    nu_cleanup *next = c->next;
    c->fn(c->arg);
    c = next;
  }
  nu_block *b = a->head;
  while (b != NULL) {
    nu_block *next = b->next;
    free(b);
    b = next;
  }
  free(a);
}

void *nu_arena_alloc(nu_arena *a, size_t size) {
  if (size == 0) size = 1;
  if (size > SIZE_MAX - NU_ARENA_ALIGN - NU_BLOCK_HDR) return NULL;
  size = (size + NU_ARENA_ALIGN - 1) & ~(size_t)(NU_ARENA_ALIGN - 1);
  nu_block *b = a->head;
  if (b != NULL && b->size - b->used >= size) {
    void *p = block_data(b) + b->used;
    b->used += size;
    a->total += size;
    return p;
  }
  if (size > a->next_block / 2) {
    /* Large request: a block of its own, linked behind the current one so the
     * current block keeps serving small requests. */
    nu_block *big = block_new(size);
    if (big == NULL) return NULL;
    big->used = size;
    if (b != NULL) {
      big->next = b->next;
      b->next = big;
    } else {
      a->head = big;
    }
    a->total += size;
    return block_data(big);
  }
  nu_block *nb = block_new(a->next_block);
  if (nb == NULL) return NULL;
  if (a->next_block < NU_ARENA_MAX_BLOCK) a->next_block *= 2;
  nb->next = a->head;
  a->head = nb;
  nb->used = size;
  a->total += size;
  return block_data(nb);
}

void *nu_arena_calloc(nu_arena *a, size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return NULL;
  void *p = nu_arena_alloc(a, count * size);
  if (p != NULL) memset(p, 0, count * size);
  return p;
}

void *nu_arena_memdup(nu_arena *a, const void *p, size_t n) {
  void *q = nu_arena_alloc(a, n);
  if (q != NULL && n > 0) memcpy(q, p, n);
  return q;
}

char *nu_arena_strndup(nu_arena *a, const char *s, size_t n) {
  /* Like strndup: a shorter string ends at its NUL, never read past it. */
  n = strnlen(s, n);
  char *q = nu_arena_alloc(a, n + 1);
  if (q == NULL) return NULL;
  if (n > 0) memcpy(q, s, n);
  q[n] = '\0';
  return q;
}

char *nu_arena_strdup(nu_arena *a, const char *s) { return nu_arena_strndup(a, s, strlen(s)); }

char *nu_arena_vsprintf(nu_arena *a, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) return NULL;
  char *q = nu_arena_alloc(a, (size_t)n + 1);
  if (q == NULL) return NULL;
  vsnprintf(q, (size_t)n + 1, fmt, ap);
  return q;
}

char *nu_arena_sprintf(nu_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *q = nu_arena_vsprintf(a, fmt, ap);
  va_end(ap);
  return q;
}

int nu_arena_add_cleanup(nu_arena *a, void (*fn)(void *), void *arg) {
  nu_cleanup *c = nu_arena_alloc(a, sizeof(*c));
  if (c == NULL) {
    fn(arg);
    return -1;
  }
  c->fn = fn;
  c->arg = arg;
  c->next = a->cleanups;
  a->cleanups = c;
  return 0;
}

size_t nu_arena_used(const nu_arena *a) { return a->total; }
