/*
 * internal.h — helpers shared by the client's own files, not installed.
 */
#ifndef NU_CLIENT_INTERNAL_H
#define NU_CLIENT_INTERNAL_H

#include <stddef.h>

#include <nuage/client.h>

/* Clears status and sets code and a copy of message (len bytes, need not be
 * NUL-terminated; NULL for none). Returns 0, or -1 when out of memory (the
 * code is set anyway, without message). */
int nu_client_status_set(nu_client_status *status, int code, const char *message, size_t len);

/* Replaces dst with a deep copy of src. Returns 0, or -1 when out of
 * memory (dst is then cleared). */
int nu_client_status_copy(const nu_client_status *src, nu_client_status *dst);

/* A NUL-terminated copy of len bytes; NULL when out of memory. Caller frees
 * with free. */
char *nu_client_strndup(const char *s, size_t len);

#endif
