/*
 * catalog_common.c — enum mappings and the product view shared by the
 * CatalogService handlers.
 */
#include "server/rpc/catalog/catalog_common.h"

#include <string.h>

#include "server/auth/auth.h"
#include "server/domain/catalog/publication.h"
#include "server/rpc/core/handler.h"
#include "server/validate/enum.h"

/* The database text of each value is the value's name without its enum's
 * prefix, lower-cased (validate/enum.h): PRODUCT_KIND_MACHINE_IMAGE is
 * "machine_image". */
const char *nu_catalog_kind_name(int v) {
  return nu_enum_text(&nuage__v1__product_kind__descriptor, v);
}
int nu_catalog_kind_parse(const char *s) {
  return nu_enum_parse_text(&nuage__v1__product_kind__descriptor, s);
}
const char *nu_catalog_certification_name(int v) {
  return nu_enum_text(&nuage__v1__certification__descriptor, v);
}
int nu_catalog_certification_parse(const char *s) {
  return nu_enum_parse_text(&nuage__v1__certification__descriptor, s);
}
const char *nu_catalog_capability_name(int v) {
  return nu_enum_text(&nuage__v1__capability__descriptor, v);
}
int nu_catalog_capability_parse(const char *s) {
  return nu_enum_parse_text(&nuage__v1__capability__descriptor, s);
}
const char *nu_catalog_pricing_model_name(int v) {
  return nu_enum_text(&nuage__v1__pricing_model__descriptor, v);
}
int nu_catalog_pricing_model_parse(const char *s) {
  return nu_enum_parse_text(&nuage__v1__pricing_model__descriptor, s);
}
/* The API's states are the domain's, value for value. */
int nu_catalog_state_parse(const char *s) { return (int)nu_publication_state_parse(s); }

static char *str(const char *s) { return (char *)(s != NULL ? s : ""); }

/* The API numbers of a list of database texts (arena); unknown texts are
 * dropped rather than shown as UNSPECIFIED. */
static int enums_of(nu_arena *a, const nu_text_list *l, int (*parse)(const char *), int **out,
                    size_t *n) {
  *out = NULL;
  *n = 0;
  if (l->n == 0) return 0;
  *out = nu_arena_calloc(a, l->n, sizeof(**out));
  if (*out == NULL) return -1;
  for (size_t i = 0; i < l->n; i++) {
    int v = parse(l->items[i]);
    if (v != 0) (*out)[(*n)++] = v;
  }
  return 0;
}

nu_status nu_catalog_product_to_api(nu_arena *a, const nu_product_row *r,
                                    Nuage__V1__Product **out) {
  Nuage__V1__Product *p = NU_RPC_NEW(a, Nuage__V1__Product, nuage__v1__product__init);
  if (p == NULL) return nu_rpc_oom(a);
  p->id = str(r->id);
  p->code = str(r->code);
  p->seller_id = str(r->seller_id);
  p->seller_name = str(r->seller_name);
  p->kind = (Nuage__V1__ProductKind)nu_catalog_kind_parse(r->kind);
  p->name = str(r->name);
  p->description = str(r->description);
  p->category = str(r->category);
  p->regions = (char **)r->regions.items;
  p->n_regions = r->regions.n;
  p->extra_eu_law = r->extra_eu_law;
  int *v = NULL;
  size_t n = 0;
  if (enums_of(a, &r->certifications, nu_catalog_certification_parse, &v, &n) != 0) {
    return nu_rpc_oom(a);
  }
  p->certifications = (Nuage__V1__Certification *)v;
  p->n_certifications = n;
  if (enums_of(a, &r->capabilities, nu_catalog_capability_parse, &v, &n) != 0) {
    return nu_rpc_oom(a);
  }
  p->capabilities = (Nuage__V1__Capability *)v;
  p->n_capabilities = n;
  if (enums_of(a, &r->pricing_models, nu_catalog_pricing_model_parse, &v, &n) != 0) {
    return nu_rpc_oom(a);
  }
  p->pricing_models = (Nuage__V1__PricingModel *)v;
  p->n_pricing_models = n;
  if (r->has_min_monthly) {
    Nuage__V1__Money *m = NU_RPC_NEW(a, Nuage__V1__Money, nuage__v1__money__init);
    if (m == NULL) return nu_rpc_oom(a);
    m->amount_cents = r->min_monthly_cents;
    m->currency = "EUR"; /* plans of one product are priced in euros (DOMAIN.md §6) */
    p->min_monthly_price = m;
  }
  p->state = (Nuage__V1__Product__State)nu_catalog_state_parse(r->status);
  p->etag = (char *)nu_rpc_etag(a, r->version);
  p->create_time = nu_rpc_timestamp(a, r->created_us * 1000);
  p->update_time = nu_rpc_timestamp(a, r->updated_us * 1000);
  p->publish_time = nu_rpc_timestamp(a, r->published_us * 1000);
  if (p->etag == NULL) return nu_rpc_oom(a);
  *out = p;
  return nu_ok();
}

bool nu_catalog_acts_for(const struct nu_principal *p, const char *org_id) {
  if (p->platform_operator) return true;
  return p->organization_id != NULL && org_id != NULL && strcmp(p->organization_id, org_id) == 0;
}
