/*
 * confined_file.c — see confined_file.h.
 */
#include "server/common/confined_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool nu_confined_path_valid(const char *rel, const char **why) {
  const char *problem = NULL;
  size_t n = rel != NULL ? strlen(rel) : 0;
  if (n == 0) {
    problem = "is required";
  } else if (n > NU_CONFINED_PATH_MAX) {
    problem = "is too long";
  } else if (rel[0] == '/') {
    problem = "must be relative to the server's import directory";
  } else {
    for (const char *c = rel; problem == NULL;) {
      const char *end = strchr(c, '/');
      size_t len = end != NULL ? (size_t)(end - c) : strlen(c);
      if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.')) {
        problem = "must not have empty, \".\" or \"..\" components";
      }
      if (end == NULL) break;
      c = end + 1;
    }
  }
  if (problem != NULL && why != NULL) *why = problem;
  return problem == NULL;
}

nu_confined_result nu_confined_open(const char *dir, const char *rel, int64_t max_bytes, int *fd,
                                    int64_t *size) {
  char buf[NU_CONFINED_PATH_MAX + 1];
  nu_confined_result r = NU_CONFINED_UNAVAILABLE;
  int at = -1, file = -1, flags;
  struct stat st;
  char *name = buf;
  if (!nu_confined_path_valid(rel, NULL)) return NU_CONFINED_BAD_PATH;
  memcpy(buf, rel, strlen(rel) + 1);
  at = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (at < 0) {
    r = NU_CONFINED_NO_DIR;
    goto done;
  }
  for (char *slash; (slash = strchr(name, '/')) != NULL; name = slash + 1) {
    *slash = '\0';
    int next = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    close(at);
    at = next;
    if (at < 0) goto done;
  }
  /* O_NONBLOCK: opening a FIFO must not wait for a writer (fstat refuses
   * it next); O_NOCTTY: a terminal must not become ours. */
  file = openat(at, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (file < 0) goto done;
  if (fstat(file, &st) != 0 || !S_ISREG(st.st_mode)) goto done;
  if ((int64_t)st.st_size > max_bytes) {
    r = NU_CONFINED_TOO_LARGE;
    goto done;
  }
  flags = fcntl(file, F_GETFL);
  if (flags < 0 || fcntl(file, F_SETFL, flags & ~O_NONBLOCK) != 0) goto done;
  *fd = file;
  *size = (int64_t)st.st_size;
  file = -1;
  r = NU_CONFINED_OK;
done:
  if (file >= 0) close(file);
  if (at >= 0) close(at);
  return r;
}
