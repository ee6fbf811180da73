/*
 * confined_file.h — opening a file named by a client inside one directory.
 *
 * ImportEligibleDomainsFromFile reads a file on the server's machine. The
 * path comes from the request, so it must never reach a file outside the
 * directory the operator configured (--import-dir): not by an absolute
 * path, not by "..", not by a symbolic link, not by a race between a check
 * and the open. The path is therefore opened one component at a time,
 * each relative to the directory already opened and with O_NOFOLLOW: no
 * symbolic link is followed anywhere in it (even one pointing inside),
 * which is stricter than resolving and comparing, and leaves no window in
 * which a swapped component could lead elsewhere. The opened file must be
 * a regular file (fstat of the open descriptor, so no FIFO, device or
 * directory) and no larger than a bound.
 *
 * Whoever can write into the directory itself (hard links, bind mounts)
 * is trusted: that is the operator.
 */
#ifndef NU_COMMON_CONFINED_FILE_H
#define NU_COMMON_CONFINED_FILE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest relative path accepted, in bytes. */
#define NU_CONFINED_PATH_MAX 1024

typedef enum nu_confined_result {
  NU_CONFINED_OK = 0,
  /* No readable regular file there: absent, a symbolic link, a directory,
   * a FIFO or device, not readable by the server. One answer for all, so
   * the caller tells nothing more. */
  NU_CONFINED_UNAVAILABLE = -1,
  NU_CONFINED_TOO_LARGE = -2, /* a regular file larger than the bound */
  NU_CONFINED_NO_DIR = -3,    /* the directory itself cannot be opened */
  NU_CONFINED_BAD_PATH = -4,  /* rel fails nu_confined_path_valid */
} nu_confined_result;

/* True when rel is a clean relative path: 1 to NU_CONFINED_PATH_MAX bytes,
 * no leading or trailing '/', no empty, "." or ".." component. When false
 * and why is not NULL, *why is a static description of the problem. */
bool nu_confined_path_valid(const char *rel, const char **why);

/* Opens dir/rel for reading as described above. On NU_CONFINED_OK, *fd is
 * the open descriptor (caller closes it) and *size the file's size. */
nu_confined_result nu_confined_open(const char *dir, const char *rel, int64_t max_bytes, int *fd,
                                    int64_t *size);

#ifdef __cplusplus
}
#endif

#endif
