/*
 * method.c — lookups and sanity checks over the method table.
 */
#include "server/dispatch/method.h"

#include <string.h>

const nu_method *nu_method_find(const nu_method_table *t, const char *path) {
  for (size_t i = 0; i < t->count; i++) {
    if (strcmp(t->rows[i].path, path) == 0) return &t->rows[i];
  }
  return NULL;
}

int nu_method_service_name(const char *path, char *buf, size_t cap) {
  if (path == NULL || path[0] != '/') return -1;
  const char *slash = strchr(path + 1, '/');
  if (slash == NULL || slash == path + 1 || slash[1] == '\0' || strchr(slash + 1, '/') != NULL) {
    return -1;
  }
  size_t n = (size_t)(slash - (path + 1));
  if (n + 1 > cap) return -1;
  memcpy(buf, path + 1, n);
  buf[n] = '\0';
  return 0;
}

const char *nu_method_table_check(const nu_method_table *t, const nu_method **bad) {
  char service[256];
  for (size_t i = 0; i < t->count; i++) {
    const nu_method *m = &t->rows[i];
    *bad = m;
    if (nu_method_service_name(m->path, service, sizeof(service)) != 0) {
      return "malformed method path";
    }
    /* An unknown access value would fall through auth's checks as if it
     * were a section row on no section; a section past the enum would index
     * past nu_principal.levels. */
    if ((unsigned)m->kind > NU_BIDI_STREAMING || (unsigned)m->run_on > NU_RUN_INLINE ||
        (unsigned)m->access > NU_ACCESS_AUTHENTICATED ||
        (unsigned)m->section > NU_SECTION_STOREFRONT || (unsigned)m->level > NU_LEVEL_MANAGER) {
      return "kind, run_on, access, section or level outside its enum";
    }
    if (m->access == NU_ACCESS_UNSPECIFIED) return "no declared access";
    if (m->request == NULL || m->response == NULL) return "missing message descriptor";
    if (m->kind == NU_UNARY && m->unary == NULL) return "unary method without a unary handler";
    if (m->kind != NU_UNARY && m->stream == NULL)
      return "streaming method without a stream handler";
    if (m->access == NU_ACCESS_SECTION &&
        (m->section == NU_SECTION_NONE || m->level == NU_LEVEL_NONE)) {
      return "section access without a section and a level";
    }
    if (m->access != NU_ACCESS_SECTION && m->section != NU_SECTION_NONE) {
      return "section given on a method that is not section-controlled";
    }
    for (size_t j = 0; j < i; j++) {
      if (strcmp(t->rows[j].path, m->path) == 0) return "duplicate method path";
    }
  }
  *bad = NULL;
  return NULL;
}
