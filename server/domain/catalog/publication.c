/*
 * publication.c — the product and version state machine (DOMAIN.md §3).
 */
#include "server/domain/catalog/publication.h"

#include <stddef.h>
#include <string.h>

static const char *const names[NU_PUBLICATION_STATE_COUNT] = {NULL, "draft", "published",
                                                              "unpublished"};

const char *nu_publication_state_name(nu_publication_state s) {
  return s > NU_PUBLICATION_UNSPECIFIED && s < NU_PUBLICATION_STATE_COUNT ? names[s] : NULL;
}

nu_publication_state nu_publication_state_parse(const char *s) {
  for (int i = 1; s != NULL && i < NU_PUBLICATION_STATE_COUNT; i++) {
    if (strcmp(s, names[i]) == 0) return (nu_publication_state)i;
  }
  return NU_PUBLICATION_UNSPECIFIED;
}

static int publish(nu_publication_subject what, nu_publication_state from,
                   const nu_publication_facts *f, nu_publication_transition *out, nu_refusal *why) {
  *out = (nu_publication_transition){.to = NU_PUBLICATION_PUBLISHED};
  if (from == NU_PUBLICATION_PUBLISHED) return 0; /* already: nothing changes */
  if (what == NU_PUBLICATION_PRODUCT) {
    if (f == NULL || !f->seller_validated) {
      return nu_refuse(why, "ORGANIZATION_NOT_VALIDATED",
                       "the seller organization is not validated: only a validated organization "
                       "can publish");
    }
    if (!f->has_active_plan) {
      return nu_refuse(why, "NO_ACTIVE_PLAN",
                       "the product has no active pricing plan: add one before publishing");
    }
  }
  out->changed = true;
  return 0;
}

static int unpublish(nu_publication_subject what, nu_publication_state from,
                     const nu_publication_facts *f, nu_publication_transition *out,
                     nu_refusal *why) {
  if (from != NU_PUBLICATION_PUBLISHED) {
    return what == NU_PUBLICATION_PRODUCT
               ? nu_refuse(why, "PRODUCT_NOT_PUBLISHED", "the product is not published")
               : nu_refuse(why, "VERSION_NOT_PUBLISHED", "the version is not published");
  }
  *out = (nu_publication_transition){.to = NU_PUBLICATION_UNPUBLISHED, .changed = true};
  out->notify_withdrawn =
      what == NU_PUBLICATION_PRODUCT || (f != NULL && f->published_versions_left == 0);
  return 0;
}

int nu_publication_next(nu_publication_subject what, nu_publication_state from,
                        nu_publication_event ev, const nu_publication_facts *f,
                        nu_publication_transition *out, nu_refusal *why) {
  if (nu_publication_state_name(from) == NULL) {
    return nu_refuse(why, "PUBLICATION_STATE_UNKNOWN", "the publication state is unknown");
  }
  switch (ev) {
    case NU_PUBLICATION_EVENT_PUBLISH: return publish(what, from, f, out, why);
    case NU_PUBLICATION_EVENT_UNPUBLISH: return unpublish(what, from, f, out, why);
  }
  return nu_refuse(why, "PUBLICATION_EVENT_UNKNOWN", "unknown publication event");
}
