/*
 * arena.h — one memory pool per call.
 *
 * Every allocation made while serving a call (decoded request, reply,
 * strings, error details) comes from the call's arena and is released at
 * once when the call ends. Cleanups registered on the arena (PGresult,
 * foreign buffers) run then too, in reverse order of registration.
 *
 * An arena is used by one thread at a time.
 */
#ifndef NU_COMMON_ARENA_H
#define NU_COMMON_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nu_arena nu_arena;

/* Returns a new arena, or NULL when out of memory. Caller frees with
 * nu_arena_free. */
nu_arena *nu_arena_new(void);

/* Runs the cleanups, then releases every block. NULL is ignored. */
void nu_arena_free(nu_arena *a);

/* Memory aligned for any type, owned by the arena; NULL when out of
 * memory. Zero bytes returns a valid unique pointer. */
void *nu_arena_alloc(nu_arena *a, size_t size);

/* Like nu_arena_alloc, zero-filled. */
void *nu_arena_calloc(nu_arena *a, size_t count, size_t size);

/* Copies of strings and byte ranges, owned by the arena. nu_arena_strndup
 * copies at most n bytes, stopping at a NUL (as strndup), and always
 * NUL-terminates. */
char *nu_arena_strdup(nu_arena *a, const char *s);
char *nu_arena_strndup(nu_arena *a, const char *s, size_t n);
void *nu_arena_memdup(nu_arena *a, const void *p, size_t n);

/* printf into the arena. */
char *nu_arena_sprintf(nu_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *nu_arena_vsprintf(nu_arena *a, const char *fmt, va_list ap);

/* Registers fn(arg) to run when the arena is freed. Returns 0, or -1 when
 * out of memory (fn is then run at once so nothing leaks). */
int nu_arena_add_cleanup(nu_arena *a, void (*fn)(void *), void *arg);

/* Bytes handed out so far (for tests and limits). */
size_t nu_arena_used(const nu_arena *a);

#ifdef __cplusplus
}
#endif

#endif
