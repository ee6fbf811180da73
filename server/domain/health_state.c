/*
 * health_state.c — a small table of service statuses.
 */
#include "server/domain/health_state.h"

#include <string.h>

void nu_health_state_init(nu_health_state *s) { memset(s, 0, sizeof(*s)); }

static int find(const nu_health_state *s, const char *name) {
  for (size_t i = 0; i < s->count; i++) {
    if (strcmp(s->services[i].name, name) == 0) return (int)i;
  }
  return -1;
}

int nu_health_state_set(nu_health_state *s, const char *name, nu_health_status status) {
  if (strlen(name) >= NU_HEALTH_MAX_NAME) return -1;
  if (s->shut_down && status != NU_HEALTH_NOT_SERVING) return 0;
  int i = find(s, name);
  if (i < 0) {
    if (s->count == NU_HEALTH_MAX_SERVICES) return -1;
    i = (int)s->count++;
    strcpy(s->services[i].name, name);
    s->services[i].status = status;
    return 1;
  }
  if (s->services[i].status == status) return 0;
  s->services[i].status = status;
  return 1;
}

nu_health_status nu_health_state_get(const nu_health_state *s, const char *name) {
  int i = find(s, name);
  return i < 0 ? NU_HEALTH_SERVICE_UNKNOWN : s->services[i].status;
}

void nu_health_state_shutdown(nu_health_state *s) {
  for (size_t i = 0; i < s->count; i++) s->services[i].status = NU_HEALTH_NOT_SERVING;
  s->shut_down = true;
}

const char *nu_health_status_name(nu_health_status st) {
  switch (st) {
    case NU_HEALTH_UNKNOWN: return "UNKNOWN";
    case NU_HEALTH_SERVING: return "SERVING";
    case NU_HEALTH_NOT_SERVING: return "NOT_SERVING";
    case NU_HEALTH_SERVICE_UNKNOWN: return "SERVICE_UNKNOWN";
  }
  return "UNKNOWN";
}
