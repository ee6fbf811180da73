/*
 * publication.h — the lifecycle of products and of their versions
 * (DOMAIN.md §3).
 *
 *   draft --publish--> published --unpublish--> unpublished --publish--> …
 *
 * Publishing something published changes nothing; unpublishing what is not
 * published is refused. A product needs more than a version to be
 * published: its seller organisation validated and an active pricing plan
 * (the facts). Unpublishing a product, or the last published version of a
 * product, tells its subscribers the product is withdrawn (the effect).
 */
#ifndef NU_DOMAIN_CATALOG_PUBLICATION_H
#define NU_DOMAIN_CATALOG_PUBLICATION_H

#include <stdbool.h>

#include "server/domain/refusal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nu_publication_state {
  NU_PUBLICATION_UNSPECIFIED = 0,
  NU_PUBLICATION_DRAFT = 1,
  NU_PUBLICATION_PUBLISHED = 2,
  NU_PUBLICATION_UNPUBLISHED = 3,
} nu_publication_state;
#define NU_PUBLICATION_STATE_COUNT 4

typedef enum nu_publication_event {
  NU_PUBLICATION_EVENT_PUBLISH = 0,
  NU_PUBLICATION_EVENT_UNPUBLISH = 1,
} nu_publication_event;
#define NU_PUBLICATION_EVENT_COUNT 2

/* What is published: the messages and reasons differ. */
typedef enum nu_publication_subject {
  NU_PUBLICATION_PRODUCT = 0,
  NU_PUBLICATION_VERSION = 1,
} nu_publication_subject;

/* "draft", "published", "unpublished"; NULL otherwise. */
const char *nu_publication_state_name(nu_publication_state s);
nu_publication_state nu_publication_state_parse(const char *s);

/* What publishing a product depends on (ignored for versions). */
typedef struct nu_publication_facts {
  bool seller_validated;
  bool has_active_plan;
  int published_versions_left; /* versions still published once this one is not */
} nu_publication_facts;

typedef struct nu_publication_transition {
  nu_publication_state to;
  bool changed;
  bool notify_withdrawn; /* tell subscribers the product is withdrawn */
} nu_publication_transition;

/* 0 and *out when ev applies; -1 with *why otherwise: for products
 * ORGANIZATION_NOT_VALIDATED, NO_ACTIVE_PLAN, PRODUCT_NOT_PUBLISHED; for
 * versions VERSION_NOT_PUBLISHED; PUBLICATION_STATE_UNKNOWN for both. */
int nu_publication_next(nu_publication_subject what, nu_publication_state from,
                        nu_publication_event ev, const nu_publication_facts *f,
                        nu_publication_transition *out, nu_refusal *why);

#ifdef __cplusplus
}
#endif

#endif
